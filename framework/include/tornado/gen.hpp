// tornado::gen — coroutine helpers: sleep, with_timeout, multi. Counterpart of tornado/gen.py.
// A coroutine is an asio::awaitable<T>; handlers may return one instead of void.
#pragma once

#include <asio/awaitable.hpp>
#include <asio/co_spawn.hpp>
#include <asio/experimental/deferred.hpp>
#include <asio/experimental/parallel_group.hpp>
#include <asio/steady_timer.hpp>
#include <asio/this_coro.hpp>
#include <asio/use_awaitable.hpp>

#include <array>
#include <chrono>
#include <cstddef>
#include <exception>
#include <optional>
#include <stdexcept>
#include <tuple>
#include <type_traits>
#include <utility>
#include <variant>

namespace tornado::gen {

namespace detail {
template <class T>
using Result = std::conditional_t<std::is_void_v<T>, std::monostate, T>;
}

// Resumes the awaiting coroutine after duration, on the executor it runs on. Cancelled (asio's
// terminal cancellation), it throws asio::system_error with asio::error::operation_aborted.
asio::awaitable<void> sleep(std::chrono::steady_clock::duration duration);
// Tornado's gen.sleep(seconds): a number of seconds, fractions included (a negative one is 0).
asio::awaitable<void> sleep(double seconds);

// Thrown by with_timeout when time ran out (Tornado's gen.TimeoutError).
class TimeoutError : public std::runtime_error {
public:
    TimeoutError() : std::runtime_error("Timeout") {}
};

// The awaitable's result, or TimeoutError when it takes longer than timeout (Tornado's
// gen.with_timeout). Unlike Tornado's, the awaitable does not run on after a timeout: it is
// cancelled, and with_timeout returns once it has ended.
template <class T>
asio::awaitable<T> with_timeout(std::chrono::steady_clock::duration timeout, asio::awaitable<T> awaitable);

// Awaits every awaitable at once (Tornado's gen.multi) and returns their results in the order
// given, std::monostate standing for an awaitable<void>'s. The first failure cancels the others
// and is rethrown once they have ended.
template <class... T>
asio::awaitable<std::tuple<detail::Result<T>...>> multi(asio::awaitable<T>... awaitables);

// --- templates ---

namespace detail {

// A result asio's parallel_group can hold whatever T is (it needs a default-constructible one).
template <class T>
asio::awaitable<std::optional<Result<T>>> optional_result(asio::awaitable<T> awaitable) {
    if constexpr (std::is_void_v<T>) {
        co_await std::move(awaitable);
        co_return std::monostate{};
    } else {
        co_return co_await std::move(awaitable);
    }
}

// parallel_group's results are (completion order, error 0, result 0, error 1, result 1, …).
template <class Results, std::size_t... I>
auto take_results(Results& results, std::index_sequence<I...>) {
    std::array<std::exception_ptr, sizeof...(I)> errors{std::get<1 + 2 * I>(results)...};
    for (auto index : std::get<0>(results))
        if (errors[index]) std::rethrow_exception(errors[index]);
    return std::tuple{std::move(*std::get<2 + 2 * I>(results))...};
}

}  // namespace detail

template <class T>
asio::awaitable<T> with_timeout(std::chrono::steady_clock::duration timeout, asio::awaitable<T> awaitable) {
    auto executor = co_await asio::this_coro::executor;
    asio::steady_timer timer(executor, timeout);
    auto [order, error, result, timer_error] =
        co_await asio::experimental::make_parallel_group(
            asio::co_spawn(executor, detail::optional_result(std::move(awaitable)), asio::experimental::deferred),
            timer.async_wait(asio::experimental::deferred))
            .async_wait(asio::experimental::wait_for_one(), asio::use_awaitable);
    if (order[0] == 1) throw TimeoutError();
    if (error) std::rethrow_exception(error);
    if constexpr (!std::is_void_v<T>) co_return std::move(*result);
}

template <class... T>
asio::awaitable<std::tuple<detail::Result<T>...>> multi(asio::awaitable<T>... awaitables) {
    auto executor = co_await asio::this_coro::executor;
    auto results = co_await asio::experimental::make_parallel_group(
                       asio::co_spawn(executor, detail::optional_result(std::move(awaitables)),
                                      asio::experimental::deferred)...)
                       .async_wait(asio::experimental::wait_for_one_error(), asio::use_awaitable);
    co_return detail::take_results(results, std::index_sequence_for<T...>{});
}

}  // namespace tornado::gen
