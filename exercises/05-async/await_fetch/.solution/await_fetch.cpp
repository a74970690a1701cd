// Exercise 05-async/await_fetch: GET /forecast asks a slow weather service (--weather_api) for
// tomorrow's weather and answers "Portland: rain". GET / answers at once, whoever else waits.
#include <tornado/tornado.hpp>

#include <string>

using namespace tornado;

const std::string& weather_api =
    options::define("weather_api", "http://127.0.0.1:8001/forecast.json", "the weather service's URL");

struct IndexHandler : web::RequestHandler {
    void get() { write("Ask /forecast for tomorrow's weather."); }
};

struct ForecastHandler : web::RequestHandler {
    asio::awaitable<void> get() {
        httpclient::AsyncHTTPClient client;
        auto response = co_await client.fetch(weather_api);
        auto forecast = nlohmann::json::parse(response.body);
        write(forecast["city"].get<std::string>() + ": " + forecast["weather"].get<std::string>());
    }
};

web::Application make_app() {
    return web::Application({
        web::url<IndexHandler>("/"),
        web::url<ForecastHandler>("/forecast"),
    });
}
