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
        // TODO: a page below 1, or a per_page outside 1..50, is a 400.
        // TODO: only that page's rows (ORDER BY id LIMIT ? OFFSET ?), and the total number of
        // books (SELECT count(*) …) for "total" and "pages".
        auto rows = co_await db->query("SELECT title FROM books ORDER BY id");
        nlohmann::json titles = nlohmann::json::array();
        for (const auto& row : rows) titles.push_back(row["title"]);
        write(nlohmann::json{
            {"page", page}, {"per_page", per_page}, {"total", nullptr}, {"pages", nullptr}, {"books", titles}});
    }
};

web::Application make_app() {
    auto db = std::make_shared<database::Connection>("sqlite://" + data_dir() + "/paging.db");
    ioloop::IOLoop::current().run_sync(db->migrate(source_dir() + "/migrations"));
    return web::Application({web::url<BooksHandler>("/books", db)});
}
