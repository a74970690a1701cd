#include "deflate.hpp"

#include <array>
#include <charconv>
#include <stdexcept>

namespace conformance {

namespace {

std::string_view trim(std::string_view text) {
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
    return text;
}

std::vector<std::string_view> split(std::string_view text, char separator) {
    std::vector<std::string_view> parts;
    while (true) {
        const auto at = text.find(separator);
        parts.push_back(trim(text.substr(0, at)));
        if (at == std::string_view::npos) return parts;
        text.remove_prefix(at + 1);
    }
}

int window_bits_value(std::string_view name, std::string_view value) {
    if (value.size() >= 2 && value.front() == '"' && value.back() == '"') value = value.substr(1, value.size() - 2);
    int bits = 0;
    const auto [end, error] = std::from_chars(value.data(), value.data() + value.size(), bits);
    if (value.empty() || error != std::errc() || end != value.data() + value.size() || bits < 8 || bits > 15)
        throw std::runtime_error(std::string(name) + "=" + std::string(value) + " is not a window size 8..15");
    return bits;
}

// Does the agreement accept this offer (section 7.1.1.1, 7.1.2.1)? `lenient`: as if the offer had
// not asked for server_no_context_takeover.
bool accepts(const DeflateAgreement& agreement, bool has_server_window, const DeflateOffer& offer, bool lenient) {
    if (offer.server_no_context_takeover && !agreement.server_no_context_takeover && !lenient) return false;
    if (offer.server_max_window_bits)
        return has_server_window && agreement.server_max_window_bits <= *offer.server_max_window_bits;
    return !has_server_window;  // the server may not limit its window unasked
}

// zlib's raw deflate cannot use a window of 2^8; 2^9 is what it writes instead.
int zlib_window(int bits) { return bits < 9 ? 9 : bits; }

}  // namespace

std::string offer_header(const std::vector<DeflateOffer>& offers) {
    std::string header;
    for (const auto& offer : offers) {
        if (!header.empty()) header += ", ";
        header += "permessage-deflate";
        if (offer.server_no_context_takeover) header += "; server_no_context_takeover";
        if (offer.server_max_window_bits) header += "; server_max_window_bits=" + std::to_string(*offer.server_max_window_bits);
        header += "; client_no_context_takeover; client_max_window_bits";
    }
    return header;
}

std::optional<CheckedAnswer> check_answer(std::string_view answer, const std::vector<DeflateOffer>& offers) {
    if (trim(answer).empty()) return std::nullopt;
    const auto extensions = split(answer, ',');
    if (extensions.size() != 1) throw std::runtime_error("the server accepted more than one extension: " + std::string(answer));
    const auto parameters = split(extensions.front(), ';');
    if (parameters.front() != "permessage-deflate")
        throw std::runtime_error("the server answered an extension it was not offered: " + std::string(parameters.front()));
    DeflateAgreement agreement;
    bool has_server_window = false;
    std::vector<std::string_view> seen;
    for (std::size_t i = 1; i < parameters.size(); ++i) {
        const auto equals = parameters[i].find('=');
        const std::string_view name = trim(parameters[i].substr(0, equals));
        const bool has_value = equals != std::string_view::npos;
        const std::string_view value = has_value ? trim(parameters[i].substr(equals + 1)) : std::string_view{};
        for (const auto previous : seen)
            if (previous == name) throw std::runtime_error("parameter " + std::string(name) + " appears twice");
        seen.push_back(name);
        if (name == "server_no_context_takeover" || name == "client_no_context_takeover") {
            if (has_value) throw std::runtime_error(std::string(name) + " must have no value");
            (name == "server_no_context_takeover" ? agreement.server_no_context_takeover
                                                  : agreement.client_no_context_takeover) = true;
        } else if (name == "server_max_window_bits") {
            agreement.server_max_window_bits = window_bits_value(name, value);
            has_server_window = true;
        } else if (name == "client_max_window_bits") {
            // Offered without a value; the answer must then carry one (section 7.1.2.2).
            if (!has_value) throw std::runtime_error("client_max_window_bits in an answer needs a value");
            agreement.client_max_window_bits = window_bits_value(name, value);
        } else {
            throw std::runtime_error("unknown permessage-deflate parameter " + std::string(name));
        }
    }
    for (const auto& offer : offers)
        if (accepts(agreement, has_server_window, offer, false)) return CheckedAnswer{agreement, {}};
    // Section 7.1.1.1: accepting an offer with server_no_context_takeover means answering it.
    for (const auto& offer : offers)
        if (accepts(agreement, has_server_window, offer, true))
            return CheckedAnswer{agreement, "the answer \"" + std::string(answer) +
                                                "\" leaves out the server_no_context_takeover the offer asked for"};
    throw std::runtime_error("the answer \"" + std::string(answer) + "\" accepts none of the offers");
}

MessageDeflater::MessageDeflater(int window_bits, bool no_context_takeover) : no_context_takeover_(no_context_takeover) {
    // The fastest level: how well the client compresses is its own affair, and zlib's time is most
    // of a run of 12 and 13.
    if (deflateInit2(&stream_, Z_BEST_SPEED, Z_DEFLATED, -zlib_window(window_bits), 8, Z_DEFAULT_STRATEGY) != Z_OK)
        throw std::runtime_error("deflateInit2 failed");
}

MessageDeflater::~MessageDeflater() { deflateEnd(&stream_); }

std::string MessageDeflater::compress(std::string_view message) {
    if (no_context_takeover_) deflateReset(&stream_);
    std::string out;
    std::array<unsigned char, 64 * 1024> chunk{};
    stream_.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(message.data()));
    stream_.avail_in = static_cast<uInt>(message.size());
    do {
        stream_.next_out = chunk.data();
        stream_.avail_out = chunk.size();
        deflate(&stream_, Z_SYNC_FLUSH);
        out.append(reinterpret_cast<const char*>(chunk.data()), chunk.size() - stream_.avail_out);
    } while (stream_.avail_out == 0);
    if (out.size() >= 4 && out.compare(out.size() - 4, 4, std::string_view("\0\0\xff\xff", 4)) == 0) out.resize(out.size() - 4);
    return out;
}

MessageInflater::MessageInflater(int window_bits, bool no_context_takeover) : no_context_takeover_(no_context_takeover) {
    if (inflateInit2(&stream_, -zlib_window(window_bits)) != Z_OK) throw std::runtime_error("inflateInit2 failed");
}

MessageInflater::~MessageInflater() { inflateEnd(&stream_); }

std::string MessageInflater::inflate(std::string_view payload, std::size_t max_size) {
    if (no_context_takeover_) inflateReset(&stream_);
    std::string input(payload);
    input.append("\0\0\xff\xff", 4);
    stream_.next_in = reinterpret_cast<Bytef*>(input.data());
    stream_.avail_in = static_cast<uInt>(input.size());
    std::string out;
    std::array<unsigned char, 64 * 1024> chunk{};
    do {
        stream_.next_out = chunk.data();
        stream_.avail_out = chunk.size();
        const int status = ::inflate(&stream_, Z_SYNC_FLUSH);
        if (status != Z_OK && status != Z_BUF_ERROR && status != Z_STREAM_END)
            throw std::runtime_error(std::string("corrupt compressed message: ") + (stream_.msg ? stream_.msg : "zlib error"));
        out.append(reinterpret_cast<const char*>(chunk.data()), chunk.size() - stream_.avail_out);
        if (out.size() > max_size) throw std::runtime_error("compressed message inflates beyond " + std::to_string(max_size) + " octets");
        if (status == Z_STREAM_END) {  // a final block ends the stream; the next message starts a new one
            inflateReset(&stream_);
            break;
        }
        if (status == Z_BUF_ERROR) break;  // nothing more to do with this input
    } while (stream_.avail_in > 0 || stream_.avail_out == 0);
    return out;
}

}  // namespace conformance
