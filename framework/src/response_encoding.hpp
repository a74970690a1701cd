// What RequestHandler does to a response body on its way out: Etag computation and gzip.
// Private to the library.
#pragma once

#include <array>
#include <memory>
#include <string>
#include <string_view>

namespace tornado::web::detail {

// Tornado's Etag: the quoted hex SHA-1 of the body, 42 characters (held here, not on the heap).
class Etag {
public:
    explicit Etag(std::string_view body);
    std::string_view view() const { return {text_.data(), text_.size()}; }

private:
    std::array<char, 42> text_;
};
// True when an If-None-Match header value lists etag (or is "*"); weak tags compare equal.
bool etag_matches(std::string_view if_none_match, std::string_view etag);
// Text-like content types worth compressing.
bool is_compressible_type(std::string_view content_type);
bool accepts_gzip(std::string_view accept_encoding);

// A gzip stream across flush() calls: each piece is flushed so the client can decode it.
class GzipStream {
public:
    GzipStream();
    ~GzipStream();
    GzipStream(const GzipStream&) = delete;
    GzipStream& operator=(const GzipStream&) = delete;
    std::string compress(std::string_view data, bool finishing);

private:
    struct State;
    std::unique_ptr<State> state_;
};

}  // namespace tornado::web::detail
