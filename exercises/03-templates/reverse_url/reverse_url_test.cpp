// exercises/03-templates/reverse_url: links and redirects built from the routes' names.
#include "exercise_test.hpp"

#include <regex>
#include <string>
#include <string_view>
#include <vector>

using Catch::Contains;

namespace {
struct Link {
    std::string href, text;
};

// The page's <a class="kind" href="…">text</a> links.
std::vector<Link> links(const std::string& page, const std::string& kind) {
    std::vector<Link> found;
    const std::regex link("<a class=\"" + kind + "\" href=\"([^\"]*)\">([^<]*)</a>");
    for (std::sregex_iterator it(page.begin(), page.end(), link), end; it != end; ++it) {
        found.push_back({(*it)[1], (*it)[2]});
    }
    return found;
}

// The application's reverse_url, or the error it throws (so that a missing name fails a check).
std::string reversed(const tornado::web::Application& app, std::string_view name, const std::vector<std::string>& args) {
    try {
        return app.reverse_url(name, args);
    } catch (const std::exception& error) {
        return error.what();
    }
}

struct ReverseUrlTest : ExerciseTest {
    // Each of the links found on the page at path opens a page whose <h1> is the link's text.
    void check_links_open_their_pages(const std::vector<Link>& page_links, const std::string& path) {
        for (const auto& link : page_links) {
            INFO("the link on " << path << " to " << link.text << " goes to " << link.href);
            auto response = fetch(link.href);
            CHECK(response.code == 200);
            if (response.code == 200) CHECK_THAT(response.body, Contains("<h1>" + link.text + "</h1>"));
        }
    }
};
}  // namespace

TEST_CASE_METHOD(ReverseUrlTest, "each book link on the home page opens that book's page") {
    auto book_links = links(fetch("/").body, "book");
    CHECK(book_links.size() == 3);
    check_links_open_their_pages(book_links, "/");
}

TEST_CASE_METHOD(ReverseUrlTest, "each author link on the home page opens that author's page") {
    auto author_links = links(fetch("/").body, "author");
    CHECK(author_links.size() == 3);
    check_links_open_their_pages(author_links, "/");
}

TEST_CASE_METHOD(ReverseUrlTest, "the links on a book's page and an author's page lead where they say") {
    for (const std::string path : {"/books/7", "/authors/dory"}) {
        auto page = fetch(path).body;
        // A book's page links its author, an author's page their books, and both the catalogue.
        std::vector<Link> page_links = links(page, path.starts_with("/books/") ? "author" : "book");
        for (const auto& link : links(page, "home")) page_links.push_back({link.href, "Catalogue"});
        {
            INFO("the page " << path << " has two links");
            CHECK(page_links.size() == 2);
        }
        check_links_open_their_pages(page_links, path);
    }
}

TEST_CASE_METHOD(ExerciseTest, "GET /latest redirects to the newest book") {
    auto response = fetch("/latest");
    CHECK(response.code == 302);
    auto location = response.headers.get("Location");
    INFO("the newest book is the last of the list, number 12");
    CHECK(location == "/books/12");
    if (location.starts_with("/")) {
        auto book = fetch(location);
        CHECK(book.code == 200);
        if (book.code == 200) CHECK_THAT(book.body, Contains("<h1>Introduction to Tornado</h1>"));
    }
}

TEST_CASE_METHOD(ExerciseTest, "the application knows the routes home and book and author by name") {
    INFO("web::url<…>(…).named(\"book\") gives a route its name, and Application::reverse_url finds it");
    CHECK(reversed(app(), "home", {}) == "/");
    CHECK(reversed(app(), "book", {"7"}) == "/books/7");
    CHECK(reversed(app(), "author", {"dory"}) == "/authors/dory");
}
