# Project code builds with every warning as an error; third-party sources (llhttp) do not.
# -Wmissing-field-initializers is off: g++ 12 raises it for designated initializers that leave
# members at their defaults ({.template_path = …}), which is how Settings are meant to be written.
function(tornado_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Werror -Wno-missing-field-initializers)
endfunction()
