// permessage-deflate's compressor and decompressor (RFC 7692 section 7.2) on zlib's raw deflate.
#include "websocket_deflate.hpp"

#include <zlib.h>

#include <algorithm>
#include <new>
#include <stdexcept>
#include <string>

namespace tornado::websocket::detail {

namespace {

// A message's compressed payload is the deflate data up to a sync flush, whose empty stored
// block ends in these four bytes; the sender removes them and the receiver puts them back.
constexpr unsigned char flush_marker[] = {0x00, 0x00, 0xff, 0xff};
constexpr std::size_t inflate_chunk = 16 * 1024;
constexpr std::size_t deflate_chunk = 64 * 1024;
// zlib counts its input and output in uInt; longer inputs go in pieces of this size.
constexpr std::size_t largest_piece = 1u << 30;

Bytef* bytes(const char* data) { return reinterpret_cast<Bytef*>(const_cast<char*>(data)); }

// The windowBits for deflateInit2 when the peer allows a window of 2^negotiated bytes. zlib
// (since 1.2.9) refuses 8 for raw deflate, so 8 becomes 9: that stays within what the peer's
// 256-byte window can decode, as zlib's deflate never refers further back than its window
// less 262 bytes of lookahead (250 bytes for a 512-byte window).
int deflate_window_bits(int negotiated) { return -std::max(negotiated, 9); }

void check_zlib_options(int compression_level, int mem_level) {
    if (compression_level < Z_DEFAULT_COMPRESSION || compression_level > Z_BEST_COMPRESSION) {
        throw std::invalid_argument("compression_level " + std::to_string(compression_level) +
                                    " is not a zlib level (-1 to 9)");
    }
    if (mem_level < 1 || mem_level > MAX_MEM_LEVEL) {
        throw std::invalid_argument("mem_level " + std::to_string(mem_level) + " is not a zlib mem_level (1 to 9)");
    }
}

}  // namespace

struct PerMessageDeflate::Streams {
    // This side compresses with its own parameters and inflates with the peer's.
    bool compress_no_context_takeover;
    int compress_window_bits;
    bool inflate_no_context_takeover;
    int inflate_window_bits;
    int compression_level;
    int mem_level;

    z_stream deflater{};
    z_stream inflater{};
    bool deflater_ready = false;
    bool inflater_ready = false;

    Streams(const DeflateParameters& parameters, bool is_server, int compression_level, int mem_level)
        : compress_no_context_takeover(is_server ? parameters.server_no_context_takeover
                                                 : parameters.client_no_context_takeover),
          compress_window_bits(is_server ? parameters.server_max_window_bits : parameters.client_max_window_bits),
          inflate_no_context_takeover(is_server ? parameters.client_no_context_takeover
                                                : parameters.server_no_context_takeover),
          inflate_window_bits(is_server ? parameters.client_max_window_bits : parameters.server_max_window_bits),
          compression_level(compression_level),
          mem_level(mem_level) {}
    Streams(const Streams&) = delete;
    Streams& operator=(const Streams&) = delete;

    ~Streams() {
        if (deflater_ready) deflateEnd(&deflater);
        if (inflater_ready) inflateEnd(&inflater);
    }

    z_stream& deflate_stream() {
        if (!deflater_ready) {
            int status = deflateInit2(&deflater, compression_level, Z_DEFLATED,
                                      deflate_window_bits(compress_window_bits), mem_level, Z_DEFAULT_STRATEGY);
            if (status == Z_MEM_ERROR) throw std::bad_alloc();
            if (status != Z_OK) throw std::runtime_error("zlib: deflateInit2 failed");
            deflater_ready = true;
        }
        return deflater;
    }

    z_stream& inflate_stream() {
        if (!inflater_ready) {
            // inflate, unlike deflate, takes a raw window of 8 bits.
            int status = inflateInit2(&inflater, -inflate_window_bits);
            if (status == Z_MEM_ERROR) throw std::bad_alloc();
            if (status != Z_OK) throw std::runtime_error("zlib: inflateInit2 failed");
            inflater_ready = true;
        }
        return inflater;
    }

    enum class Inflated { all_input_used, over_limit, final_block };

    // Inflates input into out in chunks of at most 16 KiB while out's growth for this message
    // (produced) stays within max_size; the chunk that would cross it is cut at max_size.
    Inflated inflate_piece(std::string_view input, std::size_t max_size, std::size_t& produced, std::string& out) {
        inflater.next_in = bytes(input.data());
        inflater.avail_in = static_cast<uInt>(input.size());
        for (;;) {
            char chunk[inflate_chunk];
            // One byte past the limit is enough to know that the message goes beyond it.
            std::size_t allowed = max_size - produced;
            auto room = static_cast<uInt>(allowed < inflate_chunk ? allowed + 1 : inflate_chunk);
            inflater.next_out = reinterpret_cast<Bytef*>(chunk);
            inflater.avail_out = room;
            int status = inflate(&inflater, Z_SYNC_FLUSH);
            if (status == Z_MEM_ERROR) throw std::bad_alloc();
            if (status != Z_OK && status != Z_STREAM_END && status != Z_BUF_ERROR) {
                throw std::runtime_error(std::string("invalid compressed data: ") +
                                         (inflater.msg ? inflater.msg : "zlib error"));
            }
            std::size_t inflated = room - inflater.avail_out;
            if (inflated > allowed) {
                out.append(chunk, allowed);
                produced = max_size;
                return Inflated::over_limit;
            }
            out.append(chunk, inflated);
            produced += inflated;
            if (status == Z_STREAM_END) return Inflated::final_block;
            // inflate returns when it has used all its input or filled the chunk; more output
            // may follow a full chunk.
            if (inflater.avail_out > 0) return Inflated::all_input_used;
        }
    }

    // A block with BFINAL set ends zlib's stream, but RFC 7692 (7.2.3.4) lets a sender flush
    // that way and the next blocks follow: a fresh stream goes on with the same window.
    void restart_inflater() {
        unsigned char window[1u << 15];
        uInt length = sizeof window;
        inflateGetDictionary(&inflater, window, &length);
        inflateReset(&inflater);
        inflateSetDictionary(&inflater, window, length);
    }
};

PerMessageDeflate::PerMessageDeflate(const DeflateParameters& parameters, bool is_server, int compression_level,
                                     int mem_level) {
    check_zlib_options(compression_level, mem_level);
    streams_ = std::make_unique<Streams>(parameters, is_server, compression_level, mem_level);
}

PerMessageDeflate::~PerMessageDeflate() = default;
PerMessageDeflate::PerMessageDeflate(PerMessageDeflate&&) noexcept = default;
PerMessageDeflate& PerMessageDeflate::operator=(PerMessageDeflate&&) noexcept = default;

void PerMessageDeflate::compress(std::string_view message, std::string& out) {
    // Every message ends in a sync flush, so the stream is at a byte boundary here and an empty
    // stored block is 00 00 00 ff ff: one byte once the marker is removed. (zlib would give
    // nothing at all for a second flush in a row.)
    if (message.empty()) {
        out += '\0';
        return;
    }
    z_stream& stream = streams_->deflate_stream();
    std::size_t used = out.size();
    while (!message.empty()) {
        auto piece = message.substr(0, largest_piece);
        message.remove_prefix(piece.size());
        stream.next_in = bytes(piece.data());
        stream.avail_in = static_cast<uInt>(piece.size());
        int flush = message.empty() ? Z_SYNC_FLUSH : Z_NO_FLUSH;
        // deflate has used all its input and finished the flush once it leaves output room free.
        do {
            // At least 64 bytes: a sync flush that fills the output exactly is called again and
            // writes another flush marker every time (zlib.h: keep avail_out above six), which
            // with a small window's small bound never ended.
            std::size_t room = std::clamp<std::size_t>(deflateBound(&stream, stream.avail_in), 64, deflate_chunk);
            out.resize(used + room);
            stream.next_out = reinterpret_cast<Bytef*>(out.data() + used);
            stream.avail_out = static_cast<uInt>(room);
            deflate(&stream, flush);  // Z_OK, or Z_BUF_ERROR when there was nothing left to do
            used += room - stream.avail_out;
        } while (stream.avail_out == 0);
    }
    out.resize(used - sizeof flush_marker);
    if (streams_->compress_no_context_takeover) deflateReset(&stream);
}

bool PerMessageDeflate::decompress(std::string_view payload, std::size_t max_size, std::string& out) {
    z_stream& stream = streams_->inflate_stream();
    if (streams_->inflate_no_context_takeover) inflateReset(&stream);
    using Inflated = Streams::Inflated;
    std::size_t produced = 0;
    int final_blocks = 0;
    bool ended_with_final_block = false;
    // Inflates input; false when the message goes beyond max_size.
    auto inflate_all = [&](std::string_view input, bool is_marker) {
        while (!input.empty()) {
            auto piece = input.substr(0, largest_piece);
            auto result = streams_->inflate_piece(piece, max_size, produced, out);
            if (result == Inflated::over_limit) return false;
            input.remove_prefix(piece.size() - stream.avail_in);
            ended_with_final_block = result == Inflated::final_block;
            if (ended_with_final_block) {
                // Each restart copies the window: one per message keeps that work bounded.
                if (++final_blocks > 1) {
                    throw std::runtime_error("invalid compressed data: two final blocks in one message");
                }
                streams_->restart_inflater();
                if (is_marker) break;  // the marker's rest belongs to no block of the sender's
            }
        }
        return true;
    };
    if (!inflate_all(payload, false)) return false;
    // A payload that ends with its final block has no marker to put back: its sender flushed
    // with BFINAL set instead of a sync flush.
    if (ended_with_final_block) return true;
    return inflate_all(std::string_view(reinterpret_cast<const char*>(flush_marker), sizeof flush_marker), true);
}

}  // namespace tornado::websocket::detail
