// tornado::database on real SQLite files in a temporary directory, through the public API, and
// from handlers of an Application over a real socket.
#include "app_fixture.hpp"
#include "loop_fixture.hpp"

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

namespace {

// A fresh directory under /tmp, removed with everything in it at the end of the test.
struct TempDir {
    std::filesystem::path path;
    TempDir() {
        char name[] = "/tmp/tornado-database-XXXXXX";
        REQUIRE(mkdtemp(name) != nullptr);
        path = name;
    }
    ~TempDir() {
        std::error_code ignored;
        std::filesystem::remove_all(path, ignored);
    }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
};

void write_file(const std::filesystem::path& path, const std::string& content) {
    std::ofstream(path, std::ios::binary) << content;
}

struct DatabaseTest : LoopTest {
    TempDir dir;
    std::string url(const std::string& file = "test.db") const { return "sqlite://" + (dir.path / file).string(); }
    template <class T>
    T run(asio::awaitable<T> coroutine) {
        return loop.run_sync(std::move(coroutine), 10s);
    }
    std::int64_t count(Connection& db, const std::string& table) {
        return run(db.get("SELECT count(*) AS n FROM " + table))->operator[]("n").as<std::int64_t>();
    }
};

asio::awaitable<void> create_books(Connection& db) {
    co_await db.execute("CREATE TABLE books (id INTEGER PRIMARY KEY, title TEXT NOT NULL UNIQUE, year INTEGER)");
}

}  // namespace

// --- statements ---

TEST_CASE_METHOD(DatabaseTest, "database: query, get and execute create, read, update and delete rows") {
    Connection db(url());
    run(create_books(db));
    auto first = run(db.execute("INSERT INTO books (title, year) VALUES (?, ?)", "Introduction to Tornado", 2012));
    CHECK(first.lastrowid == 1);
    CHECK(first.rowcount == 1);
    auto second = run(db.execute("INSERT INTO books (title, year) VALUES (?, ?)", std::string("The C++ book"), 2020));
    CHECK(second.lastrowid == 2);

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
        "back\\slash \\' quote", std::string("nul\0byte", 8), "/* comment */ -- line"};
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

TEST_CASE_METHOD(DatabaseTest, "database: NULL, numbers, booleans and blobs round trip with their types") {
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

TEST_CASE_METHOD(DatabaseTest, "database: errors name SQLite's message and the SQL") {
    Connection db(url());
    try {
        run(db.query("SELECT * FROM no_such_table WHERE x = ?", 1));
        FAIL("no exception");
    } catch (const database::DatabaseError& error) {
        CHECK_THAT(error.what(), Catch::Contains("no such table: no_such_table"));
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
    auto result = run(db.executemany("INSERT INTO books (title, year) VALUES (?, ?)", books));
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
    run(db.execute("CREATE TABLE entries (id INTEGER PRIMARY KEY, writer INTEGER NOT NULL)"));
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
                auto inserted = co_await db.execute("INSERT INTO entries (writer) VALUES (?)", writer);
                ids.insert(inserted.lastrowid);
                // A read, then a write of what was read: a lost update would show in the counter.
                auto tx = co_await db.transaction();
                auto n = (co_await tx.get("SELECT n FROM counter"))->operator[]("n").as<std::int64_t>();
                co_await tx.execute("UPDATE counter SET n = ?", n + 1);
                co_await tx.commit();
            } catch (const std::exception& error) {
                failures.push_back(error.what());
            }
            ++done;
        }(db, writer, done, ids, failures));
    }
    REQUIRE(loop.run_until([&] { return done == writers; }, 60s));
    CHECK(failures.empty());
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
    CHECK(failures.empty());
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

TEST_CASE_METHOD(DatabaseTest, "database: a database locked longer than busy_timeout throws BusyError") {
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
    Cancellable writer(loop, [](Connection& db) -> asio::awaitable<void> {
        co_await db.execute("INSERT INTO books (title) VALUES ('written after the cancel')");
    }(db));
    settle(loop);
    CHECK_FALSE(writer.done());  // waiting for the lock, on the connection's thread
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

TEST_CASE_METHOD(DatabaseTest, "database: sqlite URLs, absolute and relative, create the file and its directories") {
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
}

TEST_CASE_METHOD(DatabaseTest, "database: a database that cannot be opened is a clear error") {
    write_file(dir.path / "file", "not a directory");
    Connection db(url("file/test.db"));
    CHECK_THROWS_WITH(run(db.query("SELECT 1")), Catch::Contains("cannot create the directory"));
}

// --- migrations ---

namespace {
struct MigrationTest : DatabaseTest {
    std::filesystem::path migrations = dir.path / "migrations";
    MigrationTest() {
        std::filesystem::create_directory(migrations);
        // Not idempotent: applied twice, they would fail (the table exists) or duplicate the row.
        write_file(migrations / "0001_books.sql", "CREATE TABLE books (id INTEGER PRIMARY KEY, title TEXT);\n"
                                                  "INSERT INTO books (title) VALUES ('seed');\n");
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
    write_file(migrations / "0003_more.sql", "CREATE TABLE more (x);");
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
    write_file(migrations / "0003_broken.sql", "CREATE TABLE half (x);\nINSERT INTO no_such_table VALUES (1);");
    Connection db(url());
    CHECK_THROWS_WITH(run(db.migrate(migrations)), Catch::Contains("no such table: no_such_table"));
    CHECK(count(db, "books") == 1);
    CHECK(count(db, "tornado_migrations") == 2);
    CHECK_THROWS_WITH(run(db.query("SELECT * FROM half")), Catch::Contains("no such table: half"));
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
    CHECK(failures.empty());
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
            auto inserted = co_await db->execute("INSERT INTO books (title) VALUES (?)", get_argument("title"));
            write(nlohmann::json{{"id", inserted.lastrowid}});
        } catch (const database::IntegrityError&) {
            throw web::HTTPError(409);
        }
    }
};

struct DatabaseAppTest : AppTest {
    TempDir dir;
    Connection db{"sqlite://" + (dir.path / "app.db").string()};
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

// --- durability ---

TEST_CASE("database: writes acknowledged over HTTP survive kill -9 of the app") {
    TempDir dir;
    std::string program = std::string(TORNADO_TEST_PROGRAMS_DIR) + "/database_server";
    std::vector<std::string> args{"--db=sqlite://" + (dir.path / "app.db").string()};
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
