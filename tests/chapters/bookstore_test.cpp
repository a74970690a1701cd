// chapters/03-templates/bookstore and basic_modules over real sockets, checked against the book's
// pages: the layout's blocks, the Book module's files added once, raw descriptions, dates,
// escaped comments, linkify's extra_params, and every extra of the Sample module.
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
    CHECK_THAT(page, Catch::Contains("<p>Welcome to Burt's Books!</p>"));
    CHECK_THAT(page, Catch::Contains("contact@burtsbooks.com"));  // the footer's default
    CHECK_THAT(page, !Catch::Contains("recommended.css"));        // no module on this page
}

TEST_CASE("bookstore's footer links the Facebook page through linkify with extra_params") {
    ServerProcess app(sample_path("03-templates", "bookstore"));
    // Byte for byte what the book's {% raw linkify(…, extra_params='ref=website') %} gives in Tornado.
    const std::string link = R"(<p class="small">Follow us on Facebook at )"
                             R"(<a href="https://facebook.com/burtsbooks" ref=website>https://facebook.com/burtsbooks</a>.</p>)";
    for (const std::string path : {"/", "/recommended/", "/discussion/"}) {
        INFO(path);
        CHECK(count(app.fetch(path).body, link) == 1);
    }
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
    CHECK_THAT(page, Catch::Contains("&quot;Web&quot; back into web services"));  // trusted HTML, kept raw
    CHECK(count(page, "class=\"book_subtitle\"") == 2);                           // Head First Python has none
    for (const auto& url : static_urls(page)) {
        INFO(url);
        CHECK(app.fetch(url).code == 200);
    }
}

TEST_CASE("bookstore's recommended page keeps the layout's header and adds its own heading") {
    ServerProcess app(sample_path("03-templates", "bookstore"));
    auto page = app.fetch("/recommended/").body;
    CHECK_THAT(page, Catch::Contains("<h1>Burt's Books</h1>"));  // the layout's default block
    CHECK(count(page, "<h2>Recommended Reading</h2>") == 1);
    CHECK(page.find("<h2>Recommended Reading</h2>") < page.find("<div class=\"book\">"));
}

TEST_CASE("bookstore's books are the book's, dated from their epoch seconds") {
    ServerProcess app(sample_path("03-templates", "bookstore"));
    auto page = app.fetch("/recommended/").body;
    // Tornado's locale.format_date(date_added, relative=False) for 1310248056, 1311148056, 1311348056.
    const std::vector<std::pair<std::string, std::string>> books{
        {"Programming Collective Intelligence", "July 9, 2011 at 9:47 pm"},
        {"RESTful Web Services", "July 20, 2011 at 7:47 am"},
        {"Head First Python", "July 22, 2011 at 3:20 pm"}};
    std::size_t at = 0;
    for (const auto& [title, added] : books) {
        INFO(title);
        at = page.find("<h3 class=\"book_title\">" + title + "</h3>", at);
        REQUIRE(at != std::string::npos);
        CHECK(page.find("Added: " + added + "</div>", at) < page.find("<div class=\"book\">", at));
    }
    CHECK_THAT(page, Catch::Contains("Released: November 2010"));
}

TEST_CASE("bookstore's discussion is the book's, with Melvin's scripts escaped") {
    ServerProcess app(sample_path("03-templates", "bookstore"));
    auto page = app.fetch("/discussion/").body;
    CHECK_THAT(page, Catch::Contains("<h1>Talkin&#39; About Books With Burt</h1>"));
    for (const std::string user : {"Alice", "Burt", "Melvin"}) {
        CHECK(count(page, R"(<p class="comment_user"><span class="bold">)" + user + "</span> says:</p>") == 1);
    }
    // What Tornado's autoescaped {{ comment["text"] }} sends for Melvin's comment.
    CHECK_THAT(page, Catch::Contains(
                         R"(<p class="comment_text">Totally hacked ur site lulz &lt;script )"
                         R"(src=&quot;http://melvins-web-sploits.com/evil_sploit.js&quot;&gt;&lt;/script&gt;&lt;script&gt;)"
                         R"(alert(&#39;RUNNING EVIL H4CKS AND SPL0ITS NOW...&#39;);&lt;/script&gt;</p>)"));
    CHECK_THAT(page, !Catch::Contains("<script>alert"));
    CHECK_THAT(page, !Catch::Contains("<script src=\"http://melvins"));
    CHECK_THAT(page, !Catch::Contains("<a href=\"http://melvins"));  // no linkify: the URL stays text
}

TEST_CASE("basic_modules draws the three items with the Sample module") {
    ServerProcess app(sample_path("03-templates", "basic_modules"));
    auto page = app.fetch("/").body;
    CHECK(count(page, "<div class=\"sample_item\">") == 3);
    for (const std::string item : {"1", "2", "3"}) {
        CHECK_THAT(page, Catch::Contains("<span class=\"sample_title\">Item " + item +
                                         ":</span>\n  <span class=\"sample_description\">Description for item " + item));
    }
}

TEST_CASE("basic_modules adds each of the module's extras once, where Tornado puts it") {
    ServerProcess app(sample_path("03-templates", "basic_modules"));
    auto page = app.fetch("/").body;
    const auto end_of_head = page.find("</head>");
    const auto style = "<style type=\"text/css\">\n.addition {color: #A1CAF1}\n</style>\n";
    CHECK(count(page, "/static/css/sample.css?v=") == 1);
    CHECK(page.find("/static/css/sample.css?v=") < end_of_head);
    CHECK(count(page, style) == 1);
    CHECK(page.find(style) < end_of_head);
    // Before </body>: the linked script, the embedded one, then html_body.
    const auto script = page.find("<script src=\"/static/js/sample.js?v=");
    const auto embedded = page.find("//<![CDATA[\ndocument.write(\"<p>embedded_javascript()</p>\")\n//]]>");
    const auto body = page.find("<div class=\"addition\"><p>html_body()</p></div>");
    CHECK(count(page, "sample.js") == 1);
    CHECK(count(page, "embedded_javascript()") == 1);
    CHECK(count(page, "html_body()") == 1);
    CHECK(end_of_head < script);
    CHECK(script < embedded);
    CHECK(embedded < body);
    CHECK(body < page.find("</body>"));
    for (const auto& url : static_urls(page)) {
        INFO(url);
        CHECK(app.fetch(url).code == 200);
    }
}
