// The chapter samples find their templates and static files next to their sources, so they
// serve the same pages whatever directory they are started from.
#include "sample.hpp"

#include <catch2/catch.hpp>

#include <filesystem>

using tornado::testing::ServerProcess;

namespace {
// Makes path the current directory (which a started sample inherits) until the scope ends.
class WorkingDirectory {
public:
    explicit WorkingDirectory(const std::filesystem::path& path) : previous_(std::filesystem::current_path()) {
        std::filesystem::current_path(path);
    }
    ~WorkingDirectory() { std::filesystem::current_path(previous_); }
    WorkingDirectory(const WorkingDirectory&) = delete;
    WorkingDirectory& operator=(const WorkingDirectory&) = delete;

private:
    std::filesystem::path previous_;
};

struct Sample {
    const char* chapter;
    const char* app;
    const char* page_text;  // text of its templates on the page at /
    const char* static_file;  // a file under its static/, or nullptr
};
}  // namespace

TEST_CASE("the chapter samples serve their templates and static files when started from /") {
    const auto sample = GENERATE(Sample{"02-forms", "poemmaker", "<title>Poem Maker Pro</title>", nullptr},
                                 Sample{"02-forms", "alpha_munger", "<title>The Alpha Munger</title>", "style.css"},
                                 Sample{"03-templates", "basic_modules", "<span class=\"sample_title\">Item 1:</span>", "css/sample.css"},
                                 Sample{"03-templates", "bookstore", "<h1>Welcome to Burt&#39;s Books!</h1>",
                                        "css/style.css"});
    INFO(sample.app);
    WorkingDirectory root("/");
    ServerProcess app(sample_path(sample.chapter, sample.app));
    auto page = app.fetch("/");
    CHECK(page.code == 200);
    CHECK_THAT(page.body, Catch::Contains(sample.page_text));
    if (sample.static_file) CHECK(app.fetch(std::string("/static/") + sample.static_file).code == 200);
    CHECK(app.output().find("Could not") == std::string::npos);
}
