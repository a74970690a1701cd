#include "deflate.hpp"

#include <charconv>
#include <stdexcept>

namespace wsbench {

namespace {

std::string_view trim(std::string_view text) {
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
    return text;
}

// 8..15, or nullopt.
std::optional<int> window_bits(std::string_view value) {
    if (value.size() >= 2 && value.front() == '"' && value.back() == '"') value = value.substr(1, value.size() - 2);
    int bits = 0;
    auto [end, error] = std::from_chars(value.data(), value.data() + value.size(), bits);
    if (error != std::errc() || end != value.data() + value.size() || bits < 8 || bits > 15) return std::nullopt;
    return bits;
}

// The deflate stream's end of a sync flush, which permessage-deflate leaves off every message.
constexpr std::string_view sync_flush_tail("\x00\x00\xff\xff", 4);

}  // namespace

std::optional<DeflateAgreement> parse_deflate_answer(std::string_view value) {
    if (value.find(',') != std::string_view::npos) return std::nullopt;  // one extension was offered
    DeflateAgreement agreement;
    bool seen[3] = {};
    std::size_t semicolon = value.find(';');
    if (trim(value.substr(0, semicolon)) != "permessage-deflate") return std::nullopt;
    while (semicolon != std::string_view::npos) {
        value.remove_prefix(semicolon + 1);
        semicolon = value.find(';');
        const std::string_view parameter = trim(value.substr(0, semicolon));
        const std::size_t equals = parameter.find('=');
        const std::string_view name = trim(parameter.substr(0, equals));
        const std::optional<std::string_view> argument =
            equals == std::string_view::npos ? std::nullopt : std::optional(trim(parameter.substr(equals + 1)));
        int index = 0;
        if (name == "server_no_context_takeover" && !argument) {
            index = 0;
        } else if (name == "client_no_context_takeover" && !argument) {
            index = 1;
            agreement.client_no_context_takeover = true;
        } else if (name == "server_max_window_bits" && argument && window_bits(*argument)) {
            index = 2;
        } else {  // client_max_window_bits too: not offered, so the server must not send it (RFC 7692 7.1.2.2)
            return std::nullopt;
        }
        if (seen[index]) return std::nullopt;
        seen[index] = true;
    }
    return agreement;
}

MessageDeflate::MessageDeflate(const DeflateAgreement& agreement)
    : reset_each_message_(agreement.client_no_context_takeover) {
    if (deflateInit2(&deflater_, Z_DEFAULT_COMPRESSION, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
        throw std::runtime_error("deflateInit2 failed");
    }
    if (inflateInit2(&inflater_, -15) != Z_OK) {
        deflateEnd(&deflater_);
        throw std::runtime_error("inflateInit2 failed");
    }
}

MessageDeflate::~MessageDeflate() {
    deflateEnd(&deflater_);
    inflateEnd(&inflater_);
}

void MessageDeflate::compress(std::string_view message, std::string& out) {
    if (reset_each_message_) deflateReset(&deflater_);
    const std::size_t start = out.size();
    deflater_.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(message.data()));
    deflater_.avail_in = static_cast<uInt>(message.size());
    do {
        const std::size_t used = out.size();
        const std::size_t room = message.size() / 2 + 64;
        out.resize(used + room);
        deflater_.next_out = reinterpret_cast<Bytef*>(out.data() + used);
        deflater_.avail_out = static_cast<uInt>(room);
        deflate(&deflater_, Z_SYNC_FLUSH);
        out.resize(used + room - deflater_.avail_out);
    } while (deflater_.avail_out == 0);
    if (std::string_view(out).substr(start).ends_with(sync_flush_tail)) out.resize(out.size() - sync_flush_tail.size());
}

bool MessageDeflate::decompress(std::string_view payload, std::size_t max_size, std::string& out) {
    const std::size_t limit = out.size() + max_size;
    return inflate_some(payload, limit, out) && inflate_some(sync_flush_tail, limit, out);
}

// Inflates all of input, appending to out; false on corrupt data or once out grows past limit.
bool MessageDeflate::inflate_some(std::string_view input, std::size_t limit, std::string& out) {
    inflater_.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(input.data()));
    inflater_.avail_in = static_cast<uInt>(input.size());
    do {
        constexpr std::size_t chunk = 4096;
        const std::size_t used = out.size();
        out.resize(used + chunk);
        inflater_.next_out = reinterpret_cast<Bytef*>(out.data() + used);
        inflater_.avail_out = chunk;
        const int result = inflate(&inflater_, Z_SYNC_FLUSH);
        out.resize(used + chunk - inflater_.avail_out);
        if (result == Z_STREAM_END) {
            inflateReset(&inflater_);  // a final block ends this stream; the next message starts another
        } else if (result != Z_OK && result != Z_BUF_ERROR) {
            return false;
        }
        if (out.size() > limit) return false;
        if (result == Z_BUF_ERROR) break;  // nothing more to do with this input
    } while (inflater_.avail_in > 0 || inflater_.avail_out == 0);
    return true;
}

}  // namespace wsbench
