// Parses one HTTP/1.x response with llhttp, for the HTTP client and the testing harness.
// Private to the library.
#pragma once

#include "tornado/httpclient.hpp"

#include <llhttp.h>

#include <string_view>

namespace tornado::httpclient::detail {

class ResponseParser {
public:
    explicit ResponseParser(bool head_request = false);
    // Feeds bytes; returns how many were consumed (less than given once the response ended:
    // what follows is the next response, or another protocol's bytes after a 101).
    std::size_t feed(std::string_view data);
    // The peer closed: a close-delimited body ends here.
    void finish_on_eof();
    bool complete() const { return complete_; }
    // The response is unusable; response() then has code 599 and an error.
    bool failed() const { return failed_; }
    HTTPResponse& response() { return response_; }

private:
    static const llhttp_settings_t& settings();
    void store_header();
    void fail(std::string error);

    llhttp_t parser_;
    bool head_request_;
    HTTPResponse response_;
    std::string header_name_;
    std::string header_value_;
    bool in_value_ = false;
    bool complete_ = false;
    bool failed_ = false;
};

}  // namespace tornado::httpclient::detail
