// exercises/01-hello/upper: GET /upper/<word> answers the word in capitals.
#include "exercise_test.hpp"

TEST_CASE_METHOD(ExerciseTest, "GET /upper/tornado answers TORNADO") {
    auto response = fetch("/upper/tornado");
    CHECK(response.code == 200);
    CHECK(response.body == "TORNADO");
}

TEST_CASE_METHOD(ExerciseTest, "every letter is capitalised, digits and _ stay as they are") {
    CHECK(fetch("/upper/MiXeD_42").body == "MIXED_42");
}

TEST_CASE_METHOD(ExerciseTest, "the route takes exactly one word, and / still greets") {
    CHECK(fetch("/upper/word").code == 200);
    INFO("a hyphen is not part of a word (\\w), so /upper/two-words matches no route");
    CHECK(fetch("/upper/two-words").code == 404);
    CHECK(fetch("/upper/").code == 404);
    CHECK(fetch("/").body == "Hello, friendly user!");
}
