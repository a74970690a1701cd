// content_type_for: Python's mimetypes.guess_type over /etc/mime.types, then Tornado's
// StaticFileHandler.get_content_type on its answer.
#include "mime_types.hpp"
#include "text_util.hpp"

#include "tornado/log.hpp"

#include <algorithm>
#include <fstream>
#include <sstream>
#include <tuple>
#include <unordered_map>
#include <utility>

namespace tornado::web::detail {

namespace {

using tornado::detail::ascii_lowercase;

constexpr const char* mime_types_file = "/etc/mime.types";

using TypeTable = std::unordered_map<std::string, std::string>;  // ".ext" -> type

// Only for a system without /etc/mime.types: the types the book's samples serve.
const std::pair<std::string_view, std::string_view> fallback_types[] = {
    {".html", "text/html"}, {".css", "text/css"},     {".js", "text/javascript"}, {".json", "application/json"},
    {".svg", "image/svg+xml"}, {".png", "image/png"}, {".jpg", "image/jpeg"},     {".ico", "image/vnd.microsoft.icon"},
    {".txt", "text/plain"},
};

// Python's mimetypes tables that no file changes: suffixes that stand for two, and the
// compressions (matched case-sensitively, as Python does).
const std::pair<std::string_view, std::string_view> suffix_map[] = {
    {".svgz", ".svg.gz"}, {".tgz", ".tar.gz"}, {".taz", ".tar.gz"},
    {".tz", ".tar.gz"},   {".tbz2", ".tar.bz2"}, {".txz", ".tar.xz"},
};
const std::string_view encoding_suffixes[] = {".gz", ".Z", ".bz2", ".xz", ".br"};

// Lines of "type ext ext …"; '#' starts a comment. A later line wins for the same extension.
TypeTable parse_mime_types(std::istream& in) {
    TypeTable types;
    std::string line;
    while (std::getline(in, line)) {
        std::istringstream words(line);
        std::string type;
        if (!(words >> type) || type.starts_with('#')) continue;
        for (std::string extension; words >> extension && !extension.starts_with('#');) {
            types["." + extension] = type;
        }
    }
    return types;
}

const TypeTable& type_table() {
    // Read once, on first use; a function-local static is initialised thread-safely.
    static const TypeTable table = [] {
        std::ifstream file(mime_types_file);
        if (file) return parse_mime_types(file);
        log::gen_log.warning(std::string(mime_types_file) +
                             " is missing (Debian package media-types): static files get only a few types");
        TypeTable fallback;
        for (auto [extension, type] : fallback_types) fallback.emplace(extension, type);
        return fallback;
    }();
    return table;
}

// Python's os.path.splitext: the last ".suffix" of the last path component, where the leading
// dots of a name (".profile") start no suffix.
std::pair<std::string, std::string> split_extension(std::string_view path) {
    auto slash = path.rfind('/');
    auto name_start = slash == std::string_view::npos ? 0 : slash + 1;
    auto dot = path.rfind('.');
    if (dot == std::string_view::npos || dot < name_start) return {std::string(path), {}};
    auto first_other = path.find_first_not_of('.', name_start);
    if (first_other == std::string_view::npos || first_other > dot) return {std::string(path), {}};
    return {std::string(path.substr(0, dot)), std::string(path.substr(dot))};
}
}  // namespace

std::string content_type_for(std::string_view file_name) {
    auto [base, extension] = split_extension(file_name);
    // ".tgz" stands for ".tar.gz"; no replacement ends in another such suffix.
    for (auto [suffix, replacement] : suffix_map) {
        if (ascii_lowercase(extension) != suffix) continue;
        std::tie(base, extension) = split_extension(base + std::string(replacement));
        break;
    }
    if (std::find(std::begin(encoding_suffixes), std::end(encoding_suffixes), extension) != std::end(encoding_suffixes)) {
        // RFC 6713 names gzip's type; other compressions have none registered.
        return extension == ".gz" ? "application/gzip" : "application/octet-stream";
    }
    const auto& types = type_table();
    auto found = types.find(ascii_lowercase(extension));
    return found == types.end() ? "application/octet-stream" : found->second;
}

}  // namespace tornado::web::detail
