// tornado::source_dir — where a program's own files are: the folder of the source file that
// calls it, C++'s os.path.dirname(__file__).
#pragma once

#include <source_location>
#include <string>

namespace tornado {

// The folder of the calling source file, so a program finds the templates and static files
// next to its source wherever it is started from, as Tornado's demos do with
// os.path.join(os.path.dirname(__file__), "templates"):
//     .template_path = source_dir() + "/templates"
// The folder is the one the compiler was told, absolute under CMake. A relative path (a
// compiler run as `g++ app.cpp`) is made absolute against the current directory, which is
// right when the program starts from the folder it was compiled in.
std::string source_dir(std::source_location where = std::source_location::current());

}  // namespace tornado
