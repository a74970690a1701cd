// tornado::testing's own helpers, seen from the server they talk to.
#include <tornado/testing.hpp>
#include <tornado/web.hpp>

#include <catch2/catch.hpp>

using namespace tornado;

namespace {
// Answers with what arrived: method, Content-Type, and the form's fields as the handler reads them.
struct FormEcho : web::RequestHandler {
    void post() {
        write(request().method + "|" + request().headers.get("Content-Type") + "|" + get_body_argument("name", "") +
              "|" + get_body_argument("note", ""));
    }
};

struct FormTest : testing::AsyncHTTPTestCase {
    std::unique_ptr<web::Application> get_app() override {
        return std::make_unique<web::Application>(std::vector<web::URLSpec>{web::url<FormEcho>("/form")});
    }
};
}  // namespace

TEST_CASE_METHOD(FormTest, "form_post sends its body as a url-encoded form") {
    auto response = fetch("/form", testing::form_post("name=Ann+Lee&note=a%26b%3Dc"));
    CHECK(response.code == 200);
    CHECK(response.body == "POST|application/x-www-form-urlencoded|Ann Lee|a&b=c");
}

TEST_CASE_METHOD(FormTest, "an empty form_post is still a form") {
    auto response = fetch("/form", testing::form_post(""));
    CHECK(response.code == 200);
    CHECK(response.body == "POST|application/x-www-form-urlencoded||");
}
