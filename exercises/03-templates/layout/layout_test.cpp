// exercises/03-templates/layout: GET / and GET /about extend templates/base.html.
#include "exercise_test.hpp"

#include <string>

using Catch::Contains;

TEST_CASE_METHOD(ExerciseTest, "GET / shows the home page inside the layout") {
    auto response = fetch("/");
    const auto& page = response.body;
    INFO("index.html extends base.html: the layout's nav, its title block in <title>, its content block in <main>");
    CHECK(response.code == 200);
    CHECK(count(page, "<nav>") == 1);
    auto title = between(page, "<title>", "</title>");
    CHECK(title == "Burt's Books | Home");
    auto main = between(page, "<main>", "</main>");
    CHECK_THAT(main, Contains("<h1>Welcome to Burt's Books!</h1>"));
    CHECK_THAT(main, Contains("New on our shelves this week: Introduction to Tornado."));
}

TEST_CASE_METHOD(ExerciseTest, "GET /about shows the about page inside the same layout") {
    auto response = fetch("/about");
    const auto& page = response.body;
    INFO("about.html extends base.html: the layout's nav, its title block in <title>, its content block in <main>");
    CHECK(response.code == 200);
    CHECK(count(page, "<nav>") == 1);
    auto title = between(page, "<title>", "</title>");
    CHECK(title == "Burt's Books | About us");
    auto main = between(page, "<main>", "</main>");
    CHECK_THAT(main, Contains("<h1>About us</h1>"));
    CHECK_THAT(main, Contains("Burt has been selling books since 1983."));
}

TEST_CASE_METHOD(ExerciseTest, "the home page keeps the layout's default footer") {
    auto page = fetch("/").body;
    auto footer = between(page, "<footer>", "</footer>");
    INFO("index.html does not override the footer block, so base's default shows");
    CHECK_THAT(footer, Contains("<p>Burt's Books, 12 Main Street. Open every day but Monday.</p>"));
}

TEST_CASE_METHOD(ExerciseTest, "the about page replaces the footer with its own") {
    auto page = fetch("/about").body;
    auto footer = between(page, "<footer>", "</footer>");
    auto main = between(page, "<main>", "</main>");
    INFO("about.html's last line replaces base's footer block: in the footer instead of the default, not in <main>");
    CHECK_THAT(footer, Contains(R"(<p>Write to Burt at <a href="mailto:burt@burtsbooks.example">)"));
    CHECK_THAT(footer, !Contains("12 Main Street"));
    CHECK_THAT(main, !Contains("Write to Burt"));
}

TEST_CASE_METHOD(ExerciseTest, "each page has the layout's markup exactly once") {
    for (const std::string path : {"/", "/about"}) {
        auto page = fetch(path).body;
        INFO("the page " << path << " is the layout once, with nothing before or after it");
        CHECK(page.starts_with("<!DOCTYPE html>"));
        CHECK(count(page, "<html>") == 1);
        CHECK(count(page, "<nav>") == 1);
        CHECK(count(page, "<footer>") == 1);
        CHECK(page.ends_with("</html>\n"));
    }
}
