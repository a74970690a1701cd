// Raw WebSocket frames as the conformance client writes and reads them (RFC 6455 section 5.2).
// Written apart from the framework's frame code on purpose: an oracle must not share the code
// it checks.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace conformance {

namespace opcode {
inline constexpr std::uint8_t continuation = 0, text = 1, binary = 2, close = 8, ping = 9, pong = 10;
}

// RSV bits numbered as Autobahn numbers them, a 3-bit value under FIN: 4 = RSV1, 2 = RSV2, 1 = RSV3.
inline constexpr std::uint8_t rsv1 = 4;

struct FrameSpec {
    std::uint8_t opcode = opcode::text;
    std::string payload;
    bool fin = true;
    std::uint8_t rsv = 0;
    bool masked = true;  // a client masks every frame (RFC 6455 section 5.3)
};

// The frame's octets; masked with a fresh random key (OpenSSL RAND) when spec.masked.
std::string encode_frame(const FrameSpec& spec);

struct ReceivedFrame {
    bool fin = true;
    std::uint8_t rsv = 0;
    std::uint8_t opcode = 0;
    bool masked = false;  // a server must never mask; the payload here is unmasked either way
    std::string payload;
};

// Cuts a byte stream into frames, keeping a partial frame until the rest arrives.
class FrameReader {
public:
    void append(const char* data, std::size_t size);
    // The next whole frame, or nullopt until more bytes arrive. Throws std::runtime_error when
    // a header announces a frame larger than any case echoes (the server is then broken).
    std::optional<ReceivedFrame> next();

private:
    std::string buffer_;
    std::size_t start_ = 0;  // bytes before start_ are consumed; dropped when they pile up
};

}  // namespace conformance
