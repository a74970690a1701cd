// tornado::gen — coroutine helpers: sleep. Counterpart of tornado/gen.py.
// A coroutine is an asio::awaitable<T>; handlers may return one instead of void.
#pragma once

#include <asio/awaitable.hpp>

#include <chrono>

namespace tornado::gen {

// Resumes the awaiting coroutine after duration, on the executor it runs on. Cancelled (asio's
// terminal cancellation), it throws asio::system_error with asio::error::operation_aborted.
asio::awaitable<void> sleep(std::chrono::steady_clock::duration duration);

}  // namespace tornado::gen
