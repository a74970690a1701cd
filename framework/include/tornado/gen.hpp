// tornado::gen — coroutine helpers: sleep. Counterpart of tornado/gen.py.
// A coroutine is an asio::awaitable<T>; handlers may return one instead of void.
#pragma once

#include <asio/awaitable.hpp>

#include <chrono>

namespace tornado::gen {

template <class T = void>
using Task = asio::awaitable<T>;

// Resumes the awaiting coroutine after duration, on the current IOLoop.
asio::awaitable<void> sleep(std::chrono::steady_clock::duration duration);

}  // namespace tornado::gen
