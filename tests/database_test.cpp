// tornado::database through the public API, and from handlers of an Application over a real
// socket: on real SQLite files in a temporary directory, and a second time on a real PostgreSQL
// server (tests/database_under_test.hpp). Cases tagged [sqlite] or [postgresql] run on that
// backend only.
#include "app_fixture.hpp"
#include "database_under_test.hpp"
#include "loop_fixture.hpp"
#include "temp_dir.hpp"

#include <tornado/database.hpp>
#include <tornado/escape.hpp>
#include <tornado/gen.hpp>
#include <tornado/testing.hpp>

#include <catch2/catch.hpp>

#include <stdlib.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <string>
#include <vector>

using namespace tornado;
using namespace std::chrono_literals;
using database::Arguments;
using database::Connection;
using database::Options;
using testing::TestDatabase;

namespace {

void write_file(const std::filesystem::path& path, const std::string& content) {
    std::ofstream(path, std::ios::binary) << content;
}

struct DatabaseTest : LoopTest {
    TempDir dir;
    TestDatabase database{dir.path};
    const std::string& url() const { return database.url(); }
    std::string sqlite_url(const std::string& file) const { return "sqlite://" + (dir.path / file).string(); }
    template <class T>
    T run(asio::awaitable<T> coroutine) {
        return loop.run_sync(std::move(coroutine), 10s);
    }
    std::int64_t count(Connection& db, const std::string& table) {
        return run(db.get("SELECT count(*) AS n FROM " + table))->operator[]("n").as<std::int64_t>();
    }
};

// Returns once a statement on PostgreSQL waits for a lock (seen from another connection).
void wait_for_a_lock_wait(Connection& observer) {
    auto& loop = ioloop::IOLoop::current();
    for (int attempt = 0; attempt < 500; ++attempt) {
        auto waiting = loop.run_sync(observer.get("SELECT count(*) AS n FROM pg_stat_activity WHERE "
                                                  "datname = current_database() AND wait_event_type = 'Lock'"),
                                     5s);
        if ((*waiting)["n"].as<int>() > 0) return;
        loop.run_sync(gen::sleep(10ms), 5s);
    }
    FAIL("no statement came to wait for a lock");
}

asio::awaitable<void> create_books(Connection& db) {
    co_await db.execute("CREATE TABLE books (id " + std::string(TestDatabase::auto_id()) +
                        ", title TEXT NOT NULL UNIQUE, year INTEGER)");
}

// What the backend says of a table that does not exist.
std::string no_such_table(const std::string& name) {
    return TestDatabase::is_postgresql() ? "relation \"" + name + "\" does not exist" : "no such table: " + name;
}

}  // namespace

// --- statements ---

TEST_CASE_METHOD(DatabaseTest, "database: query, get and execute create, read, update and delete rows") {
    Connection db(url());
    run(create_books(db));
    // RETURNING id gives lastrowid on both backends (SQLite gives it without too).
    auto first = run(db.execute("INSERT INTO books (title, year) VALUES (?, ?) RETURNING id", "Introduction to Tornado", 2012));
    CHECK(first.lastrowid == 1);
    CHECK(first.rowcount == 1);
    auto second = run(db.execute("INSERT INTO books (title, year) VALUES (?, ?) RETURNING id", std::string("The C++ book"), 2020));
    CHECK(second.lastrowid == 2);
    CHECK(second.rowcount == 1);

    auto rows = run(db.query("SELECT id, title, year FROM books ORDER BY id"));
    REQUIRE(rows.size() == 2);
    CHECK(rows[0]["title"].as<std::string>() == "Introduction to Tornado");
    CHECK(rows[1]["year"].as<int>() == 2020);

    auto updated = run(db.execute("UPDATE books SET year = year + 1 WHERE year < ?", 3000));
    CHECK(updated.rowcount == 2);
    CHECK(updated.lastrowid == 0);  // an UPDATE inserts no row
    CHECK(run(db.get("SELECT year FROM books WHERE id = ?", 1))->operator[]("year").as<std::int64_t>() == 2013);

    auto deleted = run(db.execute("DELETE FROM books WHERE title = ?", "The C++ book"));
    CHECK(deleted.rowcount == 1);
    CHECK(count(db, "books") == 1);
    CHECK(run(db.execute("SELECT * FROM books")).rowcount == 0);  // a query changes nothing
}

TEST_CASE_METHOD(DatabaseTest, "database: injection attempts in arguments are stored verbatim") {
    Connection db(url());
    run(create_books(db));
    std::vector<std::string> attempts = {
        "'; DROP TABLE books; --", "\" OR 1=1 --", "Robert'); DROP TABLE books;--", "? ?? $1 :name @x",
        "back\\slash \\' quote", "/* comment */ -- line", "$$ $tag$ E'\\x00'"};
    std::string nul("nul\0byte", 8);
    if (TestDatabase::is_postgresql()) {  // its text type holds no NUL: refused, not cut short
        CHECK_THROWS_WITH(run(db.execute("INSERT INTO books (title) VALUES (?)", nul)), Catch::Contains("NUL"));
    } else {
        attempts.push_back(nul);
    }
    for (const auto& text : attempts) run(db.execute("INSERT INTO books (title) VALUES (?)", text));
    for (const auto& text : attempts) {
        auto row = run(db.get("SELECT title FROM books WHERE title = ?", text));
        REQUIRE(row);
        CHECK((*row)["title"].as<std::string>() == text);
    }
    CHECK(count(db, "books") == static_cast<std::int64_t>(attempts.size()));
}

TEST_CASE_METHOD(DatabaseTest, "database: SQL with a second statement is refused and nothing of it runs") {
    Connection db(url());
    run(create_books(db));
    CHECK_THROWS_WITH(run(db.execute("INSERT INTO books (title) VALUES ('a'); DROP TABLE books")),
                      Catch::Contains("one statement per call"));
    CHECK(count(db, "books") == 0);  // the table is there, and the first statement did not run either
    run(db.execute("INSERT INTO books (title) VALUES (?); -- a trailing comment is fine", "b"));
    CHECK(count(db, "books") == 1);
}

TEST_CASE_METHOD(DatabaseTest, "database: unicode text round trips as UTF-8") {
    Connection db(url());
    run(create_books(db));
    std::string text = "中文 Tornado 入门 😀 é";
    run(db.execute("INSERT INTO books (title) VALUES (?)", text));
    auto row = run(db.get("SELECT title, length(title) AS characters FROM books"));
    REQUIRE(row);
    CHECK((*row)["title"].as<std::string>() == text);
    CHECK((*row)["characters"].as<int>() == 17);  // SQLite counts characters: stored as UTF-8 text
    CHECK(run(db.get("SELECT id FROM books WHERE title = ?", std::string_view(text))));
}

TEST_CASE_METHOD(DatabaseTest, "database: NULL, numbers, booleans and blobs round trip with their types", "[sqlite]") {
    Connection db(url());
    run(db.execute("CREATE TABLE v (a, b, c, d, e, f, g, h)"));
    database::Blob bytes{std::byte{0}, std::byte{0xff}, std::byte{'\''}, std::byte{0}};
    std::optional<int> none;
    std::optional<int> some = 7;
    run(db.execute("INSERT INTO v VALUES (?, ?, ?, ?, ?, ?, ?, ?)", nullptr, std::nullopt, none, some, 2.5, true,
                   bytes, database::Blob{}));
    run(db.execute("INSERT INTO v (a, b) VALUES (?, ?)", std::numeric_limits<std::int64_t>::max(),
                   std::numeric_limits<std::int64_t>::min()));
    auto rows = run(db.query("SELECT a, b, c, d, e, f, g, h, typeof(g) AS tg, typeof(h) AS th FROM v ORDER BY rowid"));
    REQUIRE(rows.size() == 2);
    const auto& row = rows[0];
    CHECK(row["a"].is_null());
    CHECK(row["b"].is_null());
    CHECK(row["c"].is_null());
    CHECK(row["c"].as<std::optional<int>>() == std::nullopt);
    CHECK(row["d"].as<std::optional<int>>() == 7);
    CHECK(row["e"].as<double>() == 2.5);
    CHECK(row["f"].as<bool>());
    CHECK(row["g"].as<database::Blob>() == bytes);
    CHECK(row["tg"].as<std::string>() == "blob");
    CHECK(row["h"].as<database::Blob>().empty());
    CHECK(row["th"].as<std::string>() == "blob");  // an empty blob is not NULL
    CHECK(rows[1]["a"].as<std::int64_t>() == std::numeric_limits<std::int64_t>::max());
    CHECK(rows[1]["b"].as<std::int64_t>() == std::numeric_limits<std::int64_t>::min());
    CHECK_THROWS_AS(database::Value(std::numeric_limits<std::uint64_t>::max()), std::out_of_range);
}

TEST_CASE_METHOD(DatabaseTest, "database: arguments and results larger than a socket's buffer go through whole") {
    Connection db(url());
    run(db.execute(std::string("CREATE TABLE pages (body TEXT, bytes ") + (TestDatabase::is_postgresql() ? "BYTEA)" : "BLOB)")));
    std::string body;
    for (int i = 0; body.size() < 8'000'000; ++i) body += "line " + std::to_string(i) + " 中文\n";
    database::Blob bytes(3'000'000);
    for (std::size_t i = 0; i < bytes.size(); ++i) bytes[i] = static_cast<std::byte>(i * 7);
    run(db.execute("INSERT INTO pages VALUES (?, ?)", body, bytes));
    auto row = run(db.get("SELECT body, bytes FROM pages"));
    CHECK((*row)["body"].as<std::string>() == body);
    CHECK((*row)["bytes"].as<database::Blob>() == bytes);
}

TEST_CASE_METHOD(DatabaseTest, "database: get() gives the one row, nullopt for none, and refuses two") {
    Connection db(url());
    run(create_books(db));
    CHECK_FALSE(run(db.get("SELECT * FROM books WHERE id = ?", 1)));
    run(db.execute("INSERT INTO books (title) VALUES (?)", "one"));
    auto row = run(db.get("SELECT * FROM books WHERE id = ?", 1));
    REQUIRE(row);
    CHECK((*row)["title"].as<std::string>() == "one");
    run(db.execute("INSERT INTO books (title) VALUES (?)", "two"));
    CHECK_THROWS_AS(run(db.get("SELECT * FROM books")), database::DatabaseError);
    CHECK_THROWS_WITH(run(db.get("SELECT * FROM books")), Catch::Contains("more than one row"));
}

TEST_CASE_METHOD(DatabaseTest, "database: a row names its columns, refuses unknown ones and wrong types, and converts to JSON") {
    Connection db(url());
    run(create_books(db));
    run(db.execute("INSERT INTO books (title, year) VALUES (?, ?)", "Tornado", 2012));
    run(db.execute("INSERT INTO books (title) VALUES (?)", "Untitled year"));
    auto rows = run(db.query("SELECT id, title, year FROM books ORDER BY id"));
    REQUIRE(rows.size() == 2);
    CHECK(rows[0].columns() == std::vector<std::string>{"id", "title", "year"});
    CHECK(rows[0][1u].as<std::string>() == "Tornado");
    CHECK(rows[0].contains("year"));
    CHECK_FALSE(rows[0].contains("author"));
    CHECK_THROWS_WITH(rows[0]["author"], Catch::Contains("no column 'author'") && Catch::Contains("id, title, year"));
    CHECK_THROWS_AS(rows[0][3u], std::out_of_range);
    CHECK_THROWS_WITH(rows[0]["title"].as<std::int64_t>(), Catch::Contains("text, not an integer"));
    CHECK_THROWS_WITH(rows[1]["year"].as<std::int64_t>(), Catch::Contains("NULL"));
    CHECK_THROWS_AS(rows[0]["year"].as<std::int8_t>(), std::invalid_argument);  // 2012 does not fit

    nlohmann::json json = rows;
    CHECK(json == nlohmann::json::parse(R"([{"id": 1, "title": "Tornado", "year": 2012},
                                            {"id": 2, "title": "Untitled year", "year": null}])"));
    nlohmann::json context = {{"book", rows[0]}};
    CHECK(context["book"]["title"] == "Tornado");
}

TEST_CASE_METHOD(DatabaseTest, "database: the number of arguments must match the placeholders") {
    Connection db(url());
    run(create_books(db));
    CHECK_THROWS_WITH(run(db.execute("INSERT INTO books (title, year) VALUES (?, ?)", "x")),
                      Catch::Contains("2 placeholder(s) but 1 argument(s)"));
    CHECK_THROWS_WITH(run(db.query("SELECT * FROM books", 1)), Catch::Contains("0 placeholder(s) but 1 argument(s)"));
}

TEST_CASE_METHOD(DatabaseTest, "database: errors name the database's message and the SQL") {
    Connection db(url());
    try {
        run(db.query("SELECT * FROM no_such_table WHERE x = ?", 1));
        FAIL("no exception");
    } catch (const database::DatabaseError& error) {
        CHECK_THAT(error.what(), Catch::Contains(no_such_table("no_such_table")));
        CHECK(error.sql() == "SELECT * FROM no_such_table WHERE x = ?");
    }
}

TEST_CASE_METHOD(DatabaseTest, "database: constraint violations are IntegrityError, foreign keys included") {
    Connection db(url());
    run(create_books(db));
    run(db.execute("CREATE TABLE reviews (id INTEGER PRIMARY KEY, book_id INTEGER NOT NULL REFERENCES books(id))"));
    run(db.execute("INSERT INTO books (title) VALUES (?)", "unique"));
    CHECK_THROWS_AS(run(db.execute("INSERT INTO books (title) VALUES (?)", "unique")), database::IntegrityError);
    CHECK_THROWS_AS(run(db.execute("INSERT INTO books (title) VALUES (?)", nullptr)), database::IntegrityError);
    CHECK_THROWS_AS(run(db.execute("INSERT INTO reviews (book_id) VALUES (?)", 42)), database::IntegrityError);
    CHECK(count(db, "books") == 1);
    CHECK(count(db, "reviews") == 0);
}

TEST_CASE_METHOD(DatabaseTest, "database: executemany runs every argument list, or none when one fails") {
    Connection db(url());
    run(create_books(db));
    std::vector<Arguments> books{{"a", 2001}, {"b", 2002}, {"c", nullptr}};
    auto result = run(db.executemany("INSERT INTO books (title, year) VALUES (?, ?) RETURNING id", books));
    CHECK(result.rowcount == 3);
    CHECK(result.lastrowid == 3);
    CHECK(run(db.get("SELECT year FROM books WHERE title = 'b'"))->operator[]("year").as<int>() == 2002);

    std::vector<Arguments> clashing{{"d", 1}, {"a", 2}, {"e", 3}};  // "a" exists: the second fails
    CHECK_THROWS_AS(run(db.executemany("INSERT INTO books (title, year) VALUES (?, ?)", clashing)),
                    database::IntegrityError);
    CHECK(count(db, "books") == 3);  // "d" was rolled back with the rest
}

// --- transactions ---

TEST_CASE_METHOD(DatabaseTest, "database: a committed transaction keeps its writes") {
    Connection db(url(), Options{.pool_size = 1});
    run(create_books(db));
    run([](Connection& db) -> asio::awaitable<void> {
        auto tx = co_await db.transaction();
        co_await tx.execute("INSERT INTO books (title) VALUES (?)", "one");
        auto seen = co_await tx.get("SELECT count(*) AS n FROM books");
        CHECK((*seen)["n"].as<int>() == 1);
        std::vector<Arguments> more{{"two"}, {"three"}};
        co_await tx.executemany("INSERT INTO books (title) VALUES (?)", more);
        co_await tx.commit();
        CHECK_FALSE(tx.active());
        CHECK_THROWS_AS(co_await tx.execute("INSERT INTO books (title) VALUES ('late')"), database::DatabaseError);
    }(db));
    CHECK(count(db, "books") == 3);
}

TEST_CASE_METHOD(DatabaseTest, "database: an exception in a transaction rolls it back and the connection serves on") {
    Connection db(url(), Options{.pool_size = 1});
    run(create_books(db));
    CHECK_THROWS_WITH(run([](Connection& db) -> asio::awaitable<void> {
                          auto tx = co_await db.transaction();
                          co_await tx.execute("INSERT INTO books (title) VALUES (?)", "half written");
                          throw std::runtime_error("the handler failed");
                      }(db)),
                      "the handler failed");
    CHECK(count(db, "books") == 0);
    // The pool's one connection is usable, outside and inside a new transaction.
    run([](Connection& db) -> asio::awaitable<void> {
        auto tx = co_await db.transaction();
        co_await tx.execute("INSERT INTO books (title) VALUES (?)", "whole");
        co_await tx.commit();
    }(db));
    CHECK(count(db, "books") == 1);
}

TEST_CASE_METHOD(DatabaseTest, "database: a transaction left without commit (an early return) rolls back") {
    Connection db(url(), Options{.pool_size = 1});
    run(create_books(db));
    auto inserted = run([](Connection& db) -> asio::awaitable<bool> {
        auto tx = co_await db.transaction();
        co_await tx.execute("INSERT INTO books (title) VALUES (?)", "draft");
        if ((co_await tx.get("SELECT count(*) AS n FROM books"))->operator[]("n").as<int>() == 1) co_return true;
        co_await tx.commit();
        co_return false;
    }(db));
    CHECK(inserted);
    CHECK(count(db, "books") == 0);
    run([](Connection& db) -> asio::awaitable<void> {
        auto tx = co_await db.transaction();
        co_await tx.execute("INSERT INTO books (title) VALUES (?)", "draft");
        co_await tx.rollback();
    }(db));
    CHECK(count(db, "books") == 0);
    run(db.execute("INSERT INTO books (title) VALUES (?)", "kept"));
    CHECK(count(db, "books") == 1);
}

TEST_CASE_METHOD(DatabaseTest, "database: 200 concurrent writers lose and duplicate no row") {
    Connection db(url());
    run(db.execute("CREATE TABLE entries (id " + std::string(TestDatabase::auto_id()) + ", writer INTEGER NOT NULL)"));
    run(db.execute("CREATE TABLE counter (n INTEGER NOT NULL)"));
    run(db.execute("INSERT INTO counter VALUES (0)"));
    constexpr int writers = 200;
    int done = 0;
    std::set<std::int64_t> ids;
    std::vector<std::string> failures;
    for (int writer = 0; writer < writers; ++writer) {
        loop.spawn([](Connection& db, int writer, int& done, std::set<std::int64_t>& ids,
                      std::vector<std::string>& failures) -> asio::awaitable<void> {
            try {
                auto inserted = co_await db.execute("INSERT INTO entries (writer) VALUES (?) RETURNING id", writer);
                ids.insert(inserted.lastrowid);
                // A read, then a write of what was read: a lost update would show in the counter.
                // (SQLite's write transactions take turns; PostgreSQL's lock the rows read FOR UPDATE.)
                auto tx = co_await db.transaction();
                auto n = (co_await tx.get(TestDatabase::is_postgresql() ? "SELECT n FROM counter FOR UPDATE"
                                                                       : "SELECT n FROM counter"))
                             ->operator[]("n")
                             .as<std::int64_t>();
                co_await tx.execute("UPDATE counter SET n = ?", n + 1);
                co_await tx.commit();
            } catch (const std::exception& error) {
                failures.push_back(error.what());
            }
            ++done;
        }(db, writer, done, ids, failures));
    }
    REQUIRE(loop.run_until([&] { return done == writers; }, 60s));
    CHECK(failures == std::vector<std::string>{});
    CHECK(ids.size() == writers);
    CHECK(count(db, "entries") == writers);
    CHECK(run(db.get("SELECT count(DISTINCT writer) AS n FROM entries"))->operator[]("n").as<int>() == writers);
    CHECK(run(db.get("SELECT n FROM counter"))->operator[]("n").as<int>() == writers);
}

// --- the pool ---

TEST_CASE_METHOD(DatabaseTest, "database: the pool's connections, opened at once on a new file, all work") {
    Connection db(url(), Options{.pool_size = 4});
    constexpr int statements = 12;
    int done = 0;
    std::vector<std::string> failures;
    for (int i = 0; i < statements; ++i) {
        loop.spawn([](Connection& db, int i, int& done, std::vector<std::string>& failures) -> asio::awaitable<void> {
            try {
                auto row = co_await db.get("SELECT ? + 1 AS n", i);
                if ((*row)["n"].as<int>() != i + 1) failures.push_back("wrong sum");
            } catch (const std::exception& error) {
                failures.push_back(error.what());
            }
            ++done;
        }(db, i, done, failures));
    }
    REQUIRE(loop.run_until([&] { return done == statements; }, 10s));
    CHECK(failures == std::vector<std::string>{});
    if (TestDatabase::is_postgresql()) return;
    auto mode = run(db.get("PRAGMA journal_mode"));
    CHECK((*mode)[0u].as<std::string>() == "wal");
    CHECK((*run(db.get("PRAGMA foreign_keys")))[0u].as<int>() == 1);
    CHECK((*run(db.get("PRAGMA synchronous")))[0u].as<int>() == 1);  // NORMAL
}

TEST_CASE_METHOD(DatabaseTest, "database: a statement that finds no free connection within queue_timeout throws PoolTimeoutError") {
    Connection db(url(), Options{.pool_size = 1, .queue_timeout = 100ms});
    run(create_books(db));
    auto tx = run(db.transaction());  // holds the pool's only connection
    CHECK_THROWS_AS(run(db.query("SELECT * FROM books")), database::PoolTimeoutError);
    try {
        run(db.query("SELECT * FROM books"));
        FAIL("no exception");
    } catch (const database::UnavailableError& error) {  // what a handler answers with 503
        CHECK_THAT(error.what(), Catch::Contains("no connection became free"));
    }
    run(tx.commit());
    CHECK(run(db.query("SELECT * FROM books")).empty());
}

TEST_CASE_METHOD(DatabaseTest, "database: a queued statement gets the connection when it is given back") {
    Connection db(url(), Options{.pool_size = 1, .queue_timeout = 5000ms});
    run(create_books(db));
    auto tx = run(db.transaction());
    run(tx.execute("INSERT INTO books (title) VALUES ('from the transaction')"));
    std::optional<std::int64_t> seen;
    loop.spawn([](Connection& db, std::optional<std::int64_t>& seen) -> asio::awaitable<void> {
        seen = (co_await db.get("SELECT count(*) AS n FROM books"))->operator[]("n").as<std::int64_t>();
    }(db, seen));
    settle(loop);
    CHECK_FALSE(seen);  // waiting for the connection
    run(tx.commit());
    REQUIRE(loop.run_until([&] { return seen.has_value(); }, 5s));
    CHECK(*seen == 1);
}

TEST_CASE_METHOD(DatabaseTest, "database: a database locked longer than busy_timeout throws BusyError", "[sqlite]") {
    Connection holder(url());
    Connection db(url(), Options{.busy_timeout = 100ms});
    run(create_books(holder));
    auto tx = run(holder.transaction());  // BEGIN IMMEDIATE: the write lock
    CHECK_THROWS_AS(run(db.execute("INSERT INTO books (title) VALUES ('blocked')")), database::BusyError);
    CHECK(run(db.query("SELECT * FROM books")).empty());  // readers are not blocked (WAL)
    run(tx.commit());
    run(db.execute("INSERT INTO books (title) VALUES ('after')"));
    CHECK(count(db, "books") == 1);
}

TEST_CASE_METHOD(DatabaseTest, "database: a statement cancelled while it runs leaves its connection usable") {
    Connection holder(url());
    Connection db(url(), Options{.pool_size = 1, .busy_timeout = 10000ms});
    run(create_books(holder));
    auto tx = run(holder.transaction());
    // SQLite's transaction holds the write lock (BEGIN IMMEDIATE); PostgreSQL's locks the table.
    if (TestDatabase::is_postgresql()) run(tx.execute("LOCK TABLE books IN EXCLUSIVE MODE"));
    Cancellable writer(loop, [](Connection& db) -> asio::awaitable<void> {
        co_await db.execute("INSERT INTO books (title) VALUES ('written after the cancel')");
    }(db));
    settle(loop);
    if (TestDatabase::is_postgresql()) wait_for_a_lock_wait(holder);  // the INSERT reached the server
    CHECK_FALSE(writer.done());  // waiting for the lock
    writer.cancel();
    REQUIRE(loop.run_until([&] { return writer.done(); }, 2s));
    CHECK(writer.aborted());
    run(tx.commit());
    // The statement ran on once the lock was free, and the next one waited for it.
    CHECK(count(db, "books") == 1);
}

TEST_CASE_METHOD(DatabaseTest, "database: a transaction whose coroutine is cancelled rolls back") {
    Connection db(url(), Options{.pool_size = 1});
    run(create_books(db));
    bool inserted = false;
    Cancellable handler(loop, [](Connection& db, bool& inserted) -> asio::awaitable<void> {
        auto tx = co_await db.transaction();
        co_await tx.execute("INSERT INTO books (title) VALUES ('never committed')");
        inserted = true;
        co_await gen::sleep(30s);  // the client goes away here
        co_await tx.commit();
    }(db, inserted));
    REQUIRE(loop.run_until([&] { return inserted; }, 2s));
    handler.cancel();
    REQUIRE(loop.run_until([&] { return handler.done(); }, 2s));
    CHECK(handler.aborted());
    CHECK(count(db, "books") == 0);
    run([](Connection& db) -> asio::awaitable<void> {
        auto tx = co_await db.transaction();  // would fail inside a transaction left open
        co_await tx.execute("INSERT INTO books (title) VALUES ('next')");
        co_await tx.commit();
    }(db));
    CHECK(count(db, "books") == 1);
}

// --- URLs ---

TEST_CASE_METHOD(DatabaseTest, "database: sqlite URLs, absolute and relative, create the file and its directories", "[sqlite]") {
    Connection absolute("sqlite://" + (dir.path / "a" / "b" / "absolute.db").string());
    run(absolute.execute("CREATE TABLE t (x)"));
    CHECK(std::filesystem::exists(dir.path / "a" / "b" / "absolute.db"));

    auto previous = std::filesystem::current_path();
    std::filesystem::current_path(dir.path);
    {
        Connection relative("sqlite:data/relative.db");
        run(relative.execute("CREATE TABLE t (x)"));
    }
    std::filesystem::current_path(previous);
    CHECK(std::filesystem::exists(dir.path / "data" / "relative.db"));
}

TEST_CASE("database: a URL it cannot use is refused when the Connection is made") {
    CHECK_THROWS_WITH(Connection("sqlite://host/file.db"), Catch::Contains("sqlite:///absolute/path.db"));
    CHECK_THROWS_WITH(Connection("sqlite:"), Catch::Contains("names no database file"));
    CHECK_THROWS_WITH(Connection("sqlite:///tmp/"), Catch::Contains("names no database file"));
    CHECK_THROWS_WITH(Connection("mysql://localhost/db"), Catch::Contains("unknown database URL"));
    CHECK_THROWS_WITH(Connection("sqlite:x.db", Options{.pool_size = 0}), Catch::Contains("pool size"));
    CHECK_THROWS_WITH(Connection("sqlite:x.db", Options{.reconnect_backoff_min = 0ms}), Catch::Contains("reconnect_backoff"));
    // PostgreSQL's URLs and libpq's key=value strings go to libpq as they are; it parses them.
    CHECK_NOTHROW(Connection("postgresql://user@localhost:5432/app?connect_timeout=3"));
    CHECK_NOTHROW(Connection("postgres:///app?host=/run/postgresql"));
    CHECK_NOTHROW(Connection("host=/run/postgresql dbname=app"));
    CHECK_THROWS_WITH(Connection("host=/run/postgresql dbname"), Catch::Contains("libpq cannot use the connection string"));
    CHECK_THROWS_WITH(Connection("postgresql://localhost/app?no_such_option=1"), Catch::Contains("no_such_option"));
}

TEST_CASE_METHOD(DatabaseTest, "database: a database that cannot be opened is a clear error", "[sqlite]") {
    write_file(dir.path / "file", "not a directory");
    Connection db(sqlite_url("file/test.db"));
    CHECK_THROWS_WITH(run(db.query("SELECT 1")), Catch::Contains("cannot create the directory"));
}

// --- PostgreSQL only ---

namespace {
// The first row of sql once the pool has reconnected: statements fail with UnavailableError
// until then (anything else fails the test).
database::Row eventually(Connection& db, const std::string& sql) {
    auto& loop = ioloop::IOLoop::current();
    for (int attempt = 0;; ++attempt) {
        try {
            return *loop.run_sync(db.get(sql), 5s);
        } catch (const database::UnavailableError& error) {
            if (attempt == 500) FAIL("still unavailable: " << error.what());
        }
        loop.run_sync(gen::sleep(10ms), 5s);
    }
}

// Runs the statement to its end or failure, and returns its failure.
struct InFlight {
    bool done = false;
    std::exception_ptr failure;
    InFlight(ioloop::IOLoop& loop, Connection& db, std::string sql) {
        loop.spawn([](Connection& db, std::string sql, InFlight& self) -> asio::awaitable<void> {
            try {
                co_await db.execute(sql);
            } catch (...) {
                self.failure = std::current_exception();
            }
            self.done = true;
        }(db, std::move(sql), *this));
    }
};

// Returns once a statement whose text starts with `start` runs on the server.
void wait_until_running(Connection& observer, const std::string& start) {
    auto& loop = ioloop::IOLoop::current();
    for (int attempt = 0; attempt < 500; ++attempt) {
        auto running = loop.run_sync(observer.get("SELECT count(*) AS n FROM pg_stat_activity WHERE state = 'active' "
                                                  "AND starts_with(query, ?)",
                                                  start),
                                     5s);
        if ((*running)["n"].as<int>() > 0) return;
        loop.run_sync(gen::sleep(10ms), 5s);
    }
    FAIL("the statement did not start: " << start);
}
}  // namespace

TEST_CASE_METHOD(DatabaseTest, "database: PostgreSQL values come back by their column types", "[postgresql]") {
    Connection db(url());
    run(db.execute("CREATE TABLE v (id SERIAL PRIMARY KEY, n INTEGER, small SMALLINT, big BIGINT, r DOUBLE PRECISION, "
                   "f REAL, d NUMERIC, whole NUMERIC, flag BOOLEAN, bytes BYTEA, empty BYTEA, t TEXT, short VARCHAR(10), "
                   "day DATE)"));
    database::Blob bytes{std::byte{0}, std::byte{0xff}, std::byte{'\''}, std::byte{'\\'}};
    // A bool argument is the integer 0 or 1 on both backends: `? <> 0` makes it a boolean.
    auto inserted = run(db.execute("INSERT INTO v (n, small, big, r, f, d, whole, flag, bytes, empty, t, short, day) "
                                   "VALUES (?, ?, ?, ?, ?, ?, ?, ? <> 0, ?, ?, ?, ?, ?) RETURNING id",
                                   7, 2, std::numeric_limits<std::int64_t>::min(), 2.5, 0.5, "12.25", 42, true, bytes,
                                   database::Blob{}, "中文 😀", "short", "2012-03-01"));
    CHECK(inserted.lastrowid == 1);
    run(db.execute("INSERT INTO v (n) VALUES (?)", nullptr));
    auto rows = run(db.query("SELECT * FROM v ORDER BY id"));
    REQUIRE(rows.size() == 2);
    const auto& row = rows[0];
    CHECK(row["id"].as<int>() == 1);
    CHECK(row["n"].as<std::int64_t>() == 7);
    CHECK(row["small"].as<int>() == 2);
    CHECK(row["big"].as<std::int64_t>() == std::numeric_limits<std::int64_t>::min());
    CHECK(row["r"].as<double>() == 2.5);
    CHECK(row["f"].as<double>() == 0.5);
    CHECK(row["d"].type_name() == "real");  // numeric with a fraction
    CHECK(row["d"].as<double>() == 12.25);
    CHECK(row["whole"].type_name() == "integer");  // numeric without one
    CHECK(row["whole"].as<int>() == 42);
    CHECK(row["flag"].as<bool>());
    CHECK(row["flag"].as<int>() == 1);
    CHECK(row["bytes"].as<database::Blob>() == bytes);
    CHECK(row["empty"].type_name() == "blob");  // an empty bytea is not NULL
    CHECK(row["empty"].as<database::Blob>().empty());
    CHECK(row["t"].as<std::string>() == "中文 😀");
    CHECK(row["short"].as<std::string>() == "short");
    CHECK(row["day"].as<std::string>() == "2012-03-01");  // other types come as their text
    CHECK(rows[1]["n"].is_null());
    CHECK(rows[1]["flag"].is_null());
    // Arguments keep their types where nothing else gives the server one.
    auto typed = run(db.get("SELECT ? AS i, ? AS r, ? AS t, ? AS nothing", std::numeric_limits<std::int64_t>::max(),
                            -0.125, "text", nullptr));
    CHECK((*typed)["i"].as<std::int64_t>() == std::numeric_limits<std::int64_t>::max());
    CHECK((*typed)["r"].as<double>() == -0.125);
    CHECK((*typed)["t"].as<std::string>() == "text");
    CHECK((*typed)["nothing"].is_null());
}

TEST_CASE_METHOD(DatabaseTest, "database: a connection PostgreSQL ends fails its statement in flight, unretried, and the pool reconnects",
                 "[postgresql]") {
    Connection db(url(), Options{.pool_size = 1, .reconnect_backoff_min = 20ms, .reconnect_backoff_max = 100ms});
    Connection admin(url(), Options{.pool_size = 1});
    run(create_books(db));
    InFlight statement(loop, db, "INSERT INTO books (title) SELECT 'in flight' FROM pg_sleep(30)");
    wait_until_running(admin, "INSERT INTO books");
    // What a restart or an administrator does to the app's connections (psql's \! pg_ctl restart).
    run(admin.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() "
                      "AND pid <> pg_backend_pid()"));
    REQUIRE(loop.run_until([&] { return statement.done; }, 5s));
    REQUIRE(statement.failure);
    CHECK_THROWS_AS(std::rethrow_exception(statement.failure), database::UnavailableError);
    CHECK_THROWS_WITH(std::rethrow_exception(statement.failure), Catch::Contains("terminating connection"));
    // Not retried: the INSERT never happened, on the connection the pool made again.
    CHECK(eventually(db, "SELECT count(*) AS n FROM books")["n"].as<int>() == 0);
    run(db.execute("INSERT INTO books (title) VALUES (?)", "after"));
    CHECK(count(db, "books") == 1);
}

TEST_CASE_METHOD(DatabaseTest, "database: PostgreSQL refused at first, then restarted under the app: clear errors, and the pool recovers",
                 "[postgresql]") {
    // A server of this test's own, in its directory (which the postgres user must reach when
    // the tests run as root).
    using std::filesystem::perms;
    std::filesystem::permissions(dir.path, perms::group_read | perms::group_exec | perms::others_read | perms::others_exec,
                                 std::filesystem::perm_options::add);
    auto cluster = (dir.path / "pg").string();
    std::string script = std::string(TORNADO_SOURCE_DIR) + "/scripts/postgres ";
    struct Stop {
        std::string command;
        ~Stop() { std::system(command.c_str()); }
    } stop_at_end{script + "stop " + cluster};
    auto server = [&](const std::string& action) { REQUIRE(std::system((script + action + " " + cluster + " >/dev/null").c_str()) == 0); };

    Connection db("host=" + cluster + " port=5432 user=postgres dbname=postgres",  // libpq's key=value form
                  Options{.pool_size = 2, .reconnect_backoff_min = 20ms, .reconnect_backoff_max = 200ms});
    CHECK_THROWS_AS(run(db.query("SELECT 1")), database::UnavailableError);
    CHECK_THROWS_WITH(run(db.query("SELECT 1")), Catch::Contains("cannot connect to PostgreSQL") && Catch::Contains(cluster));
    server("start");
    CHECK(eventually(db, "SELECT 1 AS one")["one"].as<int>() == 1);
    run(db.execute("CREATE TABLE t (x INTEGER)"));

    InFlight statement(loop, db, "INSERT INTO t SELECT 1 FROM pg_sleep(30)");
    wait_until_running(db, "INSERT INTO t");
    server("stop");  // fast: the server ends the sessions, then exits
    REQUIRE(loop.run_until([&] { return statement.done; }, 5s));
    REQUIRE(statement.failure);
    CHECK_THROWS_AS(std::rethrow_exception(statement.failure), database::UnavailableError);
    CHECK_THROWS_AS(run(db.query("SELECT 1")), database::UnavailableError);  // the server is down
    server("start");
    CHECK(eventually(db, "SELECT count(*) AS n FROM t")["n"].as<int>() == 0);  // the INSERT was not retried
    run(db.execute("INSERT INTO t VALUES (?)", 2));
    CHECK(count(db, "t") == 1);
}

// --- migrations ---

namespace {
struct MigrationTest : DatabaseTest {
    std::filesystem::path migrations = dir.path / "migrations";
    MigrationTest() {
        std::filesystem::create_directory(migrations);
        // Not idempotent: applied twice, they would fail (the table exists) or duplicate the row.
        write_file(migrations / "0001_books.sql", "CREATE TABLE books (id " + std::string(TestDatabase::auto_id()) +
                                                      ", title TEXT);\nINSERT INTO books (title) VALUES ('seed');\n");
        write_file(migrations / "0002_authors.sql", "-- authors\nCREATE TABLE authors (name TEXT);");
    }
};
}  // namespace

TEST_CASE_METHOD(MigrationTest, "database: migrations are applied once, in order, across reopenings") {
    {
        Connection db(url());
        run(db.migrate(migrations));
        CHECK(count(db, "books") == 1);
        CHECK(count(db, "authors") == 0);
    }
    write_file(migrations / "0003_year.sql", "ALTER TABLE books ADD COLUMN year INTEGER;");
    Connection db(url());
    run(db.migrate(migrations));
    run(db.migrate(migrations));
    CHECK(count(db, "books") == 1);
    auto applied = run(db.query("SELECT version, name, sha256 FROM tornado_migrations ORDER BY version"));
    REQUIRE(applied.size() == 3);
    CHECK(applied[2]["name"].as<std::string>() == "0003_year.sql");
    CHECK(applied[2]["sha256"].as<std::string>().size() == 64);
    CHECK(run(db.get("SELECT year FROM books"))->operator[]("year").is_null());
}

TEST_CASE_METHOD(MigrationTest, "database: an applied migration that was edited is refused, naming it") {
    Connection db(url());
    run(db.migrate(migrations));
    write_file(migrations / "0001_books.sql", "CREATE TABLE books (id INTEGER PRIMARY KEY, title TEXT, extra TEXT);");
    write_file(migrations / "0003_more.sql", "CREATE TABLE more (x INTEGER);");
    CHECK_THROWS_AS(run(db.migrate(migrations)), database::MigrationError);
    CHECK_THROWS_WITH(run(db.migrate(migrations)), Catch::Contains("0001_books.sql was changed after it was applied"));
    CHECK_THROWS(run(db.query("SELECT * FROM more")));  // nothing after the refusal was applied
}

TEST_CASE_METHOD(MigrationTest, "database: a gap, a duplicate number or a misnamed file is refused") {
    Connection db(url());
    SECTION("a gap") {
        write_file(migrations / "0004_late.sql", "CREATE TABLE late (x);");
        CHECK_THROWS_WITH(run(db.migrate(migrations)), Catch::Contains("migration number 3 is missing"));
    }
    SECTION("a duplicate") {
        write_file(migrations / "0002_other.sql", "CREATE TABLE other (x);");
        CHECK_THROWS_WITH(run(db.migrate(migrations)), Catch::Contains("two migrations are numbered 2"));
    }
    SECTION("a misnamed file") {
        write_file(migrations / "three.sql", "CREATE TABLE three (x);");
        CHECK_THROWS_WITH(run(db.migrate(migrations)), Catch::Contains("is not named NNNN_name.sql"));
    }
    SECTION("a missing directory") {
        CHECK_THROWS_WITH(run(db.migrate(dir.path / "nowhere")), Catch::Contains("cannot read the migrations directory"));
    }
    CHECK_THROWS(run(db.query("SELECT * FROM books")));  // nothing was applied
}

TEST_CASE_METHOD(MigrationTest, "database: a recorded migration whose file is gone is refused") {
    Connection db(url());
    run(db.migrate(migrations));
    std::filesystem::remove(migrations / "0002_authors.sql");
    CHECK_THROWS_WITH(run(db.migrate(migrations)), Catch::Contains("0002_authors.sql was applied") && Catch::Contains("gone"));
}

TEST_CASE_METHOD(MigrationTest, "database: a failing migration leaves nothing of itself and keeps the earlier ones") {
    write_file(migrations / "0003_broken.sql", "CREATE TABLE half (x INTEGER);\nINSERT INTO no_such_table VALUES (1);");
    Connection db(url());
    CHECK_THROWS_WITH(run(db.migrate(migrations)), Catch::Contains(no_such_table("no_such_table")));
    CHECK(count(db, "books") == 1);
    CHECK(count(db, "tornado_migrations") == 2);
    CHECK_THROWS_WITH(run(db.query("SELECT * FROM half")), Catch::Contains(no_such_table("half")));
}

TEST_CASE_METHOD(MigrationTest, "database: two migrators at once apply each migration once") {
    Connection first(url());
    Connection second(url());  // a pool of its own, as another process would have
    int done = 0;
    std::vector<std::string> failures;
    for (auto* db : {&first, &second}) {
        loop.spawn([](Connection& db, const std::filesystem::path& migrations, int& done,
                      std::vector<std::string>& failures) -> asio::awaitable<void> {
            try {
                co_await db.migrate(migrations);
            } catch (const std::exception& error) {
                failures.push_back(error.what());
            }
            ++done;
        }(*db, migrations, done, failures));
    }
    REQUIRE(loop.run_until([&] { return done == 2; }, 10s));
    CHECK(failures == std::vector<std::string>{});
    CHECK(count(first, "books") == 1);
    CHECK(count(first, "tornado_migrations") == 2);
}

// --- placeholders for PostgreSQL ---

TEST_CASE("database: numbered_placeholders numbers the ? placeholders outside strings, identifiers and comments") {
    using database::numbered_placeholders;
    CHECK(numbered_placeholders("SELECT * FROM t WHERE a = ? AND b IN (?, ?)") ==
          "SELECT * FROM t WHERE a = $1 AND b IN ($2, $3)");
    CHECK(numbered_placeholders("SELECT '?', 'it''s ?', ? FROM t") == "SELECT '?', 'it''s ?', $1 FROM t");
    CHECK(numbered_placeholders(R"(SELECT "odd?name", "say ""?""", ? FROM t)") ==
          R"(SELECT "odd?name", "say ""?""", $1 FROM t)");
    CHECK(numbered_placeholders("SELECT ? -- why?\n, ? /* what? /* nested? */ still? */ , ?") ==
          "SELECT $1 -- why?\n, $2 /* what? /* nested? */ still? */ , $3");
    CHECK(numbered_placeholders(R"(SELECT E'\'?', e'\\', ?)") == R"(SELECT E'\'?', e'\\', $1)");
    CHECK(numbered_placeholders(R"(SELECT 'a\', ?)") == R"(SELECT 'a\', $1)");  // backslash is plain in '…'
    CHECK(numbered_placeholders("SELECT $$ ? $$, $tag$ ? $$ ? $tag$, ?") == "SELECT $$ ? $$, $tag$ ? $$ ? $tag$, $1");
    CHECK(numbered_placeholders("SELECT a$b, ?") == "SELECT a$b, $1");
    CHECK(numbered_placeholders("SELECT 'unterminated ?") == "SELECT 'unterminated ?");
    CHECK(numbered_placeholders("SELECT 1 -- ?") == "SELECT 1 -- ?");
    CHECK(numbered_placeholders("") == "");
    std::string many(1000, '?');
    auto numbered = numbered_placeholders(many);
    CHECK(numbered.starts_with("$1$2$3"));
    CHECK(numbered.ends_with("$999$1000"));
}

// --- from handlers, over a real socket ---

namespace {

struct BookHandler : web::RequestHandler {
    Connection* db = nullptr;
    void initialize(Connection* connection) { db = connection; }
    asio::awaitable<void> get(std::string id) {
        auto book = co_await db->get("SELECT id, title FROM books WHERE id = ?", std::stoll(id));
        if (!book) throw web::HTTPError(404);
        write(nlohmann::json(*book));
    }
};

struct BooksHandler : web::RequestHandler {
    Connection* db = nullptr;
    void initialize(Connection* connection) { db = connection; }
    asio::awaitable<void> get() {
        auto books = co_await db->query("SELECT id, title FROM books ORDER BY id");
        write(nlohmann::json{{"books", books}});
    }
    asio::awaitable<void> post() {
        try {
            auto inserted = co_await db->execute("INSERT INTO books (title) VALUES (?) RETURNING id", get_argument("title"));
            write(nlohmann::json{{"id", inserted.lastrowid}});
        } catch (const database::IntegrityError&) {
            throw web::HTTPError(409);
        }
    }
};

struct DatabaseAppTest : AppTest {
    TempDir dir;
    TestDatabase database{dir.path, "app"};
    Connection db{database.url()};
    DatabaseAppTest() {
        io_loop().run_sync(create_books(db));
        routes = {web::url<BooksHandler>("/books", &db), web::url<BookHandler>(R"(/books/(\d+))", &db)};
    }
};

}  // namespace

TEST_CASE_METHOD(DatabaseAppTest, "database: handlers store and read rows over HTTP, verbatim") {
    std::string title = "'; DROP TABLE books; -- 中文 😀";
    auto created = fetch("/books", testing::form_post("title=" + escape::url_escape(title)));
    REQUIRE(created.code == 200);
    auto id = nlohmann::json::parse(created.body)["id"].get<std::int64_t>();
    auto book = fetch("/books/" + std::to_string(id));
    REQUIRE(book.code == 200);
    CHECK(nlohmann::json::parse(book.body) == nlohmann::json{{"id", id}, {"title", title}});
    CHECK(fetch("/books", testing::form_post("title=" + escape::url_escape(title))).code == 409);
    CHECK(fetch("/books/999").code == 404);
    auto all = nlohmann::json::parse(fetch("/books").body);
    REQUIRE(all["books"].size() == 1);
    CHECK(all["books"][0]["title"] == title);
}

namespace {
struct SlowWriteHandler : web::RequestHandler {
    Connection* db = nullptr;
    bool* write_started = nullptr;
    bool* write_done = nullptr;
    void initialize(Connection* connection, bool* started, bool* done) {
        db = connection;
        write_started = started;
        write_done = done;
    }
    asio::awaitable<void> post() {
        *write_started = true;
        co_await db->execute("INSERT INTO books (title) VALUES ('slow')");  // waits for the write lock
        *write_done = true;
        write("written");
    }
};
}  // namespace

TEST_CASE_METHOD(DatabaseAppTest, "database: while a handler's statement waits, the loop answers other requests") {
    bool started = false;
    bool finished = false;
    routes.push_back(web::url<SlowWriteHandler>("/slow", &db, &started, &finished));
    auto lock = io_loop().run_sync(db.transaction());  // the slow statement waits until it ends
    if (TestDatabase::is_postgresql()) io_loop().run_sync(lock.execute("LOCK TABLE books IN EXCLUSIVE MODE"));
    auto slow = connect();
    slow.write("POST /slow HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 0\r\n\r\n");
    REQUIRE(io_loop().run_until([&] { return started; }, 5s));
    auto other = fetch("/books");  // reads on another connection of the pool, while the write waits
    CHECK(other.code == 200);
    CHECK(nlohmann::json::parse(other.body)["books"].empty());
    CHECK_FALSE(finished);
    io_loop().run_sync(lock.commit());
    auto response = slow.read_response(10s);
    CHECK(response.code == 200);
    CHECK(response.body == "written");
    CHECK(finished);
}

namespace {
struct SlowQueryHandler : web::RequestHandler {
    Connection* db = nullptr;
    bool* query_done = nullptr;
    void initialize(Connection* connection, bool* done) {
        db = connection;
        query_done = done;
    }
    asio::awaitable<void> get() {
        co_await db->query("SELECT pg_sleep(1)");
        *query_done = true;
        write("slept");
    }
};
}  // namespace

TEST_CASE_METHOD(DatabaseAppTest, "database: a slow PostgreSQL query does not delay a GET of another route", "[postgresql]") {
    bool finished = false;
    routes.push_back(web::url<SlowQueryHandler>("/slow", &db, &finished));
    Connection observer(database.url());
    auto slow = connect();
    slow.write("GET /slow HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
    wait_until_running(observer, "SELECT pg_sleep");
    auto other = fetch("/books");  // answered while the query sleeps on the server
    CHECK(other.code == 200);
    CHECK_FALSE(finished);
    auto response = slow.read_response(10s);
    CHECK(response.code == 200);
    CHECK(response.body == "slept");
}

// --- durability ---

TEST_CASE("database: writes acknowledged over HTTP survive kill -9 of the app") {
    TempDir dir;
    TestDatabase database(dir.path, "app");
    std::string program = std::string(TORNADO_TEST_PROGRAMS_DIR) + "/database_server";
    std::vector<std::string> args{"--db=" + database.url()};
    std::vector<std::int64_t> acknowledged;
    {
        testing::ServerProcess server(program, args);
        for (int i = 0; i < 20; ++i) {
            auto response = server.fetch("/items", testing::form_post("text=item" + std::to_string(i)));
            REQUIRE(response.code == 200);
            acknowledged.push_back(nlohmann::json::parse(response.body)["id"].get<std::int64_t>());
        }
        server.fetch("/crash", testing::form_post(""));
        CHECK(server.stop() == -1);  // it died by the signal, not by SIGTERM
    }
    testing::ServerProcess restarted(program, args);
    auto listed = restarted.fetch("/items");
    REQUIRE(listed.code == 200);
    auto items = nlohmann::json::parse(listed.body)["items"];
    REQUIRE(items.size() == acknowledged.size());
    for (std::size_t i = 0; i < items.size(); ++i) {
        CHECK(items[i]["id"] == acknowledged[i]);
        CHECK(items[i]["text"] == "item" + std::to_string(i));
    }
}
