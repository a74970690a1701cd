// gen::sleep on the current loop's timer queue.
#include "tornado/gen.hpp"

#include "tornado/ioloop.hpp"

namespace tornado::gen {

asio::awaitable<void> sleep(std::chrono::steady_clock::duration duration) {
    asio::steady_timer timer(ioloop::IOLoop::current().context(), duration);
    co_await timer.async_wait(asio::use_awaitable);
}

}  // namespace tornado::gen
