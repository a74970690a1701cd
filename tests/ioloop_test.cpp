// tornado::ioloop: callbacks, timers, PeriodicCallback, the executor (run_in_executor, its
// executors, shutdown and cancellation), coroutines resuming on their own loop, run_sync,
// start/stop and signals; and coroutine handlers that await the executor over real HTTP.
#include <tornado/concurrent.hpp>
#include <tornado/gen.hpp>
#include <tornado/ioloop.hpp>
#include <tornado/locks.hpp>
#include <tornado/log.hpp>
#include <tornado/testing.hpp>
#include <tornado/web.hpp>

#include "captured_log.hpp"
#include "loop_fixture.hpp"

#include <catch2/catch.hpp>

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <asio/thread_pool.hpp>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <functional>
#include <future>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <utility>
#include <vector>

using namespace std::chrono_literals;
using namespace tornado;
using ioloop::Duration;
using ioloop::IOLoop;
using ioloop::PeriodicCallback;
using ioloop::TimePoint;

namespace {

// Runs the loop until a timer of delay has fired: long enough for anything due before it.
void run_past(IOLoop& loop, Duration delay) {
    bool fired = false;
    loop.call_later(delay, [&] { fired = true; });
    REQUIRE(loop.run_until([&] { return fired; }, 5s));
}

// Runs start() with a safety stop, so a test that fails cannot hang; returns how long it ran.
Duration start_with_deadline(IOLoop& loop, Duration deadline = 5s) {
    auto started = IOLoop::time();
    auto safety = loop.call_later(deadline, [&] { loop.stop(); });
    loop.start();
    safety.cancel();
    return since(started);
}

// Awaits work on the executor from a coroutine on the current loop.
template <class T>
asio::awaitable<T> in_executor(std::function<T()> work) {
    co_return co_await IOLoop::current().run_in_executor(std::move(work));
}

// Blocking work the test holds until it opens the gate.
struct Gate {
    std::atomic<bool> entered = false;
    std::promise<void> opened;
    std::shared_future<void> open_signal = opened.get_future().share();
    void open() { opened.set_value(); }
    // Blocks the calling thread until the gate opens; false when timeout passed first.
    bool pass(Duration timeout) {
        entered = true;
        return open_signal.wait_for(timeout) == std::future_status::ready;
    }
};

// Sleeps on a plain asio timer (independent of gen::sleep) and returns value.
asio::awaitable<int> sleep_then_return(Duration delay, int value) {
    asio::steady_timer timer(co_await asio::this_coro::executor, delay);
    co_await timer.async_wait(asio::use_awaitable);
    co_return value;
}

}  // namespace

// --- callbacks ---

TEST_CASE_METHOD(LoopTest, "add_callback runs callbacks in the order they were added") {
    std::vector<int> order;
    for (int i = 0; i < 5; ++i) loop.add_callback([&order, i] { order.push_back(i); });
    REQUIRE(loop.run_until([&] { return order.size() == 5; }, 2s));
    CHECK(order == std::vector<int>{0, 1, 2, 3, 4});
}

TEST_CASE_METHOD(LoopTest, "add_callback from another thread wakes a loop blocked in start()") {
    std::atomic<bool> ran = false;
    std::thread other([&] {
        std::this_thread::sleep_for(20ms);  // the loop is asleep in start() by now
        loop.add_callback([&] {
            ran = true;
            loop.stop();
        });
    });
    auto elapsed = start_with_deadline(loop);
    other.join();
    CHECK(ran);
    CHECK(elapsed < 2s);  // woken by the callback, not by the safety stop
}

TEST_CASE_METHOD(LoopTest, "an exception escaping a callback is logged and the loop keeps running") {
    CapturedLog log;
    bool after = false;
    loop.add_callback([] { throw std::runtime_error("callback failed"); });
    loop.add_callback([&] {
        after = true;
        loop.stop();
    });
    CHECK_NOTHROW(start_with_deadline(loop));
    CHECK(after);
    CHECK(log.contains("callback failed"));
}

TEST_CASE_METHOD(LoopTest, "an exception of a non-std type escaping a callback is logged, not fatal") {
    CapturedLog log;
    bool after = false;
    loop.add_callback([] { throw 42; });
    loop.add_callback([&] {
        after = true;
        loop.stop();
    });
    CHECK_NOTHROW(start_with_deadline(loop));
    CHECK(after);
    CHECK(log.contains("Exception in callback"));
}

// --- timers ---

TEST_CASE_METHOD(LoopTest, "call_later runs the callback after its delay") {
    auto start = IOLoop::time();
    std::optional<Duration> fired_after;
    loop.call_later(50ms, [&] { fired_after = since(start); });
    REQUIRE(loop.run_until([&] { return fired_after.has_value(); }, 5s));
    CHECK(*fired_after >= 50ms);
    CHECK(*fired_after < 2s);
}

TEST_CASE_METHOD(LoopTest, "call_later callbacks fire in the order of their deadlines") {
    std::vector<int> order;
    loop.call_later(60ms, [&] { order.push_back(2); });
    loop.call_later(20ms, [&] { order.push_back(1); });
    REQUIRE(loop.run_until([&] { return order.size() == 2; }, 5s));
    CHECK(order == std::vector<int>{1, 2});
}

TEST_CASE_METHOD(LoopTest, "call_at runs the callback at the given time") {
    auto when = IOLoop::time() + 40ms;
    std::optional<TimePoint> fired_at;
    loop.call_at(when, [&] { fired_at = IOLoop::time(); });
    REQUIRE(loop.run_until([&] { return fired_at.has_value(); }, 5s));
    CHECK(*fired_at >= when);
    CHECK(*fired_at - when < 2s);
}

TEST_CASE_METHOD(LoopTest, "a cancelled TimeoutHandle never fires") {
    bool fired = false;
    auto handle = loop.call_later(10ms, [&] { fired = true; });
    CHECK(handle.active());
    handle.cancel();
    run_past(loop, 60ms);
    CHECK_FALSE(fired);
    CHECK_FALSE(handle.active());
}

TEST_CASE_METHOD(LoopTest, "remove_timeout cancels a pending timeout") {
    bool fired = false;
    auto handle = loop.call_later(10ms, [&] { fired = true; });
    loop.remove_timeout(handle);
    run_past(loop, 60ms);
    CHECK_FALSE(fired);
}

TEST_CASE_METHOD(LoopTest, "cancelling a TimeoutHandle after it fired is harmless") {
    int fired = 0;
    auto handle = loop.call_later(1ms, [&] { ++fired; });
    REQUIRE(loop.run_until([&] { return fired == 1; }, 5s));
    CHECK_FALSE(handle.active());
    CHECK_NOTHROW(handle.cancel());
    CHECK_NOTHROW(handle.cancel());
    run_past(loop, 20ms);
    CHECK(fired == 1);
}

TEST_CASE_METHOD(LoopTest, "a default-constructed TimeoutHandle is inactive and can be cancelled") {
    ioloop::TimeoutHandle handle;
    CHECK_FALSE(handle.active());
    CHECK_NOTHROW(handle.cancel());
}

// --- PeriodicCallback ---

TEST_CASE_METHOD(LoopTest, "PeriodicCallback ticks repeatedly until stop()") {
    int ticks = 0;
    PeriodicCallback periodic([&] { ++ticks; }, 10ms);
    periodic.start();
    CHECK(periodic.is_running());
    REQUIRE(loop.run_until([&] { return ticks >= 3; }, 5s));
    periodic.stop();
    CHECK_FALSE(periodic.is_running());
    int ticks_at_stop = ticks;
    run_past(loop, 60ms);
    CHECK(ticks == ticks_at_stop);
}

TEST_CASE_METHOD(LoopTest, "PeriodicCallback can be stopped from its own callback") {
    int ticks = 0;
    PeriodicCallback* self = nullptr;
    PeriodicCallback periodic(
        [&] {
            if (++ticks == 2) self->stop();
        },
        5ms);
    self = &periodic;
    periodic.start();
    REQUIRE(loop.run_until([&] { return ticks == 2; }, 5s));
    run_past(loop, 50ms);
    CHECK(ticks == 2);
    CHECK_FALSE(periodic.is_running());
}

TEST_CASE_METHOD(LoopTest, "PeriodicCallback waits one interval before its first tick") {
    auto start = IOLoop::time();
    std::optional<Duration> first_tick;
    PeriodicCallback periodic([&] { first_tick = first_tick.value_or(since(start)); }, 40ms);
    periodic.start();
    REQUIRE(loop.run_until([&] { return first_tick.has_value(); }, 5s));
    CHECK(*first_tick >= 40ms);
    CHECK(*first_tick < 2s);
}

TEST_CASE_METHOD(LoopTest, "an exception thrown in a PeriodicCallback is logged and it keeps ticking") {
    CapturedLog log;
    int ticks = 0;
    PeriodicCallback periodic(
        [&] {
            ++ticks;
            throw std::runtime_error("tick failed");
        },
        5ms);
    periodic.start();
    CHECK(loop.run_until([&] { return ticks >= 3; }, 5s));
    CHECK(log.contains("tick failed"));
}

TEST_CASE_METHOD(LoopTest, "a non-std exception thrown in a PeriodicCallback is logged and it keeps ticking") {
    CapturedLog log;
    int ticks = 0;
    PeriodicCallback periodic(
        [&] {
            ++ticks;
            throw 42;
        },
        5ms);
    periodic.start();
    CHECK(loop.run_until([&] { return ticks >= 2; }, 5s));
    CHECK(log.contains("Exception in PeriodicCallback"));
}

TEST_CASE_METHOD(LoopTest, "a PeriodicCallback destroyed while its due tick is queued never runs it") {
    // The tick comes due while a callback blocks the loop; the loop queues it, then a callback
    // queued before it destroys the PeriodicCallback. The queued tick must not touch it.
    // Only AddressSanitizer sees the fault: the queued tick reads the freed PeriodicCallback.
    auto periodic = std::make_unique<PeriodicCallback>([] {}, 5ms);
    periodic->start();
    loop.add_callback([&] {
        std::this_thread::sleep_for(30ms);
        loop.add_callback([&] {
            periodic.reset();
            loop.call_later(20ms, [&] { loop.stop(); });
        });
    });
    CHECK(start_with_deadline(loop) < 2s);
    CHECK_FALSE(periodic);
}

// --- the executor ---

TEST_CASE_METHOD(LoopTest, "run_in_executor runs the work on another thread and returns its value") {
    auto loop_thread = std::this_thread::get_id();
    auto [value, worker_thread] = loop.run_sync(in_executor<std::pair<int, std::thread::id>>(
        [] { return std::pair{42, std::this_thread::get_id()}; }));
    CHECK(value == 42);
    CHECK(worker_thread != loop_thread);
}

TEST_CASE_METHOD(LoopTest, "run_in_executor resumes the awaiting coroutine on the loop's thread") {
    auto resumed_on = loop.run_sync([]() -> asio::awaitable<std::thread::id> {
        co_await IOLoop::current().run_in_executor([] { return 1; });
        co_return std::this_thread::get_id();
    }());
    CHECK(resumed_on == std::this_thread::get_id());
}

TEST_CASE_METHOD(LoopTest, "run_in_executor accepts work that returns nothing") {
    std::atomic<bool> ran = false;
    loop.run_sync(in_executor<void>([&] { ran = true; }));
    CHECK(ran);
}

TEST_CASE_METHOD(LoopTest, "run_in_executor rethrows the work's exception in the awaiting coroutine") {
    CHECK_THROWS_WITH(loop.run_sync(in_executor<int>([]() -> int { throw std::runtime_error("disk on fire"); })),
                      "disk on fire");
}

TEST_CASE_METHOD(LoopTest, "the loop runs other callbacks while run_in_executor's work blocks") {
    // The work blocks until a loop timer releases it: it can only finish if the loop ran meanwhile.
    std::promise<void> released;
    std::shared_future<void> release = released.get_future().share();
    loop.call_later(10ms, [&] { released.set_value(); });
    bool released_in_time = loop.run_sync(
        in_executor<bool>([release] { return release.wait_for(3s) == std::future_status::ready; }));
    CHECK(released_in_time);
}

namespace {

// Counts the destructions of instances that still own their counter (moved-from ones do not).
struct Tracked {
    std::shared_ptr<std::atomic<int>> destroyed;
    explicit Tracked(std::shared_ptr<std::atomic<int>> counter) : destroyed(std::move(counter)) {}
    Tracked(Tracked&&) noexcept = default;
    Tracked& operator=(Tracked&&) noexcept = default;
    ~Tracked() {
        if (destroyed) ++*destroyed;
    }
};

std::shared_ptr<std::atomic<int>> counter() { return std::make_shared<std::atomic<int>>(0); }

std::string repeat(std::string text, int times) {
    std::string repeated;
    for (int i = 0; i < times; ++i) repeated += text;
    return repeated;
}

std::size_t measure(std::string text, std::unique_ptr<int> extra, Tracked) { return text.size() + *extra; }

std::thread::id job_thread() { return std::this_thread::get_id(); }

// The thread a one-thread executor runs its jobs on.
template <class Executor>
std::thread::id thread_of(const Executor& executor) {
    std::promise<std::thread::id> id;
    asio::post(executor, [&id] { id.set_value(std::this_thread::get_id()); });
    return id.get_future().get();
}

// Holds its caller until as many threads as expected have arrived, or timeout passes.
class Rendezvous {
public:
    explicit Rendezvous(std::size_t expected) : expected_(expected) {}
    bool arrive_and_wait(Duration timeout) {
        std::unique_lock lock(mutex_);
        ++arrived_;
        all_here_.notify_all();
        return all_here_.wait_for(lock, timeout, [this] { return arrived_ >= expected_; });
    }

private:
    std::mutex mutex_;
    std::condition_variable all_here_;
    std::size_t arrived_ = 0;
    std::size_t expected_;
};

asio::awaitable<std::size_t> count_true(std::vector<asio::awaitable<bool>> jobs) {
    std::size_t count = 0;
    for (auto& job : jobs) {
        bool value = co_await std::move(job);
        count += value;
    }
    co_return count;
}

// A job that waits at gate, then returns a Tracked result; finished says it returned.
Tracked gated_job(Gate* gate, std::shared_ptr<std::atomic<int>> destroyed, std::atomic<bool>* finished) {
    gate->pass(5s);
    *finished = true;
    return Tracked(std::move(destroyed));
}

Tracked sleeping_job(Duration duration, std::shared_ptr<std::atomic<int>> destroyed, std::atomic<bool>* started,
                     std::atomic<bool>* finished) {
    *started = true;
    std::this_thread::sleep_for(duration);
    *finished = true;
    return Tracked(std::move(destroyed));
}

asio::awaitable<void> await_noting_resumption(asio::awaitable<Tracked> job, bool& resumed) {
    co_await std::move(job);
    resumed = true;
}

asio::awaitable<void> await_noting_error(asio::awaitable<void> job, std::optional<std::string>& error) {
    try {
        co_await std::move(job);
        error = "";
    } catch (const std::exception& e) {
        error = e.what();
    }
}

asio::awaitable<std::pair<std::size_t, int>> measure_in_executor(IOLoop& loop, std::shared_ptr<std::atomic<int>> destroyed) {
    // Temporaries of class types written inside the co_await expression (not a capturing lambda:
    // GCC 12 destroys the captures of a lambda written there twice).
    auto size = co_await loop.run_in_executor(measure, std::string(100, 'x'), std::make_unique<int>(7), Tracked(destroyed));
    co_return std::pair{size, destroyed->load()};
}

asio::awaitable<std::pair<int, int>> run_owning_lambda(IOLoop& loop, std::shared_ptr<std::atomic<int>> destroyed) {
    auto work = [number = std::make_unique<int>(42), tracked = Tracked(destroyed)] { return *number; };
    int value = co_await loop.run_in_executor(std::move(work));
    co_return std::pair{value, destroyed->load()};
}

// The threads a coroutine resumes on after a sleep, an Event wait and a job on loop's executor.
asio::awaitable<std::vector<std::thread::id>> resumption_threads(IOLoop& loop, locks::Event& event) {
    std::vector<std::thread::id> threads;
    co_await gen::sleep(5ms);
    threads.push_back(std::this_thread::get_id());
    bool set = co_await event.wait(5s);
    if (set) threads.push_back(std::this_thread::get_id());
    co_await loop.run_in_executor(job_thread);
    threads.push_back(std::this_thread::get_id());
    co_return threads;
}

}  // namespace

TEST_CASE_METHOD(LoopTest, "run_in_executor calls the function with the arguments given") {
    CHECK(loop.run_sync(loop.run_in_executor(repeat, std::string("ab"), 3)) == "ababab");
}

TEST_CASE_METHOD(LoopTest, "run_in_executor moves temporary arguments in and destroys them once, before resuming") {
    // Under AddressSanitizer this also proves that nothing is freed twice.
    auto destroyed = counter();
    auto [size, destroyed_at_resumption] = loop.run_sync(measure_in_executor(loop, destroyed));
    CHECK(size == 107);
    CHECK(destroyed_at_resumption == 1);
    settle(loop);
    CHECK(*destroyed == 1);
}

TEST_CASE_METHOD(LoopTest, "run_in_executor takes a move-only function: a lambda owning a unique_ptr") {
    auto destroyed = counter();
    auto [value, destroyed_at_resumption] = loop.run_sync(run_owning_lambda(loop, destroyed));
    CHECK(value == 42);
    CHECK(destroyed_at_resumption == 1);  // the lambda's captures, on the job's thread
}

TEST_CASE_METHOD(LoopTest, "run_in_executor starts the job at once, before it is awaited") {
    Gate gate;
    auto job = loop.run_in_executor(&Gate::pass, &gate, Duration(5s));
    CHECK(loop.run_until([&] { return gate.entered.load(); }, 2s));
    gate.open();
    CHECK(loop.run_sync(std::move(job)));
}

TEST_CASE_METHOD(LoopTest, "run_in_executor runs the job on the ThreadPoolExecutor it is given") {
    concurrent::ThreadPoolExecutor pool(1);
    auto pool_thread = thread_of(pool.get_executor());
    CHECK(loop.run_sync(loop.run_in_executor(pool, job_thread)) == pool_thread);
}

TEST_CASE_METHOD(LoopTest, "run_in_executor runs the job on any asio executor it is given") {
    asio::thread_pool pool(1);
    auto pool_thread = thread_of(pool.get_executor());
    CHECK(loop.run_sync(loop.run_in_executor(pool.get_executor(), job_thread)) == pool_thread);
}

TEST_CASE_METHOD(LoopTest, "set_default_executor sends the jobs given no executor there") {
    concurrent::ThreadPoolExecutor pool(1);
    loop.set_default_executor(pool);
    CHECK(loop.run_sync(loop.run_in_executor(job_thread)) == thread_of(pool.get_executor()));
}

TEST_CASE_METHOD(LoopTest, "the loop's own executor runs min(32, cores + 4) jobs at once") {
    auto workers = concurrent::ThreadPoolExecutor::default_max_workers();
    CHECK(workers == std::min<std::size_t>(32, std::max(1u, std::thread::hardware_concurrency()) + 4));
    // Each job waits for all the others: they meet only if every one has a thread of its own.
    Rendezvous rendezvous(workers);
    std::vector<asio::awaitable<bool>> jobs;
    for (std::size_t i = 0; i < workers; ++i)
        jobs.push_back(loop.run_in_executor(&Rendezvous::arrive_and_wait, &rendezvous, Duration(5s)));
    CHECK(loop.run_sync(count_true(std::move(jobs)), 10s) == workers);
}

TEST_CASE_METHOD(LoopTest, "a job its executor destroys unrun fails the await with a clear error") {
    auto never_run = std::make_unique<asio::io_context>();
    std::atomic<bool> ran = false;
    auto job = loop.run_in_executor(*never_run, [&ran] { ran = true; });
    std::optional<std::string> error;
    loop.spawn(await_noting_error(std::move(job), error));
    settle(loop);
    CHECK_FALSE(error);
    never_run.reset();
    REQUIRE(loop.run_until([&] { return error.has_value(); }, 2s));
    CHECK(*error == "run_in_executor: the executor shut down before running the job");
    CHECK_FALSE(ran);
}

TEST_CASE("ThreadPoolExecutor::shutdown runs the queued jobs first, or with cancel_pending drops them") {
    std::atomic<int> ran = 0;
    concurrent::ThreadPoolExecutor pool(1);
    SECTION("by default the queued jobs run") {
        for (int i = 0; i < 3; ++i) asio::post(pool.get_executor(), [&ran] { ++ran; });
        pool.shutdown();
        CHECK(ran == 3);
    }
    SECTION("cancel_pending lets the running job finish and drops the others") {
        Gate gate;
        asio::post(pool.get_executor(), [&] {
            gate.pass(5s);
            ++ran;
        });
        for (int i = 0; i < 3; ++i) asio::post(pool.get_executor(), [&ran] { ++ran; });
        while (!gate.entered) std::this_thread::sleep_for(1ms);
        // The gate opens once shutdown() has begun (it stops the queue before it waits).
        std::thread opener([&] {
            std::this_thread::sleep_for(50ms);
            gate.open();
        });
        pool.shutdown(true);
        opener.join();
        CHECK(ran == 1);
    }
}

TEST_CASE("destroying a loop while a 200 ms job of its own executor runs waits for the job and drops its result") {
    auto loop = std::make_unique<IOLoop>();
    loop->make_current();
    auto destroyed = counter();
    std::atomic<bool> started = false, finished = false;
    bool resumed = false;
    loop->spawn(await_noting_resumption(loop->run_in_executor(sleeping_job, Duration(200ms), destroyed, &started, &finished),
                                        resumed));
    REQUIRE(loop->run_until([&] { return started.load(); }, 2s));
    loop.reset();
    CHECK(finished);
    CHECK_FALSE(resumed);
    CHECK(*destroyed == 1);
}

TEST_CASE("a job on an executor that outlives its loop finishes after the loop is gone, its result dropped") {
    concurrent::ThreadPoolExecutor pool(1);
    Gate gate;
    auto destroyed = counter();
    std::atomic<bool> finished = false;
    bool resumed = false;
    {
        IOLoop loop;
        loop.make_current();
        loop.spawn(await_noting_resumption(loop.run_in_executor(pool, gated_job, &gate, destroyed, &finished), resumed));
        REQUIRE(loop.run_until([&] { return gate.entered.load(); }, 2s));
    }
    CHECK_FALSE(finished);  // the loop did not wait for a job on an executor it does not own
    gate.open();
    pool.shutdown();
    CHECK(finished);
    CHECK_FALSE(resumed);
    CHECK(*destroyed == 1);
}

TEST_CASE_METHOD(LoopTest, "a cancelled wait for run_in_executor ends at once with operation_aborted, the job runs on") {
    Gate gate;
    auto destroyed = counter();
    std::atomic<bool> finished = false;
    bool resumed = false;
    Cancellable waiting(loop, await_noting_resumption(loop.run_in_executor(gated_job, &gate, destroyed, &finished), resumed));
    REQUIRE(loop.run_until([&] { return gate.entered.load(); }, 2s));
    waiting.cancel();
    REQUIRE(loop.run_until([&] { return waiting.done(); }, 2s));
    CHECK(waiting.aborted());
    CHECK_FALSE(finished);  // still held at the gate
    gate.open();
    REQUIRE(loop.run_until([&] { return *destroyed == 1; }, 2s));  // the result, dropped
    settle(loop);  // its delivery reaches the loop and finds nobody waiting
    CHECK(finished);
    CHECK_FALSE(resumed);
    CHECK(*destroyed == 1);
}

// --- coroutines resume on their own loop ---

TEST_CASE("a coroutine on a loop that is not current sleeps, waits and runs jobs on its own loop") {
    IOLoop current_loop;  // current and never run: a wait placed on it would never end
    current_loop.make_current();
    IOLoop own_loop;
    locks::Event event;
    own_loop.call_later(10ms, [&] { event.set(); });
    std::optional<std::vector<std::thread::id>> threads;
    asio::co_spawn(own_loop.context(), resumption_threads(own_loop, event),
                   [&](std::exception_ptr, std::vector<std::thread::id> seen) { threads = std::move(seen); });
    own_loop.context().run_for(5s);  // returns once nothing is left to do there
    REQUIRE(threads);
    CHECK(*threads == std::vector<std::thread::id>(3, std::this_thread::get_id()));
    CHECK(&IOLoop::current() == &current_loop);
}

TEST_CASE("two loops on two threads: the coroutines of each resume on its thread") {
    struct Seen {
        std::thread::id loop_thread;
        std::vector<std::thread::id> resumed_on;
        std::string error;
    };
    auto run_a_loop = [](Seen& seen) {
        try {
            IOLoop loop;
            loop.make_current();
            locks::Event event;
            loop.call_later(20ms, [&] { event.set(); });
            seen.loop_thread = std::this_thread::get_id();
            seen.resumed_on = loop.run_sync(resumption_threads(loop, event));
        } catch (const std::exception& e) {
            seen.error = e.what();
        }
    };
    Seen first, second;
    std::thread a(run_a_loop, std::ref(first));
    std::thread b(run_a_loop, std::ref(second));
    a.join();
    b.join();
    CHECK(first.error.empty());
    CHECK(second.error.empty());
    CHECK(first.loop_thread != second.loop_thread);
    CHECK(first.resumed_on == std::vector<std::thread::id>(3, first.loop_thread));
    CHECK(second.resumed_on == std::vector<std::thread::id>(3, second.loop_thread));
}

// --- a server stopped in the middle of a job ---

TEST_CASE("SIGTERM during a long run_in_executor job: the server waits for the job and exits cleanly") {
    testing::ServerProcess server(std::string(TORNADO_TEST_PROGRAMS_DIR) + "/slow_job_server", {"--job_ms=1000"});
    auto connection = server.connect();
    connection.write("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
    auto deadline = IOLoop::time() + 5s;
    while (server.output().find("job started") == std::string::npos && IOLoop::time() < deadline)
        std::this_thread::sleep_for(5ms);
    REQUIRE(server.output().find("job started") != std::string::npos);
    CHECK(server.stop() == 0);
    auto log = server.output();
    CHECK(log.find("Received SIGTERM, stopping") != std::string::npos);
    CHECK(log.find("job finished") != std::string::npos);
    auto answer = connection.read_until_close(2s);
    REQUIRE(answer);
    CHECK(answer->empty());  // the job's result was dropped: nothing went to the client
}

// --- run_sync, start and stop ---

TEST_CASE_METHOD(LoopTest, "run_sync returns the coroutine's value") {
    CHECK(loop.run_sync(sleep_then_return(10ms, 7)) == 7);
}

TEST_CASE_METHOD(LoopTest, "run_sync rethrows the coroutine's exception") {
    auto failing = []() -> asio::awaitable<int> {
        throw std::invalid_argument("bad input");
        co_return 0;
    };
    CHECK_THROWS_AS(loop.run_sync(failing()), std::invalid_argument);
}

TEST_CASE_METHOD(LoopTest, "run_sync throws when the coroutine outlasts its timeout") {
    auto start = IOLoop::time();
    CHECK_THROWS_AS(loop.run_sync(sleep_then_return(10s, 1), 50ms), std::runtime_error);
    CHECK(since(start) >= 50ms);
    CHECK(since(start) < 2s);
}

TEST_CASE_METHOD(LoopTest, "run_until notices at once a predicate another thread makes true") {
    loop.call_later(10s, [] {});  // pending work: the loop sleeps in the reactor, not idle
    std::atomic<bool> flag = false;
    std::thread other([&] {
        std::this_thread::sleep_for(20ms);
        flag = true;  // no callback is posted to wake the loop
    });
    auto start = IOLoop::time();
    CHECK(loop.run_until([&] { return flag.load(); }, 5s));
    other.join();
    CHECK(since(start) < 500ms);
}

TEST_CASE_METHOD(LoopTest, "start() returns after stop() is called from a callback") {
    bool running_inside = false;
    loop.call_later(10ms, [&] {
        running_inside = loop.running();
        loop.stop();
    });
    auto elapsed = start_with_deadline(loop);
    CHECK(elapsed < 2s);
    CHECK(running_inside);
    CHECK_FALSE(loop.running());
}

TEST_CASE_METHOD(LoopTest, "start() can run again after a stop()") {
    int runs = 0;
    for (int i = 0; i < 2; ++i) {
        loop.add_callback([&] {
            ++runs;
            loop.stop();
        });
        CHECK(start_with_deadline(loop) < 2s);
    }
    CHECK(runs == 2);
}

TEST_CASE("SIGTERM stops a running start() and the process exits cleanly") {
    pid_t child = fork();
    REQUIRE(child >= 0);
    if (child == 0) {
        int null = open("/dev/null", O_WRONLY);
        dup2(null, STDERR_FILENO);
        IOLoop child_loop;
        child_loop.make_current();
        child_loop.call_later(20ms, [] { kill(getpid(), SIGTERM); });
        child_loop.call_later(3s, [] { _exit(2); });  // SIGTERM did not stop the loop
        child_loop.start();
        _exit(0);
    }
    int status = 0;
    pid_t done = 0;
    auto deadline = IOLoop::time() + 5s;
    while ((done = waitpid(child, &status, WNOHANG)) == 0 && IOLoop::time() < deadline)
        std::this_thread::sleep_for(5ms);
    if (done == 0) {
        kill(child, SIGKILL);
        waitpid(child, &status, 0);
        FAIL("the child did not exit within 5 s");
    }
    REQUIRE(WIFEXITED(status));
    CHECK(WEXITSTATUS(status) == 0);
}

TEST_CASE("IOLoop::current() never returns a loop that was destroyed") {
    // Made current in the order a, b, a: destroying b, then a, must not leave b current.
    auto a = std::make_unique<IOLoop>();
    auto b = std::make_unique<IOLoop>();
    a->make_current();
    b->make_current();
    a->make_current();
    CHECK(&IOLoop::current() == a.get());
    b.reset();
    CHECK(&IOLoop::current() == a.get());
    a.reset();
    bool ran = false;
    IOLoop::current().add_callback([&] { ran = true; });
    CHECK(IOLoop::current().run_until([&] { return ran; }, 2s));
}

TEST_CASE("a loop destroyed while current gives way to the one current before it") {
    IOLoop outer;
    outer.make_current();
    {
        IOLoop inner;
        inner.make_current();
        CHECK(&IOLoop::current() == &inner);
    }
    CHECK(&IOLoop::current() == &outer);
}

// --- coroutine handlers awaiting the executor, over real HTTP ---

namespace {

struct BlockingHandler : web::RequestHandler {
    Gate* gate = nullptr;
    void initialize(Gate* g) { gate = g; }
    asio::awaitable<void> get() {
        auto opened = co_await IOLoop::current().run_in_executor(&Gate::pass, gate, Duration(5s));
        write(opened ? "done blocking" : "gate never opened");
    }
};

bool on_other_thread(std::thread::id loop_thread) { return std::this_thread::get_id() != loop_thread; }

struct ExecutorHandler : web::RequestHandler {
    asio::awaitable<void> get() {
        auto elsewhere = co_await IOLoop::current().run_in_executor(on_other_thread, std::this_thread::get_id());
        write(elsewhere ? "worked elsewhere" : "worked on the loop");
    }
};

struct FailingExecutorHandler : web::RequestHandler {
    asio::awaitable<void> get() {
        co_await IOLoop::current().run_in_executor([]() -> int { throw std::runtime_error("pool work failed"); });
        write("unreachable");
    }
};

struct FastHandler : web::RequestHandler {
    void get() { write("fast"); }
};

struct ExecutorApp : testing::AsyncHTTPTestCase {
    Gate gate;
    std::unique_ptr<web::Application> get_app() override {
        return std::make_unique<web::Application>(std::vector<web::URLSpec>{
            web::url<BlockingHandler>("/blocking", &gate),
            web::url<ExecutorHandler>("/executor"),
            web::url<FailingExecutorHandler>("/failing"),
            web::url<FastHandler>("/fast"),
        });
    }
};

std::string get_request(std::string_view path) {
    return "GET " + std::string(path) + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
}

}  // namespace

TEST_CASE_METHOD(ExecutorApp, "a coroutine handler writes the result of run_in_executor") {
    auto response = fetch("/executor");
    CHECK(response.code == 200);
    CHECK(response.body == "worked elsewhere");
}

TEST_CASE_METHOD(ExecutorApp, "an exception from run_in_executor in a handler gives 500 and the server goes on") {
    CapturedLog log;
    CHECK(fetch("/failing").code == 500);
    CHECK(log.contains("pool work failed"));
    CHECK(fetch("/fast").body == "fast");
}

TEST_CASE_METHOD(ExecutorApp, "a request blocked in the executor does not hold up other requests") {
    auto slow = connect();
    slow.write(get_request("/blocking"));
    REQUIRE(io_loop().run_until([&] { return gate.entered.load(); }, 2s));

    auto fast = connect();
    fast.write(get_request("/fast"));
    auto fast_response = fast.read_response(2s);
    CHECK(fast_response.code == 200);
    CHECK(fast_response.body == "fast");
    CHECK(slow.read_until("", 0s).empty());  // nothing from /blocking yet

    gate.open();
    auto slow_response = slow.read_response(5s);
    CHECK(slow_response.code == 200);
    CHECK(slow_response.body == "done blocking");
}
