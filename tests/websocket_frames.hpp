// WebSocket frames (RFC 6455 section 5.2) as tests write and read them byte by byte, written
// here independently of the framework's frame code so a test compares against the RFC.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

// A frame as a client sends it: masked (unless told not to) with a fixed key; payload under
// 64 KiB.
inline std::string client_frame(std::uint8_t first_byte, std::string_view payload, bool masked = true) {
    std::string frame(1, static_cast<char>(first_byte));
    const char mask_bit = masked ? static_cast<char>(0x80) : 0;
    if (payload.size() < 126) {
        frame += static_cast<char>(mask_bit | static_cast<char>(payload.size()));
    } else {
        frame += static_cast<char>(mask_bit | 126);
        frame += static_cast<char>(payload.size() >> 8);
        frame += static_cast<char>(payload.size() & 0xFF);
    }
    const std::string key = "\x12\x34\x56\x78";
    if (masked) frame += key;
    for (std::size_t i = 0; i < payload.size(); ++i) frame += masked ? static_cast<char>(payload[i] ^ key[i % 4]) : payload[i];
    return frame;
}

// A frame as a server sends it: unmasked; payload under 64 KiB.
inline std::string server_frame(std::uint8_t first_byte, std::string_view payload) {
    return client_frame(first_byte, payload, false);
}

inline std::string code_bytes(std::uint16_t code) {
    return {static_cast<char>(code >> 8), static_cast<char>(code & 0xFF)};
}

// A server's close frame.
inline std::string close_frame(std::uint16_t code, std::string_view reason = "") {
    return server_frame(0x88, code_bytes(code) + std::string(reason));
}

// One frame as read off the wire, its payload unmasked.
struct ReceivedFrame {
    std::uint8_t first_byte = 0;  // FIN, RSV1-3 and the opcode
    bool masked = false;
    std::string payload;
};

// Removes the first whole frame from the front of bytes and returns it; nullopt (bytes left as
// they are) while it is incomplete.
inline std::optional<ReceivedFrame> take_frame(std::string& bytes) {
    if (bytes.size() < 2) return std::nullopt;
    ReceivedFrame frame;
    frame.first_byte = static_cast<std::uint8_t>(bytes[0]);
    frame.masked = static_cast<std::uint8_t>(bytes[1]) & 0x80;
    std::uint64_t length = static_cast<std::uint8_t>(bytes[1]) & 0x7F;
    std::size_t at = 2;
    if (length >= 126) {
        const std::size_t length_bytes = length == 126 ? 2 : 8;
        if (bytes.size() < at + length_bytes) return std::nullopt;
        length = 0;
        for (std::size_t i = 0; i < length_bytes; ++i) length = (length << 8) | static_cast<std::uint8_t>(bytes[at++]);
    }
    std::string key;
    if (frame.masked) {
        if (bytes.size() < at + 4) return std::nullopt;
        key = bytes.substr(at, 4);
        at += 4;
    }
    if (bytes.size() - at < length) return std::nullopt;
    frame.payload = bytes.substr(at, static_cast<std::size_t>(length));
    if (frame.masked) {
        for (std::size_t i = 0; i < frame.payload.size(); ++i) frame.payload[i] = static_cast<char>(frame.payload[i] ^ key[i % 4]);
    }
    bytes.erase(0, at + static_cast<std::size_t>(length));
    return frame;
}
