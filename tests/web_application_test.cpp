// web::Application and its Settings over real HTTP: an Application made by make_app() and
// moved, the settings later chapters read and an application's own values, and route captures
// reaching the methods that take them (Tornado's named-group rule, open()).
#include <tornado/testing.hpp>
#include <tornado/web.hpp>

#include <catch2/catch.hpp>

#include <memory>
#include <string>

using namespace tornado;
using namespace std::chrono_literals;

namespace {
// Reads the application's own setting.
struct Database : web::RequestHandler {
    void get() { write(settings().get<std::string>("db_url") + " x" + std::to_string(settings().get<int>("pool"))); }
};

struct Story : web::RequestHandler {
    void get(const std::string& id) { write("story " + id + " at " + reverse_url("story", {id})); }
};

// As Tornado's documentation writes it: a function returning the application.
web::Application make_app() {
    web::Settings settings;
    settings.set("db_url", "sqlite://books.db").set("pool", 4);
    settings.login_url = "/login";
    return web::Application({web::url<Database>("/db"), web::url<Story>(R"(/story/(\d+))").named("story")}, settings);
}

struct MadeApp : testing::AsyncHTTPTestCase {
    std::unique_ptr<web::Application> get_app() override { return std::make_unique<web::Application>(make_app()); }
};
}  // namespace

TEST_CASE_METHOD(MadeApp, "an Application returned by make_app() and moved serves its routes and settings") {
    CHECK(fetch("/db").body == "sqlite://books.db x4");
    CHECK(fetch("/story/7").body == "story 7 at /story/7");
    CHECK(app().settings().login_url == "/login");
}

TEST_CASE("an Application can be move-assigned before it serves") {
    ioloop::IOLoop loop;  // outlives the application's server
    loop.make_current();
    auto app = make_app();
    app = web::Application({web::url<Story>(R"(/s/(\d+))").named("story")});
    CHECK(app.reverse_url("story", {"3"}) == "/s/3");
    CHECK(app.settings().values.empty());
    app.listen(0, "127.0.0.1");
    CHECK(testing::fetch(loop, app.listen_port(), "/s/3").body == "story 3 at /s/3");
}

TEST_CASE("Settings: Tornado's defaults, and the application's own values by name and type") {
    web::Settings settings;
    CHECK(settings.cookie_secret.empty());
    CHECK(settings.login_url.empty());
    CHECK_FALSE(settings.xsrf_cookies);
    CHECK(settings.xsrf_cookie_kwargs.path == "/");
    CHECK_FALSE(settings.websocket_ping_interval);
    CHECK(settings.websocket_max_message_size == 10 * 1024 * 1024);

    settings.set("title", "Burt's Books").set("answer", 42);
    CHECK(settings.get<std::string>("title") == "Burt's Books");  // text is stored as std::string
    CHECK(settings.get<int>("answer") == 42);
    CHECK_THROWS_AS(settings.get<std::string>("absent"), std::out_of_range);
    CHECK_THROWS_WITH(settings.get<std::string>("answer"),
                      "settings: the value answer has another type than the one asked for");

    // Designated initializers still work, in declaration order.
    web::Settings designated{.template_path = "templates", .cookie_secret = "secret", .xsrf_cookies = true,
                             .login_url = "/login", .debug = true};
    CHECK(designated.xsrf_cookies);
    CHECK(designated.login_url == "/login");
}

// --- route captures ---

namespace {
struct Named : web::RequestHandler {
    void get(const std::string& year, const std::string& slug) {
        std::string names;
        for (const auto& [name, value] : path_kwargs()) names += name + "=" + value + " ";
        write(names + "args:" + std::to_string(path_args().size()) + " get(" + year + ", " + slug + ")");
    }
};

// The route's captures go to open(); the HTTP method takes none (WebSocketHandler's shape).
struct Opens : web::RequestHandler {
    std::string room;
    void open(const std::string& name) { room = name; }
    void get() {
        open(path_args().at(0));
        write("opened " + room);
    }
};

struct CapturesTest : testing::AsyncHTTPTestCase {
    std::unique_ptr<web::Application> get_app() override {
        return std::make_unique<web::Application>(std::vector<web::URLSpec>{
            web::url<Named>(R"(/(?P<year>\d{4})/(?P<slug>[^/]+))"),
            web::url<Named>(R"(/mixed/(\d+)/(?P<year>\d{4})/(x+)/(?P<slug>\w+))"),
            web::url<Opens>(R"(/room/(\w+))")});
    }
};
}  // namespace

TEST_CASE_METHOD(CapturesTest, "named groups go to the method in order, and only they (Tornado's rule)") {
    CHECK(fetch("/2024/caf%C3%A9").body == "year=2024 slug=café args:0 get(2024, café)");
    CHECK(fetch("/mixed/1/2024/xx/notes").body == "year=2024 slug=notes args:0 get(2024, notes)");
}

TEST_CASE_METHOD(CapturesTest, "a handler that declares open() receives the captures there") {
    CHECK(fetch("/room/lobby").body == "opened lobby");
}
