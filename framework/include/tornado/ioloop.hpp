// tornado::ioloop — the single-threaded event loop: callbacks, timers, signals, and an executor
// for blocking work. Counterpart of tornado/ioloop.py, built on asio::io_context.
#pragma once

#include <asio/awaitable.hpp>
#include <asio/co_spawn.hpp>
#include <asio/detached.hpp>
#include <asio/io_context.hpp>
#include <asio/post.hpp>
#include <asio/redirect_error.hpp>
#include <asio/steady_timer.hpp>
#include <asio/use_awaitable.hpp>

#include <chrono>
#include <exception>
#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <type_traits>
#include <utility>

namespace tornado::ioloop {

using Duration = std::chrono::steady_clock::duration;
using TimePoint = std::chrono::steady_clock::time_point;

// Returned by call_later/call_at; cancel() stops the callback from running (safe to call twice,
// or after it ran).
class TimeoutHandle {
public:
    TimeoutHandle() = default;
    void cancel();
    bool active() const;

private:
    friend class IOLoop;
    explicit TimeoutHandle(std::shared_ptr<asio::steady_timer> timer) : timer_(std::move(timer)) {}
    std::weak_ptr<asio::steady_timer> timer_;
};

class IOLoop {
public:
    IOLoop();
    ~IOLoop();
    IOLoop(const IOLoop&) = delete;
    IOLoop& operator=(const IOLoop&) = delete;

    // The loop of the calling thread (created on first use), or the one made current.
    static IOLoop& current();
    // Makes this loop the thread's current one until it is destroyed or another is made current.
    void make_current();

    // Runs until stop(). SIGINT and SIGTERM stop the loop cleanly.
    void start();
    // Stops the loop; safe to call from any thread and from a signal-free context.
    void stop();
    bool running() const { return running_; }

    // Runs callback on the next loop iteration. Thread-safe.
    void add_callback(std::function<void()> callback);
    TimeoutHandle call_later(Duration delay, std::function<void()> callback);
    TimeoutHandle call_at(TimePoint when, std::function<void()> callback);
    void remove_timeout(TimeoutHandle& handle) { handle.cancel(); }
    static TimePoint time() { return std::chrono::steady_clock::now(); }

    // Starts coroutine on the loop; an exception escaping it is logged, never lost.
    void spawn(asio::awaitable<void> coroutine);

    // Runs fn on the executor's thread pool and resumes the awaiting coroutine on this loop with
    // its result (or its exception). The loop must outlive fn's run.
    template <class Fn>
    auto run_in_executor(Fn fn) -> asio::awaitable<std::invoke_result_t<Fn>>;

    // Runs the loop until the coroutine completes (or timeout passes) and returns its result.
    // For tests and small scripts (Tornado's run_sync).
    template <class T>
    T run_sync(asio::awaitable<T> coroutine, Duration timeout = std::chrono::seconds(5));

    // Runs the loop until predicate() is true or timeout passes; returns predicate(). For tests.
    bool run_until(const std::function<bool()>& predicate, Duration timeout);

    asio::io_context& context() { return context_; }
    asio::io_context::executor_type executor() { return context_.get_executor(); }

private:
    void post_to_pool(std::function<void()> work);
    void leave_current_chain();

    asio::io_context context_{1};
    IOLoop* previous_ = nullptr;
    bool running_ = false;
};

// Calls callback every interval while started (Tornado's PeriodicCallback). Must be stopped or
// destroyed before its loop.
class PeriodicCallback {
public:
    PeriodicCallback(std::function<void()> callback, Duration interval);
    ~PeriodicCallback();
    void start();
    void stop();
    bool is_running() const { return running_; }

private:
    void schedule();
    std::function<void()> callback_;
    Duration interval_;
    TimePoint next_;
    std::shared_ptr<asio::steady_timer> timer_;
    bool running_ = false;
};

// --- templates ---

template <class Fn>
auto IOLoop::run_in_executor(Fn fn) -> asio::awaitable<std::invoke_result_t<Fn>> {
    using Result = std::invoke_result_t<Fn>;
    using Stored = std::conditional_t<std::is_void_v<Result>, bool, Result>;
    struct Outcome {
        std::optional<Stored> value;
        std::exception_ptr error;
        asio::steady_timer done;
        explicit Outcome(asio::io_context& context) : done(context, TimePoint::max()) {}
    };
    auto outcome = std::make_shared<Outcome>(context_);
    post_to_pool([outcome, fn = std::move(fn), this]() mutable {
        try {
            if constexpr (std::is_void_v<Result>) {
                fn();
                outcome->value.emplace(true);
            } else {
                outcome->value.emplace(fn());
            }
        } catch (...) {
            outcome->error = std::current_exception();
        }
        // Wake the awaiting coroutine on the loop's own thread. The outcome moves along, so its
        // timer is never destroyed on this thread (racing the loop, or after the loop is gone).
        asio::post(context_, [outcome = std::move(outcome)] { outcome->done.cancel(); });
    });
    std::error_code ignored;
    co_await outcome->done.async_wait(asio::redirect_error(asio::use_awaitable, ignored));
    if (outcome->error) std::rethrow_exception(outcome->error);
    if constexpr (!std::is_void_v<Result>) co_return std::move(*outcome->value);
}

template <class T>
T IOLoop::run_sync(asio::awaitable<T> coroutine, Duration timeout) {
    // Shared, so a coroutine still pending after a timeout never writes to a dead frame.
    struct State {
        bool done = false;
        std::exception_ptr error;
        std::optional<std::conditional_t<std::is_void_v<T>, bool, T>> result;
    };
    auto state = std::make_shared<State>();
    auto wrapper = [](std::shared_ptr<State> state, asio::awaitable<T> coroutine) -> asio::awaitable<void> {
        try {
            if constexpr (std::is_void_v<T>) {
                co_await std::move(coroutine);
                state->result.emplace(true);
            } else {
                state->result.emplace(co_await std::move(coroutine));
            }
        } catch (...) {
            state->error = std::current_exception();
        }
        state->done = true;
    };
    asio::co_spawn(context_, wrapper(state, std::move(coroutine)), asio::detached);
    run_until([&] { return state->done; }, timeout);
    if (state->error) std::rethrow_exception(state->error);
    if (!state->done) throw std::runtime_error("run_sync: timed out");
    if constexpr (!std::is_void_v<T>) return std::move(*state->result);
}

}  // namespace tornado::ioloop
