// Event and Condition: each waiter parks on its own timer, which notify() cancels.
#include "tornado/locks.hpp"

#include "tornado/ioloop.hpp"

#include <asio/redirect_error.hpp>

namespace tornado::locks {

struct Condition::Waiter {
    explicit Waiter(asio::io_context& context) : timer(context) {}
    asio::steady_timer timer;
    bool notified = false;
};

Condition::~Condition() {
    for (auto& waiter : *waiters_) waiter->timer.cancel();
}

asio::awaitable<bool> Condition::wait(std::optional<Duration> timeout) {
    auto waiter = std::make_shared<Waiter>(ioloop::IOLoop::current().context());
    if (timeout) {
        waiter->timer.expires_after(*timeout);
    } else {
        waiter->timer.expires_at(ioloop::TimePoint::max());
    }
    // Takes the waiter off the list however the wait ends (notify() already did): timed out,
    // Condition gone, or the coroutine destroyed with its loop, whose timer must not outlive
    // that loop in a list that does.
    struct Enlisted {
        std::shared_ptr<Waiters> waiters;
        std::shared_ptr<Waiter> waiter;
        ~Enlisted() {
            if (!waiter->notified) std::erase(*waiters, waiter);
        }
    };
    waiters_->push_back(waiter);
    Enlisted enlisted{waiters_, waiter};
    std::error_code ignored;
    co_await waiter->timer.async_wait(asio::redirect_error(asio::use_awaitable, ignored));
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
