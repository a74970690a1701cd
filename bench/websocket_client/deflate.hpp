// permessage-deflate (RFC 7692) for the load client: the check of the server's answer to a plain
// "permessage-deflate" offer, and one connection's compressor and decompressor (zlib, raw deflate).
#pragma once

#include <zlib.h>

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace wsbench {

// What the server's answer asks of the client's compressor, which otherwise deflates with a
// 32 KiB window and keeps its context. The decompressor always inflates with a 32 KiB window and
// keeps its context, which is right whatever the server chose.
struct DeflateAgreement {
    bool client_no_context_takeover = false;
};

// The agreement in the server's Sec-WebSocket-Extensions value, or nullopt when it is not one
// permessage-deflate with unrepeated parameters among server_no_context_takeover,
// client_no_context_takeover and server_max_window_bits=8..15 (the only ones a server may
// answer to an offer without parameters).
std::optional<DeflateAgreement> parse_deflate_answer(std::string_view value);

class MessageDeflate {
public:
    explicit MessageDeflate(const DeflateAgreement& agreement);
    ~MessageDeflate();
    MessageDeflate(const MessageDeflate&) = delete;
    MessageDeflate& operator=(const MessageDeflate&) = delete;

    // Appends the compressed payload of one whole message to out, without the trailing 00 00 ff ff.
    void compress(std::string_view message, std::string& out);
    // Appends one whole message's inflated payload to out; false when the data is corrupt or
    // inflates beyond max_size bytes.
    bool decompress(std::string_view payload, std::size_t max_size, std::string& out);

private:
    bool inflate_some(std::string_view input, std::size_t limit, std::string& out);

    z_stream deflater_{};
    z_stream inflater_{};
    bool reset_each_message_;
};

}  // namespace wsbench
