// What the HTTP client sends: the request head built from an HTTPRequest, and the request a
// redirect leads to. Private to the library.
#pragma once

#include "client_url.hpp"
#include "tornado/httpclient.hpp"

#include <optional>
#include <string>

namespace tornado::httpclient::detail {

// The request line and headers (Host, User-Agent, Accept-Encoding, Authorization,
// Content-Length added unless given), ending with the blank line. Throws std::invalid_argument
// for a method, URL or header that would break the head (a CR, LF or space where none may be).
std::string request_head(const HTTPRequest& request, const ClientURL& url);

// GET, HEAD, PUT, DELETE, OPTIONS, TRACE: safe to send again when a kept-alive connection turns
// out to have been closed by the server.
bool is_idempotent(const std::string& method);

// The request that following response (a 301, 302, 303, 307 or 308 with a Location) sends
// next, or nothing when response is not such a redirect.
std::optional<HTTPRequest> redirected_request(const HTTPRequest& request, const HTTPResponse& response);

}  // namespace tornado::httpclient::detail
