// tornado::locks: Event and Condition on one loop, cancelled waits included; and a long-poll
// handler waiting on an Event over real HTTP.
#include <tornado/ioloop.hpp>
#include <tornado/locks.hpp>
#include <tornado/testing.hpp>
#include <tornado/web.hpp>

#include "loop_fixture.hpp"

#include <catch2/catch.hpp>

#include <memory>
#include <optional>
#include <string>
#include <vector>

using namespace std::chrono_literals;
using namespace tornado;
using ioloop::IOLoop;

namespace {

// Awaits wait and stores its result.
asio::awaitable<void> record(asio::awaitable<bool> wait, std::optional<bool>& result) {
    result = co_await std::move(wait);
}

// Awaits wait and appends name to woken once it returns true.
asio::awaitable<void> note_wakeup(asio::awaitable<bool> wait, std::string name, std::vector<std::string>& woken) {
    bool notified = co_await std::move(wait);
    if (notified) woken.push_back(std::move(name));
}

}  // namespace

// --- Event ---

TEST_CASE_METHOD(LoopTest, "Event: a wait started before set() resumes when it is set") {
    locks::Event event;
    std::optional<bool> result;
    loop.spawn(record(event.wait(), result));
    settle(loop);
    CHECK_FALSE(result.has_value());
    event.set();
    REQUIRE(loop.run_until([&] { return result.has_value(); }, 2s));
    CHECK(*result);
}

TEST_CASE_METHOD(LoopTest, "Event: set() wakes every waiter") {
    locks::Event event;
    std::vector<std::string> woken;
    for (auto name : {"a", "b", "c"}) loop.spawn(note_wakeup(event.wait(), name, woken));
    settle(loop);
    event.set();
    CHECK(loop.run_until([&] { return woken.size() == 3; }, 2s));
}

TEST_CASE_METHOD(LoopTest, "Event: a wait after set() returns true at once") {
    locks::Event event;
    event.set();
    CHECK(event.is_set());
    // A wait with a long timeout must not need it: run_sync would throw after 1 s.
    CHECK(loop.run_sync(event.wait(1h), 1s));
}

TEST_CASE_METHOD(LoopTest, "Event: a wait with a timeout returns false when it is not set in time") {
    locks::Event event;
    auto start = IOLoop::time();
    CHECK_FALSE(loop.run_sync(event.wait(50ms)));
    CHECK(since(start) >= 50ms);
    CHECK(since(start) < 2s);
}

TEST_CASE_METHOD(LoopTest, "Event: a wait with a timeout returns true when set before it expires") {
    locks::Event event;
    loop.call_later(10ms, [&] { event.set(); });
    CHECK(loop.run_sync(event.wait(2s)));
}

TEST_CASE_METHOD(LoopTest, "Event: clear() makes later waits block again") {
    locks::Event event;
    event.set();
    event.clear();
    CHECK_FALSE(event.is_set());
    CHECK_FALSE(loop.run_sync(event.wait(30ms)));
}

TEST_CASE_METHOD(LoopTest, "Event: a cancelled wait throws operation_aborted, set() still wakes the others") {
    locks::Event event;
    std::vector<std::string> woken;
    Cancellable cancelled(loop, note_wakeup(event.wait(), "cancelled", woken));
    loop.spawn(note_wakeup(event.wait(), "patient", woken));
    settle(loop);
    cancelled.cancel();
    REQUIRE(loop.run_until([&] { return cancelled.done(); }, 2s));
    CHECK(cancelled.aborted());
    event.set();
    REQUIRE(loop.run_until([&] { return !woken.empty(); }, 2s));
    settle(loop);
    CHECK(woken == std::vector<std::string>{"patient"});
}

// --- Condition ---

TEST_CASE_METHOD(LoopTest, "Condition: notify(1) wakes exactly one of several waiters, the first") {
    locks::Condition condition;
    std::vector<std::string> woken;
    for (auto name : {"first", "second", "third"}) loop.spawn(note_wakeup(condition.wait(), name, woken));
    settle(loop);
    REQUIRE(condition.waiters() == 3);
    condition.notify(1);
    REQUIRE(loop.run_until([&] { return !woken.empty(); }, 2s));
    settle(loop);
    CHECK(woken == std::vector<std::string>{"first"});
    CHECK(condition.waiters() == 2);
}

TEST_CASE_METHOD(LoopTest, "Condition: notify(n) wakes n waiters in the order they waited") {
    locks::Condition condition;
    std::vector<std::string> woken;
    for (auto name : {"a", "b", "c"}) loop.spawn(note_wakeup(condition.wait(), name, woken));
    settle(loop);
    condition.notify(2);
    REQUIRE(loop.run_until([&] { return woken.size() == 2; }, 2s));
    settle(loop);
    CHECK(woken == std::vector<std::string>{"a", "b"});
    CHECK(condition.waiters() == 1);
}

TEST_CASE_METHOD(LoopTest, "Condition: notify_all wakes every waiter") {
    locks::Condition condition;
    std::vector<std::string> woken;
    for (auto name : {"a", "b", "c"}) loop.spawn(note_wakeup(condition.wait(), name, woken));
    settle(loop);
    condition.notify_all();
    CHECK(loop.run_until([&] { return woken.size() == 3; }, 2s));
    CHECK(condition.waiters() == 0);
}

TEST_CASE_METHOD(LoopTest, "Condition: notify with no waiters is remembered by nobody") {
    locks::Condition condition;
    condition.notify_all();
    condition.notify(1);
    CHECK_FALSE(loop.run_sync(condition.wait(30ms)));
}

TEST_CASE_METHOD(LoopTest, "Condition: a wait with a timeout returns false and leaves the waiter list") {
    locks::Condition condition;
    auto start = IOLoop::time();
    CHECK_FALSE(loop.run_sync(condition.wait(50ms)));
    CHECK(since(start) >= 50ms);
    CHECK(condition.waiters() == 0);
}

TEST_CASE_METHOD(LoopTest, "Condition: a waiter that timed out is skipped by a later notify(1)") {
    locks::Condition condition;
    std::vector<std::string> woken;
    std::optional<bool> impatient;
    loop.spawn(record(condition.wait(10ms), impatient));
    loop.spawn(note_wakeup(condition.wait(), "patient", woken));
    REQUIRE(loop.run_until([&] { return impatient.has_value(); }, 2s));
    CHECK_FALSE(*impatient);
    condition.notify(1);
    CHECK(loop.run_until([&] { return woken.size() == 1; }, 2s));
}

TEST_CASE_METHOD(LoopTest, "Condition: destroying it with waiters resumes them with false") {
    auto condition = std::make_unique<locks::Condition>();
    std::optional<bool> first, second;
    loop.spawn(record(condition->wait(), first));
    loop.spawn(record(condition->wait(1h), second));
    settle(loop);
    condition.reset();
    REQUIRE(loop.run_until([&] { return first.has_value() && second.has_value(); }, 2s));
    CHECK_FALSE(*first);
    CHECK_FALSE(*second);
}

TEST_CASE_METHOD(LoopTest, "Condition: a cancelled wait throws operation_aborted and notify passes it over") {
    locks::Condition condition;
    std::vector<std::string> woken;
    Cancellable first(loop, note_wakeup(condition.wait(1h), "first", woken));
    loop.spawn(note_wakeup(condition.wait(), "second", woken));
    settle(loop);
    REQUIRE(condition.waiters() == 2);
    first.cancel();
    REQUIRE(loop.run_until([&] { return first.done(); }, 2s));
    CHECK(first.aborted());
    CHECK(condition.waiters() == 1);
    condition.notify(1);
    REQUIRE(loop.run_until([&] { return !woken.empty(); }, 2s));
    CHECK(woken == std::vector<std::string>{"second"});
}

TEST_CASE_METHOD(LoopTest, "Condition: a waiter notified before its cancellation arrives keeps the notification") {
    locks::Condition condition;
    std::vector<std::string> woken;
    Cancellable waiting(loop, note_wakeup(condition.wait(), "notified", woken));
    settle(loop);
    condition.notify(1);
    waiting.cancel();
    REQUIRE(loop.run_until([&] { return waiting.done(); }, 2s));
    CHECK_FALSE(waiting.aborted());
    CHECK(woken == std::vector<std::string>{"notified"});
}

TEST_CASE_METHOD(LoopTest, "Condition: waits with and without timeouts share one queue, a cancelled one takes no notify") {
    locks::Condition condition;
    std::vector<std::string> woken;
    loop.spawn(note_wakeup(condition.wait(), "u1", woken));
    loop.spawn(note_wakeup(condition.wait(1h), "t2", woken));
    Cancellable u3(loop, note_wakeup(condition.wait(), "u3", woken));
    loop.spawn(note_wakeup(condition.wait(), "u4", woken));
    loop.spawn(note_wakeup(condition.wait(1h), "t5", woken));
    loop.spawn(note_wakeup(condition.wait(), "u6", woken));
    settle(loop);
    REQUIRE(condition.waiters() == 6);
    u3.cancel();  // notify() may come before u3 has resumed: it must pass u3 over either way
    condition.notify(3);
    REQUIRE(loop.run_until([&] { return woken.size() == 3 && u3.done(); }, 2s));
    settle(loop);
    CHECK(u3.aborted());
    CHECK(woken == std::vector<std::string>{"u1", "t2", "u4"});
    CHECK(condition.waiters() == 2);
    condition.notify(1);
    REQUIRE(loop.run_until([&] { return woken.size() == 4; }, 2s));
    CHECK(woken.back() == "t5");
    condition.notify(1);
    REQUIRE(loop.run_until([&] { return woken.size() == 5; }, 2s));
    CHECK(woken.back() == "u6");
    CHECK(condition.waiters() == 0);
}

TEST_CASE_METHOD(LoopTest, "Condition: 10,000 waits without a timeout wake in order, and it parks more after") {
    locks::Condition condition;
    std::vector<std::string> woken;
    for (int i = 0; i < 10'000; ++i) loop.spawn(note_wakeup(condition.wait(), std::to_string(i), woken));
    settle(loop);
    REQUIRE(condition.waiters() == 10'000);
    condition.notify_all();
    REQUIRE(loop.run_until([&] { return woken.size() == 10'000; }, 10s));
    for (int i = 0; i < 10'000; ++i) REQUIRE(woken[static_cast<std::size_t>(i)] == std::to_string(i));
    CHECK(condition.waiters() == 0);
    // The queue emptied: the next waits start afresh.
    loop.spawn(note_wakeup(condition.wait(), "again", woken));
    settle(loop);
    condition.notify(1);
    CHECK(loop.run_until([&] { return woken.size() == 10'001; }, 2s));
}

TEST_CASE("Condition: one that outlives its loop, which had a waiter, is destroyed safely") {
    locks::Condition condition;
    {
        IOLoop loop;
        loop.make_current();
        std::optional<bool> result;
        loop.spawn(record(condition.wait(), result));
        settle(loop);
        REQUIRE(condition.waiters() == 1);
    }
    // The destroyed loop took the suspended wait with it; nothing of it may remain.
    CHECK(condition.waiters() == 0);
    condition.notify_all();
}

// --- long polling over real HTTP ---

namespace {

// Waits until the event is set, then answers.
struct WaitHandler : web::RequestHandler {
    locks::Event* event = nullptr;
    void initialize(locks::Event* e) { event = e; }
    asio::awaitable<void> get() {
        bool set = co_await event->wait(5s);
        write(set ? "event set" : "timed out");
    }
};

struct SetHandler : web::RequestHandler {
    locks::Event* event = nullptr;
    void initialize(locks::Event* e) { event = e; }
    void post() {
        event->set();
        write("set");
    }
};

struct LongPollApp : testing::AsyncHTTPTestCase {
    locks::Event event;
    std::unique_ptr<web::Application> get_app() override {
        return std::make_unique<web::Application>(std::vector<web::URLSpec>{
            web::url<WaitHandler>("/wait", &event),
            web::url<SetHandler>("/set", &event),
        });
    }
};

}  // namespace

TEST_CASE_METHOD(LongPollApp, "a long-poll response arrives only after another request sets the event") {
    auto waiting = connect();
    waiting.write("GET /wait HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
    CHECK(waiting.read_until("HTTP/1.1", 100ms).empty());  // parked, no answer yet

    auto setter = fetch("/set", "POST");
    CHECK(setter.code == 200);
    CHECK(setter.body == "set");

    auto response = waiting.read_response(2s);
    CHECK(response.code == 200);
    CHECK(response.body == "event set");
}

TEST_CASE_METHOD(LongPollApp, "several long-poll requests are all answered by one set") {
    std::vector<testing::RawConnection> waiting;
    for (int i = 0; i < 3; ++i) {
        waiting.push_back(connect());
        waiting.back().write("GET /wait HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
    }
    CHECK(waiting.front().read_until("HTTP/1.1", 100ms).empty());
    CHECK(fetch("/set", "POST").code == 200);
    for (auto& connection : waiting) CHECK(connection.read_response(2s).body == "event set");
}
