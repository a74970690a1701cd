// exercises/01-hello/arguments: a required argument (word), an optional one (times), and 400s
// that say what was wrong.
#include "exercise_test.hpp"

using Catch::Contains;

TEST_CASE_METHOD(ExerciseTest, "GET /repeat?word=ha&times=3 answers hahaha") {
    auto response = fetch("/repeat?word=ha&times=3");
    CHECK(response.code == 200);
    CHECK(response.body == "hahaha");
    INFO("the word is UTF-8 text: %E4%BD%A0 is 你");
    CHECK(fetch("/repeat?word=%E4%BD%A0&times=2").body == "你你");
}

TEST_CASE_METHOD(ExerciseTest, "times is optional and defaults to 1") {
    CHECK(fetch("/repeat?word=echo").body == "echo");
}

TEST_CASE_METHOD(ExerciseTest, "without word the answer is Tornado's 400 page") {
    auto response = fetch("/repeat?times=2");
    CHECK(response.code == 400);
    CHECK(response.body == "<html><title>400: Bad Request</title><body>400: Bad Request</body></html>");
}

TEST_CASE_METHOD(ExerciseTest, "times must be a whole number from 1 to 10, else the answer is a 400") {
    CHECK(fetch("/repeat?word=a&times=10").body == "aaaaaaaaaa");
    for (std::string times : {"0", "11", "-3"}) {
        auto response = fetch("/repeat?word=a&times=" + times);
        INFO("times=" + times);
        CHECK(response.code == 400);
        CHECK_THAT(response.body, Contains("times must be between 1 and 10"));
    }
    INFO("times=three is not a number at all");
    CHECK(fetch("/repeat?word=a&times=three").code == 400);
}
