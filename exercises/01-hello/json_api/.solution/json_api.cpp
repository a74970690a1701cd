// Exercise 01-hello/json_api: statistics of some numbers, asked for in the query string
// (GET /stats?n=3&n=5) or sent as JSON (POST /stats {"numbers": [3, 5]}), answered as JSON.
#include <tornado/tornado.hpp>

#include <algorithm>
#include <charconv>
#include <numeric>
#include <string>
#include <vector>

using namespace tornado;

// {"count": 2, "sum": 8.0, "mean": 4.0, "min": 3.0, "max": 5.0}; without numbers, count and sum
// are 0 and mean, min and max are null.
nlohmann::json stats(const std::vector<double>& numbers) {
    if (numbers.empty()) return {{"count", 0}, {"sum", 0}, {"mean", nullptr}, {"min", nullptr}, {"max", nullptr}};
    double sum = std::accumulate(numbers.begin(), numbers.end(), 0.0);
    auto [min, max] = std::minmax_element(numbers.begin(), numbers.end());
    return {{"count", numbers.size()}, {"sum", sum}, {"mean", sum / numbers.size()}, {"min", *min}, {"max", *max}};
}

struct StatsHandler : web::RequestHandler {
    void get() {
        std::vector<double> numbers;
        for (const auto& text : get_arguments("n")) {
            double number;
            auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), number);
            if (error != std::errc() || end != text.data() + text.size()) {
                // An HTTPError's page is HTML and keeps its message for the log: a JSON
                // client gets its error as JSON.
                set_status(400);
                write(nlohmann::json{{"error", "n must be a number, not '" + text + "'"}});
                return;
            }
            numbers.push_back(number);
        }
        write(stats(numbers));
    }

    void post() {
        auto body = nlohmann::json::parse(request().body, nullptr, false);
        if (body.is_discarded() || !body.is_object() || !body["numbers"].is_array()) {
            throw web::HTTPError(400, "the body must be JSON: {\"numbers\": [...]}");
        }
        std::vector<double> numbers;
        for (const auto& number : body["numbers"]) {
            if (!number.is_number()) throw web::HTTPError(400, "numbers must hold only numbers");
            numbers.push_back(number.get<double>());
        }
        write(stats(numbers));
    }
};

web::Application make_app() { return web::Application({web::url<StatsHandler>("/stats")}); }
