// exercises/05-async/two_upstreams: GET /books asks the inventory and the price service at once.
// The services run on a thread of their own and count the requests they hold at the same time;
// each holds its request until both are in (or 1 s passed), so asking at once is what they see,
// however fast or slow the machine.
#include "05-async/upstream.hpp"
#include "exercise_test.hpp"

#include <tornado/locks.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>

using namespace std::chrono_literals;
using nlohmann::json;
namespace web = tornado::web;

namespace {
struct Services {
    std::atomic<int> asked{0};
    std::atomic<int> in_flight{0};
    std::atomic<int> most_in_flight{0};
    tornado::locks::Condition arrivals;  // used on the services' loop only
};

const json inventory = {{"Burt's Hamlet", 10}, {"Burt's Macbeth", 0}};
const json prices = {{"Burt's Hamlet", 12.5}, {"Burt's Macbeth", 9.99}};

struct ServiceHandler : web::RequestHandler {
    Services* services = nullptr;
    json answer;
    void initialize(Services* all, json body) {
        services = all;
        answer = std::move(body);
    }

    asio::awaitable<void> get() {
        ++services->asked;
        int now = ++services->in_flight;
        services->most_in_flight = std::max(services->most_in_flight.load(), now);
        services->arrivals.notify_all();
        while (services->most_in_flight < 2) {
            if (!co_await services->arrivals.wait(1s)) break;
        }
        --services->in_flight;
        write(answer);
    }
};

struct TwoUpstreamsTest : ExerciseTest {
    Services services;
    UpstreamThread upstream{[this] {
        return std::make_unique<web::Application>(web::Application({
            web::url<ServiceHandler>("/inventory.json", &services, inventory),
            web::url<ServiceHandler>("/prices.json", &services, prices),
        }));
    }};
    TwoUpstreamsTest() {
        set_option("inventory_api", upstream.url("/inventory.json"));
        set_option("prices_api", upstream.url("/prices.json"));
    }
};
}  // namespace

TEST_CASE_METHOD(TwoUpstreamsTest, "GET /books answers both services' JSON, each under its name") {
    auto books = fetch("/books");
    CHECK(books.code == 200);
    CHECK(json::parse(books.body, nullptr, false) == json{{"inventory", inventory}, {"prices", prices}});
    CHECK(services.asked == 2);
}

TEST_CASE_METHOD(TwoUpstreamsTest, "the two services are asked at once, not one after the other") {
    REQUIRE(fetch("/books").code == 200);
    INFO("requests the two services held at the same time");
    CHECK(services.most_in_flight == 2);
}
