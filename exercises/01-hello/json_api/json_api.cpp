// Exercise 01-hello/json_api: statistics of some numbers, asked for in the query string
// (GET /stats?n=3&n=5) or sent as JSON (POST /stats {"numbers": [3, 5]}), answered as JSON.
#include <tornado/tornado.hpp>

#include <string>
#include <vector>

using namespace tornado;

// {"count": 2, "sum": 8.0, "mean": 4.0, "min": 3.0, "max": 5.0}; without numbers, count and sum
// are 0 and mean, min and max are null.
nlohmann::json stats(const std::vector<double>& numbers) {
    // TODO: compute the five values.
    return {{"count", numbers.size()}};
}

struct StatsHandler : web::RequestHandler {
    void get() {
        std::vector<double> numbers;
        // TODO: every argument n as a number; one that is not a number is a 400 that names it.
        write(stats(numbers));
    }

    // TODO: post(): the numbers from a JSON body {"numbers": [...]}; a body that is not valid
    // JSON, or has no list of numbers under "numbers", is a 400.
};

web::Application make_app() { return web::Application({web::url<StatsHandler>("/stats")}); }
