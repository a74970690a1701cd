// Inflates a gzip (or zlib) response body piece by piece, for the HTTP client. Private.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>

namespace tornado::httpclient::detail {

class GzipDecoder {
public:
    GzipDecoder();
    ~GzipDecoder();
    GzipDecoder(const GzipDecoder&) = delete;
    GzipDecoder& operator=(const GzipDecoder&) = delete;

    // Inflates input and hands the output to out in pieces of at most 16 KiB, so a small input
    // that inflates hugely never sits in memory whole; out returns an error to stop (empty: go
    // on). Returns out's error, or why the data is not valid gzip.
    std::string decompress(std::string_view input, const std::function<std::string(std::string_view)>& out);

private:
    struct State;
    std::unique_ptr<State> state_;
};

}  // namespace tornado::httpclient::detail
