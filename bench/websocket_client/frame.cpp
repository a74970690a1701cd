#include "frame.hpp"

namespace wsbench {

void append_client_frame(Opcode opcode, std::string_view payload, bool compressed, const Mask& mask, std::string& out) {
    out.push_back(static_cast<char>(0x80 | (compressed ? 0x40 : 0) | static_cast<std::uint8_t>(opcode)));
    const std::uint64_t length = payload.size();
    if (length < 126) {
        out.push_back(static_cast<char>(0x80 | length));
    } else if (length <= 0xFFFF) {
        out.push_back(static_cast<char>(0x80 | 126));
        for (int shift = 8; shift >= 0; shift -= 8) out.push_back(static_cast<char>((length >> shift) & 0xFF));
    } else {
        out.push_back(static_cast<char>(0x80 | 127));
        for (int shift = 56; shift >= 0; shift -= 8) out.push_back(static_cast<char>((length >> shift) & 0xFF));
    }
    out.append(reinterpret_cast<const char*>(mask.data()), mask.size());
    const std::size_t start = out.size();
    out.append(payload);
    for (std::size_t i = 0; i < payload.size(); ++i) out[start + i] = static_cast<char>(out[start + i] ^ mask[i % 4]);
}

ParsedFrame parse_server_frame(std::string_view data, std::size_t max_payload) {
    if (data.size() < 2) return {};
    const auto first = static_cast<std::uint8_t>(data[0]);
    const auto second = static_cast<std::uint8_t>(data[1]);
    if ((first & 0x30) != 0 || (second & 0x80) != 0) return {.status = ParseStatus::invalid};
    std::size_t header = 2;
    std::uint64_t length = second & 0x7F;
    if (length >= 126) {
        const std::size_t extended = length == 126 ? 2 : 8;
        if (data.size() < header + extended) return {};
        length = 0;
        for (std::size_t i = 0; i < extended; ++i) length = (length << 8) | static_cast<std::uint8_t>(data[header + i]);
        header += extended;
    }
    if (length > max_payload) return {.status = ParseStatus::invalid};
    if (data.size() - header < length) return {};
    Frame frame{.fin = (first & 0x80) != 0,
                .compressed = (first & 0x40) != 0,
                .opcode = static_cast<Opcode>(first & 0x0F),
                .payload = data.substr(header, static_cast<std::size_t>(length))};
    return {.status = ParseStatus::complete, .frame = frame, .size = header + static_cast<std::size_t>(length)};
}

}  // namespace wsbench
