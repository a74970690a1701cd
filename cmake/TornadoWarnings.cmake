# Project code builds with -Wall -Wextra, and with warnings as errors when
# TORNADO_WARNINGS_AS_ERRORS is on (the presets); third-party sources (llhttp) get neither.
# -Wmissing-field-initializers is off: g++ 12 raises it for designated initializers that leave
# members at their defaults ({.template_path = …}), which is how Settings are meant to be written.
function(tornado_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wno-missing-field-initializers)
  if(TORNADO_WARNINGS_AS_ERRORS)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
endfunction()
