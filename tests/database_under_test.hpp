#pragma once
// The database a test runs against. ctest runs each database test twice (DATABASE_TESTS in
// tests/CMakeLists.txt): on SQLite files in the test's directory, and with TORNADO_TEST_POSTGRES
// naming the PostgreSQL server the test command started, where each TestDatabase is a fresh
// database of its own.
#include <cstdlib>
#include <filesystem>
#include <string>

#include <catch2/catch.hpp>

namespace tornado::testing {

class TestDatabase {
public:
    // `dir` is the test's temporary directory; `name` tells apart several databases of one test.
    explicit TestDatabase(const std::filesystem::path& dir, const std::string& name = "test") {
        if (is_postgresql()) FAIL("TestDatabase: PostgreSQL is not wired in yet");
        url_ = "sqlite://" + (dir / (name + ".db")).string();
    }
    TestDatabase(const TestDatabase&) = delete;
    TestDatabase& operator=(const TestDatabase&) = delete;

    // The URL to open with database::Connection or to pass to a sample as --db.
    const std::string& url() const { return url_; }
    static bool is_postgresql() { return std::getenv("TORNADO_TEST_POSTGRES") != nullptr; }

private:
    std::string url_;
};

}  // namespace tornado::testing
