#include "tornado/util.hpp"

#include <cstdlib>
#include <filesystem>

namespace tornado {

std::string source_dir(std::source_location where) {
    std::filesystem::path file(where.file_name());
    if (file.is_relative()) file = std::filesystem::absolute(file);
    return file.lexically_normal().parent_path().string();
}

std::string data_dir() {
    const char* chosen = std::getenv("TORNADO_DATA_DIR");
    std::filesystem::path dir = chosen && *chosen ? std::filesystem::path(chosen)
                                                  : std::filesystem::read_symlink("/proc/self/exe").parent_path() / "data";
    std::filesystem::create_directories(dir);
    return std::filesystem::absolute(dir).lexically_normal().string();
}

}  // namespace tornado
