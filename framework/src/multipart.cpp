// multipart/form-data bodies (RFC 7578, RFC 2046 section 5.1) for httputil.
#include "text_util.hpp"
#include "tornado/escape.hpp"
#include "tornado/httputil.hpp"

#include <algorithm>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace tornado::httputil {

namespace {

using tornado::detail::ascii_lowercase;
using tornado::detail::http_whitespace;
using tornado::detail::trim;

constexpr std::size_t npos = std::string_view::npos;

[[noreturn]] void fail(std::string_view reason) {
    throw std::invalid_argument("invalid multipart/form-data: " + std::string(reason));
}

// A line holding a boundary: "--boundary" then either "--" (the body ends) or optional spaces and
// tabs and CRLF (a part follows).
struct BoundaryLine {
    std::size_t start;  // where "--boundary" (or the CRLF before it) begins
    std::size_t end;    // just past the line, where the next part begins
    bool closing;
};

// The boundary line whose delimiter runs from start to after, if what follows makes it one.
std::optional<BoundaryLine> boundary_line_at(std::string_view body, std::size_t start, std::size_t after) {
    const std::string_view tail = body.substr(after);
    if (tail.starts_with("--")) return BoundaryLine{start, after + 2, true};
    const std::size_t padding = std::min(tail.find_first_not_of(" \t"), tail.size());
    if (tail.substr(padding).starts_with("\r\n")) return BoundaryLine{start, after + padding + 2, false};
    return std::nullopt;
}

// The first boundary line at or after from; delimiter is "\r\n--boundary". Occurrences of the
// delimiter that do not end their line are part content.
std::optional<BoundaryLine> find_boundary_line(std::string_view body, std::string_view delimiter, std::size_t from) {
    for (std::size_t pos = body.find(delimiter, from); pos != npos; pos = body.find(delimiter, pos + 1)) {
        if (auto line = boundary_line_at(body, pos, pos + delimiter.size())) return line;
    }
    return std::nullopt;
}

// A quoted-string's content, with \" and \\ unescaped as Python's email.utils.unquote does (other
// backslashes stay: browsers send Windows paths unescaped). Unquoted text is returned as is.
std::string unquote(std::string_view value) {
    if (value.size() < 2 || value.front() != '"' || value.back() != '"') return std::string(value);
    const std::string_view inner = value.substr(1, value.size() - 2);
    std::string out;
    out.reserve(inner.size());
    for (std::size_t i = 0; i < inner.size(); ++i) {
        if (inner[i] == '\\' && i + 1 < inner.size() && (inner[i + 1] == '"' || inner[i + 1] == '\\')) ++i;
        out += inner[i];
    }
    return out;
}

// An RFC 2231 extended value ("UTF-8''%E4%BD%A0.txt") decoded to its bytes; empty when malformed.
std::string decode_extended_value(std::string_view value) {
    const std::size_t charset_end = value.find('\'');
    const std::size_t language_end = charset_end == npos ? npos : value.find('\'', charset_end + 1);
    if (language_end == npos) return {};
    return escape::url_unescape(value.substr(language_end + 1), false);
}

struct ContentDisposition {
    std::string type;  // "form-data"
    std::string name;
    std::string filename;
};

// Parses `form-data; name="field"; filename="a.txt"`. Parameters split on ';' outside quotes.
ContentDisposition parse_content_disposition(std::string_view header) {
    std::vector<std::string_view> fields;
    bool quoted = false;
    std::size_t field_start = 0;
    for (std::size_t i = 0; i < header.size(); ++i) {
        if (quoted && header[i] == '\\') {
            ++i;
        } else if (header[i] == '"') {
            quoted = !quoted;
        } else if (header[i] == ';' && !quoted) {
            fields.push_back(trim(header.substr(field_start, i - field_start), http_whitespace));
            field_start = i + 1;
        }
    }
    fields.push_back(trim(header.substr(field_start), http_whitespace));

    ContentDisposition disposition{ascii_lowercase(fields.front()), {}, {}};
    std::string extended_filename;
    for (std::size_t i = 1; i < fields.size(); ++i) {
        const std::size_t equals = fields[i].find('=');
        if (equals == npos) continue;
        const std::string key = ascii_lowercase(trim(fields[i].substr(0, equals), http_whitespace));
        const std::string_view value = trim(fields[i].substr(equals + 1), http_whitespace);
        if (key == "name") disposition.name = unquote(value);
        if (key == "filename") disposition.filename = unquote(value);
        if (key == "filename*") extended_filename = decode_extended_value(value);
    }
    if (!extended_filename.empty()) disposition.filename = std::move(extended_filename);
    return disposition;
}

HTTPHeaders parse_part_headers(std::string_view block) {
    HTTPHeaders headers;
    while (!block.empty()) {
        const std::size_t line_end = block.find("\r\n");
        const std::string_view line = block.substr(0, line_end);
        block = line_end == npos ? std::string_view{} : block.substr(line_end + 2);
        const std::size_t colon = line.find(':');
        if (colon == npos || trim(line.substr(0, colon), http_whitespace).empty()) fail("malformed part header");
        headers.add(trim(line.substr(0, colon), http_whitespace), trim(line.substr(colon + 1), http_whitespace));
    }
    return headers;
}

void parse_part(std::string_view part, Arguments& arguments, Files& files) {
    const std::size_t headers_end = part.find("\r\n\r\n");
    if (headers_end == npos) fail("part without a blank line after its headers");
    const HTTPHeaders headers = parse_part_headers(part.substr(0, headers_end));
    const std::string_view value = part.substr(headers_end + 4);

    const std::string* disposition_header = headers.find("Content-Disposition");
    if (disposition_header == nullptr) fail("part without Content-Disposition");
    const ContentDisposition disposition = parse_content_disposition(*disposition_header);
    if (disposition.type != "form-data") fail("part is not form-data");
    if (disposition.name.empty()) fail("part without a name");

    // A file input left empty sends filename=""; like Tornado, that is a plain (empty) argument.
    if (disposition.filename.empty()) {
        arguments[disposition.name].emplace_back(value);
    } else {
        files[disposition.name].push_back(
            HTTPFile{disposition.filename, headers.get("Content-Type", "application/unknown"), std::string(value)});
    }
}

}  // namespace

void parse_multipart_form_data(std::string_view boundary, std::string_view body, Arguments& arguments,
                               Files& files) {
    if (boundary.size() >= 2 && boundary.front() == '"' && boundary.back() == '"') {
        boundary = boundary.substr(1, boundary.size() - 2);
    }
    if (boundary.empty()) fail("empty boundary");
    const std::string delimiter = "\r\n--" + std::string(boundary);
    const std::string_view first_delimiter = std::string_view(delimiter).substr(2);

    // The first boundary may open the body without a CRLF before it; a preamble is ignored.
    std::optional<BoundaryLine> line;
    if (body.starts_with(first_delimiter)) line = boundary_line_at(body, 0, first_delimiter.size());
    if (!line) line = find_boundary_line(body, delimiter, 0);
    if (!line) fail("boundary not found");

    while (!line->closing) {
        const std::optional<BoundaryLine> next = find_boundary_line(body, delimiter, line->end);
        if (!next) fail("no final boundary");
        parse_part(body.substr(line->end, next->start - line->end), arguments, files);
        line = next;
    }
}

}  // namespace tornado::httputil
