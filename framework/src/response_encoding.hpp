// What RequestHandler does to a response body on its way out: Etag computation and gzip.
// Private to the library.
#pragma once

#include <memory>
#include <string>
#include <string_view>

namespace tornado::web::detail {

// Tornado's Etag: the quoted hex SHA-1 of the body.
std::string compute_etag(std::string_view body);
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
