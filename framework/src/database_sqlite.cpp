// The SQLite backend of tornado::database: each connection runs its statements on a thread of
// its own, and the awaiting coroutine resumes on its loop with the result.
#include "database_backend.hpp"

#include <tornado/concurrent.hpp>
#include <tornado/ioloop.hpp>
#include <tornado/log.hpp>

#include <asio/post.hpp>

#include <sqlite3.h>

#include <algorithm>
#include <climits>
#include <filesystem>
#include <system_error>
#include <thread>
#include <variant>

namespace tornado::database::detail {
namespace {

constexpr log::Logger db_log{"database"};

struct Finalize {
    void operator()(sqlite3_stmt* statement) const { sqlite3_finalize(statement); }
};
using Statement = std::unique_ptr<sqlite3_stmt, Finalize>;

class SqliteConnection final : public BackendConnection {
public:
    SqliteConnection(std::filesystem::path path, std::chrono::milliseconds busy_timeout)
        : path_(std::move(path)), busy_timeout_(busy_timeout) {}
    ~SqliteConnection() override {
        worker_.shutdown();  // the statements queued run first: none of them outlives db_
        if (db_) sqlite3_close_v2(db_);
    }

    asio::awaitable<StatementResult> run(std::string sql, Arguments arguments, std::size_t max_rows) override {
        return ioloop::detail::start_job(worker(), &SqliteConnection::run_now, this, std::move(sql),
                                         std::move(arguments), max_rows);
    }
    asio::awaitable<ExecuteResult> run_many(std::string sql, std::vector<Arguments> argument_lists) override {
        return ioloop::detail::start_job(worker(), &SqliteConnection::run_many_now, this, std::move(sql),
                                         std::move(argument_lists));
    }
    asio::awaitable<void> run_script(std::string sql) override {
        return ioloop::detail::start_job(worker(), &SqliteConnection::run_script_now, this, std::move(sql));
    }
    // IMMEDIATE takes the write lock now (waiting up to busy_timeout): a DEFERRED transaction
    // that read first and writes later fails at once with SQLITE_BUSY when another connection
    // wrote in between, without waiting.
    std::string_view begin_sql() const override { return "BEGIN IMMEDIATE"; }
    void discard_transaction() override {
        asio::post(worker_.get_executor(), [this] { roll_back_now(); });
    }

private:
    asio::any_io_executor worker() { return worker_.get_executor(); }

    // --- on the worker thread ---

    StatementResult run_now(const std::string& sql, const Arguments& arguments, std::size_t max_rows) {
        open_if_closed();
        return execute(sql, arguments, max_rows);
    }

    ExecuteResult run_many_now(const std::string& sql, const std::vector<Arguments>& argument_lists) {
        open_if_closed();
        auto statement = prepare_one(sql);
        // Inside the caller's transaction a savepoint makes the batch all-or-none on its own.
        bool own_transaction = sqlite3_get_autocommit(db_) != 0;
        exec(own_transaction ? "BEGIN IMMEDIATE" : "SAVEPOINT tornado_executemany");
        ExecuteResult total;
        try {
            for (const auto& arguments : argument_lists) {
                sqlite3_reset(statement.get());
                bind(statement.get(), arguments, sql);
                sqlite3_set_last_insert_rowid(db_, 0);
                int rc;
                while ((rc = sqlite3_step(statement.get())) == SQLITE_ROW) {}
                if (rc != SQLITE_DONE) fail(rc, sql);
                total.rowcount += sqlite3_changes64(db_);
                if (auto rowid = sqlite3_last_insert_rowid(db_)) total.lastrowid = rowid;
            }
            statement.reset();
            exec(own_transaction ? "COMMIT" : "RELEASE tornado_executemany");
        } catch (...) {
            statement.reset();
            // SQLite may have rolled the transaction back itself already (after an I/O error).
            if (own_transaction) {
                if (!sqlite3_get_autocommit(db_)) sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
            } else {
                sqlite3_exec(db_, "ROLLBACK TO tornado_executemany; RELEASE tornado_executemany", nullptr, nullptr,
                             nullptr);
            }
            throw;
        }
        return total;
    }

    void run_script_now(const std::string& sql) {
        open_if_closed();
        const char* next = sql.data();
        const char* end = sql.data() + sql.size();
        while (next < end) {
            sqlite3_stmt* raw = nullptr;
            int rc = sqlite3_prepare_v2(db_, next, static_cast<int>(end - next), &raw, &next);
            Statement statement(raw);
            if (rc != SQLITE_OK) fail(rc, sql);
            if (!statement) break;  // only whitespace or comments were left
            while ((rc = sqlite3_step(statement.get())) == SQLITE_ROW) {}
            if (rc != SQLITE_DONE) fail(rc, sql);
        }
    }

    void roll_back_now() noexcept {
        if (!db_ || sqlite3_get_autocommit(db_)) return;
        if (sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr) != SQLITE_OK)
            db_log.error(std::string("database: rolling back a transaction left open failed: ") + sqlite3_errmsg(db_));
    }

    void open_if_closed() {
        if (db_) return;
        std::error_code error;
        if (path_.has_parent_path()) std::filesystem::create_directories(path_.parent_path(), error);
        if (error)
            throw DatabaseError("database: cannot create the directory " + path_.parent_path().string() + ": " +
                                error.message());
        sqlite3* raw = nullptr;
        int rc = sqlite3_open_v2(path_.c_str(), &raw, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                                 nullptr);
        if (rc != SQLITE_OK) {
            std::string message = raw ? sqlite3_errmsg(raw) : sqlite3_errstr(rc);
            sqlite3_close_v2(raw);
            throw DatabaseError("database: cannot open " + path_.string() + ": " + message);
        }
        db_ = raw;
        try {
            sqlite3_extended_result_codes(db_, 1);
            sqlite3_busy_timeout(db_, static_cast<int>(std::min<std::int64_t>(busy_timeout_.count(), INT_MAX)));
            // Readers never block the writer, nor it them; the database is one file plus its
            // -wal and -shm files beside it.
            auto mode = switch_to_wal();
            if (mode.rows.empty() || mode.rows[0][0u].as<std::string>() != "wal")
                throw DatabaseError("database: " + path_.string() + " cannot use WAL mode (is it on a network file system?)");
            // NORMAL in WAL mode: a commit has reached the operating system's write-ahead log
            // before it returns, so a write acknowledged to a client survives the process being
            // killed (kill -9, a crash). Only a power loss or a kernel crash may lose the last
            // commits (FULL would fsync on every commit for that: several times slower writes),
            // and never corrupts the database.
            exec("PRAGMA synchronous=NORMAL");
            exec("PRAGMA foreign_keys=ON");
        } catch (...) {
            sqlite3_close_v2(std::exchange(db_, nullptr));  // opened again by the next statement
            throw;
        }
    }

    // Two connections opening a new file at once: the one that does not switch it to WAL may
    // get SQLITE_BUSY at once, without the busy handler; it tries again within busy_timeout.
    StatementResult switch_to_wal() {
        auto deadline = std::chrono::steady_clock::now() + busy_timeout_;
        for (;;) {
            try {
                return execute("PRAGMA journal_mode=WAL", {}, 1);
            } catch (const BusyError&) {
                if (std::chrono::steady_clock::now() >= deadline) throw;
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(5));
        }
    }

    StatementResult execute(const std::string& sql, const Arguments& arguments, std::size_t max_rows) {
        auto statement = prepare_one(sql);
        auto* stmt = statement.get();
        bind(stmt, arguments, sql);
        auto count = sqlite3_column_count(stmt);
        auto columns = std::make_shared<std::vector<std::string>>();
        for (int i = 0; i < count; ++i) columns->emplace_back(sqlite3_column_name(stmt, i));
        StatementResult result;
        sqlite3_set_last_insert_rowid(db_, 0);
        // A query stops reading after max_rows rows; a statement that writes (INSERT … RETURNING)
        // runs to its end, so that its counts are whole.
        bool reads_only = sqlite3_stmt_readonly(stmt) != 0;
        int rc;
        while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
            if (result.rows.size() >= max_rows) {
                if (reads_only) break;
                continue;
            }
            std::vector<Value> values;
            values.reserve(static_cast<std::size_t>(count));
            for (int i = 0; i < count; ++i) values.push_back(column_value(stmt, i));
            result.rows.emplace_back(columns, std::move(values));
        }
        if (rc != SQLITE_ROW && rc != SQLITE_DONE) fail(rc, sql);
        if (!reads_only) {
            result.counts.rowcount = sqlite3_changes64(db_);
            result.counts.lastrowid = sqlite3_last_insert_rowid(db_);
        }
        return result;
    }

    void exec(const char* sql) {
        if (int rc = sqlite3_exec(db_, sql, nullptr, nullptr, nullptr); rc != SQLITE_OK) fail(rc, sql);
    }

    // The one statement of sql: several (an injection's "; DROP TABLE …") are refused.
    Statement prepare_one(const std::string& sql) {
        if (sql.size() >= INT_MAX) throw DatabaseError("database: the SQL is too long", sql.substr(0, 200));
        sqlite3_stmt* raw = nullptr;
        const char* tail = nullptr;
        int rc = sqlite3_prepare_v2(db_, sql.data(), static_cast<int>(sql.size()), &raw, &tail);
        Statement statement(raw);
        if (rc != SQLITE_OK) fail(rc, sql);
        if (!statement) throw DatabaseError("database: the SQL has no statement", sql);
        sqlite3_stmt* more = nullptr;
        rc = sqlite3_prepare_v2(db_, tail, static_cast<int>(sql.data() + sql.size() - tail), &more, nullptr);
        Statement second(more);
        if (rc != SQLITE_OK || second)
            throw DatabaseError(one_statement_only, sql);
        return statement;
    }

    void bind(sqlite3_stmt* statement, const Arguments& arguments, const std::string& sql) {
        auto placeholders = static_cast<std::size_t>(sqlite3_bind_parameter_count(statement));
        if (placeholders != arguments.size())
            throw DatabaseError("database: the SQL has " + std::to_string(placeholders) + " placeholder(s) but " +
                                std::to_string(arguments.size()) + " argument(s) were given", sql);
        for (int i = 1; const auto& argument : arguments) {
            // SQLITE_STATIC: arguments outlive the statement's steps.
            int rc = std::visit(
                [&](const auto& value) {
                    using T = std::decay_t<decltype(value)>;
                    if constexpr (std::is_same_v<T, std::nullptr_t>) {
                        return sqlite3_bind_null(statement, i);
                    } else if constexpr (std::is_same_v<T, std::int64_t>) {
                        return sqlite3_bind_int64(statement, i, value);
                    } else if constexpr (std::is_same_v<T, double>) {
                        return sqlite3_bind_double(statement, i, value);
                    } else if constexpr (std::is_same_v<T, std::string>) {
                        return sqlite3_bind_text64(statement, i, value.data(), value.size(), SQLITE_STATIC, SQLITE_UTF8);
                    } else {
                        // An empty blob's data() may be null, which SQLite would store as NULL.
                        if (value.empty()) return sqlite3_bind_zeroblob(statement, i, 0);
                        return sqlite3_bind_blob64(statement, i, value.data(), value.size(), SQLITE_STATIC);
                    }
                },
                argument.variant());
            if (rc != SQLITE_OK) fail(rc, sql);
            ++i;
        }
    }

    static Value column_value(sqlite3_stmt* statement, int i) {
        switch (sqlite3_column_type(statement, i)) {
            case SQLITE_INTEGER:
                return Value(static_cast<std::int64_t>(sqlite3_column_int64(statement, i)));
            case SQLITE_FLOAT:
                return Value(sqlite3_column_double(statement, i));
            case SQLITE_TEXT: {
                auto* text = reinterpret_cast<const char*>(sqlite3_column_text(statement, i));
                return Value(std::string(text, static_cast<std::size_t>(sqlite3_column_bytes(statement, i))));
            }
            case SQLITE_BLOB: {
                auto* bytes = static_cast<const std::byte*>(sqlite3_column_blob(statement, i));
                return Value(Blob(bytes, bytes + sqlite3_column_bytes(statement, i)));
            }
            default:
                return Value();
        }
    }

    [[noreturn]] void fail(int rc, const std::string& sql) {
        std::string message = db_ ? sqlite3_errmsg(db_) : sqlite3_errstr(rc);
        switch (rc & 0xff) {
            case SQLITE_CONSTRAINT:
                throw IntegrityError("database: " + message, sql);
            case SQLITE_BUSY:
            case SQLITE_LOCKED:
                throw BusyError("database: " + message + " (still locked by another connection after the busy "
                                "timeout of " + std::to_string(busy_timeout_.count()) + " ms)", sql);
            default:
                throw DatabaseError("database: " + message, sql);
        }
    }

    std::filesystem::path path_;
    std::chrono::milliseconds busy_timeout_;
    sqlite3* db_ = nullptr;  // used by the worker thread only
    concurrent::ThreadPoolExecutor worker_{1};  // one thread: statements run in the order given
};

}  // namespace

BackendFactory sqlite_backend(std::filesystem::path path, const Options& options) {
    return [path = std::move(path), busy_timeout = options.busy_timeout]() -> std::unique_ptr<BackendConnection> {
        return std::make_unique<SqliteConnection>(path, busy_timeout);
    };
}

}  // namespace tornado::database::detail
