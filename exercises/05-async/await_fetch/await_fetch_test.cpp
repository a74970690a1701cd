// exercises/05-async/await_fetch: while /forecast waits for the weather service, the server
// serves everyone else. The service runs on a thread of its own and holds each request until the
// test releases it, so the tests see whether the server answered in the meantime.
#include "05-async/upstream.hpp"
#include "exercise_test.hpp"

#include <tornado/locks.hpp>

#include <atomic>
#include <chrono>

using namespace std::chrono_literals;
using nlohmann::json;
namespace web = tornado::web;

namespace {
struct WeatherService {
    std::atomic<int> asked{0};
    std::atomic<int> answered{0};
    tornado::locks::Event released;  // used on the service's loop only
};

struct SlowForecastHandler : web::RequestHandler {
    WeatherService* service = nullptr;
    void initialize(WeatherService* weather) { service = weather; }

    asio::awaitable<void> get() {
        ++service->asked;
        // Held until the test releases it; the limit only keeps a blocked server from hanging
        // the test for good.
        co_await service->released.wait(3s);
        ++service->answered;
        write(json{{"city", "Portland"}, {"weather", "rain"}});
    }
};

struct AwaitFetchTest : ExerciseTest {
    WeatherService service;
    UpstreamThread weather{[this] {
        return std::make_unique<web::Application>(
            web::Application({web::url<SlowForecastHandler>("/forecast.json", &service)}));
    }};
    AwaitFetchTest() { set_option("weather_api", weather.url("/forecast.json")); }
    void release() {
        weather.call([this] { service.released.set(); });
    }
};
}  // namespace

TEST_CASE_METHOD(AwaitFetchTest, "while /forecast waits for the weather service, GET / is answered") {
    auto forecast = fetch_in_background(get_url("/forecast"));
    REQUIRE(io_loop().run_until([&] { return service.asked == 1; }, 5s));
    auto index = fetch("/");
    CHECK(index.code == 200);
    INFO("GET / must be answered while the weather service still holds /forecast: a blocking "
         "fetch stops the whole server until the service answers");
    CHECK(service.answered == 0);
    release();
    REQUIRE(io_loop().run_until([&] { return forecast->has_value(); }, 5s));
    CHECK((*forecast)->code == 200);
    CHECK((*forecast)->body == "Portland: rain");
}

TEST_CASE_METHOD(AwaitFetchTest, "three /forecast requests wait on the service at once, and each gets the forecast") {
    std::vector<std::shared_ptr<std::optional<tornado::httpclient::HTTPResponse>>> forecasts;
    for (int i = 0; i < 3; ++i) forecasts.push_back(fetch_in_background(get_url("/forecast")));
    INFO("the service holds each request; all three must reach it before any is answered");
    CHECK(io_loop().run_until([&] { return service.asked == 3; }, 1s));
    release();
    REQUIRE(io_loop().run_until([&] {
        for (auto& forecast : forecasts) if (!forecast->has_value()) return false;
        return true;
    }, 10s));
    for (auto& forecast : forecasts) CHECK((*forecast)->body == "Portland: rain");
}
