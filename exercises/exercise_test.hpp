// What every exercise's tests share: ExerciseTest serves the exercise's make_app() on a free port
// (tornado::testing::AsyncHTTPTestCase), so a test reads fetch("/upper/hello").body.
#pragma once

#include <tornado/testing.hpp>
#include <tornado/web.hpp>

#include <catch2/catch.hpp>

#include <memory>
#include <string>

// Defined by the exercise: the application under test, as Tornado's docs write make_app().
tornado::web::Application make_app();

struct ExerciseTest : tornado::testing::AsyncHTTPTestCase {
    std::unique_ptr<tornado::web::Application> get_app() override {
        // make_app() returns the Application itself; new initialises it in place, no copy.
        return std::unique_ptr<tornado::web::Application>(new tornado::web::Application(make_app()));
    }
};

// A POST of an HTML form (application/x-www-form-urlencoded).
inline tornado::testing::FetchOptions form_post(std::string body) {
    tornado::testing::FetchOptions options;
    options.method = "POST";
    options.body = std::move(body);
    options.headers.set("Content-Type", "application/x-www-form-urlencoded");
    return options;
}
