#include "client_url.hpp"

#include <charconv>
#include <stdexcept>
#include <vector>

namespace tornado::httpclient::detail {

namespace {

std::string lowercase(std::string_view text) {
    std::string result(text);
    for (auto& c : result) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
    return result;
}

bool has_scheme(std::string_view reference) {
    auto colon = reference.find(':');
    if (colon == std::string_view::npos || colon == 0) return false;
    for (std::size_t i = 0; i < colon; ++i) {
        char c = reference[i];
        bool allowed = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                       (i > 0 && ((c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.'));
        if (!allowed) return false;
    }
    return true;
}

// RFC 3986 5.2.4, on a path split at its slashes (no recursion, linear in the path).
std::string remove_dot_segments(std::string_view path) {
    std::vector<std::string_view> output;
    bool absolute = !path.empty() && path.front() == '/';
    if (absolute) path.remove_prefix(1);
    bool trailing_slash = false;
    while (true) {
        auto slash = path.find('/');
        auto segment = path.substr(0, slash);
        trailing_slash = segment == "." || segment == "..";
        if (segment == "..") {
            if (!output.empty()) output.pop_back();
        } else if (segment != ".") {
            output.push_back(segment);
        }
        if (slash == std::string_view::npos) break;
        path.remove_prefix(slash + 1);
        trailing_slash = false;
    }
    std::string result = absolute ? "/" : "";
    for (std::size_t i = 0; i < output.size(); ++i) {
        if (i > 0) result += '/';
        result += output[i];
    }
    if (trailing_slash && !output.empty()) result += '/';
    return result;
}

}  // namespace

std::string ClientURL::host_header() const {
    std::string name = host.find(':') != std::string::npos ? "[" + host + "]" : host;
    bool default_port = (scheme == "http" && port == 80) || (scheme == "https" && port == 443);
    return default_port ? name : name + ":" + std::to_string(port);
}

std::string ClientURL::origin() const {
    return scheme + "://" + (host.find(':') != std::string::npos ? "[" + host + "]" : host) + ":" +
           std::to_string(port);
}

ClientURL parse_client_url(std::string_view url) {
    auto fail = [&](const char* why) {
        throw std::invalid_argument("bad URL '" + std::string(url) + "': " + why);
    };
    ClientURL result;
    auto scheme_end = url.find("://");
    if (scheme_end == std::string_view::npos) fail("not absolute (no scheme://)");
    result.scheme = lowercase(url.substr(0, scheme_end));
    if (result.scheme != "http" && result.scheme != "https") fail("only http and https are supported");
    result.port = result.tls() ? 443 : 80;
    auto rest = url.substr(scheme_end + 3);
    rest = rest.substr(0, rest.find('#'));
    auto authority_end = rest.find_first_of("/?");
    auto authority = rest.substr(0, authority_end);
    result.target = authority_end == std::string_view::npos ? "/" : std::string(rest.substr(authority_end));
    if (result.target.front() == '?') result.target.insert(0, "/");
    if (auto at = authority.rfind('@'); at != std::string_view::npos) {
        result.userinfo = std::string(authority.substr(0, at));
        authority.remove_prefix(at + 1);
    }
    std::string_view port_text;
    if (!authority.empty() && authority.front() == '[') {
        auto close = authority.find(']');
        if (close == std::string_view::npos) fail("unclosed '[' in the host");
        result.host = std::string(authority.substr(1, close - 1));
        auto after = authority.substr(close + 1);
        if (!after.empty()) {
            if (after.front() != ':') fail("junk after the IPv6 address");
            port_text = after.substr(1);
        }
    } else {
        auto colon = authority.find(':');
        result.host = lowercase(authority.substr(0, colon));
        if (colon != std::string_view::npos) port_text = authority.substr(colon + 1);
    }
    if (result.host.empty()) fail("no host");
    if (!port_text.empty()) {
        unsigned port = 0;
        auto [end, error] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
        if (error != std::errc{} || end != port_text.data() + port_text.size() || port == 0 || port > 65535) {
            fail("bad port");
        }
        result.port = static_cast<std::uint16_t>(port);
    }
    return result;
}

std::string resolve_url(std::string_view base, std::string_view reference) {
    reference = reference.substr(0, reference.find('#'));
    if (has_scheme(reference)) return std::string(reference);
    auto scheme_end = base.find("://");
    auto scheme = base.substr(0, scheme_end);
    if (reference.starts_with("//")) return std::string(scheme) + ":" + std::string(reference);
    auto path_start = base.find_first_of("/?#", scheme_end + 3);
    auto origin = base.substr(0, path_start);
    auto base_path_and_query = path_start == std::string_view::npos ? std::string_view("/") : base.substr(path_start);
    base_path_and_query = base_path_and_query.substr(0, base_path_and_query.find('#'));
    auto base_path = base_path_and_query.substr(0, base_path_and_query.find('?'));
    if (base_path.empty() || base_path.front() != '/') base_path = "/";
    if (reference.empty()) return std::string(origin) + std::string(base_path_and_query);
    if (reference.front() == '?') return std::string(origin) + std::string(base_path) + std::string(reference);
    auto query_start = reference.find('?');
    auto path = reference.substr(0, query_start);
    auto query = query_start == std::string_view::npos ? std::string_view() : reference.substr(query_start);
    std::string merged = path.front() == '/'
                             ? std::string(path)
                             : std::string(base_path.substr(0, base_path.rfind('/') + 1)) + std::string(path);
    return std::string(origin) + remove_dot_segments(merged) + std::string(query);
}

}  // namespace tornado::httpclient::detail
