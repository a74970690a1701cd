// The PostgreSQL backend of tornado::database: libpq's asynchronous API on the loop itself. The
// connection's socket is watched by Asio, and the loop never waits on the server: a statement is
// sent with PQsendQueryParams, its results read with PQconsumeInput/PQisBusy/PQgetResult as the
// socket becomes readable.
#include "database_backend.hpp"

#include <tornado/gen.hpp>
#include <tornado/log.hpp>

#include <asio/co_spawn.hpp>
#include <asio/detached.hpp>
#include <asio/posix/stream_descriptor.hpp>
#include <asio/redirect_error.hpp>
#include <asio/steady_timer.hpp>
#include <asio/system_error.hpp>
#include <asio/this_coro.hpp>
#include <asio/use_awaitable.hpp>

#include <fcntl.h>
#include <libpq-fe.h>
#include <poll.h>
#include <unistd.h>

#include <charconv>
#include <cmath>
#include <cstring>
#include <limits>

namespace tornado::database::detail {
namespace {

constexpr log::Logger db_log{"database"};

// Type OIDs of PostgreSQL's built-in types (its catalog pg_type; fixed across versions).
constexpr Oid bool_oid = 16;
constexpr Oid bytea_oid = 17;
constexpr Oid int8_oid = 20;
constexpr Oid int2_oid = 21;
constexpr Oid int4_oid = 23;
constexpr Oid oid_oid = 26;
constexpr Oid float4_oid = 700;
constexpr Oid float8_oid = 701;
constexpr Oid numeric_oid = 1700;

// Migrators hold this advisory lock (any constant key; these are "tornado" in ASCII) until their
// transaction ends, whether by COMMIT, ROLLBACK or a lost connection.
constexpr const char* migration_lock = "SELECT pg_advisory_xact_lock(32775554012095599)";

struct ClearResult {
    void operator()(PGresult* result) const { PQclear(result); }
};
using Result = std::unique_ptr<PGresult, ClearResult>;

// libpq's messages end in a newline and may span lines: one line for an exception.
std::string one_line(const char* message) {
    std::string line;
    for (const char* c = message; *c; ++c) {
        bool space = *c == '\n' || *c == '\t' || *c == ' ';
        if (space) {
            if (!line.empty() && line.back() != ' ') line += ' ';
        } else {
            line += *c;
        }
    }
    while (!line.empty() && line.back() == ' ') line.pop_back();
    return line;
}

// The server's notices ("relation … already exists, skipping") go to the log, not to stderr.
void log_notice(void*, const char* message) { db_log.debug("database: PostgreSQL says: " + one_line(message)); }

// One connection to the server, shared by the statement that runs on it and a clean-up that
// may outlive the PostgreSqlConnection (a cancelled statement's results still to read).
struct Session {
    Session(const asio::any_io_executor& executor, PGconn* connection)
        : conn(connection), socket(executor), cleaned(executor) {}
    Session(const Session&) = delete;
    Session& operator=(const Session&) = delete;
    ~Session() {
        socket.close();  // our duplicate of libpq's socket; libpq closes its own
        PQfinish(conn);
    }

    // Watches the socket libpq uses now, through a duplicate of it: libpq closes its socket
    // when the connection fails, and a number closed under Asio could name another file later.
    void watch_socket() {
        socket.close();
        int fd = PQsocket(conn);
        if (fd < 0) return;
        int copy = ::fcntl(fd, F_DUPFD_CLOEXEC, 0);
        if (copy < 0) throw UnavailableError(std::string("database: cannot watch the PostgreSQL socket: ") + std::strerror(errno));
        socket.assign(copy);
    }

    // Returns once the socket is readable (or writable): at once when it is already, as Asio
    // reports only the changes of readiness.
    asio::awaitable<void> wait_for(bool write) {
        pollfd fd{PQsocket(conn), static_cast<short>(write ? POLLOUT : POLLIN), 0};
        if (fd.fd < 0 || ::poll(&fd, 1, 0) > 0) co_return;
        co_await socket.async_wait(write ? asio::posix::stream_descriptor::wait_write
                                         : asio::posix::stream_descriptor::wait_read,
                                   asio::use_awaitable);
    }

    // (Logged by the pool, which drops the connection and reconnects.)
    void lose(std::string why) {
        lost = true;
        lost_error = std::move(why);
    }

    PGconn* conn;
    asio::posix::stream_descriptor socket;
    bool lost = false;          // the server is gone: every statement fails, the pool drops it
    std::string lost_error;
    bool unread = false;        // a cancelled statement's results are still to be read
    bool roll_back = false;     // a transaction left open is to be rolled back
    bool cleaning = false;      // clean_up() runs; statements wait for it
    asio::steady_timer cleaned; // cancelled when clean_up() ends
};

[[noreturn]] void throw_lost(Session& session, const std::string& sql) {
    if (!session.lost) session.lose("database: the connection to PostgreSQL was lost: " + one_line(PQerrorMessage(session.conn)));
    throw UnavailableError(session.lost_error + " (the statement may or may not have run)", sql);
}

// Sends what libpq has buffered (a large statement may not fit the socket's buffer at once).
asio::awaitable<void> flush(std::shared_ptr<Session> session, const std::string& sql) {
    for (;;) {
        int pending = PQflush(session->conn);
        if (pending == 0) co_return;
        if (pending < 0) throw_lost(*session, sql);
        co_await session->wait_for(true);
        // The server may answer before it has read everything: read, so that it never blocks.
        if (!PQconsumeInput(session->conn)) throw_lost(*session, sql);
    }
}

// Every result of the statement sent last, once the server has sent them all.
asio::awaitable<std::vector<Result>> results_of(std::shared_ptr<Session> session, const std::string& sql) {
    co_await flush(session, sql);
    std::vector<Result> results;
    for (;;) {
        while (PQisBusy(session->conn)) {
            co_await session->wait_for(false);
            if (!PQconsumeInput(session->conn)) throw_lost(*session, sql);
        }
        Result result(PQgetResult(session->conn));
        if (!result) break;
        results.push_back(std::move(result));
    }
    if (PQstatus(session->conn) == CONNECTION_BAD) throw_lost(*session, sql);
    co_return results;
}

// Reads what a cancelled statement left, and rolls back a transaction left open, so that the
// connection serves the next statement (which waits for this) as if nothing had happened.
asio::awaitable<void> clean_up(std::shared_ptr<Session> session) {
    try {
        while (!session->lost && (session->unread || session->roll_back)) {
            if (session->unread) {
                session->unread = false;
                co_await results_of(session, "");
            } else {
                session->roll_back = false;
                if (PQtransactionStatus(session->conn) == PQTRANS_IDLE) continue;
                if (!PQsendQuery(session->conn, "ROLLBACK")) throw_lost(*session, "ROLLBACK");
                auto results = co_await results_of(session, "ROLLBACK");
                for (const auto& result : results)
                    if (PQresultStatus(result.get()) == PGRES_FATAL_ERROR)
                        db_log.error("database: rolling back a transaction left open failed: " +
                                     one_line(PQresultErrorMessage(result.get())));
            }
        }
    } catch (const std::exception& error) {
        if (!session->lost) session->lose(std::string("database: cleaning up a connection failed: ") + error.what());
    }
    session->cleaning = false;
    session->cleaned.cancel();
}

void start_clean_up(const std::shared_ptr<Session>& session) {
    if (session->cleaning || session->lost) return;
    session->cleaning = true;
    asio::co_spawn(session->socket.get_executor(), clean_up(session), asio::detached);
}

// The arguments of a statement, as PQsendQueryParams takes them: numbers and text in text
// format (text typed "unknown", so that the server infers its type as for a literal), blobs in
// binary format as bytea.
class Parameters {
public:
    Parameters(const Arguments& arguments, const std::string& sql) {
        auto count = arguments.size();
        types_.reserve(count);
        texts_.reserve(count);
        values_.reserve(count);
        lengths_.reserve(count);
        formats_.reserve(count);
        for (const auto& argument : arguments) {
            std::visit([&](const auto& value) { add(value, sql); }, argument.variant());
        }
    }
    int size() const { return static_cast<int>(values_.size()); }
    const Oid* types() const { return types_.data(); }
    const char* const* values() const { return values_.data(); }
    const int* lengths() const { return lengths_.data(); }
    const int* formats() const { return formats_.data(); }

private:
    void push(Oid type, const char* value, int length, int format) {
        types_.push_back(type);
        values_.push_back(value);
        lengths_.push_back(length);
        formats_.push_back(format);
    }
    void add(std::nullptr_t, const std::string&) { push(0, nullptr, 0, 0); }
    void add(std::int64_t number, const std::string&) {
        texts_.push_back(std::to_string(number));
        push(int8_oid, texts_.back().c_str(), 0, 0);
    }
    void add(double number, const std::string&) {
        if (std::isnan(number)) {
            texts_.emplace_back("NaN");
        } else if (std::isinf(number)) {
            texts_.emplace_back(number > 0 ? "Infinity" : "-Infinity");
        } else {
            char digits[32];
            auto end = std::to_chars(digits, digits + sizeof digits, number).ptr;  // shortest exact form
            texts_.emplace_back(digits, end);
        }
        push(float8_oid, texts_.back().c_str(), 0, 0);
    }
    void add(const std::string& text, const std::string& sql) {
        // Text parameters go as C strings: a NUL would cut the value short without a word.
        if (text.find('\0') != std::string::npos)
            throw DatabaseError("database: PostgreSQL text cannot contain a NUL character (store bytes as a Blob)", sql);
        push(0, text.c_str(), 0, 0);
    }
    void add(const Blob& bytes, const std::string& sql) {
        static constexpr char empty = 0;  // a null pointer would be NULL, not an empty bytea
        if (bytes.size() > static_cast<std::size_t>(std::numeric_limits<int>::max()))
            throw DatabaseError("database: a blob argument is too large", sql);
        push(bytea_oid, bytes.empty() ? &empty : reinterpret_cast<const char*>(bytes.data()),
             static_cast<int>(bytes.size()), 1);
    }

    std::vector<Oid> types_;
    std::vector<std::string> texts_;  // reserved: the pointers into them stay valid
    std::vector<const char*> values_;
    std::vector<int> lengths_;
    std::vector<int> formats_;
};

std::int64_t parse_integer(std::string_view text) {
    std::int64_t number = 0;
    auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), number);
    if (error != std::errc() || end != text.data() + text.size())
        throw DatabaseError("database: PostgreSQL sent an integer that does not fit 64 bits: " + std::string(text));
    return number;
}

double parse_real(std::string_view text) {
    double number = 0;
    auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), number);
    if (error != std::errc() && error != std::errc::result_out_of_range)
        throw DatabaseError("database: PostgreSQL sent a number it cannot read: " + std::string(text));
    return number;
}

// One field of a result, by its column's type: integers (and bool as 0/1) as integers, floats as
// reals, numeric as an integer when it has no fraction and fits 64 bits (as SQLite keeps them)
// and as a real otherwise, bytea as a blob, anything else (text, dates, json…) as its text.
Value field_value(const PGresult* result, int row, int column) {
    if (PQgetisnull(result, row, column)) return Value();
    std::string_view text(PQgetvalue(result, row, column), static_cast<std::size_t>(PQgetlength(result, row, column)));
    switch (PQftype(result, column)) {
        case bool_oid:
            return Value(text == "t");
        case int2_oid:
        case int4_oid:
        case int8_oid:
        case oid_oid:
            return Value(parse_integer(text));
        case float4_oid:
        case float8_oid:
            return Value(parse_real(text));
        case numeric_oid: {
            std::int64_t number = 0;
            auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), number);
            if (error == std::errc() && end == text.data() + text.size()) return Value(number);
            return Value(parse_real(text));
        }
        case bytea_oid: {
            std::size_t length = 0;
            auto* bytes = PQunescapeBytea(reinterpret_cast<const unsigned char*>(PQgetvalue(result, row, column)), &length);
            if (!bytes) throw std::bad_alloc();
            auto* begin = reinterpret_cast<const std::byte*>(bytes);
            Blob blob(begin, begin + length);
            PQfreemem(bytes);
            return Value(std::move(blob));
        }
        default:
            return Value(std::string(text));
    }
}

bool starts_with_any(std::string_view text, std::initializer_list<std::string_view> prefixes) {
    for (auto prefix : prefixes)
        if (text.starts_with(prefix)) return true;
    return false;
}

// The error a failed result stands for, by its SQLSTATE: class 23 (a constraint) is
// IntegrityError; a connection the server ended (class 08, 57P01-57P03) or cannot make (53,
// too many connections) is UnavailableError.
[[noreturn]] void throw_error(Session& session, const PGresult* result, const std::string& sql) {
    const char* field = PQresultErrorField(result, PG_DIAG_SQLSTATE);
    std::string_view state = field ? field : "";
    const char* primary = PQresultErrorField(result, PG_DIAG_MESSAGE_PRIMARY);
    const char* detail = PQresultErrorField(result, PG_DIAG_MESSAGE_DETAIL);
    std::string message = "database: " + (primary ? std::string(primary) : one_line(PQresultErrorMessage(result)));
    if (detail) message += " (" + std::string(detail) + ")";
    if (state.starts_with("23")) throw IntegrityError(message, sql);
    if (state.starts_with("08") || starts_with_any(state, {"57P01", "57P02", "57P03"}) || PQstatus(session.conn) == CONNECTION_BAD) {
        session.lose("database: the connection to PostgreSQL was lost: " + message.substr(10));
        throw UnavailableError(message, sql);
    }
    if (state.starts_with("53")) throw UnavailableError(message, sql);
    if (state == "42601" && primary && std::strstr(primary, "multiple commands")) throw DatabaseError(one_statement_only, sql);
    throw DatabaseError(message, sql);
}

StatementResult statement_result(Session& session, const PGresult* result, const std::string& sql, std::size_t max_rows) {
    auto status = PQresultStatus(result);
    if (status != PGRES_TUPLES_OK && status != PGRES_COMMAND_OK) {
        if (status == PGRES_FATAL_ERROR || status == PGRES_NONFATAL_ERROR) throw_error(session, result, sql);
        throw DatabaseError(std::string("database: unexpected PostgreSQL result ") + PQresStatus(status), sql);
    }
    StatementResult converted;
    std::string_view command = PQcmdStatus(const_cast<PGresult*>(result));
    if (starts_with_any(command, {"INSERT ", "UPDATE ", "DELETE ", "MERGE "})) {
        std::string_view count = PQcmdTuples(const_cast<PGresult*>(result));
        if (!count.empty()) converted.counts.rowcount = parse_integer(count);
    }
    auto rows = PQntuples(result);
    auto fields = PQnfields(result);
    // INSERT … RETURNING id: the id of the last row inserted, as SQLite's lastrowid.
    if (command.starts_with("INSERT ") && rows > 0 && fields > 0) {
        auto type = PQftype(result, 0);
        if ((type == int2_oid || type == int4_oid || type == int8_oid) && !PQgetisnull(result, rows - 1, 0))
            converted.counts.lastrowid = parse_integer(PQgetvalue(result, rows - 1, 0));
    }
    auto columns = std::make_shared<std::vector<std::string>>();
    for (int column = 0; column < fields; ++column) columns->emplace_back(PQfname(result, column));
    auto wanted = static_cast<int>(std::min<std::size_t>(max_rows, static_cast<std::size_t>(rows)));
    converted.rows.reserve(static_cast<std::size_t>(wanted));
    for (int row = 0; row < wanted; ++row) {
        std::vector<Value> values;
        values.reserve(static_cast<std::size_t>(fields));
        for (int column = 0; column < fields; ++column) values.push_back(field_value(result, row, column));
        converted.rows.emplace_back(columns, std::move(values));
    }
    return converted;
}

class PostgreSqlConnection final : public BackendConnection {
public:
    PostgreSqlConnection(std::shared_ptr<const std::string> conninfo, std::chrono::milliseconds connect_timeout)
        : conninfo_(std::move(conninfo)), connect_timeout_(connect_timeout) {}

    asio::awaitable<StatementResult> run(std::string sql, Arguments arguments, std::size_t max_rows) override {
        auto session = co_await ready(sql);
        co_return co_await statement(session, sql, arguments, max_rows);
    }

    // In a transaction of its own, or in a savepoint of the caller's, so that it is all or none.
    asio::awaitable<ExecuteResult> run_many(std::string sql, std::vector<Arguments> argument_lists) override {
        auto session = co_await ready(sql);
        bool own_transaction = PQtransactionStatus(session->conn) == PQTRANS_IDLE;
        co_await statement(session, own_transaction ? "BEGIN" : "SAVEPOINT tornado_executemany", {}, 0);
        ExecuteResult total;
        std::exception_ptr failure;
        try {
            for (const auto& arguments : argument_lists) {
                auto result = co_await statement(session, sql, arguments, 0);
                total.rowcount += result.counts.rowcount;
                if (result.counts.lastrowid) total.lastrowid = result.counts.lastrowid;
            }
            co_await statement(session, own_transaction ? "COMMIT" : "RELEASE tornado_executemany", {}, 0);
        } catch (...) {
            failure = std::current_exception();
        }
        if (failure) {
            if (session->unread || session->lost) {
                // Cancelled (the clean-up rolls back) or lost (the server rolled back).
                if (own_transaction) session->roll_back = true;
                if (session->unread) start_clean_up(session);
            } else if (own_transaction) {
                co_await statement(session, "ROLLBACK", {}, 0);
            } else {
                co_await statement(session, "ROLLBACK TO tornado_executemany", {}, 0);
                co_await statement(session, "RELEASE tornado_executemany", {}, 0);
            }
            std::rethrow_exception(failure);
        }
        co_return total;
    }

    // A migration file: its statements in one simple query, as psql would send them.
    asio::awaitable<void> run_script(std::string sql) override {
        auto session = co_await ready(sql);
        if (!PQsendQuery(session->conn, sql.c_str())) throw_lost(*session, sql);
        auto results = co_await read_results(session, sql);
        for (const auto& result : results) statement_result(*session, result.get(), sql, 0);
    }

    std::string_view begin_sql() const override { return "BEGIN"; }
    std::string_view migration_lock_sql() const override { return migration_lock; }

    void discard_transaction() override {
        if (!session_ || session_->lost) return;  // the server rolled it back when the connection ended
        session_->roll_back = true;
        start_clean_up(session_);
    }

    asio::awaitable<void> connect() override {
        auto executor = co_await asio::this_coro::executor;
        // The URL or key=value string as the dbname, which libpq expands; UTF-8 text whatever
        // the server's default.
        const char* keys[] = {"dbname", "client_encoding", "fallback_application_name", nullptr};
        const char* values[] = {conninfo_->c_str(), "UTF8", "tornado", nullptr};
        PGconn* conn = PQconnectStartParams(keys, values, 1);
        if (!conn) throw std::bad_alloc();
        auto session = std::make_shared<Session>(executor, conn);
        PQsetNoticeProcessor(conn, log_notice, nullptr);
        try {
            co_await gen::with_timeout(connect_timeout_, poll_connection(session));
            if (PQsetnonblocking(conn, 1) != 0) throw UnavailableError("database: " + one_line(PQerrorMessage(conn)));
        } catch (const gen::TimeoutError&) {
            broken_ = true;
            error_ = "database: connecting to PostgreSQL took longer than the connect timeout of " +
                     std::to_string(connect_timeout_.count()) + " ms";
            throw UnavailableError(error_);
        } catch (const UnavailableError& error) {
            broken_ = true;
            error_ = error.what();
            throw;
        }
        session_ = std::move(session);
    }

    bool broken() const override { return broken_ || (session_ && session_->lost); }
    std::string error() const override { return session_ && session_->lost ? session_->lost_error : error_; }

private:
    static asio::awaitable<void> poll_connection(std::shared_ptr<Session> session) {
        auto status = PGRES_POLLING_WRITING;  // what libpq's documentation says to start with
        for (;;) {
            if (PQstatus(session->conn) == CONNECTION_BAD) status = PGRES_POLLING_FAILED;
            if (status == PGRES_POLLING_OK) break;
            if (status == PGRES_POLLING_FAILED)
                throw UnavailableError("database: cannot connect to PostgreSQL: " + one_line(PQerrorMessage(session->conn)));
            session->watch_socket();  // libpq may have opened another socket (the next host)
            co_await session->wait_for(status == PGRES_POLLING_WRITING);
            status = PQconnectPoll(session->conn);
        }
        session->watch_socket();
    }

    // The session a statement runs on: once the clean-up of the previous one has ended, and
    // connected (again, if the server closed this idle connection meanwhile).
    asio::awaitable<std::shared_ptr<Session>> ready(const std::string& sql) {
        if (broken_) throw UnavailableError(error_, sql);
        while (session_ && session_->cleaning) {
            session_->cleaned.expires_at(asio::steady_timer::time_point::max());
            std::error_code woken;
            co_await session_->cleaned.async_wait(asio::redirect_error(asio::use_awaitable, woken));
            auto state = co_await asio::this_coro::cancellation_state;
            if (session_->cleaning && state.cancelled() != asio::cancellation_type::none)
                throw asio::system_error(asio::error::operation_aborted);
        }
        if (session_ && session_->lost) throw UnavailableError(session_->lost_error, sql);
        if (session_ && closed_while_idle(*session_)) session_.reset();
        if (!session_) co_await connect();
        co_return session_;
    }

    // Whether the server closed this connection while it was idle and outside a transaction
    // (a restart, an administrator's pg_terminate_backend): nothing was sent on it, so a new
    // connection may take its place without retrying anything.
    static bool closed_while_idle(Session& session) {
        pollfd fd{PQsocket(session.conn), POLLIN, 0};
        if (fd.fd < 0) return true;
        if (::poll(&fd, 1, 0) <= 0) return false;
        bool idle = PQtransactionStatus(session.conn) == PQTRANS_IDLE;
        if (PQconsumeInput(session.conn) && PQstatus(session.conn) != CONNECTION_BAD) return false;
        if (idle) return true;
        session.lose("database: the connection to PostgreSQL was lost in a transaction: " +
                     one_line(PQerrorMessage(session.conn)));
        throw UnavailableError(session.lost_error);
    }

    asio::awaitable<StatementResult> statement(std::shared_ptr<Session> session, const std::string& sql,
                                               const Arguments& arguments, std::size_t max_rows) {
        std::size_t placeholders = 0;
        auto numbered = numbered_placeholders(sql, placeholders);
        if (placeholders != arguments.size())
            throw DatabaseError("database: the SQL has " + std::to_string(placeholders) + " placeholder(s) but " +
                                std::to_string(arguments.size()) + " argument(s) were given", sql);
        Parameters parameters(arguments, sql);
        if (!PQsendQueryParams(session->conn, numbered.c_str(), parameters.size(), parameters.types(),
                               parameters.values(), parameters.lengths(), parameters.formats(), 0)) {
            if (PQstatus(session->conn) == CONNECTION_BAD) throw_lost(*session, sql);
            throw DatabaseError("database: " + one_line(PQerrorMessage(session->conn)), sql);
        }
        auto results = co_await read_results(session, sql);
        if (results.empty()) throw DatabaseError("database: PostgreSQL sent no result", sql);
        if (results.size() > 1) throw DatabaseError(one_statement_only, sql);
        co_return statement_result(*session, results.front().get(), sql, max_rows);
    }

    // results_of(), and when the awaiting coroutine is cancelled meanwhile, the clean-up reads
    // what it left.
    static asio::awaitable<std::vector<Result>> read_results(std::shared_ptr<Session> session, const std::string& sql) {
        try {
            co_return co_await results_of(session, sql);
        } catch (const asio::system_error& error) {
            if (error.code() != asio::error::operation_aborted) session->lose("database: PostgreSQL's socket failed: " + error.code().message());
        }
        // Only reached when a wait on the socket ended without its data.
        if (!session->lost) {
            session->unread = true;
            start_clean_up(session);
            throw asio::system_error(asio::error::operation_aborted);
        }
        throw UnavailableError(session->lost_error, sql);
    }

    std::shared_ptr<const std::string> conninfo_;
    std::chrono::milliseconds connect_timeout_;
    std::shared_ptr<Session> session_;  // null until connected
    bool broken_ = false;               // could not connect: the pool drops this one
    std::string error_;
};

}  // namespace

BackendFactory postgresql_backend(std::string conninfo, const Options& options) {
    char* error = nullptr;
    PQconninfoOption* parsed = PQconninfoParse(conninfo.c_str(), &error);
    if (!parsed) {
        std::string message = error ? one_line(error) : "out of memory";
        PQfreemem(error);
        throw std::invalid_argument("database: libpq cannot use the connection string: " + message);
    }
    PQconninfoFree(parsed);
    return [conninfo = std::make_shared<const std::string>(std::move(conninfo)),
            connect_timeout = options.connect_timeout]() -> std::unique_ptr<BackendConnection> {
        return std::make_unique<PostgreSqlConnection>(conninfo, connect_timeout);
    };
}

}  // namespace tornado::database::detail
