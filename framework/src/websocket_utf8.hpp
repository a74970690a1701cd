// Streaming UTF-8 validation for WebSocket text messages: bytes arrive in pieces (fragments, reads)
// and a sequence may be split anywhere, so the state between pieces is kept. Private.
#pragma once

#include <cstdint>
#include <cstring>
#include <string_view>

namespace tornado::websocket::detail {

class Utf8Validator {
public:
    // Checks the next bytes; false as soon as they cannot continue well-formed UTF-8 (RFC 3629:
    // no overlong forms, no surrogates, nothing past U+10FFFF). Once false, stays false.
    bool feed(std::string_view bytes) {
        if (failed_) return false;
        const auto* data = reinterpret_cast<const unsigned char*>(bytes.data());
        std::size_t size = bytes.size();
        std::size_t i = 0;
        while (i < size) {
            if (needed_ == 0) {
                // Plain ASCII eight bytes at a time, the common case.
                while (i + 8 <= size) {
                    std::uint64_t word;
                    std::memcpy(&word, data + i, 8);
                    if (word & 0x8080808080808080ULL) break;
                    i += 8;
                }
                if (i == size) break;
                if (!start(data[i++])) return fail();
            } else {
                unsigned char byte = data[i++];
                if (byte < lower_ || byte > upper_) return fail();
                lower_ = 0x80, upper_ = 0xBF;
                --needed_;
            }
        }
        return true;
    }
    // True when the bytes so far end on a whole character.
    bool complete() const { return !failed_ && needed_ == 0; }
    void reset() { needed_ = 0, lower_ = 0x80, upper_ = 0xBF, failed_ = false; }

private:
    // A byte where a character starts: sets how many continuation bytes follow and the range
    // of the first (narrower after E0, ED, F0 and F4, which would otherwise allow overlong forms,
    // surrogates or code points past U+10FFFF).
    bool start(unsigned char byte) {
        if (byte < 0x80) return true;
        if (byte >= 0xC2 && byte <= 0xDF) return needed_ = 1, true;
        if (byte >= 0xE0 && byte <= 0xEF) {
            needed_ = 2;
            if (byte == 0xE0) lower_ = 0xA0;
            if (byte == 0xED) upper_ = 0x9F;
            return true;
        }
        if (byte >= 0xF0 && byte <= 0xF4) {
            needed_ = 3;
            if (byte == 0xF0) lower_ = 0x90;
            if (byte == 0xF4) upper_ = 0x8F;
            return true;
        }
        return false;
    }
    bool fail() { return failed_ = true, false; }

    std::uint8_t needed_ = 0;  // continuation bytes still expected
    unsigned char lower_ = 0x80, upper_ = 0xBF;  // the range of the next continuation byte
    bool failed_ = false;
};

}  // namespace tornado::websocket::detail
