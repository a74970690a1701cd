// tornado/util.hpp: source_dir() names the folder of the file that calls it; data_dir() the
// folder a program writes to.
#include <tornado/util.hpp>

#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>
#include <source_location>

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

// Keep these last: #line renames the file for everything after it.
namespace {
#line 1 "app.cpp"
std::source_location location_in_app_cpp() { return std::source_location::current(); }
#line 1 "./src/../src/app.cpp"
std::source_location location_in_src_app_cpp() { return std::source_location::current(); }
}  // namespace
