// The HTTP client's URLs: splitting an absolute http(s) URL, and resolving a redirect's
// Location against the URL it answered (RFC 3986, section 5). Private to the library.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace tornado::httpclient::detail {

struct ClientURL {
    std::string scheme;  // "http" or "https"
    std::string host;    // without the brackets of an IPv6 address
    std::uint16_t port = 80;
    std::string target;    // the path and query sent in the request line ("/" at least)
    std::string userinfo;  // "user:password" before the '@', if any
    bool tls() const { return scheme == "https"; }
    // The Host header: the port only when it is not the scheme's default.
    std::string host_header() const;
    // scheme://host:port, the key of the connection pool.
    std::string origin() const;
};

// Throws std::invalid_argument for what is not an absolute http or https URL.
ClientURL parse_client_url(std::string_view url);

// The absolute URL that reference (absolute, "//host/…", "/path", "path" or "?query") names
// relative to base.
std::string resolve_url(std::string_view base, std::string_view reference);

}  // namespace tornado::httpclient::detail
