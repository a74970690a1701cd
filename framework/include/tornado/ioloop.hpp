// tornado::ioloop — the single-threaded event loop: callbacks, timers, signals, and an executor
// for blocking work. Counterpart of tornado/ioloop.py, built on asio::io_context.
#pragma once

#include "detail/executor_job.hpp"

#include <asio/any_io_executor.hpp>
#include <asio/awaitable.hpp>
#include <asio/co_spawn.hpp>
#include <asio/detached.hpp>
#include <asio/io_context.hpp>
#include <asio/post.hpp>
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

namespace tornado::concurrent {
class ThreadPoolExecutor;
}

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

    // Runs fn(args...) on another thread (Tornado's run_in_executor) and resumes the awaiting
    // coroutine, on the executor that coroutine runs on, with fn's result or exception. The job
    // starts at once, awaited or not; fn and args are moved along (move-only ones too). When the
    // awaiting coroutine is cancelled (asio's terminal cancellation) it resumes at once with
    // asio::error::operation_aborted; the job cannot be interrupted, runs on, and its result is
    // dropped. Pass the function and its arguments rather than a lambda capturing them where the
    // call sits inside co_await: GCC 12 destroys the captures of a lambda written there twice.
    template <class Fn, class... Args>
        requires detail::Job<Fn, Args...>
    auto run_in_executor(Fn&& fn, Args&&... args) -> asio::awaitable<detail::JobResult<Fn, Args...>>;
    // The same on a given executor: any asio executor, or an object with get_executor() such as
    // a concurrent::ThreadPoolExecutor. It must outlive the job; the loop need not.
    template <class Executor, class Fn, class... Args>
        requires detail::ExecutorSource<Executor> && detail::Job<Fn, Args...>
    auto run_in_executor(Executor&& executor, Fn&& fn, Args&&... args)
        -> asio::awaitable<detail::JobResult<Fn, Args...>>;
    // Where run_in_executor sends jobs given no executor. Until set, the loop's own
    // concurrent::ThreadPoolExecutor, made on first use: when the loop is destroyed, its jobs
    // not started yet are dropped and the running ones are waited for.
    template <class Executor>
        requires detail::ExecutorSource<Executor>
    void set_default_executor(Executor&& executor) {
        default_executor_ = detail::to_executor(std::forward<Executor>(executor));
    }

    // Runs the loop until the coroutine completes (or timeout passes) and returns its result.
    // For tests and small scripts (Tornado's run_sync).
    template <class T>
    T run_sync(asio::awaitable<T> coroutine, Duration timeout = std::chrono::seconds(5));

    // Runs the loop until predicate() is true or timeout passes; returns predicate(). For tests.
    bool run_until(const std::function<bool()>& predicate, Duration timeout);

    asio::io_context& context() { return context_; }
    asio::io_context::executor_type executor() { return context_.get_executor(); }

private:
    asio::any_io_executor default_executor();
    void leave_current_chain();

    asio::io_context context_{1};
    std::unique_ptr<concurrent::ThreadPoolExecutor> own_executor_;
    asio::any_io_executor default_executor_;
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

template <class Fn, class... Args>
    requires detail::Job<Fn, Args...>
auto IOLoop::run_in_executor(Fn&& fn, Args&&... args) -> asio::awaitable<detail::JobResult<Fn, Args...>> {
    return detail::start_job(default_executor(), std::forward<Fn>(fn), std::forward<Args>(args)...);
}

template <class Executor, class Fn, class... Args>
    requires detail::ExecutorSource<Executor> && detail::Job<Fn, Args...>
auto IOLoop::run_in_executor(Executor&& executor, Fn&& fn, Args&&... args)
    -> asio::awaitable<detail::JobResult<Fn, Args...>> {
    return detail::start_job(detail::to_executor(std::forward<Executor>(executor)), std::forward<Fn>(fn),
                             std::forward<Args>(args)...);
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
