// The pool of a database::Connection (database_backend.hpp).
#include "database_backend.hpp"

#include <tornado/log.hpp>

#include <asio/co_spawn.hpp>
#include <asio/detached.hpp>
#include <asio/error.hpp>
#include <asio/redirect_error.hpp>
#include <asio/system_error.hpp>
#include <asio/this_coro.hpp>
#include <asio/use_awaitable.hpp>

#include <algorithm>
#include <stdexcept>
#include <system_error>

namespace tornado::database::detail {
namespace {
constexpr log::Logger db_log{"database"};
}

Pool::~Pool() {
    if (backoff_timer_) backoff_timer_->cancel();  // reconnect() then finds the pool gone
}

asio::awaitable<std::unique_ptr<Lease>> Pool::acquire(std::shared_ptr<Pool> pool) {
    if (!pool) throw std::logic_error("database: this Connection was moved from");
    auto& self = *pool;
    if (!self.executor_) self.executor_ = co_await asio::this_coro::executor;
    if (!self.idle_.empty()) {
        auto connection = std::move(self.idle_.back());
        self.idle_.pop_back();
        co_return std::make_unique<Lease>(std::move(pool), std::move(connection));
    }
    if (!self.unavailable_.empty())
        throw UnavailableError("database: the database is unavailable (" + self.unavailable_ +
                               "); the pool is reconnecting in the background");
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
    if (connection->broken()) {
        --opened_;
        start_reconnecting(connection->error());
        return;
    }
    if (roll_back) connection->discard_transaction();
    hand_over(std::move(connection));
}

void Pool::hand_over(std::unique_ptr<BackendConnection> connection) noexcept {
    if (!waiters_.empty()) {
        auto waiter = std::move(waiters_.front());
        waiters_.pop_front();
        waiter->handed = std::move(connection);
        waiter->timer.cancel();
        return;
    }
    idle_.push_back(std::move(connection));
}

void Pool::start_reconnecting(std::string error) noexcept {
    // The connections still idle were opened before the loss and may be lost too: each finds
    // out on its next statement, before sending it, and connects again then.
    if (!unavailable_.empty()) return;  // reconnect() runs already
    unavailable_ = error.empty() ? "the connection was lost" : std::move(error);
    db_log.warning(unavailable_ + "; reconnecting in the background");
    if (!backoff_timer_) backoff_timer_ = std::make_shared<asio::steady_timer>(*executor_);
    asio::co_spawn(*executor_, reconnect(weak_from_this(), backoff_timer_), asio::detached);
}

// Opens one connection, at once, then after each failure waits the backoff and tries again,
// until it connects (and hands the connection over) or the pool is gone.
asio::awaitable<void> Pool::reconnect(std::weak_ptr<Pool> weak, std::shared_ptr<asio::steady_timer> timer) {
    std::chrono::milliseconds backoff{0};
    for (;;) {
        if (backoff.count() > 0) {
            timer->expires_after(backoff);
            std::error_code ignored;  // operation_aborted: the pool is gone, seen below
            co_await timer->async_wait(asio::redirect_error(asio::use_awaitable, ignored));
        }
        std::unique_ptr<BackendConnection> connection;
        if (auto pool = weak.lock()) {
            connection = pool->open_();
            ++pool->opened_;
            backoff = std::clamp(backoff * 2, pool->options_.reconnect_backoff_min, pool->options_.reconnect_backoff_max);
        } else {
            co_return;
        }
        std::string failure;
        try {
            co_await connection->connect();
        } catch (const std::exception& error) {
            failure = error.what();
        }
        auto pool = weak.lock();
        if (!pool) co_return;
        if (failure.empty()) {
            db_log.info("database: connected again");
            pool->unavailable_.clear();
            pool->hand_over(std::move(connection));
            co_return;
        }
        --pool->opened_;
        pool->unavailable_ = std::move(failure);
    }
}

}  // namespace tornado::database::detail
