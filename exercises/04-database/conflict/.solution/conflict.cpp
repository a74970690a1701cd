// Exercise 04-database/conflict: sign-ups with unique usernames. POST /users with the form field
// username answers 201 and {"username": …}; a username that is taken answers 409 and
// {"error": "username … is taken"}. GET /users lists them: {"users": ["burt", …]}.
#include <tornado/tornado.hpp>

#include <memory>
#include <string>

using namespace tornado;

struct UsersHandler : web::RequestHandler {
    std::shared_ptr<database::Connection> db;
    void initialize(std::shared_ptr<database::Connection> connection) { db = std::move(connection); }

    asio::awaitable<void> get() {
        nlohmann::json users = nlohmann::json::array();
        for (const auto& row : co_await db->query("SELECT username FROM users ORDER BY id")) users.push_back(row["username"]);
        write(nlohmann::json{{"users", users}});
    }

    asio::awaitable<void> post() {
        auto username = get_argument("username");
        // The unique index (migrations/0002_unique_usernames.sql) decides: checking first with a
        // SELECT would let two sign-ups at the same moment both pass the check.
        try {
            co_await db->execute("INSERT INTO users (username) VALUES (?)", username);
        } catch (const database::IntegrityError&) {
            set_status(409);
            write(nlohmann::json{{"error", "username " + username + " is taken"}});
            co_return;
        }
        set_status(201);
        write(nlohmann::json{{"username", username}});
    }
};

web::Application make_app() {
    auto db = std::make_shared<database::Connection>("sqlite://" + data_dir() + "/conflict.db");
    ioloop::IOLoop::current().run_sync(db->migrate(source_dir() + "/migrations"));
    return web::Application({web::url<UsersHandler>("/users", db)});
}
