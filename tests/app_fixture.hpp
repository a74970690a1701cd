// An AsyncHTTPTestCase whose application the test case itself describes: it fills in routes and
// settings before its first fetch.
#pragma once

#include <tornado/testing.hpp>
#include <tornado/web.hpp>

#include <memory>
#include <utility>
#include <vector>

struct AppTest : tornado::testing::AsyncHTTPTestCase {
    std::vector<tornado::web::URLSpec> routes;
    tornado::web::Settings settings;
    std::unique_ptr<tornado::web::Application> get_app() override {
        return std::make_unique<tornado::web::Application>(std::move(routes), settings);
    }
};
