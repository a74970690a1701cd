// StaticFileHandler and static_url: the files under a root directory, never a byte from outside
// it, with validators, byte ranges and long caching, streamed a chunk at a time with backpressure.
#include "mime_types.hpp"
#include "open_file.hpp"
#include "response_encoding.hpp"
#include "static_versions.hpp"
#include "text_util.hpp"
#include "tornado/web.hpp"

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <ctime>
#include <filesystem>
#include <iomanip>
#include <locale>
#include <sstream>

namespace tornado::web {

namespace fs = std::filesystem;
using detail::OpenFile;
using tornado::detail::http_whitespace;
using tornado::detail::trim;

namespace {
constexpr std::size_t chunk_size = 64 * 1024;

// --- finding the file ---

bool is_within(const fs::path& path, const fs::path& root) {
    auto [root_end, path_end] = std::mismatch(root.begin(), root.end(), path.begin(), path.end());
    return root_end == root.end();
}

bool has_forbidden_character(std::string_view relative) {
    // A backslash is a separator to other systems and a NUL cuts a path short in C.
    return relative.find('\\') != std::string_view::npos || relative.find('\0') != std::string_view::npos;
}

// The real path of relative under root, or nullopt when it would lead outside: through "..", an
// absolute path, a backslash or NUL, or a symlink pointing out of root. relative arrives
// url-decoded, so %2e%2e and %2f land here as ".." and "/".
std::optional<fs::path> resolve_within(const fs::path& root, std::string_view relative) {
    if (relative.starts_with('/') || has_forbidden_character(relative)) return std::nullopt;
    std::error_code error;
    auto absolute_root = fs::absolute(root, error);
    if (error) return std::nullopt;
    auto real_root = fs::weakly_canonical(absolute_root, error);
    if (error) return std::nullopt;
    auto candidate = (real_root / relative).lexically_normal();
    if (!is_within(candidate, real_root)) return std::nullopt;
    auto real = fs::weakly_canonical(candidate, error);
    // A name longer than the system allows cannot be opened either: let the open say 404.
    if (error == std::errc::filename_too_long) return candidate;
    if (error || !is_within(real, real_root)) return std::nullopt;
    return real;
}

// --- conditional requests ---

// An IMF-fixdate ("Sun, 06 Nov 1994 08:49:37 GMT"), the form RFC 7231 has senders use.
std::optional<std::chrono::system_clock::time_point> parse_http_date(const std::string& text) {
    std::tm parts{};
    std::istringstream in(text);
    in.imbue(std::locale::classic());
    in >> std::get_time(&parts, "%a, %d %b %Y %H:%M:%S GMT");
    if (in.fail()) return std::nullopt;
    return std::chrono::system_clock::from_time_t(timegm(&parts));
}

// Tornado's should_return_304: If-None-Match decides when present, else If-Modified-Since.
bool should_return_304(const RequestHandler& handler, const OpenFile& file) {
    const auto& headers = handler.request().headers;
    if (auto if_none_match = headers.get("If-None-Match"); !if_none_match.empty()) {
        const auto* etag = handler.response_headers().find("Etag");
        return etag && detail::etag_matches(if_none_match, *etag);
    }
    const auto* if_modified_since = headers.find("If-Modified-Since");
    if (!if_modified_since) return false;
    auto since = parse_http_date(*if_modified_since);
    return since && *since >= file.modified();
}

// --- byte ranges ---

// A Range header's byte-range-spec as slice offsets, as Tornado's _parse_request_range gives
// it: "a-b" is [a, b+1), "a-" has no end, "-n" (the last n bytes) has start -n.
struct RangeRequest {
    std::optional<std::int64_t> start;
    std::optional<std::int64_t> end;
};

struct ByteRange {
    std::uint64_t start;
    std::uint64_t end;  // one past the last byte
};

bool is_digits(std::string_view text) { return text.find_first_not_of("0123456789") == std::string_view::npos; }

// Digits as a byte position. Numbers beyond any file all mean "past the end", so they stop
// growing there instead of overflowing.
std::optional<std::int64_t> to_position(std::string_view digits) {
    constexpr std::int64_t beyond_any_file = std::int64_t{1} << 62;
    if (digits.empty()) return std::nullopt;
    std::int64_t value = 0;
    for (char digit : digits) {
        if (value >= beyond_any_file / 10) return beyond_any_file;
        value = value * 10 + (digit - '0');
    }
    return value;
}

// nullopt for a header to ignore: another unit, a malformed spec, or several ranges (which
// get the whole file, as RFC 7233 allows).
std::optional<RangeRequest> parse_range_header(std::string_view header) {
    auto equals = header.find('=');
    if (equals == std::string_view::npos) return std::nullopt;
    if (trim(header.substr(0, equals), http_whitespace) != "bytes") return std::nullopt;
    auto spec = trim(header.substr(equals + 1), http_whitespace);
    auto dash = spec.find('-');
    if (dash == std::string_view::npos) return std::nullopt;
    auto first = trim(spec.substr(0, dash), http_whitespace);
    auto last = trim(spec.substr(dash + 1), http_whitespace);
    if (!is_digits(first) || !is_digits(last)) return std::nullopt;
    RangeRequest range{to_position(first), to_position(last)};
    if (range.end && !range.start && *range.end != 0) {
        range.start = -*range.end;
        range.end.reset();
    } else if (range.end && range.start) {
        ++*range.end;
    }
    return range;
}

// The bytes a range asks of a file of size bytes, or nullopt when it asks for none of them
// (416). Tornado's rules: a suffix longer than the file is the whole file, an end past the
// file is capped, "-0" and a last byte before the first are unsatisfiable.
std::optional<ByteRange> satisfiable_part(RangeRequest range, std::uint64_t size) {
    auto length = static_cast<std::int64_t>(size);
    if (range.start && *range.start < 0) range.start = std::max<std::int64_t>(*range.start + length, 0);
    bool starts_past_end = range.start && (*range.start >= length || (range.end && *range.start >= *range.end));
    if (starts_past_end || range.end == 0) return std::nullopt;
    return ByteRange{static_cast<std::uint64_t>(range.start.value_or(0)),
                     static_cast<std::uint64_t>(std::min(range.end.value_or(length), length))};
}

// The part of the file to send, with the status and Content-Range it needs; nullopt after
// answering 416.
std::optional<ByteRange> select_range(RequestHandler& handler, std::uint64_t size) {
    ByteRange whole{0, size};
    const auto* header = handler.request().headers.find("Range");
    auto requested = header ? parse_range_header(*header) : std::nullopt;
    if (!requested) return whole;
    auto part = satisfiable_part(*requested, size);
    if (!part) {
        handler.set_status(416);
        handler.set_header("Content-Type", "text/plain");
        handler.set_header("Content-Range", "bytes */" + std::to_string(size));
        return std::nullopt;
    }
    // Only a strict part is a 206: some players refuse a 206 answering "bytes=0-".
    if (part->end - part->start != size) {
        handler.set_status(206);
        handler.set_header("Content-Range", "bytes " + std::to_string(part->start) + "-" +
                                                std::to_string(part->end - 1) + "/" + std::to_string(size));
    }
    return part;
}

// --- the response ---

void set_file_headers(RequestHandler& handler, const fs::path& path, const OpenFile& file,
                      const std::optional<std::string>& version) {
    handler.set_header("Accept-Ranges", "bytes");
    if (version) handler.set_header("Etag", "\"" + *version + "\"");
    handler.set_header("Last-Modified", httputil::format_timestamp(file.modified()));
    handler.set_header("Content-Type", detail::content_type_for(path.string()));
    // A versioned URL (from static_url) names this content for good: it may be kept forever.
    if (handler.request().query_arguments.contains("v")) {
        auto max_age = std::chrono::seconds(StaticFileHandler::CACHE_MAX_AGE);
        handler.set_header("Expires", httputil::format_timestamp(std::chrono::system_clock::now() + max_age));
        handler.set_header("Cache-Control", "max-age=" + std::to_string(max_age.count()));
    }
}

// Sends the part a chunk at a time, reading the next chunk only once the last one reached the
// socket: one chunk in memory however large the file or slow the client.
asio::awaitable<void> send_content(RequestHandler& handler, const OpenFile& file, ByteRange part) {
    for (auto offset = part.start; offset < part.end;) {
        auto chunk = file.read(offset, static_cast<std::size_t>(std::min<std::uint64_t>(chunk_size, part.end - offset)));
        if (chunk.empty()) throw std::runtime_error("static file shrank while being sent");
        offset += chunk.size();
        handler.write(chunk);
        if (offset == part.end) break;  // the last chunk leaves with finish()
        handler.flush();
        co_await handler.flushed();
        if (handler.request().connection->closed()) co_return;
    }
}
}  // namespace

void StaticFileHandler::initialize(std::string root, std::string default_filename) {
    root_ = std::move(root);
    default_filename_ = std::move(default_filename);
}

std::optional<std::string> StaticFileHandler::locate(const std::string& path) {
    auto file = resolve_within(root_, path);
    if (!file) throw HTTPError(403, path + " is not in root static directory");
    std::error_code ignored;
    if (!fs::is_directory(*file, ignored)) return file->string();
    if (default_filename_.empty()) throw HTTPError(403, path + " is a directory");
    if (!request().path.ends_with('/')) {
        // "//host/…" with a slash added would be a protocol-relative URL: a redirect off-site.
        if (request().path.starts_with("//")) throw HTTPError(403, "cannot redirect path with two initial slashes");
        redirect(request().path + "/", true);
        return std::nullopt;
    }
    auto index_path = (fs::path(path) / default_filename_).string();
    auto index = resolve_within(root_, index_path);
    if (!index) throw HTTPError(403, index_path + " is not in root static directory");
    return index->string();
}

asio::awaitable<void> StaticFileHandler::serve(std::string path, bool include_body) {
    auto located = locate(path);
    if (!located) co_return;
    OpenFile file(*located);
    if (file.error() == ENOENT || file.error() == ENOTDIR || file.error() == ENAMETOOLONG) throw HTTPError(404);
    if (!file.is_regular()) throw HTTPError(403, path + " is not a file");
    // A large file is hashed off the loop; this request waits for it, other clients do not.
    auto version = co_await application().static_versions_->version(*located, file.stamp());
    set_file_headers(*this, *located, file, version);
    if (should_return_304(*this, file)) {
        set_status(304);
        co_return;
    }
    auto part = select_range(*this, file.size());
    if (!part) co_return;
    set_header("Content-Length", part->end - part->start);
    if (include_body) co_await send_content(*this, file, *part);
}

std::string RequestHandler::static_url(std::string_view path, bool include_version) const {
    const auto& static_path = settings().static_path;
    if (static_path.empty()) {
        throw std::logic_error("You must define the 'static_path' setting in your application to use static_url");
    }
    const auto version = include_version ? application_->static_url_version(path) : std::nullopt;
    std::string url;  // built in place: static_url runs several times for every page
    url.reserve(settings().static_url_prefix.size() + path.size() + (version ? 3 + version->size() : 0));
    url.append(settings().static_url_prefix).append(path);
    if (version) url.append("?v=").append(*version);
    return url;
}

std::optional<std::string> Application::static_url_version(std::string_view relative) {
    return static_versions_->version_now(relative, [&] {
        auto file = resolve_within(settings_.static_path, relative);
        return file ? std::optional<std::string>(file->string()) : std::nullopt;
    });
}

}  // namespace tornado::web
