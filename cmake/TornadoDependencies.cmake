# Finds every Debian package tornado-cpp needs; a missing one stops CMake with one line that
# names the package (scripts/setup installs them all).
function(tornado_require_path var file package)
  find_path(${var} ${file} ${ARGN})
  if(NOT ${var})
    message(FATAL_ERROR "tornado-cpp: missing ${file}; install the Debian package '${package}' (or run scripts/setup)")
  endif()
endfunction()

tornado_require_path(ASIO_INCLUDE_DIR asio.hpp libasio-dev)
tornado_require_path(LLHTTP_INCLUDE_DIR llhttp.h node-llhttp PATHS /usr/share/include/llhttp NO_DEFAULT_PATH)
tornado_require_path(LLHTTP_SOURCE_DIR llhttp.c node-llhttp PATHS /usr/share/llhttp NO_DEFAULT_PATH)
tornado_require_path(NLOHMANN_JSON_INCLUDE_DIR nlohmann/json.hpp nlohmann-json3-dev)
# RE2 matches routes in linear time; Debian ships a pkg-config file for it but no CMake package.
tornado_require_path(RE2_INCLUDE_DIR re2/re2.h libre2-dev)
find_library(RE2_LIBRARY re2)
if(NOT RE2_LIBRARY)
  message(FATAL_ERROR "tornado-cpp: missing libre2; install the Debian package 'libre2-dev' (or run scripts/setup)")
endif()
# A target, so that the installed package names it instead of this machine's path to the library
# (cmake/tornadoConfig.cmake.in defines it again where tornado is used).
add_library(tornado::re2 UNKNOWN IMPORTED)
set_target_properties(tornado::re2 PROPERTIES IMPORTED_LOCATION ${RE2_LIBRARY}
                                               INTERFACE_INCLUDE_DIRECTORIES ${RE2_INCLUDE_DIR})

# tornado_require_package(<name> <what> <debian-package> [find_package arguments]): find_package
# quietly, and stop with one line naming <what> and the package that provides it when missing.
macro(tornado_require_package name what package)
  find_package(${name} ${ARGN} QUIET)
  if(NOT ${name}_FOUND)
    message(FATAL_ERROR "tornado-cpp: missing ${what}; install the Debian package '${package}' (or run scripts/setup)")
  endif()
endmacro()

tornado_require_package(OpenSSL OpenSSL libssl-dev)
tornado_require_package(ZLIB zlib zlib1g-dev)
tornado_require_package(SQLite3 "SQLite 3" libsqlite3-dev)
tornado_require_package(PostgreSQL "libpq (PostgreSQL's client library)" libpq-dev)
find_package(Threads REQUIRED)
if(TORNADO_BUILD_TESTS)
  tornado_require_package(Catch2 "Catch2 v2" catch2 2)
  list(APPEND CMAKE_MODULE_PATH ${Catch2_DIR})  # Catch.cmake (catch_discover_tests) lives there
endif()
