// The opening handshake's pieces both sides share (RFC 6455 section 4): the key and its
// accept value, and reading the comma-separated header values. Private.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace tornado::websocket::detail {

// base64(SHA-1(key + the RFC's GUID)): the Sec-WebSocket-Accept value for key.
std::string accept_value(std::string_view key);
// Whether key is the base64 form of 16 bytes, as Sec-WebSocket-Key must be.
bool valid_key(std::string_view key);
// A fresh random key for a client's request.
std::string new_key();
// The items of a comma-separated header value, trimmed, empty ones left out.
std::vector<std::string> split_header_list(std::string_view value);
// Whether the comma-separated value holds token (case-insensitive), as "Connection: keep-alive,
// Upgrade" holds "upgrade".
bool header_has_token(std::string_view value, std::string_view token);

}  // namespace tornado::websocket::detail
