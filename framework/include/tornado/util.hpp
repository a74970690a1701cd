// tornado::source_dir — where a program's own files are: the folder of the source file that
// calls it, C++'s os.path.dirname(__file__). tornado::data_dir — where it keeps what it writes.
// tornado::stored_secret — a random secret made once and kept there.
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

// The folder where a program keeps what it writes, such as a sample's SQLite file or its generated
// cookie secret: $TORNADO_DATA_DIR when set, else `data/` beside the running executable (so
// each build keeps its own, out of the source tree). Created, with its parents, if missing.
std::string data_dir();

// The secret kept in data_dir()/file_name: 32 random bytes from OpenSSL as 64 hex digits, made
// on the first call and read on every later one, so that what it signs (a cookie_secret's
// cookies) outlives a restart. The file is readable by its owner only. Processes that start
// together get the same secret: the first to create the file wins, atomically.
std::string stored_secret(const std::string& file_name);

}  // namespace tornado
