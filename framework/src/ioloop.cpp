// The event loop: a single-threaded asio::io_context, plus a thread pool for blocking work.
#include "tornado/ioloop.hpp"

#include "exception_logging.hpp"
#include "log_gathering.hpp"

#include "tornado/concurrent.hpp"
#include "tornado/log.hpp"

#include <asio/execution/context_as.hpp>
#include <asio/execution_context.hpp>
#include <asio/executor_work_guard.hpp>
#include <asio/query.hpp>
#include <asio/signal_set.hpp>

#include <algorithm>
#include <csignal>
#include <thread>

namespace tornado::ioloop {

namespace {
// The thread's current loop; each loop's previous_ links to the one current before it.
thread_local IOLoop* current_loop = nullptr;

// Holds an execution context's CompletionGate and closes it when the context is destroyed. A
// context shuts its services down in the reverse order they were made, so this one (made after
// the context's scheduler) closes the gate before the scheduler destroys the queued handlers.
class CompletionGateService : public asio::execution_context::service {
public:
    static inline asio::execution_context::id id;
    explicit CompletionGateService(asio::execution_context& context) : service(context) {}
    std::shared_ptr<detail::CompletionGate> gate() const { return gate_; }

private:
    void shutdown() override { gate_->close(); }
    std::shared_ptr<detail::CompletionGate> gate_ = std::make_shared<detail::CompletionGate>();
};
}  // namespace

std::shared_ptr<detail::CompletionGate> detail::CompletionGate::of(const asio::any_io_executor& executor) {
    auto& context = asio::query(executor, asio::execution::context_as<asio::execution_context&>);
    return asio::use_service<CompletionGateService>(context).gate();
}

void TimeoutHandle::cancel() {
    if (auto timer = timer_.lock()) timer->cancel();
}

bool TimeoutHandle::active() const { return !timer_.expired(); }

IOLoop::IOLoop() = default;

IOLoop::~IOLoop() {
    // The loop's own pool: jobs not started are dropped, running ones (which cannot be
    // interrupted) are waited for. What they deliver is queued here and destroyed with the loop.
    if (own_executor_) own_executor_->shutdown(/*cancel_pending=*/true);
    leave_current_chain();
}

IOLoop& IOLoop::current() {
    if (!current_loop) {
        static thread_local IOLoop default_loop;
        current_loop = &default_loop;
    }
    return *current_loop;
}

void IOLoop::make_current() {
    if (current_loop == this) return;
    // Moved to the front, so the chain never holds a loop twice (nor a cycle).
    leave_current_chain();
    previous_ = current_loop;
    current_loop = this;
}

void IOLoop::leave_current_chain() {
    for (IOLoop** link = &current_loop; *link; link = &(*link)->previous_) {
        if (*link == this) {
            *link = previous_;
            break;
        }
    }
    previous_ = nullptr;
}

void IOLoop::start() {
    make_current();
    running_ = true;
    asio::signal_set signals(context_, SIGINT, SIGTERM);
    signals.async_wait([this](std::error_code error, int signal) {
        if (error) return;
        log::gen_log.info(signal == SIGINT ? "Received SIGINT, stopping" : "Received SIGTERM, stopping");
        stop();
    });
    auto work = asio::make_work_guard(context_);
    context_.restart();
    log::detail::gather_lines_for_loop(context_.get_executor());
    // An exception escaping a callback is logged; it must not take the server down.
    tornado::detail::run_logging_exceptions(context_, "callback");
    log::detail::stop_gathering_lines();
    running_ = false;
}

void IOLoop::stop() { context_.stop(); }

void IOLoop::add_callback(std::function<void()> callback) { asio::post(context_, std::move(callback)); }

TimeoutHandle IOLoop::call_later(Duration delay, std::function<void()> callback) {
    return call_at(time() + delay, std::move(callback));
}

TimeoutHandle IOLoop::call_at(TimePoint when, std::function<void()> callback) {
    auto timer = std::make_shared<asio::steady_timer>(context_, when);
    // The pending wait keeps the timer alive; the handle only observes it.
    timer->async_wait([timer, callback = std::move(callback)](std::error_code error) {
        if (!error) callback();
    });
    return TimeoutHandle(timer);
}

void IOLoop::spawn(asio::awaitable<void> coroutine) {
    asio::co_spawn(context_, std::move(coroutine), [](std::exception_ptr error) {
        if (error) tornado::detail::log_exception("coroutine", error);
    });
}

asio::any_io_executor IOLoop::default_executor() {
    if (!default_executor_) {
        own_executor_ = std::make_unique<concurrent::ThreadPoolExecutor>();
        default_executor_ = own_executor_->get_executor();
    }
    return default_executor_;
}

bool IOLoop::run_until(const std::function<bool()>& predicate, Duration timeout) {
    make_current();
    auto deadline = time() + timeout;
    context_.restart();
    while (!predicate()) {
        auto now = time();
        if (now >= deadline) return false;
        // run_one_for returns after each handler, so the predicate is checked as soon as a
        // handler flips it; the short slice also catches a flip by another thread, which posts
        // nothing that would wake the loop.
        if (context_.run_one_for(std::min<Duration>(deadline - now, std::chrono::milliseconds(10))) == 0 &&
            context_.stopped()) {
            // Nothing left to run: only another thread can change the predicate now.
            context_.restart();
            std::this_thread::sleep_for(std::chrono::milliseconds(1));
        }
    }
    return true;
}

PeriodicCallback::PeriodicCallback(std::function<void()> callback, Duration interval)
    : callback_(std::move(callback)), interval_(interval) {}

PeriodicCallback::~PeriodicCallback() { stop(); }

void PeriodicCallback::start() {
    if (running_) return;
    running_ = true;
    timer_ = std::make_shared<asio::steady_timer>(IOLoop::current().context());
    next_ = IOLoop::time() + interval_;
    schedule();
}

void PeriodicCallback::stop() {
    running_ = false;
    if (timer_) timer_->cancel();
    timer_.reset();
}

void PeriodicCallback::schedule() {
    timer_->expires_at(next_);
    // timer_ is the timer's only owner: once stop() (or the destructor) let it go, a tick that
    // was already queued finds it expired and leaves this alone.
    timer_->async_wait([this, timer = std::weak_ptr(timer_)](std::error_code error) {
        if (error || timer.expired()) return;
        try {
            callback_();
        } catch (...) {
            tornado::detail::log_exception("PeriodicCallback", std::current_exception());
        }
        if (timer.expired()) return;  // stopped (or destroyed) by the callback
        // Skip missed ticks instead of firing a burst after a slow callback.
        auto now = IOLoop::time();
        do next_ += interval_;
        while (next_ <= now);
        schedule();
    });
}

}  // namespace tornado::ioloop
