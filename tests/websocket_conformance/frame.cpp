#include "frame.hpp"

#include <openssl/rand.h>

#include <array>
#include <cstring>
#include <stdexcept>

namespace conformance {

namespace {

// The largest echo a case expects is 16 MiB (9.1.6); a header announcing far more means garbage.
constexpr std::uint64_t max_frame_length = 256ull << 20;

void apply_mask(char* data, std::size_t size, const std::array<unsigned char, 4>& key) {
    // Eight octets at a time: category 9 masks hundreds of MiB per run.
    const std::array<unsigned char, 8> doubled = {key[0], key[1], key[2], key[3], key[0], key[1], key[2], key[3]};
    std::uint64_t wide_key = 0;
    std::memcpy(&wide_key, doubled.data(), 8);
    std::size_t i = 0;
    for (; i + 8 <= size; i += 8) {
        std::uint64_t word;
        std::memcpy(&word, data + i, 8);
        word ^= wide_key;
        std::memcpy(data + i, &word, 8);
    }
    for (; i < size; ++i) data[i] = static_cast<char>(data[i] ^ key[i % 4]);
}

// Masking keys from a pool filled by RAND_bytes, which costs more per call than per octet.
std::array<unsigned char, 4> next_mask_key() {
    static std::array<unsigned char, 4096> pool{};
    static std::size_t used = pool.size();
    if (used == pool.size()) {
        if (RAND_bytes(pool.data(), static_cast<int>(pool.size())) != 1) throw std::runtime_error("RAND_bytes failed");
        used = 0;
    }
    std::array<unsigned char, 4> key{};
    std::memcpy(key.data(), pool.data() + used, key.size());
    used += key.size();
    return key;
}

}  // namespace

std::string encode_frame(const FrameSpec& spec) {
    std::string out;
    out.reserve(spec.payload.size() + 14);
    out.push_back(static_cast<char>((spec.fin ? 0x80 : 0) | ((spec.rsv & 7) << 4) | (spec.opcode & 0x0f)));
    const std::uint8_t mask_bit = spec.masked ? 0x80 : 0;
    const std::uint64_t size = spec.payload.size();
    if (size <= 125) {
        out.push_back(static_cast<char>(mask_bit | size));
    } else if (size <= 0xffff) {
        out.push_back(static_cast<char>(mask_bit | 126));
        out.push_back(static_cast<char>(size >> 8));
        out.push_back(static_cast<char>(size & 0xff));
    } else {
        out.push_back(static_cast<char>(mask_bit | 127));
        for (int shift = 56; shift >= 0; shift -= 8) out.push_back(static_cast<char>((size >> shift) & 0xff));
    }
    if (!spec.masked) return out + spec.payload;
    const auto key = next_mask_key();
    out.append(reinterpret_cast<const char*>(key.data()), key.size());
    const std::size_t payload_start = out.size();
    out += spec.payload;
    apply_mask(out.data() + payload_start, spec.payload.size(), key);
    return out;
}

void FrameReader::append(const char* data, std::size_t size) {
    if (start_ > 0 && start_ >= buffer_.size() / 2) {
        buffer_.erase(0, start_);
        start_ = 0;
    }
    buffer_.append(data, size);
}

std::optional<ReceivedFrame> FrameReader::next() {
    const std::size_t available = buffer_.size() - start_;
    if (available < 2) return std::nullopt;
    const auto* bytes = reinterpret_cast<const unsigned char*>(buffer_.data() + start_);
    ReceivedFrame frame;
    frame.fin = (bytes[0] & 0x80) != 0;
    frame.rsv = (bytes[0] >> 4) & 7;
    frame.opcode = bytes[0] & 0x0f;
    frame.masked = (bytes[1] & 0x80) != 0;
    std::uint64_t length = bytes[1] & 0x7f;
    std::size_t header = 2;
    if (length >= 126) {
        const std::size_t extra = length == 126 ? 2 : 8;
        if (available < header + extra) return std::nullopt;
        length = 0;
        for (std::size_t i = 0; i < extra; ++i) length = (length << 8) | bytes[header + i];
        header += extra;
    }
    if (length > max_frame_length)
        throw std::runtime_error("server frame announces " + std::to_string(length) + " octets");
    std::array<unsigned char, 4> key{};
    if (frame.masked) {
        if (available < header + 4) return std::nullopt;
        for (std::size_t i = 0; i < 4; ++i) key[i] = bytes[header + i];
        header += 4;
    }
    if (available < header + length) return std::nullopt;
    frame.payload.assign(buffer_, start_ + header, length);
    if (frame.masked) apply_mask(frame.payload.data(), frame.payload.size(), key);
    start_ += header + length;
    return frame;
}

}  // namespace conformance
