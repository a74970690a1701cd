#include "client_request.hpp"

#include "base64.hpp"

#include <stdexcept>

namespace tornado::httpclient::detail {

namespace {

using tornado::detail::base64_encode;

void require_clean(std::string_view what, std::string_view text, bool allow_spaces) {
    for (char c : text) {
        if (c == '\r' || c == '\n' || c == '\0' || (!allow_spaces && c == ' ')) {
            throw std::invalid_argument("HTTPRequest: " + std::string(what) + " contains a character it may not: " +
                                        std::string(text));
        }
    }
}

bool sends_body(const HTTPRequest& request) {
    return !request.body.empty() || request.method == "POST" || request.method == "PUT" || request.method == "PATCH";
}

std::string origin_of(const std::string& url) { return parse_client_url(url).origin(); }

}  // namespace

std::string request_head(const HTTPRequest& request, const ClientURL& url) {
    require_clean("the method", request.method, false);
    require_clean("the URL", url.target, false);
    if (request.method.empty()) throw std::invalid_argument("HTTPRequest: no method");
    std::string head = request.method + " " + url.target + " HTTP/1.1\r\n";
    auto add = [&](std::string_view name, std::string_view value) {
        require_clean("a header name", name, false);
        require_clean("a header value", value, true);
        head.append(name).append(": ").append(value).append("\r\n");
    };
    const auto& headers = request.headers;
    if (!headers.contains("Host")) add("Host", url.host_header());
    if (!headers.contains("User-Agent")) add("User-Agent", request.user_agent.empty() ? "tornado-cpp" : request.user_agent);
    if (request.decompress_response && !headers.contains("Accept-Encoding")) add("Accept-Encoding", "gzip");
    if (!headers.contains("Authorization")) {
        if (!request.auth_username.empty()) {
            add("Authorization", "Basic " + base64_encode(request.auth_username + ":" + request.auth_password));
        } else if (!url.userinfo.empty()) {
            add("Authorization", "Basic " + base64_encode(url.userinfo));
        }
    }
    if (sends_body(request) && !headers.contains("Content-Length") && !headers.contains("Transfer-Encoding")) {
        add("Content-Length", std::to_string(request.body.size()));
    }
    for (const auto& [name, value] : headers) add(name, value);
    head += "\r\n";
    return head;
}

bool is_idempotent(const std::string& method) {
    return method == "GET" || method == "HEAD" || method == "PUT" || method == "DELETE" || method == "OPTIONS" ||
           method == "TRACE";
}

std::optional<HTTPRequest> redirected_request(const HTTPRequest& request, const HTTPResponse& response) {
    int code = response.code;
    bool redirect = code == 301 || code == 302 || code == 303 || code == 307 || code == 308;
    const auto* location = response.headers.find("Location");
    if (!redirect || !location) return std::nullopt;
    HTTPRequest next = request;
    next.url = resolve_url(request.url, *location);
    // 307 and 308 repeat the request as it was; 303 asks for a GET, and so do 301 and 302 in
    // practice (RFC 9110, section 15.4), except for a HEAD.
    bool to_get = code == 303 || ((code == 301 || code == 302) && request.method != "HEAD");
    if (to_get) {
        next.method = "GET";
        next.body.clear();
        for (auto name : {"Content-Length", "Content-Type", "Content-Encoding", "Transfer-Encoding"}) {
            next.headers.remove(name);
        }
    }
    // Credentials stay with the origin they were meant for.
    if (origin_of(next.url) != origin_of(request.url)) {
        next.headers.remove("Authorization");
        next.auth_username.clear();
        next.auth_password.clear();
    }
    next.headers.remove("Host");
    return next;
}

}  // namespace tornado::httpclient::detail
