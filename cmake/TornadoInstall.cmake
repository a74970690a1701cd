# `cmake --install` puts the static library, the public headers and a CMake package in the prefix,
# so that a consumer's `find_package(tornado)` gives it the target tornado::tornado.
include(CMakePackageConfigHelpers)

set(TORNADO_CMAKE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/tornado)

install(TARGETS tornado EXPORT tornadoTargets ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR})
install(DIRECTORY ${PROJECT_SOURCE_DIR}/framework/include/tornado DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(EXPORT tornadoTargets NAMESPACE tornado:: DESTINATION ${TORNADO_CMAKE_DIR})

configure_package_config_file(${CMAKE_CURRENT_LIST_DIR}/tornadoConfig.cmake.in
  ${PROJECT_BINARY_DIR}/tornadoConfig.cmake INSTALL_DESTINATION ${TORNADO_CMAKE_DIR})
# 0.x: a minor version may break the interface.
write_basic_package_version_file(${PROJECT_BINARY_DIR}/tornadoConfigVersion.cmake
  COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/tornadoConfig.cmake ${PROJECT_BINARY_DIR}/tornadoConfigVersion.cmake
  DESTINATION ${TORNADO_CMAKE_DIR})
