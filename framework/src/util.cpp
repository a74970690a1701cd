#include "tornado/util.hpp"

#include <filesystem>

namespace tornado {

std::string source_dir(std::source_location where) {
    std::filesystem::path file(where.file_name());
    if (file.is_relative()) file = std::filesystem::absolute(file);
    return file.lexically_normal().parent_path().string();
}

}  // namespace tornado
