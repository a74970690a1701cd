// tornado::gen: sleep, alone, concurrently and cancelled; with_timeout; multi; and coroutine
// handlers that sleep, fail and raise HTTPError over real HTTP.
#include <tornado/gen.hpp>
#include <tornado/ioloop.hpp>
#include <tornado/locks.hpp>
#include <tornado/log.hpp>
#include <tornado/testing.hpp>
#include <tornado/web.hpp>

#include "captured_log.hpp"
#include "loop_fixture.hpp"

#include <catch2/catch.hpp>

#include <optional>
#include <stdexcept>
#include <variant>
#include <string>
#include <vector>

using namespace std::chrono_literals;
using namespace tornado;
using ioloop::Duration;
using ioloop::IOLoop;
using ioloop::TimePoint;

namespace {

// When a coroutine started and finished sleeping.
struct Span {
    std::optional<TimePoint> begin, end;
    bool done() const { return end.has_value(); }
};

asio::awaitable<void> timed_sleep(Duration duration, Span& span) {
    span.begin = IOLoop::time();
    co_await gen::sleep(duration);
    span.end = IOLoop::time();
}

asio::awaitable<void> sleep_then_note(Duration duration, std::vector<std::string>& notes) {
    co_await gen::sleep(duration);
    notes.push_back("woke");
}

}  // namespace

// --- gen::sleep ---

TEST_CASE_METHOD(LoopTest, "gen::sleep suspends the coroutine for about the duration") {
    Span span;
    loop.run_sync(timed_sleep(50ms, span));
    REQUIRE(span.done());
    CHECK(*span.end - *span.begin >= 50ms);
    CHECK(*span.end - *span.begin < 2s);
}

asio::awaitable<void> sleep_seconds(double seconds, Span& span) {
    span.begin = IOLoop::time();
    co_await gen::sleep(seconds);
    span.end = IOLoop::time();
}

TEST_CASE_METHOD(LoopTest, "gen::sleep takes seconds as a number, as Tornado's does") {
    Span span;
    loop.run_sync(sleep_seconds(0.05, span));
    REQUIRE(span.done());
    CHECK(*span.end - *span.begin >= 50ms);
    CHECK(*span.end - *span.begin < 2s);
    Span negative;
    loop.run_sync(sleep_seconds(-1.0, negative));
    CHECK(*negative.end - *negative.begin < 2s);
}

TEST_CASE_METHOD(LoopTest, "gen::sleep of zero resumes on the next loop iteration") {
    Span span;
    loop.spawn(timed_sleep(0ms, span));
    CHECK(loop.run_until([&] { return span.done(); }, 2s));
}

TEST_CASE_METHOD(LoopTest, "the loop runs other callbacks while a coroutine sleeps") {
    std::vector<std::string> order;
    loop.spawn(sleep_then_note(100ms, order));
    loop.call_later(10ms, [&] { order.push_back("timer"); });
    REQUIRE(loop.run_until([&] { return order.size() == 2; }, 5s));
    CHECK(order == std::vector<std::string>{"timer", "woke"});
}

TEST_CASE_METHOD(LoopTest, "two coroutines sleeping concurrently finish in about the longer sleep, not the sum") {
    Span first, second;
    auto start = IOLoop::time();
    loop.spawn(timed_sleep(200ms, first));
    loop.spawn(timed_sleep(250ms, second));
    REQUIRE(loop.run_until([&] { return first.done() && second.done(); }, 5s));
    auto elapsed = since(start);
    // The sleeps overlapped: each began before the other ended.
    CHECK(*second.begin < *first.end);
    CHECK(*first.begin < *second.end);
    CHECK(elapsed >= 250ms);
    CHECK(elapsed < 450ms);
}

TEST_CASE_METHOD(LoopTest, "a cancelled gen::sleep ends at once with operation_aborted") {
    Span span;
    Cancellable sleeping(loop, timed_sleep(1h, span));
    settle(loop);
    sleeping.cancel();
    REQUIRE(loop.run_until([&] { return sleeping.done(); }, 2s));
    CHECK(sleeping.aborted());
    CHECK_FALSE(span.done());
}

// --- gen::with_timeout ---

namespace {

asio::awaitable<int> sleep_then_return(Duration delay, int value) {
    co_await gen::sleep(delay);
    co_return value;
}

// Sleeps for duration; notes whether the sleep was cancelled.
asio::awaitable<void> sleep_noting_cancellation(Duration duration, bool& cancelled) {
    try {
        co_await gen::sleep(duration);
    } catch (const asio::system_error& e) {
        cancelled = e.code() == asio::error::operation_aborted;
        throw;
    }
}

asio::awaitable<int> fail_after(Duration delay) {
    co_await gen::sleep(delay);
    throw std::runtime_error("failed on purpose");
}

// Sets mine, then waits for theirs: it returns true only if another coroutine sets theirs
// meanwhile, that is, if both ran at once.
asio::awaitable<bool> meet(locks::Event& mine, locks::Event& theirs) {
    mine.set();
    bool met = co_await theirs.wait(2s);
    co_return met;
}

}  // namespace

TEST_CASE_METHOD(LoopTest, "gen::with_timeout returns the result of an awaitable that finishes in time") {
    CHECK(loop.run_sync(gen::with_timeout(2s, sleep_then_return(1ms, 7))) == 7);
}

TEST_CASE_METHOD(LoopTest, "gen::with_timeout throws TimeoutError when time runs out and cancels the awaitable") {
    bool cancelled = false;
    CHECK_THROWS_AS(loop.run_sync(gen::with_timeout(20ms, sleep_noting_cancellation(1h, cancelled))), gen::TimeoutError);
    CHECK(cancelled);
}

TEST_CASE_METHOD(LoopTest, "gen::with_timeout rethrows the awaitable's own exception") {
    CHECK_THROWS_WITH(loop.run_sync(gen::with_timeout(2s, fail_after(1ms))), "failed on purpose");
}

// --- gen::multi ---

TEST_CASE_METHOD(LoopTest, "gen::multi runs several awaitables at once and returns their results in order") {
    locks::Event first, second;
    bool cancelled = false;
    auto [first_met, slept, second_met] =
        loop.run_sync(gen::multi(meet(first, second), sleep_noting_cancellation(1ms, cancelled), meet(second, first)));
    CHECK(first_met);
    CHECK(second_met);
    CHECK(slept == std::monostate{});
    CHECK_FALSE(cancelled);
}

TEST_CASE_METHOD(LoopTest, "gen::multi rethrows the first failure and cancels the others") {
    bool cancelled = false;
    CHECK_THROWS_WITH(loop.run_sync(gen::multi(sleep_noting_cancellation(1h, cancelled), fail_after(1ms))),
                      "failed on purpose");
    CHECK(cancelled);
}

// --- coroutine handlers over real HTTP ---

namespace {

struct SleepHandler : web::RequestHandler {
    asio::awaitable<void> get() {
        co_await gen::sleep(50ms);
        write("slept");
    }
};

struct FailingHandler : web::RequestHandler {
    asio::awaitable<void> get() {
        co_await gen::sleep(1ms);
        throw std::runtime_error("coroutine blew up");
    }
};

struct ForbiddenHandler : web::RequestHandler {
    asio::awaitable<void> get() {
        co_await gen::sleep(1ms);
        throw web::HTTPError(403);
    }
};

// Writes, flushes, sleeps, writes again: the coroutine outlives the first flush.
struct FlushingHandler : web::RequestHandler {
    asio::awaitable<void> get() {
        write("first ");
        flush();
        co_await gen::sleep(10ms);
        write("second");
    }
};

// Finishes itself; the framework must not finish it twice.
struct FinishingHandler : web::RequestHandler {
    asio::awaitable<void> get() {
        co_await gen::sleep(1ms);
        finish("finished by hand");
    }
};

struct CoroutineApp : testing::AsyncHTTPTestCase {
    std::unique_ptr<web::Application> get_app() override {
        return std::make_unique<web::Application>(std::vector<web::URLSpec>{
            web::url<SleepHandler>("/sleep"),
            web::url<FailingHandler>("/fail"),
            web::url<ForbiddenHandler>("/forbidden"),
            web::url<FlushingHandler>("/flush"),
            web::url<FinishingHandler>("/finish"),
        });
    }
};

std::string get_request(std::string_view path) {
    return "GET " + std::string(path) + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
}

}  // namespace

TEST_CASE_METHOD(CoroutineApp, "a coroutine handler that sleeps answers after the sleep") {
    auto start = IOLoop::time();
    auto response = fetch("/sleep");
    CHECK(response.code == 200);
    CHECK(response.body == "slept");
    CHECK(since(start) >= 50ms);
}

TEST_CASE_METHOD(CoroutineApp, "an exception thrown in a coroutine handler gives 500 and the server keeps serving") {
    CapturedLog log;
    auto response = fetch("/fail");
    CHECK(response.code == 500);
    CHECK(log.contains("coroutine blew up"));
    CHECK(fetch("/sleep").body == "slept");
}

TEST_CASE_METHOD(CoroutineApp, "HTTPError(403) thrown from a coroutine handler gives 403") {
    CapturedLog log;
    auto response = fetch("/forbidden");
    CHECK(response.code == 403);
    CHECK(fetch("/sleep").code == 200);
}

TEST_CASE_METHOD(CoroutineApp, "a coroutine handler can flush, sleep and write more") {
    auto response = fetch("/flush");
    CHECK(response.code == 200);
    CHECK(response.body == "first second");
}

TEST_CASE_METHOD(CoroutineApp, "a coroutine handler that finishes itself is not finished twice") {
    auto connection = connect();
    connection.write(get_request("/finish") + get_request("/sleep"));
    auto first = connection.read_response(2s);
    auto second = connection.read_response(2s);
    CHECK(first.code == 200);
    CHECK(first.body == "finished by hand");
    CHECK(second.code == 200);
    CHECK(second.body == "slept");
}
