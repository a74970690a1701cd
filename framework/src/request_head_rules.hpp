// Rules a request head must follow beyond what llhttp checks (RFC 9112 §3 and §6): the Host
// header and the Transfer-Encoding that frames the body. Private to the library.
#pragma once

#include "tornado/httputil.hpp"

#include <optional>
#include <string>

namespace tornado::httpserver {

// Why a request is refused, and with which status.
struct Refusal {
    int status_code;
    std::string reason;
};

// An HTTP/1.1 request needs exactly one Host, any request at most one, and its value must be
// a host with an optional port (RFC 9112 §3.2).
std::optional<Refusal> check_host(const httputil::HTTPHeaders& headers, bool http_1_1);

// The only transfer coding a request body may arrive in is a single, final "chunked", in one
// Transfer-Encoding header of an HTTP/1.1 request (RFC 9112 §6.1). Anything else would frame
// the body differently for us and for a proxy in front of us. A well-formed coding we do not
// decode (gzip, chunked) gets 501; a malformed or misplaced one gets 400.
std::optional<Refusal> check_transfer_encoding(const httputil::HTTPHeaders& headers, bool http_1_1);

}  // namespace tornado::httpserver
