// A time limit for the HTTP client's operations: when it passes, on_expire cancels what is in
// progress (closes the connection), and expired() tells the failure that follows apart from
// other socket trouble. Private to the library.
#pragma once

#include <asio/any_io_executor.hpp>
#include <asio/steady_timer.hpp>

#include <chrono>
#include <functional>
#include <memory>

namespace tornado::httpclient::detail {

class Deadline {
public:
    Deadline(const asio::any_io_executor& executor, std::chrono::duration<double> timeout,
             std::function<void()> on_expire)
        : state_(std::make_shared<State>(executor, std::move(on_expire))) {
        state_->timer.expires_after(std::chrono::duration_cast<std::chrono::steady_clock::duration>(timeout));
        // The handler holds the state, so it may run after the Deadline is gone (then it is idle).
        state_->timer.async_wait([state = state_](std::error_code error) {
            if (error || !state->armed) return;
            state->expired = true;
            state->on_expire();
        });
    }
    ~Deadline() {
        state_->armed = false;
        state_->timer.cancel();
    }
    Deadline(const Deadline&) = delete;
    Deadline& operator=(const Deadline&) = delete;

    bool expired() const { return state_->expired; }

private:
    struct State {
        State(const asio::any_io_executor& executor, std::function<void()> on_expire)
            : timer(executor), on_expire(std::move(on_expire)) {}
        asio::steady_timer timer;
        std::function<void()> on_expire;
        bool armed = true;
        bool expired = false;
    };
    std::shared_ptr<State> state_;
};

}  // namespace tornado::httpclient::detail
