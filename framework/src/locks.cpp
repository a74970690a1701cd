// Event and Condition. A wait without a timeout parks on the Condition's one timer, which never
// expires: notify() completes the oldest wait on it with cancel_one(), so waiters cost no timer
// each. A wait with a timeout has a timer of its own, which notify() cancels.
#include "tornado/locks.hpp"

#include <asio/redirect_error.hpp>
#include <asio/system_error.hpp>
#include <asio/this_coro.hpp>
#include <asio/use_awaitable.hpp>

#include <list>

namespace tornado::locks {

// Lives in the waiting coroutine's frame; the queue points to it while it is listed.
struct Condition::Waiter {
    std::unique_ptr<asio::steady_timer> own_timer;  // for a wait with a timeout
    asio::cancellation_state cancellation;          // of the waiting coroutine
    bool listed = true;
    bool notified = false;
};

struct Condition::State {
    // In the order they came. The waits parked on `parking` are queued on it in the same order,
    // so its cancel_one() wakes the first of them.
    std::list<Waiter*> queue;
    // Made for the first wait without a timeout, dropped when the queue empties (so a Condition
    // that outlives its loop keeps no timer of that loop).
    std::optional<asio::steady_timer> parking;
};

Condition::Condition() : state_(std::make_shared<State>()) {}

Condition::~Condition() {
    // The waits resume with false; the state stays with them until the last has left.
    for (auto* waiter : state_->queue) {
        if (waiter->own_timer) waiter->own_timer->cancel();
    }
    if (state_->parking) state_->parking->cancel();
}

std::size_t Condition::waiters() const { return state_->queue.size(); }

asio::awaitable<bool> Condition::wait(std::optional<Duration> timeout) {
    auto executor = co_await asio::this_coro::executor;
    Waiter waiter{.cancellation = co_await asio::this_coro::cancellation_state};
    auto state = state_;
    if (timeout) {
        waiter.own_timer = std::make_unique<asio::steady_timer>(executor, *timeout);
    } else if (!state->parking) {
        state->parking.emplace(executor, std::chrono::steady_clock::time_point::max());
    }
    // Takes the waiter out of the queue however the wait ends (notify() already did): timed out,
    // cancelled, Condition gone, or the coroutine destroyed with its loop.
    struct Enlisted {
        std::shared_ptr<State> state;
        Waiter& waiter;
        std::list<Waiter*>::iterator position;  // valid while waiter.listed
        ~Enlisted() {
            if (waiter.listed) state->queue.erase(position);
            if (state->queue.empty()) state->parking.reset();
        }
    };
    Enlisted enlisted{state, waiter, state->queue.insert(state->queue.end(), &waiter)};
    std::error_code woken;  // by notify() or the Condition's end (aborted), by the timeout (none)
    auto& timer = waiter.own_timer ? *waiter.own_timer : *state->parking;
    co_await timer.async_wait(asio::redirect_error(asio::use_awaitable, woken));
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
        if (waiter->own_timer) {
            waiter->own_timer->cancel();
        } else {
            state_->parking->cancel_one();
        }
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
