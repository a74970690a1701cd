#include "tornado/escape.hpp"

#include "utf8.hpp"

#include <cctype>
#include <charconv>
#include <cstdint>

namespace tornado::escape {

namespace {

constexpr char kHexDigits[] = "0123456789ABCDEF";
// Longer "&...;" runs are not character references; the cap keeps xhtml_unescape linear.
constexpr std::size_t kMaxEntityLength = 32;

int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

bool is_unreserved(unsigned char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '_' || c == '.' || c == '~';
}

// The text of a character reference between '&' and ';' ("amp", "#39", "#x27"), decoded;
// false when it names nothing we know, so the caller keeps it unchanged.
bool decode_entity(std::string_view entity, std::string& out) {
    if (entity == "amp") return out += '&', true;
    if (entity == "lt") return out += '<', true;
    if (entity == "gt") return out += '>', true;
    if (entity == "quot") return out += '"', true;
    if (entity == "apos") return out += '\'', true;
    if (entity.size() < 2 || entity[0] != '#') return false;

    std::string_view digits = entity.substr(1);
    int base = 10;
    if (digits[0] == 'x' || digits[0] == 'X') {
        digits.remove_prefix(1);
        base = 16;
    }
    std::uint32_t code_point = 0;
    auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), code_point, base);
    if (digits.empty() || error != std::errc{} || end != digits.data() + digits.size()) return false;
    // Surrogates and values past U+10FFFF have no UTF-8 form.
    if (code_point > 0x10FFFF || (code_point >= 0xD800 && code_point <= 0xDFFF)) return false;
    detail::append_utf8(out, code_point);
    return true;
}

bool is_word_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }

// Where the next http:// or https:// URL starts in text, at or after from (npos if none); end
// is set past its scheme.
std::size_t find_scheme(std::string_view text, std::size_t from, std::size_t& end) {
    for (auto start = text.find("http", from); start != std::string_view::npos; start = text.find("http", start + 1)) {
        if (start > 0 && is_word_char(text[start - 1])) continue;
        for (std::string_view scheme : {"http://", "https://"}) {
            if (text.substr(start).starts_with(scheme)) {
                end = start + scheme.size();
                return start;
            }
        }
    }
    return std::string_view::npos;
}

// Where the URL whose scheme ends at body ends, in HTML-escaped text: at whitespace, at an
// escaped character other than &amp;, or at an unbalanced ')'; trailing punctuation is left out.
std::size_t url_end(std::string_view text, std::size_t body) {
    std::size_t end = body;
    int open_parens = 0;
    while (end < text.size()) {
        const char c = text[end];
        if (std::isspace(static_cast<unsigned char>(c))) break;
        if (c == '&') {
            if (!text.substr(end).starts_with("&amp;")) break;
            end += 5;
            continue;
        }
        if (c == '(') ++open_parens;
        if (c == ')') {
            if (open_parens == 0) break;
            --open_parens;
        }
        ++end;
    }
    while (end > body) {
        if (text.substr(body, end - body).ends_with("&amp;")) {
            end -= 5;
        } else if (std::string_view(".,;:!?").find(text[end - 1]) != std::string_view::npos) {
            --end;
        } else {
            break;
        }
    }
    return end;
}

}  // namespace

std::string xhtml_escape(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    xhtml_escape_to(out, text);
    return out;
}

void xhtml_escape_to(std::string& out, std::string_view text) {
    for (char c : text) {
        switch (c) {
            case '&': out += "&amp;"; break;
            case '<': out += "&lt;"; break;
            case '>': out += "&gt;"; break;
            case '"': out += "&quot;"; break;
            case '\'': out += "&#39;"; break;
            default: out += c;
        }
    }
}

std::string xhtml_unescape(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    std::size_t pos = 0;
    while (pos < text.size()) {
        std::size_t amp = text.find('&', pos);
        if (amp == std::string_view::npos) break;
        out.append(text, pos, amp - pos);
        std::string_view rest = text.substr(amp + 1, kMaxEntityLength + 1);
        std::size_t semicolon = rest.find(';');
        if (semicolon != std::string_view::npos && decode_entity(rest.substr(0, semicolon), out)) {
            pos = amp + 1 + semicolon + 1;
        } else {
            out += '&';
            pos = amp + 1;
        }
    }
    out.append(text.substr(pos));
    return out;
}

std::string url_escape(std::string_view text, bool plus) {
    std::string out;
    out.reserve(text.size());
    for (char c : text) {
        auto byte = static_cast<unsigned char>(c);
        if (is_unreserved(byte)) {
            out += c;
        } else if (plus && c == ' ') {
            out += '+';
        } else {
            out += '%';
            out += kHexDigits[byte >> 4];
            out += kHexDigits[byte & 0x0F];
        }
    }
    return out;
}

std::string url_unescape(std::string_view text, bool plus) {
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
        char c = text[i];
        if (c == '%' && i + 2 < text.size() && hex_value(text[i + 1]) >= 0 && hex_value(text[i + 2]) >= 0) {
            out += static_cast<char>(hex_value(text[i + 1]) * 16 + hex_value(text[i + 2]));
            i += 2;
        } else if (plus && c == '+') {
            out += ' ';
        } else {
            out += c;
        }
    }
    return out;
}

std::string json_encode(const nlohmann::json& value) {
    std::string json = value.dump();
    std::string out;
    out.reserve(json.size());
    for (std::size_t i = 0; i < json.size(); ++i) {
        out += json[i];
        if (json[i] == '<' && i + 1 < json.size() && json[i + 1] == '/') out += '\\';
    }
    return out;
}

nlohmann::json json_decode(std::string_view text) { return nlohmann::json::parse(text); }

bool is_valid_utf8(std::string_view text) {
    while (!text.empty()) {
        auto decoded = detail::decode_utf8(text);
        if (!decoded) return false;
        text.remove_prefix(decoded->second);
    }
    return true;
}

std::string linkify(std::string_view text, std::string_view extra_params) {
    const std::string escaped = escape::xhtml_escape(text);
    // Tornado strips the parameters and puts one space before them.
    std::string params;
    if (const auto first = extra_params.find_first_not_of(" \t\r\n"); first != std::string_view::npos) {
        params += ' ';
        params += extra_params.substr(first, extra_params.find_last_not_of(" \t\r\n") - first + 1);
    }
    std::string out;
    std::size_t copied = 0;
    std::size_t body = 0;
    for (auto start = find_scheme(escaped, 0, body); start != std::string::npos;
         start = find_scheme(escaped, body, body)) {
        const std::size_t end = url_end(escaped, body);
        if (end == body) continue;  // a bare "http://"
        const std::string_view url = std::string_view(escaped).substr(start, end - start);
        out.append(escaped, copied, start - copied);
        out.append("<a href=\"").append(url).append("\"").append(params).append(">").append(url).append("</a>");
        copied = body = end;
    }
    out.append(escaped, copied);
    return out;
}


}  // namespace tornado::escape
