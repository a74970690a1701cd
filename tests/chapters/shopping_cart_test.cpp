// chapters/05-async/shopping_cart over real sockets: the product page, the cart's rules, and long
// polling — a waiter answered by another session's add, 1,000 waiters answered by one add, and
// 1,000 waiters that hang up leaving no descriptor, memory or answer behind.
#include "descriptors.hpp"
#include "sample.hpp"

#include <catch2/catch.hpp>

#include <sys/resource.h>

#include <algorithm>
#include <fstream>
#include <regex>
#include <string>
#include <vector>

using tornado::testing::form_post;
using tornado::testing::RawConnection;
using tornado::testing::ServerProcess;
using namespace std::chrono_literals;
using nlohmann::json;

namespace {
const std::string program = sample_path("05-async", "shopping_cart");
const std::string status_request = "GET /cart/status HTTP/1.1\r\nHost: x\r\n\r\n";

int post_cart(ServerProcess& app, const std::string& body) { return app.fetch("/cart", form_post(body)).code; }

// The count the product page shows.
int page_count(ServerProcess& app) {
    std::smatch found;
    auto page = app.fetch("/").body;
    REQUIRE(std::regex_search(page, found, std::regex(R"(<span id="count">(\d+)</span>)")));
    return std::stoi(found[1]);
}

json inventory(int count) { return {{"inventoryCount", std::to_string(count)}}; }

// n connections, each waiting on GET /cart/status (or on the line given).
std::vector<RawConnection> waiters(ServerProcess& app, int n, const std::string& request = status_request) {
    std::vector<RawConnection> connections;
    for (int i = 0; i < n; ++i) {
        connections.push_back(app.connect());
        connections.back().write(request);
    }
    return connections;
}

long rss_kb(int pid) {
    std::ifstream status("/proc/" + std::to_string(pid) + "/status");
    for (std::string line; std::getline(status, line);) {
        if (line.starts_with("VmRSS:")) return std::stol(line.substr(6));
    }
    return -1;
}

// Room for this process's and the server's 1,000+ sockets each (the server inherits the limit).
void allow_descriptors(rlim_t wanted) {
    rlimit limit{};
    REQUIRE(getrlimit(RLIMIT_NOFILE, &limit) == 0);
    if (limit.rlim_cur >= wanted) return;
    REQUIRE(limit.rlim_max >= wanted);
    limit.rlim_cur = wanted;
    REQUIRE(setrlimit(RLIMIT_NOFILE, &limit) == 0);
}

std::size_t count(const std::string& text, const std::string& needle) {
    std::size_t n = 0;
    for (auto at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) ++n;
    return n;
}
}  // namespace

TEST_CASE("shopping_cart's page shows the book, 10 in stock and a fresh session id") {
    ServerProcess app(program);
    auto first = app.fetch("/");
    REQUIRE(first.code == 200);
    CHECK_THAT(first.body, Catch::Contains("The Definitive Guide to the Internet"));
    CHECK_THAT(first.body, Catch::Contains("$20.00"));
    CHECK(page_count(app) == 10);
    const std::regex session(R"re(<input type="hidden" id="session" value="([0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12})" />)re");
    std::smatch a, b;
    auto second = app.fetch("/").body;
    REQUIRE(std::regex_search(first.body, a, session));
    REQUIRE(std::regex_search(second, b, session));
    CHECK(a[1] != b[1]);
    // The script and the cover are served from static/, at the versioned URLs the page names.
    std::smatch script, cover;
    REQUIRE(std::regex_search(first.body, script, std::regex(R"re(src="(/static/scripts/inventory\.js\?v=\w+)")re")));
    REQUIRE(std::regex_search(first.body, cover, std::regex(R"re(src="(/static/images/internet\.svg\?v=\w+)")re")));
    CHECK_THAT(app.fetch(script[1].str()).body, Catch::Contains("/cart/status"));
    CHECK(app.fetch(cover[1].str()).code == 200);
}

TEST_CASE("shopping_cart: add takes a copy, remove puts it back, and a session holds one copy at most") {
    ServerProcess app(program);
    CHECK(post_cart(app, "action=add&session=alice") == 200);
    CHECK(page_count(app) == 9);
    CHECK(post_cart(app, "action=add&session=alice") == 200);  // already in alice's cart
    CHECK(page_count(app) == 9);
    CHECK(post_cart(app, "action=add&session=bob") == 200);
    CHECK(page_count(app) == 8);
    CHECK(post_cart(app, "action=remove&session=alice") == 200);
    CHECK(page_count(app) == 9);
    CHECK(post_cart(app, "action=remove&session=alice") == 200);  // nothing left to remove
    CHECK(post_cart(app, "action=remove&session=carol") == 200);  // never had one
    CHECK(page_count(app) == 9);
}

TEST_CASE("shopping_cart answers 400 for another action or a missing session, and changes nothing") {
    ServerProcess app(program);
    CHECK(post_cart(app, "action=buy&session=alice") == 400);
    CHECK(post_cart(app, "action=&session=alice") == 400);
    CHECK(post_cart(app, "session=alice") == 400);
    CHECK(post_cart(app, "action=add") == 400);
    CHECK(post_cart(app, "action=add&session=") == 400);
    CHECK(post_cart(app, "action=add&session=%20%20") == 400);  // stripped to nothing
    CHECK(app.fetch("/cart").code == 405);
    CHECK(app.fetch("/cart/status?count=ten").code == 400);
    CHECK(page_count(app) == 10);
    CHECK(app.running());
}

TEST_CASE("shopping_cart sells 10 copies: the 11th session's add gets 409 until one comes back") {
    ServerProcess app(program);
    for (int i = 0; i < 10; ++i) REQUIRE(post_cart(app, "action=add&session=s" + std::to_string(i)) == 200);
    CHECK(page_count(app) == 0);
    CHECK(post_cart(app, "action=add&session=late") == 409);
    CHECK(post_cart(app, "action=add&session=s3") == 200);  // s3 has its copy already
    CHECK(page_count(app) == 0);
    CHECK(post_cart(app, "action=remove&session=s3") == 200);
    CHECK(post_cart(app, "action=add&session=late") == 200);
    CHECK(page_count(app) == 0);
}

TEST_CASE("shopping_cart: a waiting /cart/status answers {\"inventoryCount\": \"9\"} once another session adds") {
    ServerProcess app(program);
    auto waiting = app.connect();
    waiting.write(status_request);
    CHECK(waiting.read_until("HTTP/1.1", 200ms).empty());  // parked: no answer while nothing changes
    CHECK(post_cart(app, "action=add&session=alice") == 200);
    auto response = waiting.read_response(2s);
    REQUIRE(response.code == 200);
    CHECK(response.headers.get("Content-Type") == "application/json; charset=UTF-8");
    CHECK(json::parse(response.body) == inventory(9));

    // The same connection waits again (keep-alive) and hears the removal.
    waiting.write(status_request);
    CHECK(waiting.read_until("HTTP/1.1", 200ms).empty());
    CHECK(post_cart(app, "action=remove&session=alice") == 200);
    CHECK(json::parse(waiting.read_response(2s).body) == inventory(10));
}

TEST_CASE("shopping_cart: /cart/status?count=N waits while the count is N and answers at once when it is not") {
    ServerProcess app(program);
    auto current = app.connect();
    current.write("GET /cart/status?count=10 HTTP/1.1\r\nHost: x\r\n\r\n");
    CHECK(current.read_until("HTTP/1.1", 200ms).empty());
    auto stale = app.fetch("/cart/status?count=7", {.timeout = 2s});  // a page showing an old count
    REQUIRE(stale.code == 200);
    CHECK(json::parse(stale.body) == inventory(10));
    CHECK(post_cart(app, "action=add&session=alice") == 200);
    CHECK(json::parse(current.read_response(2s).body) == inventory(9));
}

TEST_CASE("shopping_cart answers 1,000 waiting clients when one adds to its cart") {
    allow_descriptors(4096);
    ServerProcess app(program);
    // Each names the count it saw, so one whose request the server reads after the add is
    // answered too, at once: all 1,000 must get the new count either way.
    auto connections = waiters(app, 1000, "GET /cart/status?count=10 HTTP/1.1\r\nHost: x\r\n\r\n");
    for (auto& connection : connections) REQUIRE(connection.read_until("HTTP/1.1", 0ms).empty());
    CHECK(connections.back().read_until("HTTP/1.1", 200ms).empty());
    CHECK(descriptors_rise_to(app, 1000));  // the server holds them all

    CHECK(post_cart(app, "action=add&session=alice") == 200);
    int answered = 0;
    for (auto& connection : connections) {
        auto response = connection.read_response(10s);
        if (response.code == 200 && json::parse(response.body) == inventory(9)) ++answered;
    }
    CHECK(answered == 1000);
    CHECK(app.running());
}

// Under AddressSanitizer freed memory waits in its quarantine instead of being reused, so the
// server's RSS grows round after round without a leak; LeakSanitizer checks for leaks at exit.
#ifdef __SANITIZE_ADDRESS__
constexpr bool rss_shows_leaks = false;
#else
constexpr bool rss_shows_leaks = true;
#endif

TEST_CASE("shopping_cart forgets 1,000 waiting clients that hang up: no descriptor, memory or answer stays") {
    allow_descriptors(4096);
    ServerProcess app(program);
    // What the server holds with no client, once the probe that saw it start is closed.
    const auto descriptors_before = settled_descriptors(app);
    // Round after round the server must come back to what it held: the first two rounds grow
    // the heap to its working size (the second by up to 200 KB, as glibc settles), so memory is
    // compared from there.
    constexpr int warm_up_rounds = 2;
    long working_rss = 0;
    for (int round = 0; round < warm_up_rounds + 2; ++round) {
        INFO("round " << round);
        {
            auto connections = waiters(app, 1000);
            CHECK(connections.back().read_until("HTTP/1.1", 200ms).empty());
            REQUIRE(descriptors_rise_to(app, descriptors_before + 1000));
        }  // all hang up here
        REQUIRE(descriptors_drop_to(app, descriptors_before));
        auto rss = rss_kb(app.pid());
        if (round < warm_up_rounds) {
            working_rss = std::max(working_rss, rss);
            continue;
        }
        // 1,000 waiters leaking even 200 bytes each would show as 200 KB per round.
        if (rss_shows_leaks) CHECK(rss <= working_rss + 150);
    }

    // The next add answers the one live waiter, and nobody else: the access log lists exactly
    // one /cart/status answered.
    auto live = app.connect();
    live.write(status_request);
    CHECK(live.read_until("HTTP/1.1", 200ms).empty());
    CHECK(post_cart(app, "action=add&session=alice") == 200);
    CHECK(json::parse(live.read_response(2s).body) == inventory(9));
    CHECK(page_count(app) == 9);
    REQUIRE(app.stop() == 0);  // its log is complete
    auto log = app.output();
    CHECK(count(log, "200 GET /cart/status") == 1);
    CHECK(count(log, "rror") == 0);  // no "Error" or "error" from writing to a closed connection
}
