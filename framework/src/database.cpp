// tornado::database: values, rows, errors, and the statements of a Connection and a Transaction.
#include <tornado/database.hpp>

#include "database_backend.hpp"

#include <algorithm>
#include <limits>

namespace tornado::database {

// --- errors ---

DatabaseError::DatabaseError(const std::string& message, std::string sql)
    : std::runtime_error(sql.empty() ? message : message + " [SQL: " + sql + "]"), sql_(std::move(sql)) {}

// --- values and rows ---

std::string_view Value::type_name() const {
    static constexpr std::string_view names[] = {"NULL", "integer", "real", "text", "blob"};
    return names[value_.index()];
}

namespace {
[[noreturn]] void wrong_type(const Value& value, std::string_view wanted) {
    throw std::invalid_argument("database: the value is " + std::string(value.type_name()) + ", not " +
                                std::string(wanted));
}
}  // namespace

std::int64_t Value::integer() const {
    if (const auto* number = std::get_if<std::int64_t>(&value_)) return *number;
    wrong_type(*this, "an integer");
}

double Value::real() const {
    if (const auto* number = std::get_if<double>(&value_)) return *number;
    if (const auto* number = std::get_if<std::int64_t>(&value_)) return static_cast<double>(*number);
    wrong_type(*this, "a number");
}

const std::string& Value::text() const {
    if (const auto* text = std::get_if<std::string>(&value_)) return *text;
    wrong_type(*this, "text");
}

const Blob& Value::blob() const {
    if (const auto* bytes = std::get_if<Blob>(&value_)) return *bytes;
    wrong_type(*this, "a blob");
}

Row::Row(std::shared_ptr<const std::vector<std::string>> columns, std::vector<Value> values)
    : columns_(std::move(columns)), values_(std::move(values)) {}

const Value& Row::operator[](std::string_view name) const {
    auto found = std::find(columns_->begin(), columns_->end(), name);
    if (found != columns_->end()) return values_[static_cast<std::size_t>(found - columns_->begin())];
    std::string known;
    for (const auto& column : *columns_) known += (known.empty() ? "" : ", ") + column;
    throw std::out_of_range("database: the row has no column '" + std::string(name) + "' (its columns: " + known + ")");
}

const Value& Row::operator[](std::size_t index) const {
    if (index >= values_.size())
        throw std::out_of_range("database: the row has " + std::to_string(values_.size()) + " columns, not " +
                                std::to_string(index + 1));
    return values_[index];
}

bool Row::contains(std::string_view name) const {
    return std::find(columns_->begin(), columns_->end(), name) != columns_->end();
}

void to_json(nlohmann::json& json, const Value& value) {
    std::visit(
        [&](const auto& v) {
            using T = std::decay_t<decltype(v)>;
            if constexpr (std::is_same_v<T, Blob>) {
                nlohmann::json::binary_t bytes;
                bytes.reserve(v.size());
                for (auto byte : v) bytes.push_back(static_cast<std::uint8_t>(byte));
                json = nlohmann::json::binary(std::move(bytes));
            } else {
                json = v;
            }
        },
        value.variant());
}

void to_json(nlohmann::json& json, const Row& row) {
    json = nlohmann::json::object();
    // Backwards, so that the first of several columns of one name wins, as with row[name].
    for (auto i = row.size(); i-- > 0;) json[row.columns()[i]] = row.values()[i];
}

// --- statements ---

namespace detail {

asio::awaitable<Rows> Statements::query_with(std::string sql, Arguments arguments) {
    auto result = co_await run(std::move(sql), std::move(arguments), std::numeric_limits<std::size_t>::max());
    co_return std::move(result.rows);
}

asio::awaitable<std::optional<Row>> Statements::get_with(std::string sql, Arguments arguments) {
    auto result = co_await run(sql, std::move(arguments), 2);
    if (result.rows.size() > 1) throw DatabaseError("database: get() found more than one row", std::move(sql));
    if (result.rows.empty()) co_return std::nullopt;
    co_return std::move(result.rows.front());
}

asio::awaitable<ExecuteResult> Statements::execute_with(std::string sql, Arguments arguments) {
    auto result = co_await run(std::move(sql), std::move(arguments), 0);
    co_return result.counts;
}

}  // namespace detail

// --- Transaction ---

Transaction::Transaction(std::unique_ptr<detail::Lease> lease) : lease_(std::move(lease)) {}
Transaction::Transaction(Transaction&&) noexcept = default;
Transaction::~Transaction() = default;  // a lease still held is given back in a transaction: rolled back

asio::awaitable<void> Transaction::commit() { return finish("COMMIT"); }
asio::awaitable<void> Transaction::rollback() { return finish("ROLLBACK"); }

asio::awaitable<void> Transaction::finish(const char* sql) {
    if (!lease_) throw DatabaseError("database: this transaction has ended already", sql);
    auto lease = std::move(lease_);  // the transaction ends here, whatever happens
    co_await lease->connection().run(std::string(sql), {}, 0);
    lease->in_transaction = false;
}

asio::awaitable<detail::StatementResult> Transaction::run(std::string sql, Arguments arguments, std::size_t max_rows) {
    if (!lease_) throw DatabaseError("database: this transaction has ended already", std::move(sql));
    return lease_->connection().run(std::move(sql), std::move(arguments), max_rows);
}

asio::awaitable<ExecuteResult> Transaction::run_many(std::string sql, std::vector<Arguments> argument_lists) {
    if (!lease_) throw DatabaseError("database: this transaction has ended already", std::move(sql));
    return lease_->connection().run_many(std::move(sql), std::move(argument_lists));
}

// --- Connection ---

namespace {

// A libpq key=value connection string: "host=/run/x dbname=y" (a word, then '=').
bool is_key_value_conninfo(std::string_view url) {
    auto equals = url.find('=');
    if (equals == std::string_view::npos || equals == 0) return false;
    auto key = url.substr(0, equals);
    while (!key.empty() && key.back() == ' ') key.remove_suffix(1);
    return !key.empty() && std::all_of(key.begin(), key.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
    });
}

detail::BackendFactory backend_for(std::string_view url, const Options& options) {
    if (options.pool_size == 0) throw std::invalid_argument("database: the pool size must be at least 1");
    if (options.reconnect_backoff_min.count() <= 0 || options.reconnect_backoff_max < options.reconnect_backoff_min)
        throw std::invalid_argument("database: reconnect_backoff_min must be positive and at most reconnect_backoff_max");
    if (url.starts_with("sqlite:")) {
        auto path = url.substr(7);
        if (path.starts_with("//")) {
            path.remove_prefix(2);
            if (!path.starts_with("/"))
                throw std::invalid_argument("database: " + std::string(url) +
                                            ": write sqlite:///absolute/path.db or sqlite:relative/path.db");
        }
        if (path.empty() || path.ends_with("/"))
            throw std::invalid_argument("database: " + std::string(url) + " names no database file");
        return detail::sqlite_backend(std::filesystem::path(path), options);
    }
    if (url.starts_with("postgresql://") || url.starts_with("postgres://") || is_key_value_conninfo(url))
        return detail::postgresql_backend(std::string(url), options);
    throw std::invalid_argument("database: unknown database URL " + std::string(url) +
                                " (sqlite:///absolute/path.db, sqlite:relative/path.db, "
                                "postgresql://user@host:port/database or host=… dbname=…)");
}

}  // namespace

Connection::Connection(std::string url, Options options)
    : url_(std::move(url)), pool_(std::make_shared<detail::Pool>(backend_for(url_, options), options)) {}
Connection::Connection(Connection&&) noexcept = default;
Connection& Connection::operator=(Connection&&) noexcept = default;
Connection::~Connection() = default;

asio::awaitable<detail::StatementResult> Connection::run(std::string sql, Arguments arguments, std::size_t max_rows) {
    auto lease = co_await detail::Pool::acquire(pool_);
    co_return co_await lease->connection().run(std::move(sql), std::move(arguments), max_rows);
}

asio::awaitable<ExecuteResult> Connection::run_many(std::string sql, std::vector<Arguments> argument_lists) {
    auto lease = co_await detail::Pool::acquire(pool_);
    co_return co_await lease->connection().run_many(std::move(sql), std::move(argument_lists));
}

asio::awaitable<Transaction> Connection::transaction() {
    auto lease = co_await detail::Pool::acquire(pool_);
    lease->in_transaction = true;  // from here on, the connection is rolled back when given back
    auto& connection = lease->connection();
    co_await connection.run(std::string(connection.begin_sql()), {}, 0);
    co_return Transaction(std::move(lease));
}

}  // namespace tornado::database
