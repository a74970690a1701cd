// Cookie text as Python's http.cookies and Tornado's httputil read and write it. Private to the
// library; RequestHandler's cookie methods (request_handler_cookies.cpp) use it.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <string_view>

namespace tornado::web {
struct CookieOptions;
}

namespace tornado::detail {

// The cookies of a Cookie header by name (Tornado's httputil.parse_cookie, then the names
// http.cookies.SimpleCookie accepts): split on ';', a pair without '=' has an empty name,
// names and values stripped, quoted values unquoted; the last of a name wins. Linear time.
std::map<std::string, std::string, std::less<>> parse_cookie_header(std::string_view header);

// value as Python's http.cookies._unquote reads it: a value in double quotes loses them, and
// within them \ooo (octal, 000-377) becomes that byte and \c becomes c.
std::string unquote_cookie_value(std::string_view value);

// value as Python's http.cookies._quote writes it: unchanged when every byte is a legal name
// character, else in double quotes with " and \ backslashed and every byte outside the safe
// set as \ooo (bytes, so UTF-8 text round-trips through unquote_cookie_value).
std::string quote_cookie_value(std::string_view value);

// Whether name is a name http.cookies accepts: one or more token characters or ':', and not
// one of the attribute names (expires, path, ...).
bool is_legal_cookie_name(std::string_view name);

// The Set-Cookie header value for name=value with options, as Tornado's set_cookie builds it
// through a Morsel (attributes in Morsel.OutputString's order). Throws std::invalid_argument
// for an illegal name, a space or control character in name or value, or an attribute value
// with a control character or ';'.
std::string format_set_cookie(std::string_view name, std::string_view value, const web::CookieOptions& options);

}  // namespace tornado::detail
