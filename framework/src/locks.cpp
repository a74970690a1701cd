// Event and Condition. Each wait parks on a timer of its own, in its coroutine's frame, which
// notify() cancels. Waits leave the queue in constant time however they end, so thousands of
// long polls that give up (clients gone) cost time in proportion to their number: a timer shared
// by all of them would make each cancellation walk every other wait parked on it.
#include "tornado/locks.hpp"

#include <asio/redirect_error.hpp>
#include <asio/steady_timer.hpp>
#include <asio/this_coro.hpp>
#include <asio/use_awaitable.hpp>

#include <list>

namespace tornado::locks {

// Lives in the waiting coroutine's frame; the queue points to it while it is listed.
struct Condition::Waiter {
    asio::steady_timer timer;
    asio::cancellation_state cancellation;  // of the waiting coroutine
    bool listed = true;
    bool notified = false;
};

struct Condition::State {
    std::list<Waiter*> queue;  // in the order they came
};

Condition::Condition() : state_(std::make_shared<State>()) {}

Condition::~Condition() {
    // The waits resume with false; the state stays with them until the last has left.
    for (auto* waiter : state_->queue) waiter->timer.cancel();
}

std::size_t Condition::waiters() const { return state_->queue.size(); }

asio::awaitable<bool> Condition::wait(std::optional<Duration> timeout) {
    Waiter waiter{
        .timer = asio::steady_timer(co_await asio::this_coro::executor,
                                    timeout ? std::chrono::steady_clock::now() + *timeout
                                            : std::chrono::steady_clock::time_point::max()),
        .cancellation = co_await asio::this_coro::cancellation_state,
    };
    auto state = state_;
    // Takes the waiter out of the queue however the wait ends (notify() already did): timed out,
    // cancelled, Condition gone, or the coroutine destroyed with its loop.
    struct Enlisted {
        std::shared_ptr<State> state;
        Waiter& waiter;
        std::list<Waiter*>::iterator position;  // valid while waiter.listed
        ~Enlisted() {
            if (waiter.listed) state->queue.erase(position);
        }
    };
    Enlisted enlisted{state, waiter, state->queue.insert(state->queue.end(), &waiter)};
    std::error_code woken;  // by notify() or the Condition's end (aborted), by the timeout (none)
    co_await waiter.timer.async_wait(asio::redirect_error(asio::use_awaitable, woken));
    // A notification that came first wins: the coroutine's next wait throws instead.
    if (!waiter.notified && waiter.cancellation.cancelled() != asio::cancellation_type::none)
        throw asio::system_error(asio::error::operation_aborted);
    co_return waiter.notified;
}

void Condition::notify(int n) {
    auto& queue = state_->queue;
    while (n > 0 && !queue.empty()) {
        auto* waiter = queue.front();
        queue.pop_front();
        waiter->listed = false;
        // A cancelled wait has left its timer already and resumes to throw: it takes nothing.
        if (waiter->cancellation.cancelled() != asio::cancellation_type::none) continue;
        waiter->notified = true;
        waiter->timer.cancel();
        --n;
    }
}

void Condition::notify_all() { notify(static_cast<int>(state_->queue.size())); }

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
