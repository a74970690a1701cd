// Exercise 04-database/paging: GET /books?page=2&per_page=10 answers one page of the books,
// {"page": 2, "per_page": 10, "total": 23, "pages": 3, "books": ["Book 11", …]}.
#include <tornado/tornado.hpp>

#include <memory>
#include <string>

using namespace tornado;

struct BooksHandler : web::RequestHandler {
    std::shared_ptr<database::Connection> db;
    void initialize(std::shared_ptr<database::Connection> connection) { db = std::move(connection); }

    asio::awaitable<void> get() {
        auto page = get_argument("page", 1);
        auto per_page = get_argument("per_page", 10);
        if (page < 1) throw web::HTTPError(400, "page must be 1 or more");
        // A page size without a limit would let one request read the whole table.
        if (per_page < 1 || per_page > 50) throw web::HTTPError(400, "per_page must be from 1 to 50");
        auto rows = co_await db->query("SELECT title FROM books ORDER BY id LIMIT ? OFFSET ?", per_page,
                                       static_cast<std::int64_t>(page - 1) * per_page);
        auto total = (*co_await db->get("SELECT count(*) AS n FROM books"))["n"].as<std::int64_t>();
        nlohmann::json titles = nlohmann::json::array();
        for (const auto& row : rows) titles.push_back(row["title"]);
        write(nlohmann::json{{"page", page},
                             {"per_page", per_page},
                             {"total", total},
                             {"pages", (total + per_page - 1) / per_page},
                             {"books", titles}});
    }
};

web::Application make_app() {
    auto db = std::make_shared<database::Connection>("sqlite://" + data_dir() + "/paging.db");
    ioloop::IOLoop::current().run_sync(db->migrate(source_dir() + "/migrations"));
    return web::Application({web::url<BooksHandler>("/books", db)});
}
