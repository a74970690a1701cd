#include "client_slots.hpp"

#include "tornado/httpclient.hpp"

#include <asio/redirect_error.hpp>
#include <asio/this_coro.hpp>
#include <asio/use_awaitable.hpp>

#include <sstream>
#include <system_error>

namespace tornado::httpclient::detail {

asio::awaitable<ClientSlots::Slot> ClientSlots::acquire(std::chrono::duration<double> timeout) {
    if (busy_ < max_clients_) {
        ++busy_;
        co_return Slot(this);
    }
    auto waiter = std::make_shared<Waiter>(co_await asio::this_coro::executor);
    waiter->timer.expires_after(std::chrono::duration_cast<std::chrono::steady_clock::duration>(timeout));
    auto position = waiters_.insert(waiters_.end(), waiter);
    std::error_code error;  // cancelled by release(): granted; expired: timed out
    co_await waiter->timer.async_wait(asio::redirect_error(asio::use_awaitable, error));
    if (waiter->granted) co_return Slot(this);  // release() passed its slot on: busy_ is unchanged
    waiters_.erase(position);
    if (error) throw std::system_error(error);  // the awaiting coroutine was cancelled
    std::ostringstream message;
    message << "Timeout in request queue: all " << max_clients_ << " max_clients slots stayed busy for "
            << timeout.count() << " s";
    throw HTTPQueueTimeoutError(message.str());
}

void ClientSlots::release() {
    if (waiters_.empty()) {
        --busy_;
        return;
    }
    auto next = std::move(waiters_.front());
    waiters_.pop_front();
    next->granted = true;
    next->timer.cancel();
}

}  // namespace tornado::httpclient::detail
