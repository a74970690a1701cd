// Exercise 05-async/two_upstreams: GET /books answers what two services say about Burt's Books,
// {"inventory": <the inventory service's JSON>, "prices": <the price service's JSON>}, asking
// both at once: the answer then takes as long as the slower service, not the two added up.
#include <tornado/tornado.hpp>

#include <string>

using namespace tornado;

const std::string& inventory_api =
    options::define("inventory_api", "http://127.0.0.1:8001/inventory.json", "the inventory service's URL");
const std::string& prices_api =
    options::define("prices_api", "http://127.0.0.1:8002/prices.json", "the price service's URL");

struct BooksHandler : web::RequestHandler {
    asio::awaitable<void> get() {
        httpclient::AsyncHTTPClient client;
        auto inventory = co_await client.fetch(inventory_api);
        // TODO: fetch prices_api too, at the same time as inventory_api rather than after it,
        // and answer {"inventory": <its JSON>, "prices": <its JSON>}.
        write(nlohmann::json{{"inventory", nlohmann::json::parse(inventory.body)}});
    }
};

web::Application make_app() {
    return web::Application({web::url<BooksHandler>("/books")});
}
