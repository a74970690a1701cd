// Parses one HTTP/1.x response with llhttp (used by the test client). Private to the library.
#pragma once

#include "tornado/testing.hpp"

#include <llhttp.h>

#include <string_view>

namespace tornado::testing::detail {

class ResponseParser {
public:
    explicit ResponseParser(bool head_request = false);
    // Feeds bytes; returns how many were consumed (less than given once the response ended).
    std::size_t feed(std::string_view data);
    // The peer closed: a close-delimited body ends here.
    void finish_on_eof();
    bool complete() const { return complete_; }
    bool failed() const { return failed_; }
    HTTPResponse& response() { return response_; }

private:
    static const llhttp_settings_t& settings();
    void store_header();

    llhttp_t parser_;
    bool head_request_;
    HTTPResponse response_;
    std::string header_name_;
    std::string header_value_;
    bool in_value_ = false;
    bool complete_ = false;
    bool failed_ = false;
};

}  // namespace tornado::testing::detail
