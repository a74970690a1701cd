// Exercise 04-database/transfer: POST /transfer with the form fields from, to and quantity moves
// copies from one warehouse to another, all or nothing, and answers the stock as
// {"east": 0, "north": 7, "south": 8}; GET /stock answers the same.
#include <tornado/tornado.hpp>

#include <memory>
#include <string>

using namespace tornado;

struct StockHandler : web::RequestHandler {
    std::shared_ptr<database::Connection> db;
    void initialize(std::shared_ptr<database::Connection> connection) { db = std::move(connection); }

    // Every warehouse and its quantity, as one JSON object.
    asio::awaitable<nlohmann::json> stock() {
        nlohmann::json levels = nlohmann::json::object();
        for (const auto& row : co_await db->query("SELECT warehouse, quantity FROM stock"))
            levels[row["warehouse"].as<std::string>()] = row["quantity"].as<std::int64_t>();
        co_return levels;
    }

    asio::awaitable<void> get() { write(co_await stock()); }
};

struct TransferHandler : StockHandler {
    asio::awaitable<void> post() {
        auto from = get_argument("from");
        auto to = get_argument("to");
        auto quantity = get_argument("quantity", 0);
        // TODO: a quantity below 1 is a 400.
        // TODO: both updates in one transaction (auto tx = co_await db->transaction(); …
        // co_await tx.commit();), so that they happen together or not at all:
        //  - a warehouse that does not exist (an update that changed no row) is a 404;
        //  - a warehouse that would go below zero (the table's CHECK makes the update throw
        //    database::IntegrityError) is a 409.
        co_await db->execute("UPDATE stock SET quantity = quantity + ? WHERE warehouse = ?", quantity, to);
        co_await db->execute("UPDATE stock SET quantity = quantity - ? WHERE warehouse = ?", quantity, from);
        write(co_await stock());
    }
};

web::Application make_app() {
    auto db = std::make_shared<database::Connection>("sqlite://" + data_dir() + "/transfer.db");
    ioloop::IOLoop::current().run_sync(db->migrate(source_dir() + "/migrations"));
    return web::Application({web::url<StockHandler>("/stock", db), web::url<TransferHandler>("/transfer", db)});
}
