// exercises/04-database/conflict: POST /users signs a username up once; a taken one is a 409.
#include "exercise_test.hpp"

#include <tornado/database.hpp>
#include <tornado/escape.hpp>

using nlohmann::json;
using tornado::testing::form_post;

namespace {
tornado::httpclient::HTTPResponse sign_up(ExerciseTest& test, const std::string& username) {
    return test.fetch("/users", form_post("username=" + tornado::escape::url_escape(username)));
}
}  // namespace

TEST_CASE_METHOD(DatabaseExerciseTest, "a username that is taken answers 409 and is stored once") {
    auto first = sign_up(*this, "burt");
    CHECK(first.code == 201);
    CHECK(json::parse(first.body, nullptr, false) == json{{"username", "burt"}});
    CHECK(sign_up(*this, "alice").code == 201);
    CHECK(sign_up(*this, "burt").code == 409);
    CHECK(json::parse(fetch("/users").body, nullptr, false) == json{{"users", {"burt", "alice"}}});
}

TEST_CASE_METHOD(DatabaseExerciseTest, "the 409 says in JSON which username is taken") {
    REQUIRE(sign_up(*this, "burt").code == 201);
    auto taken = sign_up(*this, "burt");
    CHECK(taken.code == 409);
    CHECK(taken.headers.get("Content-Type") == "application/json; charset=UTF-8");
    CHECK(json::parse(taken.body, nullptr, false) == json{{"error", "username burt is taken"}});
}

TEST_CASE_METHOD(DatabaseExerciseTest, "the database itself refuses a second row with the same username") {
    REQUIRE(sign_up(*this, "burt").code == 201);  // the app has created and migrated its database
    tornado::database::Connection db(database_url("conflict.db"));
    CHECK_THROWS_AS(io_loop().run_sync(db.execute("INSERT INTO users (username) VALUES ('burt')")),
                    tornado::database::IntegrityError);
    CHECK(io_loop().run_sync(db.query("SELECT id FROM users")).size() == 1);
}
