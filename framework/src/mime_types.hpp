// The Content-Type of a static file from its name, as Tornado's StaticFileHandler finds it
// with Python's mimetypes. Private to the library.
#pragma once

#include <string>
#include <string_view>

namespace tornado::web::detail {

// The type /etc/mime.types (Debian's media-types) gives the file's extension, matched
// case-insensitively; "application/gzip" for a gzip-compressed file (.gz, .tgz, .svgz) and
// "application/octet-stream" for another compression (.bz2, .xz, .br, .Z) or an unknown
// extension. Text types get no charset, as in Tornado.
std::string content_type_for(std::string_view file_name);

}  // namespace tornado::web::detail
