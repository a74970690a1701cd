// Private to tornado::database: what the pool needs from one connection of a backend (SQLite on
// a thread of its own now; PostgreSQL through libpq's asynchronous API on the loop later), the
// pool that lends connections out, and the lease a statement or a transaction holds.
#pragma once

#include <tornado/database.hpp>

#include <asio/any_io_executor.hpp>
#include <asio/awaitable.hpp>
#include <asio/steady_timer.hpp>

#include <cstddef>
#include <filesystem>
#include <functional>
#include <list>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace tornado::database::detail {

// One connection to the database. Its awaitables resume on the awaiting coroutine's executor,
// and the loop never waits on the database meanwhile. A statement may be given before an
// earlier one whose awaiting coroutine was cancelled has finished: the connection runs them one
// after the other, in order, so the pool may lend it again at once.
class BackendConnection {
public:
    virtual ~BackendConnection() = default;

    // One statement, its ? placeholders bound to arguments; a query stops after max_rows rows.
    virtual asio::awaitable<StatementResult> run(std::string sql, Arguments arguments, std::size_t max_rows) = 0;
    // One statement once per argument list, all or none.
    virtual asio::awaitable<ExecuteResult> run_many(std::string sql, std::vector<Arguments> argument_lists) = 0;
    // Statements without arguments, one after the other (a migration file).
    virtual asio::awaitable<void> run_script(std::string sql) = 0;
    // Begins a transaction that takes the database's write lock at once, so the transactions
    // that write, and migrators, take turns.
    virtual std::string_view begin_sql() const = 0;
    // Rolls back the transaction left open on this connection, if any, before its next
    // statement. Returns at once and never throws (a failure is logged).
    virtual void discard_transaction() = 0;
};

using BackendFactory = std::function<std::unique_ptr<BackendConnection>()>;

// Connections to the SQLite database file at path (database_sqlite.cpp).
BackendFactory sqlite_backend(std::filesystem::path path, const Options& options);

class Lease;

// Lends at most pool_size connections, opened when first needed, to the coroutines of one loop.
// A coroutine finding none free queues (first come, first served) for up to queue_timeout.
class Pool {
public:
    Pool(BackendFactory open, Options options) : open_(std::move(open)), options_(options) {
        idle_.reserve(options_.pool_size);  // so that give_back never allocates
    }

    // A connection for the awaiting coroutine. Throws PoolTimeoutError when none was free in
    // time, and asio::system_error(operation_aborted) when the coroutine is cancelled meanwhile.
    static asio::awaitable<std::unique_ptr<Lease>> acquire(std::shared_ptr<Pool> pool);

private:
    friend class Lease;
    struct Waiter {
        explicit Waiter(const asio::any_io_executor& executor) : timer(executor) {}
        asio::steady_timer timer;                        // cancelled when handed a connection
        std::unique_ptr<BackendConnection> handed;
        std::list<std::shared_ptr<Waiter>>::iterator place;  // in waiters_ until handed one
    };

    // Takes a connection back: rolled back first when it was left in a transaction, then handed
    // to the longest waiting coroutine, or kept for the next one.
    void give_back(std::unique_ptr<BackendConnection> connection, bool roll_back) noexcept;

    BackendFactory open_;
    Options options_;
    std::vector<std::unique_ptr<BackendConnection>> idle_;
    std::size_t opened_ = 0;
    std::list<std::shared_ptr<Waiter>> waiters_;
};

// A connection lent to one statement or transaction; destroying it gives the connection back.
class Lease {
public:
    Lease(std::shared_ptr<Pool> pool, std::unique_ptr<BackendConnection> connection)
        : pool_(std::move(pool)), connection_(std::move(connection)) {}
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;
    ~Lease() { pool_->give_back(std::move(connection_), in_transaction); }

    BackendConnection& connection() { return *connection_; }
    // Set from BEGIN until COMMIT or ROLLBACK succeeded: given back, the connection is rolled back.
    bool in_transaction = false;

private:
    std::shared_ptr<Pool> pool_;  // the pool outlives every connection it lent
    std::unique_ptr<BackendConnection> connection_;
};

}  // namespace tornado::database::detail
