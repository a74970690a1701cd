// Event and Condition: each waiter parks on its own timer, which notify() cancels.
#include "tornado/locks.hpp"

#include <asio/redirect_error.hpp>
#include <asio/system_error.hpp>
#include <asio/this_coro.hpp>
#include <asio/use_awaitable.hpp>

namespace tornado::locks {

struct Condition::Waiter {
    explicit Waiter(const asio::any_io_executor& executor) : timer(executor) {}
    asio::steady_timer timer;
    bool notified = false;
};

Condition::~Condition() {
    for (auto& waiter : *waiters_) waiter->timer.cancel();
}

asio::awaitable<bool> Condition::wait(std::optional<Duration> timeout) {
    auto waiter = std::make_shared<Waiter>(co_await asio::this_coro::executor);
    if (timeout) {
        waiter->timer.expires_after(*timeout);
    } else {
        waiter->timer.expires_at(std::chrono::steady_clock::time_point::max());
    }
    // Takes the waiter off the list however the wait ends (notify() already did): timed out,
    // cancelled, Condition gone, or the coroutine destroyed with its loop, whose timer must not
    // outlive that loop in a list that does.
    struct Enlisted {
        std::shared_ptr<Waiters> waiters;
        std::shared_ptr<Waiter> waiter;
        ~Enlisted() {
            if (!waiter->notified) std::erase(*waiters, waiter);
        }
    };
    waiters_->push_back(waiter);
    Enlisted enlisted{waiters_, waiter};
    std::error_code woken;  // by the timeout (no error), by notify() or by cancellation
    co_await waiter->timer.async_wait(asio::redirect_error(asio::use_awaitable, woken));
    // A notification that came first wins: the coroutine's next wait throws instead.
    auto cancellation = co_await asio::this_coro::cancellation_state;
    if (!waiter->notified && cancellation.cancelled() != asio::cancellation_type::none)
        throw asio::system_error(asio::error::operation_aborted);
    co_return waiter->notified;
}

void Condition::notify(int n) {
    while (n-- > 0 && !waiters_->empty()) {
        auto waiter = std::move(waiters_->front());
        waiters_->pop_front();
        waiter->notified = true;
        waiter->timer.cancel();
    }
}

void Condition::notify_all() { notify(static_cast<int>(waiters_->size())); }

void Event::set() {
    if (value_) return;
    value_ = true;
    condition_.notify_all();
}

asio::awaitable<bool> Event::wait(std::optional<Duration> timeout) {
    if (value_) co_return true;
    co_return co_await condition_.wait(timeout);
}

}  // namespace tornado::locks
