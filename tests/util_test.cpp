// tornado/util.hpp: source_dir() names the folder of the file that calls it.
#include <tornado/util.hpp>

#include <catch2/catch.hpp>

#include <filesystem>
#include <source_location>

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

// Keep these last: #line renames the file for everything after it.
namespace {
#line 1 "app.cpp"
std::source_location location_in_app_cpp() { return std::source_location::current(); }
#line 1 "./src/../src/app.cpp"
std::source_location location_in_src_app_cpp() { return std::source_location::current(); }
}  // namespace
