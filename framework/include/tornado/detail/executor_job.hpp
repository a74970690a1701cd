// Private to tornado::ioloop: a job run on an executor's thread for IOLoop::run_in_executor, and
// its outcome, handed back to the coroutine awaiting it on that coroutine's own execution context,
// or dropped when that context is gone or the coroutine was cancelled.
#pragma once

#include <asio/any_io_executor.hpp>
#include <asio/awaitable.hpp>
#include <asio/error.hpp>
#include <asio/execution/executor.hpp>
#include <asio/post.hpp>
#include <asio/redirect_error.hpp>
#include <asio/steady_timer.hpp>
#include <asio/system_error.hpp>
#include <asio/this_coro.hpp>
#include <asio/use_awaitable.hpp>

#include <chrono>
#include <concepts>
#include <exception>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <type_traits>
#include <utility>
#include <variant>

namespace tornado::ioloop::detail {

// fn(args...) callable once on another thread, with the decayed copies the job keeps.
template <class Fn, class... Args>
concept Job = std::invocable<std::decay_t<Fn>, std::decay_t<Args>...>;

template <class Fn, class... Args>
using JobResult = std::invoke_result_t<std::decay_t<Fn>, std::decay_t<Args>...>;

template <class T>
concept AsioExecutor = asio::execution::is_executor<std::decay_t<T>>::value;

// An asio executor, or something that has one (a ThreadPoolExecutor, an io_context).
template <class T>
concept ExecutorSource = AsioExecutor<T> || requires(T& source) {
    { source.get_executor() } -> AsioExecutor;
};

template <ExecutorSource Source>
asio::any_io_executor to_executor(Source&& source) {
    if constexpr (AsioExecutor<Source>) {
        return asio::any_io_executor(std::forward<Source>(source));
    } else {
        return asio::any_io_executor(source.get_executor());
    }
}

// The way back into an execution context (a loop's io_context) from other threads: post()
// queues a completion there while the context lives. The context's destruction closes the gate
// before it destroys what is queued, so a later completion is dropped instead of being posted
// to a dead context.
class CompletionGate {
public:
    // The gate of the context executor belongs to, made on first use.
    static std::shared_ptr<CompletionGate> of(const asio::any_io_executor& executor);

    template <class Handler>
    void post(const asio::any_io_executor& executor, Handler&& handler) {
        std::lock_guard lock(mutex_);
        if (open_) asio::post(executor, std::forward<Handler>(handler));
    }
    void close() {
        std::lock_guard lock(mutex_);
        open_ = false;
    }

private:
    std::mutex mutex_;
    bool open_ = true;
};

// The awaiting coroutine's side: a timer that never expires, cancelled when the outcome arrives.
// Lives in that coroutine; other threads reach it only through a post to its context.
struct Wakeup {
    explicit Wakeup(const asio::any_io_executor& executor)
        : timer(executor, std::chrono::steady_clock::time_point::max()) {}
    asio::steady_timer timer;
    bool delivered = false;
};

// What a job produced, shared by the thread that runs it and the coroutine awaiting it. Holds
// nothing of the awaiting side's context but a weak reference, so whichever side lets go last
// (even after that context is destroyed) destroys it safely.
template <class Result>
class JobOutcome {
public:
    // On the job's thread: runs work and keeps its value or exception for deliver().
    template <class Work>
    void run(Work& work) noexcept {
        try {
            if constexpr (std::is_void_v<Result>) {
                work();
                value_.emplace();
            } else {
                value_.emplace(work());
            }
        } catch (...) {
            error_ = std::current_exception();
        }
    }

    void fail(std::exception_ptr error) noexcept { error_ = std::move(error); }

    // Hands the outcome over: at once to a coroutine already waiting, else when one awaits.
    void deliver() noexcept {
        std::lock_guard lock(mutex_);
        finished_ = true;
        if (!waiter_) return;
        // Only the awaiting context's thread locks the weak reference: the Wakeup, and its timer,
        // are never destroyed here.
        waiter_->gate->post(waiter_->executor, [wakeup = waiter_->wakeup] {
            if (auto waiting = wakeup.lock()) {
                waiting->delivered = true;
                waiting->timer.cancel();
            }
        });
    }

    // On the awaiting side: false when the outcome is already here; otherwise wakeup is woken
    // (on executor) once it arrives.
    bool wait_with(const asio::any_io_executor& executor, const std::shared_ptr<Wakeup>& wakeup) {
        auto gate = CompletionGate::of(executor);
        std::lock_guard lock(mutex_);
        if (finished_) return false;
        waiter_.emplace(Waiter{executor, std::move(gate), wakeup});
        return true;
    }

    // On the awaiting side, once finished.
    Result take() {
        if (error_) std::rethrow_exception(error_);
        if constexpr (!std::is_void_v<Result>) return std::move(*value_);
    }

private:
    struct Waiter {
        asio::any_io_executor executor;
        std::shared_ptr<CompletionGate> gate;
        std::weak_ptr<Wakeup> wakeup;
    };

    std::mutex mutex_;
    bool finished_ = false;
    std::optional<Waiter> waiter_;
    std::optional<std::conditional_t<std::is_void_v<Result>, std::monostate, Result>> value_;
    std::exception_ptr error_;
};

// The function object posted to the executor. Once run, it destroys the function and its
// arguments before the awaiting coroutine resumes, so what they hold is released by then.
// Destroyed without being run (its executor shut down first), it tells the awaiting coroutine
// so, which would otherwise wait forever.
template <class Result, class Work>
class PostedJob {
public:
    PostedJob(std::shared_ptr<JobOutcome<Result>> outcome, Work work)
        : outcome_(std::move(outcome)), work_(std::move(work)) {}
    PostedJob(PostedJob&&) = default;
    PostedJob& operator=(PostedJob&&) = delete;
    ~PostedJob() {
        if (!outcome_) return;
        outcome_->fail(std::make_exception_ptr(
            std::runtime_error("run_in_executor: the executor shut down before running the job")));
        outcome_->deliver();
    }

    void operator()() {
        auto outcome = std::exchange(outcome_, nullptr);
        outcome->run(*work_);
        work_.reset();
        outcome->deliver();
    }

private:
    std::shared_ptr<JobOutcome<Result>> outcome_;
    std::optional<Work> work_;
};

// Awaits the outcome on the awaiting coroutine's own executor. Takes only the shared outcome:
// no coroutine parameter holds the job's function.
template <class Result>
asio::awaitable<Result> await_outcome(std::shared_ptr<JobOutcome<Result>> outcome) {
    auto executor = co_await asio::this_coro::executor;
    auto wakeup = std::make_shared<Wakeup>(executor);
    if (outcome->wait_with(executor, wakeup)) {
        std::error_code woken;  // operation_aborted either way: by the outcome or by cancellation
        co_await wakeup->timer.async_wait(asio::redirect_error(asio::use_awaitable, woken));
        if (!wakeup->delivered) throw asio::system_error(asio::error::operation_aborted);
    }
    co_return outcome->take();
}

// A plain function, so the job is posted at once and fn and args move straight into it.
template <class Fn, class... Args>
auto start_job(const asio::any_io_executor& executor, Fn&& fn, Args&&... args)
    -> asio::awaitable<JobResult<Fn, Args...>> {
    using Result = JobResult<Fn, Args...>;
    static_assert(!std::is_reference_v<Result>,
                  "run_in_executor: the function must return a value, not a reference (the result "
                  "goes to another thread)");
    auto outcome = std::make_shared<JobOutcome<Result>>();
    auto work = [fn = std::forward<Fn>(fn), ... args = std::forward<Args>(args)]() mutable -> Result {
        return std::invoke(std::move(fn), std::move(args)...);
    };
    asio::post(executor, PostedJob<Result, decltype(work)>(outcome, std::move(work)));
    return await_outcome(std::move(outcome));
}

}  // namespace tornado::ioloop::detail
