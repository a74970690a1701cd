// The WebSocket framing the load client needs (RFC 6455 section 5.2): it writes whole masked
// frames and parses the server's unmasked ones. A load tool, not a validator: it checks only
// what it must to find message boundaries safely.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace wsbench {

enum class Opcode : std::uint8_t { continuation = 0x0, text = 0x1, binary = 0x2, close = 0x8, ping = 0x9, pong = 0xA };

using Mask = std::array<std::uint8_t, 4>;

// Appends one final (FIN) frame to out, its payload masked with mask; compressed sets RSV1
// (permessage-deflate's "this message is compressed", on a message's first frame).
void append_client_frame(Opcode opcode, std::string_view payload, bool compressed, const Mask& mask, std::string& out);

struct Frame {
    bool fin = false;
    bool compressed = false;  // RSV1
    Opcode opcode = Opcode::continuation;
    std::string_view payload;  // points into the parsed data
};

enum class ParseStatus { complete, incomplete, invalid };

struct ParsedFrame {
    ParseStatus status = ParseStatus::incomplete;
    Frame frame;
    std::size_t size = 0;  // bytes of data the frame took (complete only)
};

// Parses the frame at the start of data. invalid: a masked server frame, RSV2/RSV3 set, or a
// payload longer than max_payload (so a bad length never makes the client allocate without bound).
ParsedFrame parse_server_frame(std::string_view data, std::size_t max_payload);

}  // namespace wsbench
