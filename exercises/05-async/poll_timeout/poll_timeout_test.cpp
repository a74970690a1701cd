// exercises/05-async/poll_timeout: GET /news waits for the next headline, and answers 204 with
// no body when none came within --poll_timeout seconds (0.3 here, the book's 30 by default).
#include "05-async/upstream.hpp"
#include "exercise_test.hpp"

#include <tornado/escape.hpp>

#include <chrono>
#include <initializer_list>
#include <vector>

using namespace std::chrono_literals;
using nlohmann::json;
using tornado::testing::form_post;

namespace {
struct PollTimeoutTest : ExerciseTest {
    PollTimeoutTest() { set_option("poll_timeout", "0.3"); }
    ~PollTimeoutTest() override { set_option("poll_timeout", "30"); }

    void post_headline(const std::string& headline) {
        REQUIRE(fetch("/news", form_post("headline=" + tornado::escape::url_escape(headline))).code == 200);
    }
    // Runs the loop a little, so that GETs sent in the background reach the server and wait
    // there before the test goes on (a wait, not a measurement: nothing checks how long).
    void let_requests_arrive() {
        io_loop().run_until([] { return false; }, 100ms);
    }
};

json news(std::initializer_list<std::string> headlines, std::size_t next) {
    return {{"headlines", std::vector<std::string>(headlines)}, {"next", next}};
}
}  // namespace

TEST_CASE_METHOD(PollTimeoutTest, "with no news, GET /news waits poll_timeout, then answers 204 with no body") {
    auto response = fetch("/news?since=0");
    CHECK(response.code == 204);
    CHECK(response.body == "");
    INFO("the answer must come only once poll_timeout (0.3 s here) has passed without news");
    CHECK(response.request_time >= 0.25s);
}

TEST_CASE_METHOD(PollTimeoutTest, "a waiting GET /news is answered when a headline is posted") {
    auto waiting = fetch_in_background(get_url("/news?since=0"));
    let_requests_arrive();
    post_headline("Burt's Books opens a second shop");
    REQUIRE(io_loop().run_until([&] { return waiting->has_value(); }, 2s));
    CHECK((*waiting)->code == 200);
    CHECK(json::parse((*waiting)->body, nullptr, false) == news({"Burt's Books opens a second shop"}, 1));
    INFO("a reader who has seen headline 1 waits for the next, and gets 204 when none comes");
    CHECK(fetch("/news?since=1").code == 204);
}

TEST_CASE_METHOD(PollTimeoutTest, "news already there is answered at once, from where the reader left off") {
    post_headline("first");
    post_headline("second");
    CHECK(json::parse(fetch("/news?since=0").body, nullptr, false) == news({"first", "second"}, 2));
    CHECK(json::parse(fetch("/news?since=1").body, nullptr, false) == news({"second"}, 2));
    auto seen_all = fetch("/news?since=2");
    CHECK(seen_all.code == 204);
    CHECK(seen_all.body == "");
}

TEST_CASE_METHOD(PollTimeoutTest, "one headline answers every waiting reader") {
    std::vector<std::shared_ptr<std::optional<tornado::httpclient::HTTPResponse>>> readers;
    for (int i = 0; i < 3; ++i) readers.push_back(fetch_in_background(get_url("/news?since=0")));
    let_requests_arrive();
    post_headline("extra");
    REQUIRE(io_loop().run_until([&] {
        for (auto& reader : readers) if (!reader->has_value()) return false;
        return true;
    }, 2s));
    for (auto& reader : readers) {
        CHECK((*reader)->code == 200);
        CHECK(json::parse((*reader)->body, nullptr, false) == news({"extra"}, 1));
    }
    CHECK(fetch("/news?since=1").code == 204);
}
