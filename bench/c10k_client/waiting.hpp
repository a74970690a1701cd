// Waiting inside the load clients' coroutines (c10k_client, websocket_client): timers, polling a
// condition, time spans.
#pragma once

#include <asio.hpp>
#include <asio/experimental/as_tuple.hpp>

#include <chrono>

namespace bench {

using Clock = std::chrono::steady_clock;

inline asio::awaitable<void> sleep_for(Clock::duration duration) {
    asio::steady_timer timer(co_await asio::this_coro::executor, duration);
    co_await timer.async_wait(asio::experimental::as_tuple(asio::use_awaitable));
}

// Polls check every interval until it holds or deadline passes; returns whether it held.
template <typename Check>
asio::awaitable<bool> wait_until(Check check, Clock::duration interval, Clock::time_point deadline) {
    while (!check()) {
        if (Clock::now() >= deadline) co_return false;
        co_await sleep_for(interval);
    }
    co_return true;
}

inline double ms_between(Clock::time_point from, Clock::time_point to) {
    return std::chrono::duration<double, std::milli>(to - from).count();
}

}  // namespace bench
