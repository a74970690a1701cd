// WebSocket frames (RFC 6455 section 5): the incremental reader that turns bytes into messages
// and control frames, enforcing the protocol's rules, and the writer of frame headers. Private.
#pragma once

#include "websocket_utf8.hpp"

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace tornado::websocket::detail {

enum class Opcode : std::uint8_t { continuation = 0, text = 1, binary = 2, close = 8, ping = 9, pong = 10 };

// Close codes (RFC 6455 section 7.4.1).
inline constexpr std::uint16_t close_normal = 1000;
inline constexpr std::uint16_t close_protocol_error = 1002;
inline constexpr std::uint16_t close_invalid_data = 1007;
inline constexpr std::uint16_t close_policy_violation = 1008;
inline constexpr std::uint16_t close_message_too_big = 1009;
inline constexpr std::uint16_t close_internal_error = 1011;

// Whether a close frame may carry code: 1000–1003, 1007–1014 (1012–1014 were assigned after the
// RFC) and 3000–4999 for libraries and applications. 1004–1006 and 1015 are reserved or only
// reported locally, never sent.
bool valid_close_code(std::uint16_t code);

// Reads frames from bytes split in any way, one call per step, without recursion: next()
// consumes input until something is complete and says what. Memory stays bounded: a message's
// payload is kept (never beyond max_message_size) and a control frame's (at most 125 bytes).
class FrameReader {
public:
    enum class Event {
        need_more,  // input used up
        message,    // a whole message: take_message()
        ping,       // control_payload()
        pong,       // control_payload()
        close,      // close_code() (nullopt: none), close_reason()
        violation,  // the peer broke the protocol: fail with error_code() and error_reason()
    };

    // A server expects masked frames, a client unmasked ones.
    FrameReader(bool expect_masked, std::size_t max_message_size);
    // permessage-deflate negotiated: RSV1 may mark a message's first frame as compressed.
    void allow_compression() { compression_allowed_ = true; }

    // Consumes bytes from the front of input up to the next event. After a close or a
    // violation, nothing more should be read.
    Event next(std::string_view& input);

    // After Event::message: the payload (compressed when message_compressed(); then its UTF-8
    // is checked by the caller after inflating), moved out.
    std::string take_message() { return std::move(message_); }
    bool message_binary() const { return message_opcode_ == Opcode::binary; }
    bool message_compressed() const { return compressed_; }
    std::string_view control_payload() const { return {control_.data(), control_size_}; }
    std::optional<std::uint16_t> close_code() const { return close_code_; }
    std::string_view close_reason() const;
    std::uint16_t error_code() const { return error_code_; }
    const char* error_reason() const { return error_reason_; }

private:
    bool read_header(std::string_view& input);
    Event check_header();
    Event frame_complete();
    Event take_payload(std::string_view& input);
    Event violation(std::uint16_t code, const char* reason);

    const bool expect_masked_;
    const std::size_t max_message_size_;
    bool compression_allowed_ = false;

    // The frame being read.
    std::array<std::uint8_t, 14> header_{};
    std::uint8_t header_size_ = 0;
    bool in_frame_ = false;
    bool fin_ = false;
    Opcode opcode_ = Opcode::continuation;
    std::uint64_t remaining_ = 0;  // payload bytes still to come
    std::array<std::uint8_t, 4> mask_{};
    std::uint8_t mask_offset_ = 0;

    // The message being assembled across frames.
    bool in_message_ = false;
    Opcode message_opcode_ = Opcode::text;
    bool compressed_ = false;
    std::string message_;
    Utf8Validator utf8_;

    std::array<char, 125> control_{};
    std::uint8_t control_size_ = 0;
    std::optional<std::uint16_t> close_code_;
    std::uint16_t error_code_ = 0;
    const char* error_reason_ = "";
};

// The header of a frame with fin set and this payload length into out (2 to 14 bytes); returns
// its size. With mask, the masked bit and the key are written (the payload must be masked too).
std::size_t write_frame_header(std::array<char, 14>& out, Opcode opcode, bool rsv1, std::uint64_t length,
                               const std::uint8_t* mask = nullptr);
// XORs data with mask, starting at the mask's byte offset % 4.
void apply_mask(char* data, std::size_t size, const std::array<std::uint8_t, 4>& mask, std::size_t offset);

// A close frame's payload: the code in network order and the reason (cut to fit 123 bytes).
std::string close_payload(std::optional<std::uint16_t> code, std::string_view reason);

// Masking keys for a client: seeded once per connection from OpenSSL's RAND_bytes, then a fast
// generator (xoshiro256**), unpredictable enough for RFC 6455's purpose (section 10.3).
class MaskKeys {
public:
    MaskKeys();
    std::array<std::uint8_t, 4> next();

private:
    std::array<std::uint64_t, 4> state_{};
    std::uint64_t spare_ = 0;
    bool has_spare_ = false;
};

}  // namespace tornado::websocket::detail
