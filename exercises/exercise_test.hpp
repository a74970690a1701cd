// What every exercise's tests share: ExerciseTest serves the exercise's make_app() on a free port
// (tornado::testing::AsyncHTTPTestCase), so a test reads fetch("/upper/hello").body.
#pragma once

#include <tornado/testing.hpp>
#include <tornado/web.hpp>

#include <catch2/catch.hpp>

#include <stdlib.h>

#include <cstddef>
#include <filesystem>
#include <memory>
#include <regex>
#include <stdexcept>
#include <string>
#include <vector>

// Defined by the exercise: the application under test, as Tornado's docs write make_app().
tornado::web::Application make_app();

struct ExerciseTest : tornado::testing::AsyncHTTPTestCase {
    std::unique_ptr<tornado::web::Application> get_app() override {
        return std::make_unique<tornado::web::Application>(make_app());
    }
};

// For the database exercises (chapter 4): each test case gets an empty data_dir() of its own,
// so the database file make_app() opens there starts empty and is removed afterwards.
struct DatabaseExerciseTest : ExerciseTest {
    std::filesystem::path data = [] {
        char name[] = "/tmp/tornado-exercise-XXXXXX";
        if (!mkdtemp(name)) throw std::runtime_error("mkdtemp failed");
        setenv("TORNADO_DATA_DIR", name, 1);
        return std::filesystem::path(name);
    }();
    ~DatabaseExerciseTest() override {
        unsetenv("TORNADO_DATA_DIR");
        std::error_code ignored;
        std::filesystem::remove_all(data, ignored);
    }
    // The URL of the SQLite file called file in this test's data_dir(), to look into what the
    // exercise stored.
    std::string database_url(const std::string& file) const { return "sqlite://" + (data / file).string(); }
};

// How many times needle occurs in text.
inline std::size_t count(const std::string& text, const std::string& needle) {
    std::size_t n = 0;
    for (auto at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) ++n;
    return n;
}

// The text between the first open and the close after it; "" when either is missing. A test
// checks a part of the page (its <head>, its <footer>), so a failure shows only that part.
inline std::string between(const std::string& text, const std::string& open, const std::string& close) {
    auto start = text.find(open);
    if (start == std::string::npos) return "";
    start += open.size();
    auto end = text.find(close, start);
    return end == std::string::npos ? "" : text.substr(start, end - start);
}

// The text of each <li> of the page, in order.
inline std::vector<std::string> list_items(const std::string& page) {
    static const std::regex item(R"(<li\b[^>]*>([\s\S]*?)</li>)");
    std::vector<std::string> items;
    for (std::sregex_iterator found(page.begin(), page.end(), item), end; found != end; ++found) {
        items.push_back((*found)[1].str());
    }
    return items;
}
