// RequestHandler::authenticated (Tornado's @authenticated) and get_login_url over real sockets:
// a visitor without a current_user is sent to login_url?next=<where they were> on GET and HEAD
// and refused with 403 on other methods; a signed-in visitor gets the page. get_next_url sends
// a visitor back to `next` only when it is a path on this site.
#include <tornado/escape.hpp>
#include <tornado/testing.hpp>
#include <tornado/web.hpp>

#include "app_fixture.hpp"
#include "captured_log.hpp"

#include <catch2/catch.hpp>

using namespace tornado;
using testing::FetchOptions;

namespace {
// The user comes from the X-User header (its JSON), so a test can be anyone, or nobody.
struct Secret : web::RequestHandler {
    nlohmann::json get_current_user() {
        auto user = request().headers.get("X-User");
        return user.empty() ? nlohmann::json() : nlohmann::json::parse(user);
    }
    void get() {
        authenticated();
        write("secret for " + current_user().dump());
    }
    void head() { authenticated(); }
    void post() {
        authenticated();
        write("posted");
    }
    void delete_() {
        authenticated();
        write("deleted");
    }
};

// The login form's answer: back to where the visitor came from, if that is on this site.
struct BackToNext : web::RequestHandler {
    void post() { redirect(get_next_url("/home")); }
};

struct ComputedLogin : Secret {
    std::string get_login_url() const override { return "/sign-in/" + request().path.substr(1); }
};

FetchOptions as(const std::string& user, std::string method = "GET") {
    FetchOptions options;
    options.method = std::move(method);
    if (options.method == "POST") options.body = "x=1";
    options.headers.add("X-User", user);
    return options;
}
}  // namespace

TEST_CASE_METHOD(AppTest, "authenticated sends a GET without a user to login_url with next, and lets a user in") {
    settings.login_url = "/login";
    routes.push_back(web::url<Secret>("/secret"));
    auto away = fetch("/secret?page=2&q=a%20b");
    CHECK(away.code == 302);
    CHECK(away.headers.get("Location") == "/login?next=%2Fsecret%3Fpage%3D2%26q%3Da%2520b");
    CHECK(away.body.empty());

    auto head = fetch("/secret", FetchOptions{.method = "HEAD"});
    CHECK(head.code == 302);
    CHECK(head.headers.get("Location") == "/login?next=%2Fsecret");

    auto in = fetch("/secret", as(R"({"name": "ada"})"));
    CHECK(in.code == 200);
    CHECK(in.body == R"(secret for {"name":"ada"})");
}

TEST_CASE_METHOD(AppTest, "authenticated answers 403 to other methods without a user, and runs them for a user") {
    settings.login_url = "/login";
    routes.push_back(web::url<Secret>("/secret"));
    for (const auto& refused : {fetch("/secret", FetchOptions{.method = "POST", .body = "x=1"}),
                                fetch("/secret", FetchOptions{.method = "DELETE"})}) {
        CHECK(refused.code == 403);
        CHECK_FALSE(refused.headers.contains("Location"));
    }
    CHECK(fetch("/secret", as(R"("ada")", "POST")).body == "posted");
    CHECK(fetch("/secret", as(R"("ada")", "DELETE")).body == "deleted");
}

TEST_CASE_METHOD(AppTest, "a user is whoever Python would call true: null, false, 0, \"\", [] and {} are nobody") {
    settings.login_url = "/login";
    routes.push_back(web::url<Secret>("/secret"));
    for (const auto& nobody : {"null", "false", "0", R"("")", "[]", "{}"}) {
        CAPTURE(nobody);
        CHECK(fetch("/secret", as(nobody)).code == 302);
    }
    for (const auto& someone : {"true", "7", R"("x")", "[1]", R"({"id": 1})"}) {
        CAPTURE(someone);
        CHECK(fetch("/secret", as(someone)).code == 200);
    }
}

TEST_CASE_METHOD(AppTest, "an absolute login_url gets the full URL as next") {
    routes.push_back(web::url<Secret>("/secret"));
    settings.login_url = "https://auth.example/login";
    auto absolute = fetch("/secret?a=1");
    CHECK(absolute.code == 302);
    auto location = absolute.headers.get("Location");
    CHECK(location.starts_with("https://auth.example/login?next=http%3A%2F%2F127.0.0.1%3A"));
    CHECK(location.ends_with("%2Fsecret%3Fa%3D1"));
}

TEST_CASE_METHOD(AppTest, "a login_url with a query is used as it is") {
    routes.push_back(web::url<Secret>("/secret"));
    settings.login_url = "/login?from=secret";
    CHECK(fetch("/secret").headers.get("Location") == "/login?from=secret");
}

TEST_CASE_METHOD(AppTest, "get_login_url may be overridden - without it and without login_url the request is a 500") {
    routes.push_back(web::url<ComputedLogin>("/computed"));
    routes.push_back(web::url<Secret>("/secret"));
    CHECK(fetch("/computed").headers.get("Location") == "/sign-in/computed?next=%2Fcomputed");

    CapturedLog log;
    auto unset = fetch("/secret");
    CHECK(unset.code == 500);
    CHECK(log.count("You must define the 'login_url' setting") == 1);
}

TEST_CASE_METHOD(AppTest, "get_next_url honours next for a path on this site only: no open redirect") {
    routes.push_back(web::url<BackToNext>("/login"));
    auto back_to = [&](const std::string& next) {
        auto answer = fetch("/login", testing::form_post("next=" + escape::url_escape(next)));
        CHECK(answer.code == 302);
        return answer.headers.get("Location");
    };
    CHECK(back_to("/cart?item=3&x=%2F") == "/cart?item=3&x=%2F");
    CHECK(back_to("/") == "/");
    CHECK(fetch("/login", testing::form_post("")).headers.get("Location") == "/home");
    for (const auto& away : {"https://evil.example/", "//evil.example", "///evil.example", "/\\evil.example",
                             "/x\\y", "\\\\evil.example", "/\t/evil.example", "/ /evil.example", "evil.example",
                             "javascript:alert(1)", "HTTP://evil.example", " //evil.example", ""}) {
        CAPTURE(away);
        CHECK(back_to(away) == "/home");
    }
}
