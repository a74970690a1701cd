// Parses one HTTP/1.x response with llhttp, for the HTTP client and the testing harness.
// Private to the library.
#pragma once

#include "tornado/httpclient.hpp"

#include <llhttp.h>

#include <functional>
#include <string>
#include <string_view>

namespace tornado::httpclient::detail {

// Optional hooks for the HTTP client; each returns an error that fails the response (empty: go on).
struct ResponseHooks {
    // Each header line of the final response, as Tornado's header_callback receives them.
    std::function<void(std::string_view line)> header_line;
    // The final response's status and headers are in; the body follows.
    std::function<std::string(const HTTPResponse&)> headers_complete;
    // A piece of the body (taken instead of appending it to response().body).
    std::function<std::string(std::string_view chunk)> body;
};

class ResponseParser {
public:
    explicit ResponseParser(bool head_request = false, ResponseHooks hooks = {});
    ResponseParser(const ResponseParser&) = delete;
    ResponseParser& operator=(const ResponseParser&) = delete;
    // Feeds bytes; returns how many were consumed (less than given once the response ended:
    // what follows is the next response, or another protocol's bytes after a 101).
    std::size_t feed(std::string_view data);
    // The peer closed: a close-delimited body ends here.
    void finish_on_eof();
    bool complete() const { return complete_; }
    // The response is unusable; response() then has code 599 and an error.
    bool failed() const { return failed_; }
    // Once complete: the connection may carry another request (HTTP/1.1 or keep-alive, no
    // "Connection: close", a body not delimited by the close).
    bool keep_alive() const { return keep_alive_; }
    HTTPResponse& response() { return response_; }

private:
    static const llhttp_settings_t& settings();
    void store_header();
    void report_header_lines();
    bool count_head_bytes(std::size_t length);  // false (with the error set) once the head is too large
    void fail(std::string error);

    llhttp_t parser_;
    bool head_request_;
    ResponseHooks hooks_;
    HTTPResponse response_;
    std::string header_name_;
    std::string header_value_;
    std::string stop_reason_;  // why a hook or a limit stopped the parser
    std::size_t head_bytes_ = 0;
    bool in_value_ = false;
    bool complete_ = false;
    bool failed_ = false;
    bool keep_alive_ = false;
};

}  // namespace tornado::httpclient::detail
