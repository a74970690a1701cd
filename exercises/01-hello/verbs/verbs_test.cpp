// exercises/01-hello/verbs: GET, PUT and DELETE on /note; every other verb is refused with 405.
#include "exercise_test.hpp"

using tornado::testing::FetchOptions;

TEST_CASE_METHOD(ExerciseTest, "PUT /note stores the request body and GET /note reads it back") {
    auto response = fetch("/note", "PUT", "buy milk");
    CHECK(response.code == 200);
    CHECK(response.body == "buy milk");
    CHECK(fetch("/note").body == "buy milk");
    INFO("a second PUT replaces the note, it does not append");
    CHECK(fetch("/note", "PUT", "buy bread").body == "buy bread");
    CHECK(fetch("/note").body == "buy bread");
}

TEST_CASE_METHOD(ExerciseTest, "DELETE /note clears the note and answers 204 without a body") {
    fetch("/note", "PUT", "call Ann");
    auto response = fetch("/note", "DELETE");
    CHECK(response.code == 204);
    CHECK(response.body == "");
    CHECK(fetch("/note").body == "(no note)");
}

TEST_CASE_METHOD(ExerciseTest, "other verbs get 405 with an Allow header that lists GET, DELETE, PUT") {
    for (std::string method : {"POST", "PATCH"}) {
        auto response = fetch("/note", method, "x");
        INFO(method + " /note");
        CHECK(response.code == 405);
        INFO("Tornado lists the verbs the handler has; the framework writes them in the order GET, HEAD, "
             "POST, DELETE, PATCH, PUT, OPTIONS");
        CHECK(response.headers.get("Allow") == "GET, DELETE, PUT");
    }
}
