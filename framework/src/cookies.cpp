// Cookie headers: parsing the request's, quoting and formatting the response's.
#include "cookies.hpp"

#include "text_util.hpp"
#include "tornado/httputil.hpp"
#include "tornado/web.hpp"

#include <array>
#include <chrono>
#include <cmath>
#include <stdexcept>

namespace tornado::detail {

namespace {
// Morsel's attribute names, which no cookie may have.
constexpr std::array<std::string_view, 9> reserved_names = {"expires", "path",   "comment",  "domain",  "max-age",
                                                            "secure",  "httponly", "version", "samesite"};

bool is_legal_name_character(unsigned char c) {
    bool alphanumeric = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    return alphanumeric || std::string_view("!#$%&'*+-.^_`|~:").find(static_cast<char>(c)) != std::string_view::npos;
}

// Python's _UnescapedChars: the legal name characters plus these go inside quotes as they are.
bool is_unescaped_character(unsigned char c) {
    return c < 0x80 && (is_legal_name_character(c) || std::string_view(" ()/<=>?@[]{}").find(static_cast<char>(c)) !=
                                                          std::string_view::npos);
}

bool is_octal_digit(char c) { return c >= '0' && c <= '7'; }

// Tornado refuses these in a name or value ([\x00-\x20]); DEL is a control character too.
bool has_space_or_control(std::string_view text) {
    for (unsigned char c : text) {
        if (c <= 0x20 || c == 0x7f) return true;
    }
    return false;
}

void check_attribute(std::string_view attribute, std::string_view value) {
    for (unsigned char c : value) {
        if (c < 0x20 || c == 0x7f || c == ';') {
            throw std::invalid_argument("Invalid cookie " + std::string(attribute) + ": " + std::string(value));
        }
    }
}
}  // namespace

bool is_legal_cookie_name(std::string_view name) {
    if (name.empty()) return false;
    for (unsigned char c : name) {
        if (!is_legal_name_character(c)) return false;
    }
    auto lower = ascii_lowercase(name);
    for (auto reserved : reserved_names) {
        if (lower == reserved) return false;
    }
    return true;
}

std::string unquote_cookie_value(std::string_view value) {
    if (value.size() < 2 || value.front() != '"' || value.back() != '"') return std::string(value);
    value = value.substr(1, value.size() - 2);
    std::string out;
    out.reserve(value.size());
    for (std::size_t i = 0; i < value.size(); ++i) {
        // Python's pattern \\(?:([0-3][0-7][0-7])|(.)): '.' is any character but a newline.
        if (value[i] != '\\' || i + 1 == value.size() || value[i + 1] == '\n') {
            out += value[i];
        } else if (i + 3 < value.size() && value[i + 1] >= '0' && value[i + 1] <= '3' && is_octal_digit(value[i + 2]) &&
                   is_octal_digit(value[i + 3])) {
            out += static_cast<char>((value[i + 1] - '0') * 64 + (value[i + 2] - '0') * 8 + (value[i + 3] - '0'));
            i += 3;
        } else {
            out += value[i + 1];
            i += 1;
        }
    }
    return out;
}

std::string quote_cookie_value(std::string_view value) {
    bool plain = !value.empty();
    for (unsigned char c : value) plain = plain && is_legal_name_character(c);
    if (plain) return std::string(value);
    std::string out = "\"";
    for (unsigned char c : value) {
        if (c == '"' || c == '\\') {
            out += '\\';
            out += static_cast<char>(c);
        } else if (is_unescaped_character(c)) {
            out += static_cast<char>(c);
        } else {
            out += '\\';
            out += static_cast<char>('0' + (c >> 6));
            out += static_cast<char>('0' + ((c >> 3) & 7));
            out += static_cast<char>('0' + (c & 7));
        }
    }
    out += '"';
    return out;
}

std::map<std::string, std::string, std::less<>> parse_cookie_header(std::string_view header) {
    std::map<std::string, std::string, std::less<>> cookies;
    while (true) {
        auto end = header.find(';');
        auto chunk = header.substr(0, end);
        auto equals = chunk.find('=');
        // Without '=', a value with an empty name (as browsers read it), which no lookup can reach.
        auto name = equals == std::string_view::npos ? std::string_view() : trim(chunk.substr(0, equals));
        if (is_legal_cookie_name(name)) {
            cookies.insert_or_assign(std::string(name), unquote_cookie_value(trim(chunk.substr(equals + 1))));
        }
        if (end == std::string_view::npos) break;
        header.remove_prefix(end + 1);
    }
    return cookies;
}

std::string format_set_cookie(std::string_view name, std::string_view value, const web::CookieOptions& options) {
    if (has_space_or_control(name) || has_space_or_control(value)) {
        throw std::invalid_argument("Invalid cookie " + std::string(name) + ": " + std::string(value));
    }
    if (!is_legal_cookie_name(name)) throw std::invalid_argument("Illegal cookie name: " + std::string(name));
    check_attribute("domain", options.domain);
    check_attribute("path", options.path);
    check_attribute("samesite", options.samesite);

    auto expires = options.expires;
    if (!expires && options.expires_days) {
        // Beyond this a time point overflows (Python's datetime stops at the year 9999).
        constexpr double max_days = 50000;
        if (!(std::abs(*options.expires_days) <= max_days)) {
            throw std::invalid_argument("Cookie expires_days out of range: " + std::to_string(*options.expires_days));
        }
        auto days = std::chrono::duration<double, std::ratio<86400>>(*options.expires_days);
        expires = std::chrono::system_clock::now() +
                  std::chrono::duration_cast<std::chrono::system_clock::duration>(days);
    }
    // Morsel.OutputString: the attributes sorted by their lower-case names.
    std::string out = std::string(name) + "=" + quote_cookie_value(value);
    if (!options.domain.empty()) out += "; Domain=" + options.domain;
    if (expires) out += "; expires=" + httputil::format_timestamp(*expires);
    if (options.httponly) out += "; HttpOnly";
    if (options.max_age) out += "; Max-Age=" + std::to_string(*options.max_age);
    if (!options.path.empty()) out += "; Path=" + options.path;
    if (!options.samesite.empty()) out += "; SameSite=" + options.samesite;
    if (options.secure) out += "; Secure";
    return out;
}

}  // namespace tornado::detail
