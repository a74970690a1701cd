// Exercise 04-database/guestbook: a guestbook kept in a database, so it outlives the server.
// GET / answers {"entries": [{"name": …, "message": …}, …]}, oldest first; POST / with the form
// fields name and message adds an entry and answers {"id": <its id>}.
#include <tornado/tornado.hpp>

#include <memory>
#include <string>

using namespace tornado;

struct GuestbookHandler : web::RequestHandler {
    std::shared_ptr<database::Connection> db;
    void initialize(std::shared_ptr<database::Connection> connection) { db = std::move(connection); }

    asio::awaitable<void> get() {
        auto entries = co_await db->query("SELECT name, message FROM entries ORDER BY id");
        write(nlohmann::json{{"entries", entries}});
    }

    asio::awaitable<void> post() {
        auto name = get_argument("name");
        auto message = get_argument("message");
        auto stored = co_await db->execute("INSERT INTO entries (name, message) VALUES (?, ?)", name, message);
        write(nlohmann::json{{"id", stored.lastrowid}});
    }
};

web::Application make_app() {
    auto db = std::make_shared<database::Connection>("sqlite://" + data_dir() + "/guestbook.db");
    ioloop::IOLoop::current().run_sync(db->migrate(source_dir() + "/migrations"));
    return web::Application({web::url<GuestbookHandler>("/", db)});
}
