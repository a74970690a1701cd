// tornado::database — SQL from a handler's coroutine without ever blocking the loop: a pooled
// Connection opened from a URL, query/get/execute/executemany, transactions and migrations.
// Counterpart of early Tornado's tornado/database.py. The backend (SQLite in a file, or a
// PostgreSQL server) is chosen by the URL; application code is the same for both.
//
//   database::Connection db("sqlite:///var/lib/app/app.db");  // or "postgresql://app@db-host/app"
//   co_await db.migrate("migrations");
//   auto id = (co_await db.execute("INSERT INTO books(title) VALUES (?) RETURNING id", title)).lastrowid;
//   for (const auto& book : co_await db.query("SELECT * FROM books WHERE id > ?", 10))
//       write(book["title"].as<std::string>());
//   render("books.html", {{"books", co_await db.query("SELECT * FROM books")}});
#pragma once

#include <asio/awaitable.hpp>
#include <nlohmann/json.hpp>

#include <chrono>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

namespace tornado::database {

// --- errors ---

// Any failure of the database: what() has the database's message and the SQL it ran.
class DatabaseError : public std::runtime_error {
public:
    explicit DatabaseError(const std::string& message, std::string sql = {});
    const std::string& sql() const { return sql_; }

private:
    std::string sql_;
};
// A constraint refused the statement (UNIQUE, NOT NULL, FOREIGN KEY, CHECK): a handler can
// answer 409 Conflict.
class IntegrityError : public DatabaseError {
    using DatabaseError::DatabaseError;
};
// The database cannot serve the request now, but may in a moment: a web handler answers 503.
class UnavailableError : public DatabaseError {
    using DatabaseError::DatabaseError;
};
// No connection of the pool became free within Options::queue_timeout.
class PoolTimeoutError : public UnavailableError {
    using UnavailableError::UnavailableError;
};
// SQLite's database stayed locked by another writer for longer than Options::busy_timeout.
class BusyError : public UnavailableError {
    using UnavailableError::UnavailableError;
};
// migrate() refused the migrations directory (a gap, a duplicate, an edited applied file…).
class MigrationError : public DatabaseError {
    using DatabaseError::DatabaseError;
};

// --- values and rows ---

using Blob = std::vector<std::byte>;

namespace detail {
// The integer types a Value takes: bool and the numbers, not the character types (a char is
// text or a mistake).
template <class T>
concept Integer = std::integral<T> && !std::is_same_v<T, char> && !std::is_same_v<T, wchar_t> &&
                  !std::is_same_v<T, char8_t> && !std::is_same_v<T, char16_t> && !std::is_same_v<T, char32_t>;
}  // namespace detail

// One value of a row or one argument of a statement: NULL, an integer, a real, text or a blob.
// Arguments convert implicitly: strings, integers, bool (0/1), floating point, nullptr or
// std::nullopt (NULL), std::optional<T>, Blob or a span of bytes.
class Value {
public:
    using Variant = std::variant<std::nullptr_t, std::int64_t, double, std::string, Blob>;

    Value() noexcept : value_(nullptr) {}
    Value(std::nullptr_t) noexcept : value_(nullptr) {}
    Value(std::nullopt_t) noexcept : value_(nullptr) {}
    template <detail::Integer T>
    Value(T number);
    template <std::floating_point T>
    Value(T number) : value_(static_cast<double>(number)) {}
    Value(std::string text) noexcept : value_(std::move(text)) {}
    Value(std::string_view text) : value_(std::string(text)) {}
    Value(const char* text) : value_(std::string(text)) {}
    Value(Blob bytes) noexcept : value_(std::move(bytes)) {}
    Value(std::span<const std::byte> bytes) : value_(Blob(bytes.begin(), bytes.end())) {}
    template <class T>
        requires std::constructible_from<Value, const T&>
    Value(const std::optional<T>& value) : Value(value ? Value(*value) : Value()) {}

    bool is_null() const { return std::holds_alternative<std::nullptr_t>(value_); }
    // The value as T: an integer type (range-checked; bool is "not 0"), a floating-point type
    // (integers convert), std::string, std::string_view (into this value), Blob, or
    // std::optional<T> (nullopt for NULL). Another type than the value's, or NULL for anything
    // but an optional, throws std::invalid_argument.
    template <class T>
    T as() const;
    const Variant& variant() const { return value_; }
    // "NULL", "integer", "real", "text" or "blob".
    std::string_view type_name() const;

    friend bool operator==(const Value&, const Value&) = default;

private:
    std::int64_t integer() const;
    double real() const;
    const std::string& text() const;
    const Blob& blob() const;

    Variant value_;
};

// One row of a result, read by column name like the book's documents: row["title"].
class Row {
public:
    Row(std::shared_ptr<const std::vector<std::string>> columns, std::vector<Value> values);

    // The value of the column named name; an unknown name throws std::out_of_range naming it
    // and the row's columns. With several columns of that name (a join), the first.
    const Value& operator[](std::string_view name) const;
    // The value of the index-th column; std::out_of_range past the end.
    const Value& operator[](std::size_t index) const;
    bool contains(std::string_view name) const;
    std::size_t size() const { return values_.size(); }
    const std::vector<std::string>& columns() const { return *columns_; }
    const std::vector<Value>& values() const { return values_; }

private:
    std::shared_ptr<const std::vector<std::string>> columns_;  // shared by the rows of a result
    std::vector<Value> values_;
};

using Rows = std::vector<Row>;
// The arguments of one statement, in the order of its ? placeholders.
using Arguments = std::vector<Value>;

// A value to JSON: null, a number, a string, or JSON's binary type for a blob. A row becomes an
// object keyed by column name; a vector of rows an array of them, in one call:
// render("books.html", {{"books", rows}}).
void to_json(nlohmann::json& json, const Value& value);
void to_json(nlohmann::json& json, const Row& row);

// What execute() and executemany() report (the names of Python's DB-API cursor). rowcount counts
// the rows the statement inserted, updated or deleted. lastrowid is the id of the row it inserted
// last (0 when it inserted none): SQLite knows it for any INSERT; PostgreSQL has no such thing,
// and gives it for `INSERT … RETURNING id` (the first column returned, when it is an integer),
// which SQLite takes too: write inserts that way and the code runs on both.
struct ExecuteResult {
    std::int64_t lastrowid = 0;
    std::int64_t rowcount = 0;
};

// The statement as PostgreSQL wants it: each ? placeholder becomes $1, $2, … in order, except
// inside '…' and E'…' strings, "…" identifiers, $tag$…$tag$ strings and -- or /* */ comments.
// Both backends take ? (write PostgreSQL's ? operators of jsonb as their functions).
std::string numbered_placeholders(std::string_view sql);

namespace detail {
class Pool;
class Lease;

// What one statement gave back.
struct StatementResult {
    Rows rows;
    ExecuteResult counts;
};

// The statements a Connection and a Transaction both run; they say where.
class Statements {
public:
    // The rows of a query (also a statement that returns rows: INSERT … RETURNING).
    template <class... Args>
    asio::awaitable<Rows> query(std::string_view sql, Args&&... args) {
        return query_with(std::string(sql), Arguments{Value(std::forward<Args>(args))...});
    }
    // The one row of a query, or nullopt when there is none; more than one throws
    // DatabaseError.
    template <class... Args>
    asio::awaitable<std::optional<Row>> get(std::string_view sql, Args&&... args) {
        return get_with(std::string(sql), Arguments{Value(std::forward<Args>(args))...});
    }
    // Runs a statement that writes; rows it returns are dropped.
    template <class... Args>
    asio::awaitable<ExecuteResult> execute(std::string_view sql, Args&&... args) {
        return execute_with(std::string(sql), Arguments{Value(std::forward<Args>(args))...});
    }
    // Runs one statement once per argument list, all or none (inside the transaction, if any).
    // rowcount is the sum; lastrowid the last statement's.
    //   std::vector<database::Arguments> books{{"Tornado", 2012}, {"Asio", 2003}};
    //   co_await db.executemany("INSERT INTO books(title, year) VALUES (?, ?)", std::move(books));
    // (GCC 12 cannot compile a braced list written inside a co_await expression: name it first.)
    asio::awaitable<ExecuteResult> executemany(std::string_view sql, std::vector<Arguments> argument_lists) {
        return run_many(std::string(sql), std::move(argument_lists));
    }

protected:
    Statements() = default;
    ~Statements() = default;
    Statements(Statements&&) noexcept = default;
    Statements& operator=(Statements&&) noexcept = default;

    // Runs sql once; a query stops reading after max_rows rows.
    virtual asio::awaitable<StatementResult> run(std::string sql, Arguments arguments, std::size_t max_rows) = 0;
    virtual asio::awaitable<ExecuteResult> run_many(std::string sql, std::vector<Arguments> argument_lists) = 0;

private:
    asio::awaitable<Rows> query_with(std::string sql, Arguments arguments);
    asio::awaitable<std::optional<Row>> get_with(std::string sql, Arguments arguments);
    asio::awaitable<ExecuteResult> execute_with(std::string sql, Arguments arguments);
};
}  // namespace detail

// --- connections ---

struct Options {
    // How many connections the pool opens at most; each SQLite one has a thread of its own.
    std::size_t pool_size = 4;
    // How long a statement waits for a free connection before PoolTimeoutError.
    std::chrono::milliseconds queue_timeout{5000};
    // How long SQLite retries a database another connection has locked before BusyError.
    std::chrono::milliseconds busy_timeout{5000};
    // PostgreSQL: how long connecting to the server may take before UnavailableError.
    std::chrono::milliseconds connect_timeout{5000};
    // PostgreSQL: after a connection to the server is lost (or could not be made), the pool
    // tries again in the background at once, then after reconnect_backoff_min, doubling the
    // wait after each failure up to reconnect_backoff_max; statements meanwhile fail at once
    // with UnavailableError. It never gives up, and never ends the process.
    std::chrono::milliseconds reconnect_backoff_min{100};
    std::chrono::milliseconds reconnect_backoff_max{10000};
};

// A scope of statements that all happen or none: `auto tx = co_await db.transaction();
// co_await tx.execute(…); co_await tx.commit();`. Left without commit() (an exception, an early
// return), it rolls back: the pool rolls the connection back before anyone else uses it.
class Transaction final : public detail::Statements {
public:
    Transaction(Transaction&&) noexcept;
    Transaction& operator=(Transaction&&) = delete;
    ~Transaction();

    asio::awaitable<void> commit();
    asio::awaitable<void> rollback();
    // False once committed or rolled back; statements then throw DatabaseError.
    bool active() const { return lease_ != nullptr; }

private:
    friend class Connection;
    explicit Transaction(std::unique_ptr<detail::Lease> lease);
    asio::awaitable<void> finish(const char* sql);
    asio::awaitable<detail::StatementResult> run(std::string sql, Arguments arguments, std::size_t max_rows) override;
    asio::awaitable<ExecuteResult> run_many(std::string sql, std::vector<Arguments> argument_lists) override;

    std::unique_ptr<detail::Lease> lease_;
};

// A pool of connections to one database, opened from a URL:
//   sqlite:///absolute/path/app.db   sqlite:relative/path/app.db (from the working directory)
//     (no %-escapes; the file and its directories are created on first use);
//   postgresql://user:password@host:port/database?param=value…  (postgres:// too), or libpq's
//     key=value form "host=/run/postgresql dbname=app user=app": given to libpq as they are (its
//     documentation, "Connection Strings", says what they may hold).
// Each statement takes a free connection for its run and gives it back. Use a Connection from one
// loop's coroutines (it is not thread-safe, like the rest of the loop's objects); it must outlive
// their awaits. Destroying it waits for the statements still running on its SQLite connections.
//
// On PostgreSQL, statements run on the loop through libpq's asynchronous API. Arguments go
// separately from the SQL: integers as bigint, reals as double precision, text as untyped
// literals the server reads by their place, blobs as bytea; a bool is the integer 0 or 1 on both
// backends (write `? <> 0` for a boolean column). Results come back by column type: the integer
// types and boolean as integers, real and double precision as reals, numeric as an integer when
// it has no fraction and fits 64 bits and as a real otherwise (cast it to text for exact
// decimals), bytea as a blob, anything else (text, dates, json…) as its text. Transactions are
// PostgreSQL's READ COMMITTED: a row read and then written in one must be read
// `SELECT … FOR UPDATE`. A statement whose coroutine is cancelled runs on at the server, and
// the connection's next statement waits for it first. A lost connection fails the statement in
// flight with UnavailableError (never retried: it may or may not have run); the pool reconnects
// in the background (Options::reconnect_backoff_min/max). One wait is libpq's own: it looks a
// host name up (DNS) while it connects; name the server by IP address (hostaddr=) or its Unix
// socket directory where that lookup could be slow.
class Connection final : public detail::Statements {
public:
    // Throws std::invalid_argument for a URL it cannot use. Opens nothing yet.
    explicit Connection(std::string url, Options options = {});
    Connection(Connection&&) noexcept;
    Connection& operator=(Connection&&) noexcept;
    ~Connection();

    // Takes a connection for a transaction and begins it (on SQLite BEGIN IMMEDIATE: the write
    // lock is taken at once, so two transactions never deadlock upgrading their reads; on
    // PostgreSQL BEGIN).
    asio::awaitable<Transaction> transaction();

    // Applies the migrations in directory that this database has not had yet: files named
    // NNNN_name.sql, numbered 1, 2, 3… without gap or duplicate, each once, in order, each in a
    // transaction, recorded in the table tornado_migrations with its SHA-256. An applied file
    // whose content changed is refused (MigrationError naming it), as is a recorded one that is
    // gone. Migrators in several processes take turns (each file's transaction holds SQLite's
    // write lock, or a PostgreSQL advisory lock).
    asio::awaitable<void> migrate(std::filesystem::path directory);

    const std::string& url() const { return url_; }

private:
    asio::awaitable<detail::StatementResult> run(std::string sql, Arguments arguments, std::size_t max_rows) override;
    asio::awaitable<ExecuteResult> run_many(std::string sql, std::vector<Arguments> argument_lists) override;

    std::string url_;
    std::shared_ptr<detail::Pool> pool_;
};

// --- definitions of the templates above ---

template <detail::Integer T>
Value::Value(T number) : value_(nullptr) {
    if constexpr (std::is_same_v<T, bool>) {
        value_ = std::int64_t{number ? 1 : 0};
    } else {
        if (!std::in_range<std::int64_t>(number))
            throw std::out_of_range("database: " + std::to_string(number) + " is too large for a 64-bit integer");
        value_ = static_cast<std::int64_t>(number);
    }
}

template <class T>
T Value::as() const {
    if constexpr (std::is_same_v<T, std::string>) {
        return text();
    } else if constexpr (std::is_same_v<T, std::string_view>) {
        return text();
    } else if constexpr (std::is_same_v<T, Blob>) {
        return blob();
    } else if constexpr (std::is_same_v<T, bool>) {
        return integer() != 0;
    } else if constexpr (std::is_integral_v<T>) {
        auto number = integer();
        if (!std::in_range<T>(number))
            throw std::invalid_argument("database: " + std::to_string(number) + " does not fit the integer type asked for");
        return static_cast<T>(number);
    } else if constexpr (std::is_floating_point_v<T>) {
        return static_cast<T>(real());
    } else if constexpr (requires { typename T::value_type; } && std::is_same_v<T, std::optional<typename T::value_type>>) {
        if (is_null()) return std::nullopt;
        return as<typename T::value_type>();
    } else {
        static_assert(!sizeof(T), "Value::as<T>: T must be an integer, a floating-point type, std::string, "
                                  "std::string_view, database::Blob or a std::optional of one");
    }
}

}  // namespace tornado::database
