#include "response_encoding.hpp"

#include "tornado/httputil.hpp"

#include <openssl/evp.h>
#include <zlib.h>

#include <stdexcept>

namespace tornado::web::detail {

Etag::Etag(std::string_view body) {
    // OpenSSL 3 looks an algorithm up on every EVP_sha1() digest; fetch it once and keep one
    // context per thread, since this runs for every GET response.
    static EVP_MD* const sha1 = EVP_MD_fetch(nullptr, "SHA1", nullptr);
    thread_local std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> context(EVP_MD_CTX_new(), &EVP_MD_CTX_free);
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    EVP_DigestInit_ex(context.get(), sha1, nullptr);
    EVP_DigestUpdate(context.get(), body.data(), body.size());
    EVP_DigestFinal_ex(context.get(), digest, &length);
    constexpr std::string_view hex_digits = "0123456789abcdef";
    text_.front() = '"';
    for (unsigned int i = 0; i < length && 2 * i + 2 < text_.size(); ++i) {
        text_[2 * i + 1] = hex_digits[digest[i] >> 4];
        text_[2 * i + 2] = hex_digits[digest[i] & 0xf];
    }
    text_.back() = '"';
}

bool etag_matches(std::string_view if_none_match, std::string_view etag) {
    auto strip_weak = [](std::string_view tag) {
        if (tag.starts_with("W/")) tag.remove_prefix(2);
        return tag;
    };
    etag = strip_weak(etag);
    while (!if_none_match.empty()) {
        auto comma = if_none_match.find(',');
        auto candidate = if_none_match.substr(0, comma);
        if_none_match = comma == std::string_view::npos ? std::string_view{} : if_none_match.substr(comma + 1);
        while (!candidate.empty() && (candidate.front() == ' ' || candidate.front() == '\t')) candidate.remove_prefix(1);
        while (!candidate.empty() && (candidate.back() == ' ' || candidate.back() == '\t')) candidate.remove_suffix(1);
        if (candidate == "*" || strip_weak(candidate) == etag) return true;
    }
    return false;
}

bool is_compressible_type(std::string_view content_type) {
    auto semicolon = content_type.find(';');
    auto type = content_type.substr(0, semicolon);
    return type.starts_with("text/") || type == "application/json" || type == "application/javascript" ||
           type == "application/xml" || type == "image/svg+xml" || type.ends_with("+json") || type.ends_with("+xml");
}

bool accepts_gzip(std::string_view accept_encoding) {
    // "gzip" listed without q=0; good enough for real clients, as in Tornado.
    auto at = accept_encoding.find("gzip");
    if (at == std::string_view::npos) return false;
    auto rest = accept_encoding.substr(at + 4, accept_encoding.find(',', at) - at - 4);
    return rest.find("q=0") == std::string_view::npos || rest.find("q=0.") != std::string_view::npos;
}

struct GzipStream::State {
    z_stream stream{};
};

GzipStream::GzipStream() : state_(std::make_unique<State>()) {
    // windowBits 15 + 16 asks zlib for the gzip wrapper; level 6 as Tornado.
    if (deflateInit2(&state_->stream, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
        throw std::runtime_error("zlib: deflateInit2 failed");
    }
}

GzipStream::~GzipStream() { deflateEnd(&state_->stream); }

std::string GzipStream::compress(std::string_view data, bool finishing) {
    auto& stream = state_->stream;
    std::string out;
    stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
    stream.avail_in = static_cast<uInt>(data.size());
    int flush = finishing ? Z_FINISH : Z_SYNC_FLUSH;
    char buffer[16 * 1024];
    do {
        stream.next_out = reinterpret_cast<Bytef*>(buffer);
        stream.avail_out = sizeof buffer;
        deflate(&stream, flush);
        out.append(buffer, sizeof buffer - stream.avail_out);
    } while (stream.avail_out == 0);
    return out;
}

}  // namespace tornado::web::detail
