// The pool of a database::Connection (database_backend.hpp).
#include "database_backend.hpp"

#include <asio/error.hpp>
#include <asio/redirect_error.hpp>
#include <asio/system_error.hpp>
#include <asio/this_coro.hpp>
#include <asio/use_awaitable.hpp>

#include <stdexcept>
#include <system_error>

namespace tornado::database::detail {

asio::awaitable<std::unique_ptr<Lease>> Pool::acquire(std::shared_ptr<Pool> pool) {
    if (!pool) throw std::logic_error("database: this Connection was moved from");
    auto& self = *pool;
    if (!self.idle_.empty()) {
        auto connection = std::move(self.idle_.back());
        self.idle_.pop_back();
        co_return std::make_unique<Lease>(std::move(pool), std::move(connection));
    }
    if (self.opened_ < self.options_.pool_size) {
        auto connection = self.open_();
        ++self.opened_;
        co_return std::make_unique<Lease>(std::move(pool), std::move(connection));
    }
    auto waiter = std::make_shared<Waiter>(co_await asio::this_coro::executor);
    waiter->timer.expires_after(self.options_.queue_timeout);
    waiter->place = self.waiters_.insert(self.waiters_.end(), waiter);
    std::error_code woken;  // operation_aborted: handed a connection, or cancelled
    co_await waiter->timer.async_wait(asio::redirect_error(asio::use_awaitable, woken));
    if (waiter->handed) co_return std::make_unique<Lease>(std::move(pool), std::move(waiter->handed));
    self.waiters_.erase(waiter->place);
    auto state = co_await asio::this_coro::cancellation_state;
    if (state.cancelled() != asio::cancellation_type::none) throw asio::system_error(asio::error::operation_aborted);
    throw PoolTimeoutError("database: no connection became free within the queue timeout of " +
                           std::to_string(self.options_.queue_timeout.count()) + " ms (all " +
                           std::to_string(self.options_.pool_size) + " of the pool are in use)");
}

void Pool::give_back(std::unique_ptr<BackendConnection> connection, bool roll_back) noexcept {
    if (roll_back) connection->discard_transaction();
    if (!waiters_.empty()) {
        auto waiter = std::move(waiters_.front());
        waiters_.pop_front();
        waiter->handed = std::move(connection);
        waiter->timer.cancel();
        return;
    }
    idle_.push_back(std::move(connection));
}

}  // namespace tornado::database::detail
