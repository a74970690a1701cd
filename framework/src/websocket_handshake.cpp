#include "websocket_handshake.hpp"

#include "base64.hpp"
#include "text_util.hpp"

#include <openssl/evp.h>
#include <openssl/rand.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <stdexcept>

namespace tornado::websocket::detail {

namespace {
using tornado::detail::base64_encode;
using tornado::detail::http_whitespace;
using tornado::detail::trim;

// bytes as the text base64_encode takes.
std::string_view as_text(const unsigned char* bytes, std::size_t size) {
    return {reinterpret_cast<const char*>(bytes), size};
}

bool is_base64_character(char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '+' || c == '/';
}
}  // namespace

std::string accept_value(std::string_view key) {
    static constexpr std::string_view guid = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
    std::string input(key);
    input += guid;
    std::array<unsigned char, EVP_MAX_MD_SIZE> digest;
    unsigned int size = 0;
    if (EVP_Digest(input.data(), input.size(), digest.data(), &size, EVP_sha1(), nullptr) != 1) {
        throw std::runtime_error("SHA-1 failed for Sec-WebSocket-Accept");
    }
    return base64_encode(as_text(digest.data(), size));
}

bool valid_key(std::string_view key) {
    // 16 bytes are 22 base64 characters and "==" (the last character carries 2 bits: A, Q, g, w).
    if (key.size() != 24 || !key.ends_with("==")) return false;
    if (!std::all_of(key.begin(), key.begin() + 22, is_base64_character)) return false;
    return std::string_view("AQgw").find(key[21]) != std::string_view::npos;
}

std::string new_key() {
    std::array<unsigned char, 16> bytes;
    if (RAND_bytes(bytes.data(), bytes.size()) != 1) throw std::runtime_error("RAND_bytes failed for a WebSocket key");
    return base64_encode(as_text(bytes.data(), bytes.size()));
}

std::vector<std::string> split_header_list(std::string_view value) {
    std::vector<std::string> items;
    while (!value.empty()) {
        auto comma = value.find(',');
        auto item = trim(value.substr(0, comma), http_whitespace);
        if (!item.empty()) items.emplace_back(item);
        if (comma == std::string_view::npos) break;
        value.remove_prefix(comma + 1);
    }
    return items;
}

bool header_has_token(std::string_view value, std::string_view token) {
    for (const auto& item : split_header_list(value)) {
        if (std::equal(item.begin(), item.end(), token.begin(), token.end(),
                       [](char a, char b) { return std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b)); })) {
            return true;
        }
    }
    return false;
}

}  // namespace tornado::websocket::detail
