// Private to tornado::database: what the pool needs from one connection of a backend (SQLite on
// a thread of its own; PostgreSQL through libpq's asynchronous API on the loop), the pool that
// lends connections out and reconnects lost ones, and the lease a statement or a transaction holds.
#pragma once

#include <tornado/database.hpp>

#include <asio/any_io_executor.hpp>
#include <asio/awaitable.hpp>
#include <asio/steady_timer.hpp>

#include <cstddef>
#include <filesystem>
#include <functional>
#include <list>
#include <optional>
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
    // Run after begin_sql() by a migration's transaction, so that migrators take turns where
    // BEGIN alone does not make them (empty: nothing to run).
    virtual std::string_view migration_lock_sql() const { return {}; }
    // Connects now if the backend connects at all (a statement would connect first otherwise).
    // Throws UnavailableError when it cannot.
    virtual asio::awaitable<void> connect() { co_return; }
    // True once the connection to the server is lost: the pool drops it instead of lending it
    // again, and reconnects in the background. error() says why.
    virtual bool broken() const { return false; }
    virtual std::string error() const { return {}; }
};

// numbered_placeholders(sql), and how many ? it numbered.
std::string numbered_placeholders(std::string_view sql, std::size_t& count);

// The error for SQL with more than one statement, on both backends (an injection's "; DROP …").
inline constexpr const char* one_statement_only =
    "database: one statement per call, and this SQL has more after its first ';' (a script belongs in a migration)";

using BackendFactory = std::function<std::unique_ptr<BackendConnection>()>;

// Connections to the SQLite database file at path (database_sqlite.cpp).
BackendFactory sqlite_backend(std::filesystem::path path, const Options& options);
// Connections to the PostgreSQL server named by conninfo, a postgresql:// URL or libpq's
// key=value form, given to libpq as it is (database_postgresql.cpp). Throws
// std::invalid_argument when libpq cannot parse it.
BackendFactory postgresql_backend(std::string conninfo, const Options& options);

class Lease;

// Lends at most pool_size connections, opened when first needed, to the coroutines of one loop.
// A coroutine finding none free queues (first come, first served) for up to queue_timeout.
// A broken connection given back is dropped; until a new one has connected (in the background,
// retried after reconnect_backoff_min, doubling up to reconnect_backoff_max), a statement that
// finds no idle connection fails at once with UnavailableError instead of trying too.
class Pool : public std::enable_shared_from_this<Pool> {
public:
    Pool(BackendFactory open, Options options) : open_(std::move(open)), options_(options) {
        idle_.reserve(options_.pool_size);  // so that give_back never allocates
    }
    ~Pool();

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
    // Takes a connection that was not lent: to the longest waiting coroutine, or kept.
    void hand_over(std::unique_ptr<BackendConnection> connection) noexcept;
    void start_reconnecting(std::string error) noexcept;
    static asio::awaitable<void> reconnect(std::weak_ptr<Pool> weak, std::shared_ptr<asio::steady_timer> timer);

    BackendFactory open_;
    Options options_;
    std::vector<std::unique_ptr<BackendConnection>> idle_;
    std::size_t opened_ = 0;  // idle, lent, or connecting in reconnect()
    std::list<std::shared_ptr<Waiter>> waiters_;
    std::optional<asio::any_io_executor> executor_;  // of the coroutines that acquire
    std::string unavailable_;  // why the server is unreachable, while reconnect() runs
    std::shared_ptr<asio::steady_timer> backoff_timer_;  // reconnect()'s wait; cancelled by ~Pool
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
