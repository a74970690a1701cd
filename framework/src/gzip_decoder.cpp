#include "gzip_decoder.hpp"

#include <zlib.h>

#include <stdexcept>

namespace tornado::httpclient::detail {

struct GzipDecoder::State {
    z_stream stream{};
    bool ended = false;  // the compressed stream is complete; anything after it is ignored
};

GzipDecoder::GzipDecoder() : state_(std::make_unique<State>()) {
    // windowBits 15 + 32: zlib detects a gzip or a zlib header.
    if (inflateInit2(&state_->stream, 15 + 32) != Z_OK) throw std::runtime_error("zlib: inflateInit2 failed");
}

GzipDecoder::~GzipDecoder() { inflateEnd(&state_->stream); }

std::string GzipDecoder::decompress(std::string_view input,
                                    const std::function<std::string(std::string_view)>& out) {
    auto& stream = state_->stream;
    stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(input.data()));
    stream.avail_in = static_cast<uInt>(input.size());
    char buffer[16 * 1024];
    while (!state_->ended && stream.avail_in > 0) {
        stream.next_out = reinterpret_cast<Bytef*>(buffer);
        stream.avail_out = sizeof buffer;
        int status = inflate(&stream, Z_NO_FLUSH);
        if (status != Z_OK && status != Z_STREAM_END && status != Z_BUF_ERROR) {
            return std::string("invalid gzip body: ") + (stream.msg ? stream.msg : "zlib error");
        }
        auto produced = sizeof buffer - stream.avail_out;
        if (produced > 0) {
            if (auto error = out(std::string_view(buffer, produced)); !error.empty()) return error;
        }
        if (status == Z_STREAM_END) state_->ended = true;
        else if (status == Z_BUF_ERROR && produced == 0) break;  // needs more input
    }
    return {};
}

}  // namespace tornado::httpclient::detail
