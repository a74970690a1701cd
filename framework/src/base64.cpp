// Base64 through OpenSSL's EVP_EncodeBlock/EVP_DecodeBlock, which know nothing of padding on
// the way back: the '=' count is checked and taken off here.
#include "base64.hpp"

#include <openssl/evp.h>

namespace tornado::detail {

namespace {
bool is_base64_alphabet(char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' || c == '/';
}
}  // namespace

std::string base64_encode(std::string_view bytes) {
    std::string encoded(4 * ((bytes.size() + 2) / 3), '\0');
    auto length = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(encoded.data()),
                                  reinterpret_cast<const unsigned char*>(bytes.data()), static_cast<int>(bytes.size()));
    encoded.resize(static_cast<std::size_t>(length));
    return encoded;
}

std::optional<std::string> base64_decode(std::string_view text) {
    if (text.size() % 4 != 0) return std::nullopt;
    std::size_t padding = 0;
    while (padding < 2 && padding < text.size() && text[text.size() - 1 - padding] == '=') ++padding;
    for (std::size_t i = 0; i < text.size() - padding; ++i) {
        if (!is_base64_alphabet(text[i])) return std::nullopt;
    }
    std::string decoded(3 * (text.size() / 4), '\0');
    auto length = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(decoded.data()),
                                  reinterpret_cast<const unsigned char*>(text.data()), static_cast<int>(text.size()));
    if (length < 0) return std::nullopt;
    decoded.resize(static_cast<std::size_t>(length) - padding);
    return decoded;
}

}  // namespace tornado::detail
