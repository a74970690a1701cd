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
        if (quantity < 1) throw web::HTTPError(400, "quantity must be 1 or more");
        try {
            // Left without commit() (the 404 below, or the CHECK's IntegrityError), the
            // transaction rolls back: the first update is undone too.
            auto tx = co_await db->transaction();
            auto added = co_await tx.execute("UPDATE stock SET quantity = quantity + ? WHERE warehouse = ?", quantity, to);
            auto taken = co_await tx.execute("UPDATE stock SET quantity = quantity - ? WHERE warehouse = ?", quantity, from);
            if (added.rowcount == 0 || taken.rowcount == 0) throw web::HTTPError(404, "no such warehouse");
            co_await tx.commit();
        } catch (const database::IntegrityError&) {
            throw web::HTTPError(409, from + " has fewer than " + std::to_string(quantity));
        }
        write(co_await stock());
    }
};

web::Application make_app() {
    auto db = std::make_shared<database::Connection>("sqlite://" + data_dir() + "/transfer.db");
    ioloop::IOLoop::current().run_sync(db->migrate(source_dir() + "/migrations"));
    return web::Application({web::url<StockHandler>("/stock", db), web::url<TransferHandler>("/transfer", db)});
}
