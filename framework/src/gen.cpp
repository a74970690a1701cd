// gen::sleep on a timer of the awaiting coroutine's own executor.
#include "tornado/gen.hpp"

#include <asio/steady_timer.hpp>
#include <asio/this_coro.hpp>
#include <asio/use_awaitable.hpp>

namespace tornado::gen {

asio::awaitable<void> sleep(std::chrono::steady_clock::duration duration) {
    asio::steady_timer timer(co_await asio::this_coro::executor, duration);
    co_await timer.async_wait(asio::use_awaitable);
}

asio::awaitable<void> sleep(double seconds) {
    auto duration = std::chrono::duration<double>(seconds > 0 ? seconds : 0);
    co_await sleep(std::chrono::duration_cast<std::chrono::steady_clock::duration>(duration));
}

}  // namespace tornado::gen
