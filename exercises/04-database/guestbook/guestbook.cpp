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
        nlohmann::json entries = nlohmann::json::array();
        // TODO: the rows of the table entries (migrations/0001_entries.sql), oldest first.
        write(nlohmann::json{{"entries", entries}});
        co_return;
    }

    // TODO: asio::awaitable<void> post(): store name and message (both required) in entries, the
    // values bound to ? placeholders, and answer {"id": <the new row's id>}.
};

web::Application make_app() {
    auto db = std::make_shared<database::Connection>("sqlite://" + data_dir() + "/guestbook.db");
    ioloop::IOLoop::current().run_sync(db->migrate(source_dir() + "/migrations"));
    return web::Application({web::url<GuestbookHandler>("/", db)});
}
