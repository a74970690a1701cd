// exercises/01-hello/json_api: GET /stats?n=… and POST /stats {"numbers": […]} answer JSON.
#include "exercise_test.hpp"

#include <nlohmann/json.hpp>

using Catch::Contains;
using tornado::httpclient::HTTPResponse;

namespace {
// The response's body as JSON; null when it is not JSON at all.
nlohmann::json json_of(const HTTPResponse& response) {
    auto parsed = nlohmann::json::parse(response.body, nullptr, false);
    return parsed.is_discarded() ? nlohmann::json() : parsed;
}

HTTPResponse post_json(ExerciseTest& test, std::string body) {
    tornado::testing::FetchOptions options{"POST", std::move(body), {}};
    options.headers.set("Content-Type", "application/json");
    return test.fetch("/stats", options);
}
}  // namespace

TEST_CASE_METHOD(ExerciseTest, "GET /stats?n=3&n=5&n=10 answers the count, sum, mean, min and max as JSON") {
    auto response = fetch("/stats?n=3&n=5&n=10");
    CHECK(response.code == 200);
    CHECK(response.headers.get("Content-Type") == "application/json; charset=UTF-8");
    auto stats = json_of(response);
    CHECK(stats["count"] == 3);
    CHECK(stats["sum"] == 18.0);
    CHECK(stats["mean"] == 6.0);
    CHECK(stats["min"] == 3.0);
    CHECK(stats["max"] == 10.0);
}

TEST_CASE_METHOD(ExerciseTest, "decimals and negative numbers count, and no numbers at all give nulls") {
    auto stats = json_of(fetch("/stats?n=-1.5&n=2.5"));
    CHECK(stats["sum"] == 1.0);
    CHECK(stats["mean"] == 0.5);
    CHECK(stats["min"] == -1.5);
    CHECK(stats["max"] == 2.5);
    auto none = json_of(fetch("/stats"));
    CHECK(none == nlohmann::json{{"count", 0}, {"sum", 0}, {"mean", nullptr}, {"min", nullptr}, {"max", nullptr}});
}

TEST_CASE_METHOD(ExerciseTest, "an n that is not a number is a 400 that names it") {
    for (std::string bad : {"abc", "4x"}) {
        auto response = fetch("/stats?n=1&n=" + bad);
        INFO("n=" + bad);
        CHECK(response.code == 400);
        CHECK_THAT(response.body, Contains(bad));
    }
    INFO("an empty n= is not a number either");
    CHECK(fetch("/stats?n=").code == 400);
}

TEST_CASE_METHOD(ExerciseTest, "POST /stats takes the numbers as a JSON body") {
    auto response = post_json(*this, R"({"numbers": [1, 2, 3.5]})");
    CHECK(response.code == 200);
    auto stats = json_of(response);
    CHECK(stats["count"] == 3);
    CHECK(stats["sum"] == 6.5);
    CHECK(stats["max"] == 3.5);
}

TEST_CASE_METHOD(ExerciseTest, "a POST body that is not {\"numbers\": [numbers]} is a 400") {
    for (std::string bad : {"not json", "[1, 2]", R"({"numbers": "1, 2"})", R"({"numbers": [1, "2"]})", R"({"n": [1]})"}) {
        INFO("body: " + bad);
        CHECK(post_json(*this, bad).code == 400);
    }
}
