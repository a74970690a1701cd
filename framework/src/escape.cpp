#include "tornado/escape.hpp"

#include "utf8.hpp"

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

}  // namespace

std::string xhtml_escape(std::string_view text) {
    std::string out;
    out.reserve(text.size());
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
    return out;
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
    std::size_t i = 0;
    while (i < text.size()) {
        auto lead = static_cast<unsigned char>(text[i]);
        if (lead < 0x80) {
            ++i;
            continue;
        }
        std::size_t length;
        char32_t code_point;
        char32_t minimum;
        if ((lead & 0xE0) == 0xC0) {
            length = 2, code_point = lead & 0x1F, minimum = 0x80;
        } else if ((lead & 0xF0) == 0xE0) {
            length = 3, code_point = lead & 0x0F, minimum = 0x800;
        } else if ((lead & 0xF8) == 0xF0) {
            length = 4, code_point = lead & 0x07, minimum = 0x10000;
        } else {
            return false;
        }
        if (text.size() - i < length) return false;
        for (std::size_t k = 1; k < length; ++k) {
            auto continuation = static_cast<unsigned char>(text[i + k]);
            if ((continuation & 0xC0) != 0x80) return false;
            code_point = (code_point << 6) | (continuation & 0x3F);
        }
        if (code_point < minimum || code_point > 0x10FFFF || (code_point >= 0xD800 && code_point <= 0xDFFF)) {
            return false;
        }
        i += length;
    }
    return true;
}

}  // namespace tornado::escape
