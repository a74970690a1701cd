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
        // TODO: make the database refuse a second user with the same username. A migration that
        // has run is never edited: add migrations/0002_unique_usernames.sql.
        // TODO: catch the database::IntegrityError it then throws, and answer 409 with
        // {"error": "username <name> is taken"}.
        co_await db->execute("INSERT INTO users (username) VALUES (?)", username);
        set_status(201);
        write(nlohmann::json{{"username", username}});
    }
};

web::Application make_app() {
    auto db = std::make_shared<database::Connection>("sqlite://" + data_dir() + "/conflict.db");
    ioloop::IOLoop::current().run_sync(db->migrate(source_dir() + "/migrations"));
    return web::Application({web::url<UsersHandler>("/users", db)});
}
