// Exercise 05-async/cached_value: GET /bestsellers answers Burt's Books' bestseller list, which a
// slow service (--bestsellers_api) computes. The list changes slowly, so the app keeps a copy,
// fetched as it starts and again every --refresh_interval seconds, and answers from that copy:
// however many readers ask, the service is asked once per interval.
#include <tornado/tornado.hpp>

#include <chrono>
#include <memory>
#include <optional>
#include <string>

using namespace tornado;

const std::string& bestsellers_api =
    options::define("bestsellers_api", "http://127.0.0.1:8001/bestsellers.json", "the bestseller service's URL");
const double& refresh_interval =
    options::define("refresh_interval", 60.0, "seconds between two fetches of the bestseller list");

struct Bestsellers : std::enable_shared_from_this<Bestsellers> {
    nlohmann::json list;
    locks::Event filled;  // set once the first list is in
    std::optional<ioloop::PeriodicCallback> refresher;

    // Fetches the list into the cache. It holds the cache weakly: an app shut down while the
    // service answers drops the answer.
    static asio::awaitable<void> refresh(std::weak_ptr<Bestsellers> cache) {
        httpclient::AsyncHTTPClient client;
        auto response = co_await client.fetch(bestsellers_api);
        if (auto alive = cache.lock()) {
            alive->list = nlohmann::json::parse(response.body);
            alive->filled.set();
        }
    }

    void start() {
        // TODO: fetch the list now (IOLoop::current().spawn(refresh(…))), then again every
        // refresh_interval seconds with the PeriodicCallback refresher.
    }
};

struct BestsellersHandler : web::RequestHandler {
    std::shared_ptr<Bestsellers> cache;
    void initialize(std::shared_ptr<Bestsellers> bestsellers) { cache = std::move(bestsellers); }

    asio::awaitable<void> get() {
        // TODO: answer the cached list (once it is filled) instead of asking the service on
        // every request.
        httpclient::AsyncHTTPClient client;
        auto response = co_await client.fetch(bestsellers_api);
        write(nlohmann::json::parse(response.body));
    }
};

web::Application make_app() {
    auto cache = std::make_shared<Bestsellers>();
    cache->start();
    return web::Application({web::url<BestsellersHandler>("/bestsellers", cache)});
}
