// tornado::escape — escaping and encoding for HTML, URLs and JSON. Counterpart of
// tornado/escape.py.
#pragma once

#include <nlohmann/json.hpp>

#include <string>
#include <string_view>

namespace tornado::escape {

// Escapes & < > " ' for HTML text and attribute values.
std::string xhtml_escape(std::string_view text);
// The same, appended to out (a page being rendered) without a string of its own.
void xhtml_escape_to(std::string& out, std::string_view text);
// Reverses xhtml_escape and numeric character references.
std::string xhtml_unescape(std::string_view text);

// HTML-escapes text and turns the http:// and https:// URLs in it into links (Tornado's linkify).
// extra_params is written into each <a> tag as it is, after the href: "ref=website" gives
// <a href="…" ref=website>; it is markup, so it must come from the program, never from a visitor.
std::string linkify(std::string_view text, std::string_view extra_params = {});

// Percent-encodes text; with plus, spaces become '+' (form encoding), else "%20".
std::string url_escape(std::string_view text, bool plus = true);
// Decodes %XX escapes, and '+' as space when plus is true. A bad escape is kept as is.
std::string url_unescape(std::string_view text, bool plus = true);

// JSON with "</" escaped so the result can sit inside a <script> element.
std::string json_encode(const nlohmann::json& value);
// Throws nlohmann::json::parse_error on malformed input.
nlohmann::json json_decode(std::string_view text);

// True when text is well-formed UTF-8 (no overlongs, surrogates or values past U+10FFFF).
bool is_valid_utf8(std::string_view text);

}  // namespace tornado::escape
