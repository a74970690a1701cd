// tornado/util.hpp: source_dir() names the folder of the file that calls it; data_dir() the
// folder a program writes to; stored_secret() a secret made once and kept there.
#include <tornado/util.hpp>

#include "temp_dir.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <source_location>
#include <string>

#include <sys/wait.h>
#include <unistd.h>

namespace {
// Passes its caller's location on, as a helper built on source_dir() would.
std::string caller_dir(std::source_location where = std::source_location::current()) {
    return tornado::source_dir(where);
}

// Locations as the compiler records them when given a relative file name (`g++ app.cpp`,
// `g++ ./src/../src/app.cpp`); defined at the end of this file, under #line directives.
std::source_location location_in_app_cpp();
std::source_location location_in_src_app_cpp();
}  // namespace

TEST_CASE("source_dir is the folder of the calling source file") {
    CHECK(tornado::source_dir() == TORNADO_SOURCE_DIR "/tests");
    CHECK(caller_dir() == TORNADO_SOURCE_DIR "/tests");
}

TEST_CASE("source_dir makes a relative file name absolute against the current directory") {
    const auto here = std::filesystem::current_path();
    CHECK(tornado::source_dir(location_in_app_cpp()) == here.string());
    CHECK(tornado::source_dir(location_in_src_app_cpp()) == (here / "src").string());
}

TEST_CASE("data_dir is data/ beside the executable, or TORNADO_DATA_DIR, and exists") {
    const auto beside = std::filesystem::read_symlink("/proc/self/exe").parent_path() / "data";
    ::unsetenv("TORNADO_DATA_DIR");
    CHECK(tornado::data_dir() == beside.string());
    CHECK(std::filesystem::is_directory(beside));

    const auto chosen = std::filesystem::temp_directory_path() / ("tornado-data-" + std::to_string(::getpid())) / "app";
    ::setenv("TORNADO_DATA_DIR", chosen.c_str(), 1);
    CHECK(tornado::data_dir() == chosen.string());
    CHECK(std::filesystem::is_directory(chosen));
    ::unsetenv("TORNADO_DATA_DIR");
    std::filesystem::remove_all(chosen.parent_path());
}

namespace {
// TORNADO_DATA_DIR pointed at a fresh directory while it lives.
struct DataDirHere {
    TempDir dir;
    DataDirHere() { ::setenv("TORNADO_DATA_DIR", dir.path.c_str(), 1); }
    ~DataDirHere() { ::unsetenv("TORNADO_DATA_DIR"); }
};

bool is_hex(const std::string& text) {
    return std::all_of(text.begin(), text.end(), [](char c) { return std::isxdigit(static_cast<unsigned char>(c)) != 0; });
}
}  // namespace

TEST_CASE("stored_secret makes a random secret once, readable by its owner only, and returns it after") {
    DataDirHere data;
    const auto secret = tornado::stored_secret("cookie_secret");
    CHECK(secret.size() == 64);
    CHECK(is_hex(secret));
    const auto file = data.dir.path / "cookie_secret";
    CHECK((std::filesystem::status(file).permissions() & std::filesystem::perms::all) ==
          (std::filesystem::perms::owner_read | std::filesystem::perms::owner_write));
    CHECK(tornado::stored_secret("cookie_secret") == secret);
    CHECK(tornado::stored_secret("other_secret") != secret);
    // Nothing but the two secrets is left behind.
    CHECK(std::distance(std::filesystem::directory_iterator(data.dir.path), std::filesystem::directory_iterator()) == 2);
}

TEST_CASE("processes that start together agree on one stored_secret") {
    DataDirHere data;
    constexpr int processes = 8;
    int pipe_ends[2];
    REQUIRE(::pipe(pipe_ends) == 0);
    for (int i = 0; i < processes; ++i) {
        if (::fork() == 0) {
            auto secret = tornado::stored_secret("shared_secret") + "\n";
            ssize_t written = ::write(pipe_ends[1], secret.data(), secret.size());
            ::_exit(written == static_cast<ssize_t>(secret.size()) ? 0 : 1);
        }
    }
    ::close(pipe_ends[1]);
    int clean_exits = 0;
    for (int i = 0; i < processes; ++i) {
        int status = 0;
        ::wait(&status);
        clean_exits += WIFEXITED(status) && WEXITSTATUS(status) == 0;
    }
    CHECK(clean_exits == processes);
    std::string all;
    char buffer[4096];
    for (ssize_t n; (n = ::read(pipe_ends[0], buffer, sizeof buffer)) > 0;) all.append(buffer, static_cast<std::size_t>(n));
    ::close(pipe_ends[0]);
    std::set<std::string> secrets;
    for (std::size_t start = 0, end; (end = all.find('\n', start)) != std::string::npos; start = end + 1) {
        secrets.insert(all.substr(start, end - start));
    }
    CHECK(secrets.size() == 1);
    CHECK(secrets == std::set<std::string>{tornado::stored_secret("shared_secret")});
}

TEST_CASE("a stored_secret file that holds no secret is an error that says what to do") {
    DataDirHere data;
    std::ofstream(data.dir.path / "cookie_secret") << "short\n";
    CHECK_THROWS_WITH(tornado::stored_secret("cookie_secret"), Catch::Matchers::Contains("delete it to make a new one"));
}

// Keep these last: #line renames the file for everything after it.
namespace {
#line 1 "app.cpp"
std::source_location location_in_app_cpp() { return std::source_location::current(); }
#line 1 "./src/../src/app.cpp"
std::source_location location_in_src_app_cpp() { return std::source_location::current(); }
}  // namespace
