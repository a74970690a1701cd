// tornado::httpclient — the HTTP client's types: HTTPResponse, which the testing harness's
// fetch() returns. The AsyncHTTPClient itself comes with chapter 5 (issue 13).
#pragma once

#include "httputil.hpp"

#include <chrono>
#include <string>

namespace tornado::httpclient {

// One response, with the fields of Tornado's HTTPResponse that the client fills.
struct HTTPResponse {
    int code = 599;  // the status code; 599 when no response arrived (refused, timed out, cut short, malformed)
    std::string reason;
    httputil::HTTPHeaders headers;
    std::string body;
    std::string error;  // why code is 599; empty otherwise (Tornado also sets it for codes >= 300; this does not)
    std::string effective_url;                      // the URL fetched (empty for a RawConnection's responses)
    std::chrono::duration<double> request_time{};  // seconds from connecting to the last byte, as in Tornado
};

}  // namespace tornado::httpclient
