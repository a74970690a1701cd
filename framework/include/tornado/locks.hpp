// tornado::locks — coordination between coroutines on one loop: Event and Condition.
// Counterpart of tornado/locks.py. Not thread-safe, like Tornado's: use them on the loop.
#pragma once

#include <asio/awaitable.hpp>
#include <asio/steady_timer.hpp>

#include <chrono>
#include <optional>

namespace tornado::locks {

using Duration = std::chrono::steady_clock::duration;

// Wakes waiters in the order they came when notified. wait() with a timeout returns false when
// it expired, and false too when the Condition is destroyed first. A waiting coroutine that is
// cancelled (asio's cancellation) leaves the queue and throws asio::system_error with
// asio::error::operation_aborted. A wait resumes on the executor its coroutine runs on, never
// inside notify(). A wait leaves the queue in constant time however it ends, so a long poll may
// park thousands of them and let them go one by one; a parked wait without a timeout holds no
// timer, only its coroutine's completion handler.
class Condition {
public:
    Condition();
    Condition(const Condition&) = delete;
    Condition& operator=(const Condition&) = delete;
    ~Condition();

    asio::awaitable<bool> wait(std::optional<Duration> timeout = std::nullopt);
    void notify(int n = 1);
    void notify_all();
    std::size_t waiters() const;

    struct Waiter;  // a parked wait (public for the loop's registry of them in locks.cpp)

private:
    template <typename Handler>
    struct WaiterFor;
    struct Initiation;

    void enlist(Waiter* waiter);
    void unlist(Waiter* waiter);

    // The parked waits in the order they came, linked through the waits themselves.
    Waiter* first_ = nullptr;
    Waiter* last_ = nullptr;
    std::size_t count_ = 0;
};

// A flag coroutines can wait for; set() wakes them all and later waits return at once.
class Event {
public:
    bool is_set() const { return value_; }
    void set();
    void clear() { value_ = false; }
    // Returns true once set, or false when the timeout expired first; cancelled, it throws as
    // Condition::wait does.
    asio::awaitable<bool> wait(std::optional<Duration> timeout = std::nullopt);

private:
    bool value_ = false;
    Condition condition_;
};

}  // namespace tornado::locks
