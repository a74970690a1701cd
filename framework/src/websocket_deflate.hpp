// permessage-deflate (RFC 7692): negotiating it in the handshake, and compressing and inflating
// whole messages on zlib's raw deflate. Private to the library; the WebSocket engine calls it.
#pragma once

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace tornado::websocket::detail {

// The agreed permessage-deflate parameters (RFC 7692 section 7.1).
struct DeflateParameters {
    bool server_no_context_takeover = false;
    bool client_no_context_takeover = false;
    int server_max_window_bits = 15;  // 8..15 as negotiated (zlib's raw deflate uses 9 for 8)
    int client_max_window_bits = 15;

    bool operator==(const DeflateParameters&) const = default;
};

// Server side: the client's Sec-WebSocket-Extensions header value(s), joined with ", ".
// Returns the parameters of the first acceptable permessage-deflate offer and the value to
// answer in Sec-WebSocket-Extensions, or nullopt when no offer is acceptable (then the
// connection runs uncompressed). An offer with an unknown, repeated or malformed parameter is
// not acceptable.
std::optional<std::pair<DeflateParameters, std::string>> accept_offer(std::string_view offers);

// Client side: the offer to send, and the check of the server's answer (throws
// std::invalid_argument with a clear message when the answer is not a valid response to the
// offer).
std::string client_offer();
DeflateParameters accept_response(std::string_view response);

// One side's compressor and decompressor for one connection. Each zlib stream is set up on
// first use, so a connection that never sends (or never receives) a message holds no zlib state.
class PerMessageDeflate {
public:
    // compression_level and mem_level as zlib's deflateInit2 takes them (CompressionOptions'
    // fields); throws std::invalid_argument when zlib would refuse them.
    PerMessageDeflate(const DeflateParameters& parameters, bool is_server, int compression_level, int mem_level);
    ~PerMessageDeflate();
    PerMessageDeflate(PerMessageDeflate&&) noexcept;
    PerMessageDeflate& operator=(PerMessageDeflate&&) noexcept;

    // Appends the compressed payload of one whole message to out (the trailing 00 00 ff ff
    // removed).
    void compress(std::string_view message, std::string& out);
    // Inflates one whole message's payload (all fragments concatenated, RSV1 set on the first)
    // appending to out. Returns false, with out's growth stopped at max_size, when the message
    // inflates beyond max_size bytes (the caller closes with 1009); throws std::runtime_error
    // on corrupt data (the caller closes with 1007).
    bool decompress(std::string_view payload, std::size_t max_size, std::string& out);

private:
    struct Streams;
    std::unique_ptr<Streams> streams_;
};

}  // namespace tornado::websocket::detail
