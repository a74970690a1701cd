# Project code builds with every warning as an error; third-party sources (llhttp) do not.
function(tornado_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Werror)
endfunction()
