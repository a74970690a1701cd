// The client's side of the WebSocket opening handshake (RFC 6455 section 4): the upgrade
// request with a fresh key, and the check of the server's answer.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace wsbench {

struct HandshakeRequest {
    std::string key;   // Sec-WebSocket-Key: 16 random bytes, base64
    std::string text;  // the whole GET request
};

// host is the Host header's value; offer_deflate adds "Sec-WebSocket-Extensions: permessage-deflate".
HandshakeRequest make_handshake_request(std::string_view host, std::string_view path, bool offer_deflate);

// Sec-WebSocket-Accept for key: base64(SHA-1(key + the RFC's GUID)).
std::string accept_value(std::string_view key);

struct HandshakeAnswer {
    enum class Status { incomplete, accepted, rejected } status = Status::incomplete;
    std::size_t size = 0;                   // bytes of the answer's head (accepted only); frames may follow
    std::optional<std::string> extensions;  // Sec-WebSocket-Extensions, when the server sent it
    std::string reason;                     // why it was rejected
};

// Checks the server's answer so far (received): a 101 with Upgrade: websocket, Connection:
// Upgrade and the Sec-WebSocket-Accept matching key. An answer head over 8 KiB is rejected.
HandshakeAnswer check_handshake_answer(std::string_view received, std::string_view key);

}  // namespace wsbench
