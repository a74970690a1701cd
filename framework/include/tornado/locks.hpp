// tornado::locks — coordination between coroutines on one loop: Event and Condition.
// Counterpart of tornado/locks.py. Not thread-safe, like Tornado's: use them on the loop.
#pragma once

#include <asio/awaitable.hpp>
#include <asio/steady_timer.hpp>

#include <chrono>
#include <memory>
#include <optional>

namespace tornado::locks {

using Duration = std::chrono::steady_clock::duration;

// Wakes waiters in the order they came when notified. wait() with a timeout returns false when
// it expired. A waiting coroutine that is cancelled (asio's terminal cancellation) leaves the
// queue and throws asio::system_error with asio::error::operation_aborted. A wait resumes on the
// executor its coroutine runs on. A wait leaves the queue in constant time however it ends, so a
// long poll may park thousands of them and let them go one by one.
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

private:
    struct Waiter;
    struct State;
    // Shared with suspended waits, so a wait resuming after the Condition is gone stays valid.
    std::shared_ptr<State> state_;
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
