// chapters/01-hello/hello_errors: the overridden write_error answers every error of its handler.
#include "sample.hpp"

#include <catch2/catch.hpp>

using tornado::testing::FetchOptions;
using tornado::testing::ServerProcess;

TEST_CASE("hello_errors greets like hello") {
    ServerProcess app(sample_path("01-hello", "hello_errors"));
    CHECK(app.fetch("/?greeting=Salutations").body == "Salutations, friendly user!");
}

TEST_CASE("hello_errors answers a POST with its own 405 page") {
    ServerProcess app(sample_path("01-hello", "hello_errors"));
    auto response = app.fetch("/", FetchOptions{"POST", "", {}});
    CHECK(response.code == 405);
    CHECK(response.body == "Gosh darnit, user! You caused a 405 error.");
    CHECK(app.fetch("/", FetchOptions{"PUT", "", {}}).body == "Gosh darnit, user! You caused a 405 error.");
}

TEST_CASE("hello_errors leaves unknown paths to the default 404 page") {
    ServerProcess app(sample_path("01-hello", "hello_errors"));
    auto response = app.fetch("/nowhere");
    CHECK(response.code == 404);
    CHECK(response.body == "<html><title>404: Not Found</title><body>404: Not Found</body></html>");
}
