// exercises/04-database/guestbook: GET / lists the entries, POST / stores one, in the database.
#include "exercise_test.hpp"

#include <tornado/database.hpp>
#include <tornado/escape.hpp>

using nlohmann::json;
using tornado::escape::url_escape;
using tornado::testing::form_post;

namespace {
tornado::httpclient::HTTPResponse sign(ExerciseTest& test, const std::string& name, const std::string& message) {
    return test.fetch("/", form_post("name=" + url_escape(name) + "&message=" + url_escape(message)));
}

json entry(const std::string& name, const std::string& message) { return {{"name", name}, {"message", message}}; }
}  // namespace

TEST_CASE_METHOD(DatabaseExerciseTest, "POST / stores an entry and answers its id") {
    auto first = sign(*this, "Burt", "Welcome, everyone!");
    CHECK(first.code == 200);
    CHECK(json::parse(first.body, nullptr, false) == json{{"id", 1}});
    CHECK(json::parse(sign(*this, "Alice", "Hello").body, nullptr, false) == json{{"id", 2}});
}

TEST_CASE_METHOD(DatabaseExerciseTest, "GET / lists the entries oldest first, exactly as written") {
    const std::string sneaky = "'); DELETE FROM entries; --";
    REQUIRE(sign(*this, "Burt", "Welcome, everyone!").code == 200);
    REQUIRE(sign(*this, "Bobby", sneaky).code == 200);
    REQUIRE(sign(*this, "李", "你好 😀").code == 200);
    auto list = json::parse(fetch("/").body, nullptr, false);
    CHECK(list == json{{"entries",
                        {entry("Burt", "Welcome, everyone!"), entry("Bobby", sneaky), entry("李", "你好 😀")}}});
}

TEST_CASE_METHOD(DatabaseExerciseTest, "the entries are in the database file, not only in memory") {
    REQUIRE(sign(*this, "Burt", "Welcome, everyone!").code == 200);
    tornado::database::Connection db(database_url("guestbook.db"));
    auto rows = io_loop().run_sync(db.query("SELECT name, message FROM entries"));
    REQUIRE(rows.size() == 1);
    CHECK(rows[0]["name"].as<std::string>() == "Burt");
    CHECK(rows[0]["message"].as<std::string>() == "Welcome, everyone!");
}

TEST_CASE_METHOD(DatabaseExerciseTest, "a POST without a name or a message is a 400 and stores nothing") {
    CHECK(fetch("/", form_post("name=Burt")).code == 400);
    CHECK(fetch("/", form_post("message=Hello")).code == 400);
    CHECK(json::parse(fetch("/").body, nullptr, false) == json{{"entries", json::array()}});
}
