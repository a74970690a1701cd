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

find_package(OpenSSL QUIET)
if(NOT OpenSSL_FOUND)
  message(FATAL_ERROR "tornado-cpp: missing OpenSSL; install the Debian package 'libssl-dev' (or run scripts/setup)")
endif()
find_package(ZLIB QUIET)
if(NOT ZLIB_FOUND)
  message(FATAL_ERROR "tornado-cpp: missing zlib; install the Debian package 'zlib1g-dev' (or run scripts/setup)")
endif()
find_package(SQLite3 QUIET)
if(NOT SQLite3_FOUND)
  message(FATAL_ERROR "tornado-cpp: missing SQLite 3; install the Debian package 'libsqlite3-dev' (or run scripts/setup)")
endif()
find_package(PostgreSQL QUIET)
if(NOT PostgreSQL_FOUND)
  message(FATAL_ERROR "tornado-cpp: missing libpq (PostgreSQL's client library); install the Debian package 'libpq-dev' (or run scripts/setup)")
endif()
find_package(Threads REQUIRED)
if(TORNADO_BUILD_TESTS)
  find_package(Catch2 2 QUIET)
  if(NOT Catch2_FOUND)
    message(FATAL_ERROR "tornado-cpp: missing Catch2 v2; install the Debian package 'catch2' (or run scripts/setup)")
  endif()
  list(APPEND CMAKE_MODULE_PATH ${Catch2_DIR})  # Catch.cmake (catch_discover_tests) lives there
endif()
