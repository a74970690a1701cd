// chapters/04-database/definitions over real sockets, on the database TestDatabase names (an
// SQLite file, or PostgreSQL when TORNADO_TEST_POSTGRES is set), passed to the sample as --db.
#include "../database_under_test.hpp"
#include "sample.hpp"

#include <tornado/database.hpp>
#include <tornado/escape.hpp>

#include <catch2/catch.hpp>

#include <set>
#include <string>
#include <vector>

using tornado::escape::url_escape;
using tornado::testing::form_post;
using tornado::testing::ServerProcess;
using tornado::testing::TestDatabase;
using namespace std::chrono_literals;
using nlohmann::json;

namespace {
struct DefinitionsTest {
    TempDir dir;
    TestDatabase database{dir.path};
    std::string program = sample_path("04-database", "definitions");
    std::vector<std::string> args{"--db=" + database.url()};

    // The rows of a query, read straight from the sample's database.
    tornado::database::Rows query(const std::string& sql) {
        tornado::ioloop::IOLoop loop;
        tornado::database::Connection db(database.url());
        return loop.run_sync(db.query(sql));
    }
};

tornado::testing::HTTPResponse define(ServerProcess& app, const std::string& word, const std::string& definition) {
    return app.fetch("/" + word, form_post("definition=" + url_escape(definition)));
}

json word_json(const std::string& word, const std::string& definition) {
    return {{"word", word}, {"definition", definition}};
}
}  // namespace

TEST_CASE_METHOD(DefinitionsTest, "definitions answers 404 with an empty body for an unknown word") {
    ServerProcess app(program, args);
    auto response = app.fetch("/oarlock");
    CHECK(response.code == 404);
    CHECK(response.body.empty());
}

TEST_CASE_METHOD(DefinitionsTest, "definitions stores a word, reads it back and replaces its definition") {
    ServerProcess app(program, args);
    auto created = define(app, "oarlock", "A device attached to a rowboat to hold the oars in place");
    REQUIRE(created.code == 200);
    CHECK(created.headers.get("Content-Type") == "application/json; charset=UTF-8");
    CHECK(json::parse(created.body) == word_json("oarlock", "A device attached to a rowboat to hold the oars in place"));
    auto read = app.fetch("/oarlock");
    REQUIRE(read.code == 200);
    CHECK(json::parse(read.body) == word_json("oarlock", "A device attached to a rowboat to hold the oars in place"));

    auto replaced = define(app, "oarlock", "A swivelling fork that holds an oar");
    CHECK(json::parse(replaced.body) == word_json("oarlock", "A swivelling fork that holds an oar"));
    CHECK(json::parse(app.fetch("/oarlock").body) == word_json("oarlock", "A swivelling fork that holds an oar"));
    CHECK(query("SELECT word FROM words").size() == 1);  // replaced, not added
}

TEST_CASE_METHOD(DefinitionsTest, "definitions stores injection attempts verbatim and keeps its table") {
    ServerProcess app(program, args);
    const std::vector<std::string> attempts = {"'; DROP TABLE words; --", "\" OR 1=1 --", "x'); DELETE FROM words;--",
                                               "? $1 ?? :word", "back\\slash \\' quote", "/* comment */ -- line"};
    int n = 0;
    for (const auto& text : attempts) {
        auto word = "word" + std::to_string(n++);
        REQUIRE(define(app, word, text).code == 200);
        CHECK(json::parse(app.fetch("/" + word).body) == word_json(word, text));
    }
    // A word is \w+: one with SQL in it matches no route, so it never reaches the database.
    CHECK(define(app, url_escape("'; DROP TABLE words; --", false), "x").code == 404);
    CHECK(define(app, url_escape("x' OR '1'='1", false), "x").code == 404);
    CHECK(query("SELECT word FROM words").size() == attempts.size());
    CHECK(app.fetch("/word0").code == 200);
}

TEST_CASE_METHOD(DefinitionsTest, "definitions round-trips unicode definitions") {
    ServerProcess app(program, args);
    const std::string text = "中文 Tornado 入门 😀 é";
    auto created = define(app, "unicode", text);
    REQUIRE(created.code == 200);
    CHECK(json::parse(created.body) == word_json("unicode", text));
    CHECK(json::parse(app.fetch("/unicode").body) == word_json("unicode", text));
    CHECK(query("SELECT definition FROM words")[0]["definition"].as<std::string>() == text);
    // A word is \w+ matched against the path as sent, %-escapes and all: 中文 matches no route,
    // as in Tornado.
    CHECK(app.fetch("/" + url_escape("中文", false)).code == 404);
}

TEST_CASE_METHOD(DefinitionsTest, "definitions answers 400 without a definition and 405 for other methods") {
    ServerProcess app(program, args);
    CHECK(app.fetch("/oarlock", form_post("")).code == 400);
    CHECK(app.fetch("/oarlock", form_post("meaning=x")).code == 400);
    CHECK(app.fetch("/oarlock", {.method = "DELETE"}).code == 405);
    CHECK(app.fetch("/oarlock", {.method = "PUT", .body = "definition=x"}).code == 405);
    CHECK(app.fetch("/oar-lock").code == 404);  // not a \w+ word
    CHECK(query("SELECT word FROM words").empty());
    CHECK(app.running());
}

TEST_CASE_METHOD(DefinitionsTest, "definitions keeps all of 200 concurrent POSTs, none lost or doubled") {
    ServerProcess app(program, args);
    std::vector<tornado::testing::RawConnection> connections;
    for (int i = 0; i < 200; ++i) {
        auto body = "definition=meaning" + std::to_string(i);
        connections.push_back(app.connect());
        connections.back().write("POST /word" + std::to_string(i) + " HTTP/1.1\r\nHost: x\r\n"
                                 "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: " +
                                 std::to_string(body.size()) + "\r\n\r\n" + body);
    }
    // All 200 are sent before any answer is read: the server has them all in flight at once.
    for (int i = 0; i < 200; ++i) {
        auto response = connections[static_cast<std::size_t>(i)].read_response(30s);
        INFO(i);
        REQUIRE(response.code == 200);
        CHECK(json::parse(response.body) == word_json("word" + std::to_string(i), "meaning" + std::to_string(i)));
    }
    auto rows = query("SELECT word, definition FROM words");
    CHECK(rows.size() == 200);
    std::set<std::string> words;
    for (const auto& row : rows) {
        auto word = row["word"].as<std::string>();
        CHECK(row["definition"].as<std::string>() == "meaning" + word.substr(4));
        words.insert(word);
    }
    CHECK(words.size() == 200);
}

TEST_CASE_METHOD(DefinitionsTest, "definitions keeps an acknowledged POST through kill -9 and a restart") {
    {
        ServerProcess app(program, args);
        REQUIRE(define(app, "durable", "written before the crash").code == 200);
        app.kill();  // no clean shutdown: nothing is flushed on the way out
    }
    ServerProcess restarted(program, args);
    auto read = restarted.fetch("/durable");
    REQUIRE(read.code == 200);
    CHECK(json::parse(read.body) == word_json("durable", "written before the crash"));
}

TEST_CASE_METHOD(DefinitionsTest, "definitions applies its migration once across restarts") {
    for (int start = 0; start < 3; ++start) {
        ServerProcess app(program, args);
        REQUIRE(define(app, "start" + std::to_string(start), "started").code == 200);
    }
    auto migrations = query("SELECT version, name FROM tornado_migrations");
    REQUIRE(migrations.size() == 1);
    CHECK(migrations[0]["version"].as<int>() == 1);
    CHECK(migrations[0]["name"].as<std::string>() == "0001_words.sql");
    CHECK(query("SELECT word FROM words").size() == 3);  // each start kept the words before it
}

TEST_CASE("definitions without --db keeps its words in data_dir()/definitions.db") {
    TempDir dir;
    setenv("TORNADO_DATA_DIR", dir.path.c_str(), 1);
    {
        ServerProcess app(sample_path("04-database", "definitions"));
        CHECK(define(app, "default", "an SQLite file, created on first run").code == 200);
    }
    unsetenv("TORNADO_DATA_DIR");
    CHECK(std::filesystem::is_regular_file(dir.path / "definitions.db"));
    ServerProcess app(sample_path("04-database", "definitions"), {"--db=sqlite://" + (dir.path / "definitions.db").string()});
    CHECK(json::parse(app.fetch("/default").body) == word_json("default", "an SQLite file, created on first run"));
}
