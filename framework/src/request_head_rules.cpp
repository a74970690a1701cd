// Host and Transfer-Encoding rules for request heads (RFC 9112 §3.2, §6.1; RFC 9110 §5.6).
#include "request_head_rules.hpp"
#include "text_util.hpp"

#include <algorithm>
#include <string_view>
#include <vector>

namespace tornado::httpserver {

namespace {

using tornado::detail::http_whitespace;
using tornado::detail::is_token;
using tornado::detail::trim;

// uri-host [ ":" port ]: unreserved, percent-encoded and sub-delims characters, the brackets
// of an IPv6 literal, and colons.
bool is_host_char(char c) {
    constexpr std::string_view others = "-._~%!$&'()*+,;=:[]";
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           others.find(c) != std::string_view::npos;
}

// The codings of a Transfer-Encoding value, in order; empty list elements are skipped.
std::vector<std::string_view> codings_of(std::string_view value) {
    std::vector<std::string_view> codings;
    while (true) {
        auto comma = value.find(',');
        auto coding = trim(value.substr(0, comma), http_whitespace);
        if (!coding.empty()) codings.push_back(coding);
        if (comma == std::string_view::npos) return codings;
        value.remove_prefix(comma + 1);
    }
}
}  // namespace

std::optional<Refusal> check_host(const httputil::HTTPHeaders& headers, bool http_1_1) {
    const std::string* host = nullptr;
    for (const auto& [name, value] : headers) {
        if (!httputil::iequals(name, "Host")) continue;
        if (host) return Refusal{400, "More than one Host header"};
        host = &value;
    }
    if (!host) {
        if (http_1_1) return Refusal{400, "Missing Host header"};
        return std::nullopt;
    }
    if (!std::all_of(host->begin(), host->end(), is_host_char)) return Refusal{400, "Invalid Host header"};
    return std::nullopt;
}

std::optional<Refusal> check_transfer_encoding(const httputil::HTTPHeaders& headers, bool http_1_1) {
    auto values = headers.get_list("Transfer-Encoding");
    if (values.empty()) return std::nullopt;
    if (!http_1_1) return Refusal{400, "Transfer-Encoding in an HTTP/1.0 request"};
    if (values.size() > 1) return Refusal{400, "More than one Transfer-Encoding header"};
    auto codings = codings_of(values.front());
    if (codings.empty() || !httputil::iequals(codings.back(), "chunked")) {
        return Refusal{400, "Transfer-Encoding does not end in chunked"};
    }
    codings.pop_back();
    for (auto coding : codings) {
        auto name = trim(coding.substr(0, coding.find(';')), http_whitespace);
        if (!is_token(name)) return Refusal{400, "Malformed Transfer-Encoding"};
        if (httputil::iequals(name, "chunked")) return Refusal{400, "Transfer-Encoding applies chunked twice"};
    }
    if (codings.empty()) return std::nullopt;
    // Well-formed codings before chunked (gzip, deflate, …), none of which the server decodes.
    return Refusal{501, "Transfer-Encoding " + std::string(values.front()) + " is not implemented"};
}

}  // namespace tornado::httpserver
