// chapters/03-templates/bookstore and basic_modules over real sockets: the layout's blocks, the
// Book module's files added once, raw descriptions, escaped comments, module resources.
#include "sample.hpp"

#include <catch2/catch.hpp>

#include <regex>

using tornado::testing::ServerProcess;

namespace {
std::size_t count(const std::string& text, const std::string& needle) {
    std::size_t n = 0;
    for (auto at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) ++n;
    return n;
}

// Every /static/… URL a page refers to.
std::vector<std::string> static_urls(const std::string& page) {
    std::vector<std::string> urls;
    std::regex link(R"re((?:href|src)="(/static/[^"]+)")re");
    for (std::sregex_iterator it(page.begin(), page.end(), link), end; it != end; ++it) urls.push_back((*it)[1]);
    return urls;
}
}  // namespace

TEST_CASE("bookstore's home page fills the layout's blocks") {
    ServerProcess app(sample_path("03-templates", "bookstore"));
    auto page = app.fetch("/").body;
    CHECK_THAT(page, Catch::Contains("<title>Burt&#39;s Books | Home</title>"));
    CHECK_THAT(page, Catch::Contains("<h1>Welcome to Burt&#39;s Books!</h1>"));
    CHECK_THAT(page, Catch::Contains("Hello from the home page!"));
    CHECK_THAT(page, Catch::Contains("contact@burtsbooks.example"));  // the footer's default
    CHECK_THAT(page, !Catch::Contains("recommended.css"));           // no module on this page
}

TEST_CASE("bookstore survives GET /static/ with a 60,000-byte name and keeps serving") {
    ServerProcess app(sample_path("03-templates", "bookstore"));
    const int code = app.fetch("/static/" + std::string(60'000, 'a')).code;
    // The server caps the request target below this length (414); the process lives on.
    CHECK(code == 414);
    CHECK(app.running());
    CHECK(app.fetch("/static/css/style.css").code == 200);
}

TEST_CASE("bookstore's recommended page draws each book with the Book module") {
    ServerProcess app(sample_path("03-templates", "bookstore"));
    auto page = app.fetch("/recommended/").body;
    CHECK(count(page, "<div class=\"book\">") == 3);
    CHECK(count(page, "/static/css/recommended.css?v=") == 1);
    CHECK(count(page, "/static/js/recommended.js?v=") == 1);
    CHECK(page.find("recommended.css") < page.find("</head>"));
    CHECK_THAT(page, Catch::Contains("<em>recommendations</em>"));  // trusted HTML, unescaped
    CHECK(count(page, "class=\"book_subtitle\"") == 2);              // the third has none
    for (const auto& url : static_urls(page)) {
        INFO(url);
        CHECK(app.fetch(url).code == 200);
    }
}

TEST_CASE("bookstore's discussion escapes the comments") {
    ServerProcess app(sample_path("03-templates", "bookstore"));
    auto page = app.fetch("/discussion/").body;
    CHECK_THAT(page, Catch::Contains("&lt;script&gt;alert(&#39;Your bookstore has been pwned!&#39;)&lt;/script&gt;"));
    CHECK_THAT(page, !Catch::Contains("<script>alert"));
    CHECK_THAT(page, Catch::Contains("&lt;b&gt;Asking for a friend.&lt;/b&gt;"));
    CHECK_THAT(page, Catch::Contains(R"(<a href="https://www.tornadoweb.org">https://www.tornadoweb.org</a>)"));
}

TEST_CASE("basic_modules adds the module's body HTML and script once") {
    ServerProcess app(sample_path("03-templates", "basic_modules"));
    auto page = app.fetch("/").body;
    CHECK(count(page, "<h1 class=\"hello\">") == 3);
    CHECK_THAT(page, Catch::Contains("Hello, C++!"));
    CHECK(count(page, "<p id=\"greeted\"></p>") == 1);
    CHECK(count(page, "//<![CDATA[") == 1);
    CHECK(page.find("<p id=\"greeted\">") < page.find("</body>"));
}
