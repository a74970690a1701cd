// exercises/03-templates/ui_module: a Card UI module draws each person and brings card.css.
#include "exercise_test.hpp"

#include <regex>
#include <string>
#include <vector>

using Catch::Contains;

namespace {
// The URL of the stylesheet link that render() adds for a module's css_files(); "" if none.
std::string module_stylesheet(const std::string& head) {
    std::smatch link;
    static const std::regex added(R"re(<link href="([^"]*card\.css[^"]*)" type="text/css" rel="stylesheet"/>)re");
    return std::regex_search(head, link, added) ? link[1].str() : "";
}
}  // namespace

TEST_CASE_METHOD(ExerciseTest, "the Card module is registered under the name Card and links css/card.css") {
    const auto& modules = app().settings().ui_modules;
    INFO("Settings::ui_modules maps the name that templates use, Card, to your module");
    CHECK(modules.count("Card") == 1);
    if (modules.count("Card") == 1 && modules.at("Card")) {
        auto css_files = modules.at("Card")->css_files();
        INFO("a path relative to static_path, so that render() links it through static_url");
        CHECK(css_files == std::vector<std::string>{"css/card.css"});
    }
}

TEST_CASE_METHOD(ExerciseTest, "the team page draws all four cards and links card.css once in its head") {
    auto response = fetch("/");
    const auto& page = response.body;
    CHECK(response.code == 200);
    CHECK(count(page, R"(<div class="card">)") == 4);
    for (const std::string name : {"Burt", "Ada", "Lin", "Sam"}) {
        CHECK_THAT(page, Contains(R"(<h2 class="card_name">)" + name + "</h2>"));
    }
    INFO("the module is used four times, but render() adds its stylesheet to <head> only once");
    auto head = between(page, "<head>", "</head>");
    CHECK(count(head, "css/card.css") == 1);
    CHECK(count(page, "css/card.css") == 1);
}

TEST_CASE_METHOD(ExerciseTest, "the stylesheet link is versioned through static_url and the file is served") {
    auto page = fetch("/").body;
    auto href = module_stylesheet(between(page, "<head>", "</head>"));
    INFO("render() adds <link href=\"/static/css/card.css?v=…\" type=\"text/css\" rel=\"stylesheet\"/> "
         "before </head> for a page that used the module");
    CHECK_THAT(href, Catch::StartsWith("/static/css/card.css?v="));
    if (!href.empty()) {
        auto version = href.substr(href.find("?v=") + 3);
        INFO("the version is the MD5 of the file, 32 hex digits");
        CHECK(std::regex_match(version, std::regex("[0-9a-f]{32}")));
        auto stylesheet = fetch(href);
        CHECK(stylesheet.code == 200);
        CHECK_THAT(stylesheet.body, Contains(".card {"));
    }
}
