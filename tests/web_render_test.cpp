// RequestHandler::render over real HTTP: templates from template_path, the helpers every page
// has, UI modules adding their CSS/JS once, template errors as 500s, reloading in debug mode.
#include <tornado/log.hpp>
#include <tornado/testing.hpp>
#include <tornado/web.hpp>

#include <catch2/catch.hpp>

#include <cctype>
#include <filesystem>
#include <fstream>
#include <random>

using namespace tornado;
namespace fs = std::filesystem;

namespace {
// A temporary directory with templates/ and static/ in it.
struct Site {
    fs::path root = fs::temp_directory_path() / ("tornado-render-" + std::to_string(std::random_device{}()));
    Site() {
        fs::create_directories(root / "templates" / "modules");
        fs::create_directories(root / "static" / "css");
    }
    ~Site() { fs::remove_all(root); }
    void write(const std::string& relative, const std::string& text) const { std::ofstream(root / relative) << text; }
    std::string templates() const { return (root / "templates").string(); }
    std::string statics() const { return (root / "static").string(); }
};

struct RenderTest : testing::AsyncHTTPTestCase {
    Site site;
    std::vector<web::URLSpec> routes;
    web::Settings settings;
    std::unique_ptr<web::Application> get_app() override {
        settings.template_path = site.templates();
        settings.static_path = site.statics();
        return std::make_unique<web::Application>(std::move(routes), settings);
    }
};

struct Page : web::RequestHandler {
    void get(const std::string& name) {
        render(name + ".html", {{"title", get_argument("title", "Books")},
                                {"books", {{{"name", "Dune"}}, {{"name", "Emma & <Co>"}}}}});
    }
};

struct BookModule : web::UIModule {
    std::string render(const web::RequestHandler&, const std::string& html) override {
        return "<div class=\"module\">" + html + "</div>";
    }
    std::vector<std::string> css_files() const override { return {"css/book.css", "https://cdn.example/x.css"}; }
    std::vector<std::string> javascript_files() const override { return {"/js/book.js"}; }
    std::string embedded_css() const override { return ".book{color:red}"; }
    std::string embedded_javascript() const override { return "var books = true;"; }
    std::string html_head() const override { return "<meta name=\"module\" content=\"book\">"; }
    std::string html_body() const override { return "<p id=\"module-body\"></p>"; }
};

std::size_t count(const std::string& text, const std::string& needle) {
    std::size_t n = 0;
    for (auto at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) ++n;
    return n;
}
}  // namespace

TEST_CASE_METHOD(RenderTest, "render escapes values and renders lists") {
    site.write("templates/list.html", "<h1>{{title}}</h1>{{#books}}<li>{{name}}</li>{{/books}}");
    routes.push_back(web::url<Page>(R"(/(\w+))"));
    auto response = fetch("/list?title=%3Cb%3E%22x%22%20%26%20%27y%27");
    CHECK(response.code == 200);
    CHECK(response.headers.get("Content-Type") == "text/html; charset=UTF-8");
    CHECK(response.body == "<h1>&lt;b&gt;&quot;x&quot; &amp; &#39;y&#39;</h1><li>Dune</li><li>Emma &amp; &lt;Co&gt;</li>");
}

TEST_CASE_METHOD(RenderTest, "pages extend layouts three levels deep") {
    site.write("templates/base.html", "<title>{{$title}}Site{{/title}}</title><main>{{$body}}empty{{/body}}</main>");
    site.write("templates/section.html", "{{<base}}{{$title}}Section{{/title}}{{/base}}");
    site.write("templates/deep.html", "{{<section}}{{$body}}{{#books}}[{{name}}]{{/books}}{{/body}}{{/section}}");
    routes.push_back(web::url<Page>(R"(/(\w+))"));
    CHECK(fetch("/deep").body == "<title>Section</title><main>[Dune][Emma &amp; &lt;Co&gt;]</main>");
    CHECK(fetch("/section").body == "<title>Section</title><main>empty</main>");
}

TEST_CASE_METHOD(RenderTest, "templates call static_url, reverse_url and see the request") {
    site.write("static/css/site.css", "body{}");
    site.write("templates/links.html",
               "{{#static_url}}css/site.css{{/static_url}} {{#reverse_url}}page links{{/reverse_url}} {{request.path}}");
    routes.push_back(web::url<Page>(R"(/(\w+))").named("page"));
    auto body = fetch("/links").body;
    CHECK_THAT(body, Catch::Matches(R"(/static/css/site\.css\?v=[0-9a-f]{32} /links /links)"));
}

namespace {
// Signed in when ?user= names someone (a stand-in for chapter 6's cookie).
struct Greeting : web::RequestHandler {
    nlohmann::json get_current_user() {
        auto name = get_argument("user", "");
        return name.empty() ? nlohmann::json() : nlohmann::json{{"name", name}};
    }
    void get() { render("greeting.html"); }
};
}  // namespace

TEST_CASE_METHOD(RenderTest, "templates see current_user") {
    site.write("templates/greeting.html", "{{#current_user}}Hi {{name}}{{/current_user}}{{^current_user}}Sign in{{/current_user}}");
    routes.push_back(web::url<Greeting>("/"));
    CHECK(fetch("/?user=%3Cada%3E").body == "Hi &lt;ada&gt;");
    CHECK(fetch("/").body == "Sign in");
}

TEST_CASE_METHOD(RenderTest, "a UI module used twice adds its CSS and JavaScript once") {
    site.write("static/css/book.css", ".book{}");
    site.write("templates/modules/book.html", "<b>{{name}}</b>");
    site.write("templates/shelf.html",
               "<html><head><title>t</title></head><body>{{#books}}{{#module:Book}}{{>modules/book}}{{/module:Book}}{{/books}}</body></html>");
    settings.ui_modules["Book"] = std::make_shared<BookModule>();
    routes.push_back(web::url<Page>(R"(/(\w+))"));
    auto body = fetch("/shelf").body;
    CHECK_THAT(body, Catch::Contains("<div class=\"module\"><b>Dune</b></div><div class=\"module\"><b>Emma &amp; &lt;Co&gt;</b></div>"));
    CHECK(count(body, "css/book.css?v=") == 1);
    CHECK(count(body, "<link href=\"https://cdn.example/x.css\"") == 1);
    CHECK(count(body, "<script src=\"/js/book.js\"") == 1);
    CHECK(count(body, ".book{color:red}") == 1);
    CHECK(count(body, "var books = true;") == 1);
    CHECK(count(body, "<meta name=\"module\"") == 1);
    CHECK(count(body, "<p id=\"module-body\">") == 1);
    // Head resources go before </head>, body ones before </body>.
    CHECK(body.find("css/book.css") < body.find("</head>"));
    CHECK(body.find("<meta name=\"module\"") < body.find("</head>"));
    CHECK(body.find("/js/book.js") > body.find("</head>"));
    CHECK(body.find("module-body") < body.find("</body>"));
    // As in Tornado, html_head and html_body end with a line break of their own.
    CHECK_THAT(body, Catch::Contains("<meta name=\"module\" content=\"book\">\n</head>"));
    CHECK_THAT(body, Catch::Contains("<p id=\"module-body\"></p>\n</body>"));
}

TEST_CASE_METHOD(RenderTest, "a page without modules gets nothing added") {
    site.write("templates/plain.html", "<html><head></head><body>{{title}}</body></html>");
    settings.ui_modules["Book"] = std::make_shared<BookModule>();
    routes.push_back(web::url<Page>(R"(/(\w+))"));
    CHECK(fetch("/plain").body == "<html><head></head><body>Books</body></html>");
}

TEST_CASE_METHOD(RenderTest, "a template error is a 500 naming the template and line") {
    site.write("templates/broken.html", "line one\n{{#books}}\nnever closed\n");
    routes.push_back(web::url<Page>(R"(/(\w+))"));
    log::set_level(log::Level::none);
    auto hidden = fetch("/broken");
    CHECK(hidden.code == 500);
    CHECK_THAT(hidden.body, !Catch::Contains("broken.html"));
    CHECK(fetch("/missing").code == 500);
    log::set_level(log::Level::info);
}

TEST_CASE_METHOD(RenderTest, "debug mode shows template errors and reloads edited templates") {
    site.write("templates/broken.html", "line one\n{{#books}}\nnever closed\n");
    site.write("templates/live.html", "first");
    settings.debug = true;
    routes.push_back(web::url<Page>(R"(/(\w+))"));
    log::set_level(log::Level::none);
    auto shown = fetch("/broken");
    log::set_level(log::Level::info);
    CHECK(shown.code == 500);
    CHECK_THAT(shown.body, Catch::Contains("broken.html:2"));
    CHECK(fetch("/live").body == "first");
    site.write("templates/live.html", "second, longer");
    CHECK(fetch("/live").body == "second, longer");
}

TEST_CASE_METHOD(RenderTest, "an unknown UI module is a template error with its line") {
    site.write("templates/modules/book.html", "<b>{{name}}</b>");
    site.write("templates/typo.html", "<ul>\n{{#books}}{{#module:Bok}}{{>modules/book}}{{/module:Bok}}{{/books}}\n</ul>");
    settings.ui_modules["Book"] = std::make_shared<BookModule>();
    settings.debug = true;
    routes.push_back(web::url<Page>(R"(/(\w+))"));
    log::set_level(log::Level::none);
    auto response = fetch("/typo");
    log::set_level(log::Level::info);
    CHECK(response.code == 500);
    CHECK_THAT(response.body, Catch::Contains("typo.html:2: unknown UI module \"Bok\""));
}

namespace {
// A helper of the handler's own, next to the ones every page has; the context is a JSON
// object the handler keeps.
struct OwnHelpers : web::RequestHandler {
    template_::Helpers get_template_helpers() const override {
        return {{"shout", [](const std::string& text, const auto& render) {
                     auto loud = render(text);
                     for (auto& c : loud) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
                     return loud;
                 }}};
    }
    void get() {
        static const nlohmann::json context = {{"name", "dune"}};
        render("own.html", context);
    }
};
}  // namespace

TEST_CASE_METHOD(RenderTest, "a handler's own helpers sit beside static_url, request and current_user stay visible") {
    site.write("static/css/site.css", "body{}");
    site.write("templates/own.html",
               "{{#shout}}{{name}}{{/shout}} {{#static_url}}css/site.css{{/static_url}} {{request.method}}"
               "{{^current_user}} nobody{{/current_user}}");
    routes.push_back(web::url<OwnHelpers>("/own"));
    CHECK_THAT(fetch("/own").body, Catch::Matches(R"(DUNE /static/css/site\.css\?v=[0-9a-f]{32} GET nobody)"));
}
