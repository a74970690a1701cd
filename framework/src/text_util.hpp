// Small text helpers that several parts of the library need. Private to the library.
#pragma once

#include <span>
#include <string>
#include <string_view>

namespace tornado::detail {

// What isspace() accepts in the "C" locale; Python's str.strip() removes the same from ASCII text.
inline constexpr std::string_view ascii_whitespace = " \t\n\v\f\r";
// The optional whitespace around HTTP header values and parameters (RFC 9110 §5.6.3).
inline constexpr std::string_view http_whitespace = " \t";

// text without the characters of `characters` at either end (Python's str.strip(chars)).
std::string_view trim(std::string_view text, std::string_view characters = ascii_whitespace);

// Whether text is an HTTP token (RFC 9110 §5.6.2): one or more of letters, digits and
// !#$%&'*+-.^_`|~.
bool is_token(std::string_view text);

// text with its ASCII letters in lower case and every other byte as it was, whatever the locale.
std::string ascii_lowercase(std::string_view text);

// The characters that mean something in a regular expression outside a character class.
inline constexpr std::string_view regex_special_characters = ".^$*+?()[]{}|\\";

// A regular expression that matches text literally (Python's re.escape).
std::string regex_escape(std::string_view text);

// bytes as two lowercase hex digits each (Python's bytes.hex()).
std::string hex_encode(std::span<const unsigned char> bytes);

}  // namespace tornado::detail
