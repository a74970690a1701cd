# Precompiled headers for the programs and the tests (the build's speed, nothing else).
#
# Every sample app, exercise, test and test program includes tornado.hpp, which pulls in Asio,
# nlohmann-json and the framework's templates: about 200,000 lines that g++ parses and
# instantiates again for each of the ~80 files that include them. Measured with one g++ on
# chapters/01-hello/hello.cpp: 11 s of CPU without a precompiled header, 5 s with one. Each group
# below builds its header once, in a target of its own that compiles nothing else, and the
# group's targets reuse it (REUSE_FROM); g++ takes a precompiled header only when the code
# generation flags match, and those come from the preset, the same for every target of a build.
# CMake adds -Winvalid-pch, which -Werror makes an error, so a header that g++ rejected fails the
# build instead of quietly costing the time again.
#
# Only headers every user of a group includes anyway go into it, so that a file that forgets an
# #include still fails to compile. The library (framework/) has its own, for Asio.

# tornado_precompiled_header(<name> HEADERS <header>... [LIBRARIES <library>...]): the group
# <name>; its donor target tornado_<name>_pch compiles an empty file with the headers
# precompiled, linked (for their include paths and definitions) to tornado and the libraries.
function(tornado_precompiled_header name)
  cmake_parse_arguments(PARSE_ARGV 1 arg "" "" "HEADERS;LIBRARIES")
  set(donor tornado_${name}_pch)
  file(CONFIGURE OUTPUT ${CMAKE_CURRENT_BINARY_DIR}/${donor}.cpp
       CONTENT "// Compiles nothing: the precompiled header of ${donor} is what the build wants.\n")
  add_library(${donor} OBJECT ${CMAKE_CURRENT_BINARY_DIR}/${donor}.cpp)
  target_link_libraries(${donor} PRIVATE tornado::tornado ${arg_LIBRARIES})
  tornado_warnings(${donor})
  target_precompile_headers(${donor} PRIVATE ${arg_HEADERS})
endfunction()

# tornado_use_precompiled_header(<target> <name>): <target>'s C++ files start with group <name>'s
# precompiled header.
function(tornado_use_precompiled_header target name)
  target_precompile_headers(${target} REUSE_FROM tornado_${name}_pch)
endfunction()

# The programs: sample apps, exercises' starters and solutions, tests' server programs.
tornado_precompiled_header(program HEADERS <tornado/tornado.hpp>)
