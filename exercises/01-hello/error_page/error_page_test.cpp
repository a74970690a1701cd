// exercises/01-hello/error_page: write_error gives every error of the shop's handlers one page.
#include "exercise_test.hpp"

using Catch::Contains;

TEST_CASE_METHOD(ExerciseTest, "an unknown item answers 404 with the shop's error page") {
    CHECK(fetch("/items/apple").body == "apple: 3 in stock");
    auto response = fetch("/items/kiwi");
    CHECK(response.code == 404);
    CHECK_THAT(response.body, Contains("<h1>404: Not Found</h1>"));
    CHECK_THAT(response.body, Contains("<p>Please check the address and try again.</p>"));
}

TEST_CASE_METHOD(ExerciseTest, "a verb the handler lacks answers 405 on the same page") {
    auto response = fetch("/items/apple", "POST", "take=1");
    CHECK(response.code == 405);
    CHECK_THAT(response.body, Contains("<h1>405: Method Not Allowed</h1>"));
    CHECK_THAT(response.body, Contains("<p>Please check the address and try again.</p>"));
}

TEST_CASE_METHOD(ExerciseTest, "a crash answers 500 with the page, which never shows the exception's text") {
    auto response = fetch("/items/glass");
    CHECK(response.code == 500);
    CHECK_THAT(response.body, Contains("<h1>500: Internal Server Error</h1>"));
    CHECK_THAT(response.body, Contains("<p>Something broke on our side. We are on it.</p>"));
    INFO("what went wrong inside belongs in the server's log, not on the page");
    CHECK_THAT(response.body, !Contains("shattered"));
}
