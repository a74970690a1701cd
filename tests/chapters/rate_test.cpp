// chapters/05-async/rate and rate_blocking over real sockets, each against the search_api sample
// started for the test: the page's figure is the rate of the posts the API sent, the query is
// escaped, and the book's experiment — several clients at once — is answered concurrently by
// rate and one after another by rate_blocking.
#include "sample.hpp"

#include <tornado/escape.hpp>

#include <catch2/catch.hpp>

#include <chrono>
#include <cstdio>
#include <ctime>
#include <string>
#include <vector>

using tornado::testing::RawConnection;
using tornado::testing::ServerProcess;
using namespace std::chrono_literals;

namespace {
ServerProcess search_api(double delay) {
    return ServerProcess(sample_path("05-async", "search_api"), {"--delay=" + std::to_string(delay)});
}

ServerProcess rate_app(const std::string& app, ServerProcess& api) {
    return ServerProcess(sample_path("05-async", app),
                         {"--search_api=http://127.0.0.1:" + std::to_string(api.port()) + "/search.json"});
}

std::time_t seconds_of(const std::string& created_at) {
    std::tm utc{};
    REQUIRE(strptime(created_at.c_str(), "%a, %d %b %Y %H:%M:%S +0000", &utc));
    return timegm(&utc);
}

// The figure the page must show for query, computed here from the API's own answer.
std::string expected_rate(ServerProcess& api, const std::string& query) {
    auto body = nlohmann::json::parse(api.fetch("/search.json?rpp=100&q=" + tornado::escape::url_escape(query)).body);
    const auto& results = body.at("results");
    REQUIRE(results.size() == 100);
    auto span = seconds_of(results.front().at("created_at")) - seconds_of(results.back().at("created_at"));
    char figure[32];
    std::snprintf(figure, sizeof figure, "%.2f", 100.0 / static_cast<double>(span));
    return figure;
}

// n requests sent at once on n connections; the seconds until the last answer, all 200.
double seconds_for_concurrent(ServerProcess& app, int n) {
    std::vector<RawConnection> connections;
    auto start = std::chrono::steady_clock::now();
    for (int i = 0; i < n; ++i) {
        connections.push_back(app.connect());
        connections.back().write("GET /?q=load" + std::to_string(i) + " HTTP/1.1\r\nHost: x\r\n\r\n");
    }
    for (auto& connection : connections) CHECK(connection.read_response(20s).code == 200);
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}
}  // namespace

TEST_CASE("rate and rate_blocking show the posts' rate for the query, the query escaped") {
    auto api = search_api(0.05);
    for (std::string app : {"rate", "rate_blocking"}) {
        INFO(app);
        auto rate = rate_app(app, api);
        for (std::string query : {"tornado", "c++ coroutines", "<script>alert(1)</script>"}) {
            INFO(query);
            auto page = rate.fetch("/?q=" + tornado::escape::url_escape(query));
            REQUIRE(page.code == 200);
            CHECK(page.body.find(">" + tornado::escape::xhtml_escape(query) + "</div>") != std::string::npos);
            CHECK(page.body.find(">" + expected_rate(api, query) + "</div>") != std::string::npos);
            CHECK(page.body.find("tweets per second") != std::string::npos);
            CHECK(page.body.find("<script>") == std::string::npos);
        }
        CHECK(rate.fetch("/").code == 400);  // q is required
    }
}

TEST_CASE("the book's experiment: rate answers clients at once, rate_blocking one after another") {
    // The API takes 1 s for each answer and serves any number at once.
    auto api = search_api(1.0);
    auto rate = rate_app("rate", api);
    auto rate_blocking = rate_app("rate_blocking", api);
    // Four waits that overlap take about one; the blocking server cannot start the next fetch
    // before the last one ended, so four take four seconds at least, on any machine.
    CHECK(seconds_for_concurrent(rate, 4) < 3.0);
    CHECK(seconds_for_concurrent(rate_blocking, 4) >= 4.0);
}

TEST_CASE("rate answers 500 when the search API is not there, and keeps serving") {
    ServerProcess rate(sample_path("05-async", "rate"), {"--search_api=http://127.0.0.1:1/search.json"});
    CHECK(rate.fetch("/?q=x").code == 500);
    CHECK(rate.fetch("/?q=y").code == 500);
    CHECK(rate.running());
}
