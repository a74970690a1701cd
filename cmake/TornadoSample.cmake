# tornado_sample(<sources>): the sample app of the calling folder, chapters/NN-chapter/<app>/.
# Target sample_NN_<app>, executable <app>. The app finds its templates and static files next to
# its source with tornado::source_dir(), so it needs no definition from here.
function(tornado_sample)
  get_filename_component(app ${CMAKE_CURRENT_SOURCE_DIR} NAME)
  get_filename_component(chapter_dir ${CMAKE_CURRENT_SOURCE_DIR} DIRECTORY)
  get_filename_component(chapter ${chapter_dir} NAME)
  string(REGEX MATCH "^[0-9]+" number ${chapter})
  set(target sample_${number}_${app})
  add_executable(${target} ${ARGN})
  set_target_properties(${target} PROPERTIES OUTPUT_NAME ${app})
  target_link_libraries(${target} PRIVATE tornado::tornado)
  tornado_warnings(${target})
  tornado_use_precompiled_header(${target} program)
  set_property(GLOBAL APPEND PROPERTY TORNADO_SAMPLES ${target})
endfunction()
