# What makes the build of the programs and the tests (not the library's) faster, nothing else:
# precompiled headers, and the gold linker. Included when the samples or the tests are built.

# gold links a test executable in half the CPU time of the default linker (web_test: 1.0 s
# against 2.2 s), and the build links about a hundred executables. It is part of binutils; a
# toolchain without it links with its default linker.
include(CheckLinkerFlag)
check_linker_flag(CXX -fuse-ld=gold TORNADO_LINKER_GOLD)
if(TORNADO_LINKER_GOLD)
  add_link_options(-fuse-ld=gold)
endif()

# Precompiled headers.
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
# Loading a header this size costs about 3 s of CPU itself (the empty file of a group takes that),
# so a group's header holds only what nearly all its files include anyway. The programs' header
# is tornado.hpp, which every sample and exercise includes, so a sample that forgets an #include
# still fails as it would for a reader; the tests' one is in tests/CMakeLists.txt. The library
# (framework/) has its own, for Asio.

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
