// Standard base64 with padding (RFC 4648 §4), through OpenSSL. Private to the library.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace tornado::detail {

std::string base64_encode(std::string_view bytes);
// The bytes text encodes, or nothing when it is not canonical padded base64 (only the alphabet,
// a length that is a multiple of 4, at most two '=' at the end).
std::optional<std::string> base64_decode(std::string_view text);

}  // namespace tornado::detail
