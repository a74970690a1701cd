#include "websocket_frame.hpp"

#include <openssl/rand.h>

#include <algorithm>
#include <cstring>
#include <stdexcept>

namespace tornado::websocket::detail {

bool valid_close_code(std::uint16_t code) {
    return (code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1014) || (code >= 3000 && code <= 4999);
}

FrameReader::FrameReader(bool expect_masked, std::size_t max_message_size)
    : expect_masked_(expect_masked), max_message_size_(max_message_size) {}

std::string_view FrameReader::close_reason() const {
    if (control_size_ <= 2) return {};
    return {control_.data() + 2, control_size_ - 2u};
}

FrameReader::Event FrameReader::violation(std::uint16_t code, const char* reason) {
    error_code_ = code;
    error_reason_ = reason;
    return Event::violation;
}

FrameReader::Event FrameReader::next(std::string_view& input) {
    for (;;) {
        if (!in_frame_) {
            if (!read_header(input)) return Event::need_more;
            if (auto event = check_header(); event != Event::need_more) return event;
            in_frame_ = true;
        }
        if (remaining_ > 0) {
            if (input.empty()) return Event::need_more;
            if (auto event = take_payload(input); event != Event::need_more) return event;
            if (remaining_ > 0) return Event::need_more;
        }
        in_frame_ = false;
        header_size_ = 0;
        if (auto event = frame_complete(); event != Event::need_more) return event;
    }
}

// Gathers the header's bytes (at most 14); true once it is whole.
bool FrameReader::read_header(std::string_view& input) {
    auto needed = [this]() -> std::size_t {
        if (header_size_ < 2) return 2;
        std::size_t size = 2;
        auto length = header_[1] & 0x7F;
        if (length == 126) size += 2;
        if (length == 127) size += 8;
        if (header_[1] & 0x80) size += 4;
        return size;
    };
    while (header_size_ < needed()) {
        if (input.empty()) return false;
        auto take = std::min(needed() - header_size_, input.size());
        std::memcpy(header_.data() + header_size_, input.data(), take);
        header_size_ = static_cast<std::uint8_t>(header_size_ + take);
        input.remove_prefix(take);
    }
    return true;
}

FrameReader::Event FrameReader::check_header() {
    fin_ = header_[0] & 0x80;
    bool rsv1 = header_[0] & 0x40;
    auto opcode = header_[0] & 0x0F;
    bool masked = header_[1] & 0x80;
    std::size_t at = 2;
    std::uint64_t length = header_[1] & 0x7F;
    if (length >= 126) {
        std::size_t bytes = length == 126 ? 2 : 8;
        length = 0;
        for (std::size_t i = 0; i < bytes; ++i) length = (length << 8) | header_[at++];
        if (length >> 63) return violation(close_protocol_error, "frame length with the most significant bit set");
    }
    if (masked) std::memcpy(mask_.data(), header_.data() + at, 4);
    mask_offset_ = 0;
    remaining_ = length;

    if (header_[0] & 0x30) return violation(close_protocol_error, "reserved bits set without an extension");
    if (opcode >= 3 && opcode <= 7) return violation(close_protocol_error, "reserved data opcode");
    if (opcode >= 11) return violation(close_protocol_error, "reserved control opcode");
    if (masked != expect_masked_) {
        return violation(close_protocol_error, expect_masked_ ? "unmasked frame from a client" : "masked frame from a server");
    }
    opcode_ = static_cast<Opcode>(opcode);
    if (opcode >= 8) {
        if (!fin_) return violation(close_protocol_error, "fragmented control frame");
        if (length > 125) return violation(close_protocol_error, "control frame longer than 125 bytes");
        if (rsv1) return violation(close_protocol_error, "reserved bits set on a control frame");
        control_size_ = 0;
        return Event::need_more;
    }
    if (opcode_ == Opcode::continuation) {
        if (!in_message_) return violation(close_protocol_error, "continuation frame without a message to continue");
        if (rsv1) return violation(close_protocol_error, "RSV1 set on a continuation frame");
    } else {
        if (in_message_) return violation(close_protocol_error, "new message inside a fragmented message");
        if (rsv1 && !compression_allowed_) return violation(close_protocol_error, "reserved bits set without an extension");
        in_message_ = true;
        message_opcode_ = opcode_;
        compressed_ = rsv1;
        message_.clear();
        utf8_.reset();
    }
    if (length > max_message_size_ - std::min(max_message_size_, message_.size())) {
        return violation(close_message_too_big, "message too big");
    }
    return Event::need_more;
}

FrameReader::Event FrameReader::take_payload(std::string_view& input) {
    auto take = static_cast<std::size_t>(std::min<std::uint64_t>(remaining_, input.size()));
    char* destination;
    if (static_cast<std::uint8_t>(opcode_) >= 8) {
        destination = control_.data() + control_size_;
        std::memcpy(destination, input.data(), take);
        control_size_ = static_cast<std::uint8_t>(control_size_ + take);
    } else {
        auto old_size = message_.size();
        message_.append(input.data(), take);
        destination = message_.data() + old_size;
    }
    if (expect_masked_) apply_mask(destination, take, mask_, mask_offset_);
    mask_offset_ = static_cast<std::uint8_t>((mask_offset_ + take) & 3);
    input.remove_prefix(take);
    remaining_ -= take;
    // Text is checked as it arrives: the piece that makes it invalid fails it.
    if (static_cast<std::uint8_t>(opcode_) < 8 && message_opcode_ == Opcode::text && !compressed_ &&
        !utf8_.feed({destination, take})) {
        return violation(close_invalid_data, "invalid UTF-8 in a text message");
    }
    return Event::need_more;
}

FrameReader::Event FrameReader::frame_complete() {
    switch (opcode_) {
        case Opcode::ping: return Event::ping;
        case Opcode::pong: return Event::pong;
        case Opcode::close: {
            if (control_size_ == 0) {
                close_code_.reset();
                return Event::close;
            }
            if (control_size_ == 1) return violation(close_protocol_error, "close frame with a one-byte payload");
            auto code = static_cast<std::uint16_t>((static_cast<unsigned char>(control_[0]) << 8) |
                                                   static_cast<unsigned char>(control_[1]));
            if (!valid_close_code(code)) return violation(close_protocol_error, "invalid close code");
            Utf8Validator reason;
            if (!reason.feed(close_reason()) || !reason.complete()) {
                return violation(close_invalid_data, "invalid UTF-8 in a close reason");
            }
            close_code_ = code;
            return Event::close;
        }
        default: break;
    }
    if (!fin_) return Event::need_more;
    in_message_ = false;
    if (message_opcode_ == Opcode::text && !compressed_ && !utf8_.complete()) {
        return violation(close_invalid_data, "text message ends inside a UTF-8 sequence");
    }
    return Event::message;
}

std::size_t write_frame_header(std::array<char, 14>& out, Opcode opcode, bool rsv1, std::uint64_t length,
                               const std::uint8_t* mask) {
    out[0] = static_cast<char>(0x80 | (rsv1 ? 0x40 : 0) | static_cast<std::uint8_t>(opcode));
    const char masked = mask ? static_cast<char>(0x80) : 0;
    std::size_t size = 2;
    if (length < 126) {
        out[1] = static_cast<char>(masked | static_cast<char>(length));
    } else if (length <= 0xFFFF) {
        out[1] = static_cast<char>(masked | 126);
        out[2] = static_cast<char>(length >> 8);
        out[3] = static_cast<char>(length);
        size = 4;
    } else {
        out[1] = static_cast<char>(masked | 127);
        for (int i = 0; i < 8; ++i) out[2 + i] = static_cast<char>(length >> (56 - 8 * i));
        size = 10;
    }
    if (mask) {
        std::memcpy(out.data() + size, mask, 4);
        size += 4;
    }
    return size;
}

void apply_mask(char* data, std::size_t size, const std::array<std::uint8_t, 4>& mask, std::size_t offset) {
    std::size_t i = 0;
    // Byte by byte up to a whole turn of the key, then eight bytes at a time.
    for (; i < size && ((offset + i) & 3) != 0; ++i) data[i] = static_cast<char>(data[i] ^ mask[(offset + i) & 3]);
    std::uint32_t key32;
    std::memcpy(&key32, mask.data(), 4);
    const std::uint64_t key64 = (static_cast<std::uint64_t>(key32) << 32) | key32;
    for (; i + 8 <= size; i += 8) {
        std::uint64_t word;
        std::memcpy(&word, data + i, 8);
        word ^= key64;
        std::memcpy(data + i, &word, 8);
    }
    for (; i < size; ++i) data[i] = static_cast<char>(data[i] ^ mask[(offset + i) & 3]);
}

std::string close_payload(std::optional<std::uint16_t> code, std::string_view reason) {
    std::string payload;
    if (!code) return payload;
    payload += static_cast<char>(*code >> 8);
    payload += static_cast<char>(*code & 0xFF);
    // Cut at a character boundary, so the reason stays valid UTF-8.
    std::size_t length = std::min<std::size_t>(reason.size(), 123);
    while (length < reason.size() && length > 0 && (static_cast<unsigned char>(reason[length]) & 0xC0) == 0x80) --length;
    payload.append(reason.substr(0, length));
    return payload;
}

MaskKeys::MaskKeys() {
    if (RAND_bytes(reinterpret_cast<unsigned char*>(state_.data()), sizeof(state_)) != 1) {
        throw std::runtime_error("RAND_bytes failed to seed the WebSocket masking keys");
    }
    if ((state_[0] | state_[1] | state_[2] | state_[3]) == 0) state_[0] = 1;  // xoshiro's one bad state
}

std::array<std::uint8_t, 4> MaskKeys::next() {
    std::uint32_t value;
    if (has_spare_) {
        value = static_cast<std::uint32_t>(spare_ >> 32);
    } else {
        auto rotl = [](std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); };
        spare_ = rotl(state_[1] * 5, 7) * 9;  // xoshiro256**
        const std::uint64_t t = state_[1] << 17;
        state_[2] ^= state_[0];
        state_[3] ^= state_[1];
        state_[1] ^= state_[2];
        state_[0] ^= state_[3];
        state_[2] ^= t;
        state_[3] = rotl(state_[3], 45);
        value = static_cast<std::uint32_t>(spare_);
    }
    has_spare_ = !has_spare_;
    std::array<std::uint8_t, 4> key;
    std::memcpy(key.data(), &value, 4);
    return key;
}

}  // namespace tornado::websocket::detail
