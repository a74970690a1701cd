#include "connection.hpp"

#include <openssl/evp.h>
#include <openssl/rand.h>
#include <openssl/sha.h>
#include <poll.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <stdexcept>

namespace conformance {

namespace {

constexpr auto handshake_timeout = std::chrono::seconds(5);

std::string base64(const unsigned char* data, std::size_t size) {
    std::string out(4 * ((size + 2) / 3), '\0');
    EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()), data, static_cast<int>(size));
    return out;
}

// Sec-WebSocket-Accept for a key (RFC 6455 section 4.2.2, step 5.4).
std::string expected_accept(const std::string& key) {
    const std::string input = key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
    std::array<unsigned char, SHA_DIGEST_LENGTH> digest{};
    SHA1(reinterpret_cast<const unsigned char*>(input.data()), input.size(), digest.data());
    return base64(digest.data(), digest.size());
}

std::string lower(std::string_view text) {
    std::string out(text);
    std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::tolower(c); });
    return out;
}

std::string_view trim(std::string_view text) {
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
    return text;
}

}  // namespace

Url parse_url(std::string_view url) {
    constexpr std::string_view scheme = "ws://";
    if (url.substr(0, scheme.size()) != scheme) throw std::invalid_argument("the URL must start with ws://");
    url.remove_prefix(scheme.size());
    const auto slash = url.find('/');
    const std::string_view authority = url.substr(0, slash);
    Url out;
    out.path = slash == std::string_view::npos ? "/" : std::string(url.substr(slash));
    const auto colon = authority.rfind(':');
    out.host = std::string(authority.substr(0, colon));
    out.port = colon == std::string_view::npos ? "80" : std::string(authority.substr(colon + 1));
    if (out.host.empty() || out.port.empty()) throw std::invalid_argument("the URL has no host or port");
    return out;
}

Connection::Connection(asio::io_context& io, const Url& url, const std::string& extension_offer) : socket_(io) {
    asio::ip::tcp::resolver resolver(io);
    std::error_code error;
    const auto endpoints = resolver.resolve(url.host, url.port, error);
    if (!error) asio::connect(socket_, endpoints, error);
    if (error) throw std::runtime_error("cannot connect to " + url.host + ":" + url.port + ": " + error.message());
    socket_.set_option(asio::ip::tcp::no_delay(true));

    std::array<unsigned char, 16> nonce{};
    RAND_bytes(nonce.data(), static_cast<int>(nonce.size()));
    const std::string key = base64(nonce.data(), nonce.size());
    std::string request = "GET " + url.path + " HTTP/1.1\r\nHost: " + url.host + ":" + url.port +
                          "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: " + key +
                          "\r\nSec-WebSocket-Version: 13\r\n";
    if (!extension_offer.empty()) request += "Sec-WebSocket-Extensions: " + extension_offer + "\r\n";
    request += "\r\n";
    if (!write(request)) throw std::runtime_error("the server closed the connection during the handshake");

    std::string response;
    std::array<char, 4096> chunk{};
    const auto deadline = Clock::now() + handshake_timeout;
    std::size_t header_end = std::string::npos;
    while ((header_end = response.find("\r\n\r\n")) == std::string::npos) {
        if (response.size() > 64 * 1024) throw std::runtime_error("handshake response headers exceed 64 KiB");
        const int wait = static_cast<int>(
            std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count());
        pollfd descriptor{socket_.native_handle(), POLLIN, 0};
        if (wait <= 0 || ::poll(&descriptor, 1, wait) <= 0) throw std::runtime_error("no handshake response within 5 s");
        const std::size_t got = socket_.read_some(asio::buffer(chunk), error);
        if (error) throw std::runtime_error("connection closed during the handshake: " + error.message());
        response.append(chunk.data(), got);
    }
    frames_.append(response.data() + header_end + 4, response.size() - header_end - 4);
    response.resize(header_end + 2);

    std::string_view rest = response;
    const auto first_line_end = rest.find("\r\n");
    const std::string_view status = rest.substr(0, first_line_end);
    if (status.substr(0, 12) != "HTTP/1.1 101")
        throw std::runtime_error("handshake answered \"" + std::string(status) + "\", not 101");
    rest.remove_prefix(first_line_end + 2);
    bool upgrade = false, connection_upgrade = false;
    std::string accept;
    while (!rest.empty()) {
        const auto line_end = rest.find("\r\n");
        const std::string_view line = rest.substr(0, line_end);
        rest.remove_prefix(line_end + 2);
        const auto colon = line.find(':');
        if (colon == std::string_view::npos) continue;
        const std::string name = lower(trim(line.substr(0, colon)));
        const std::string_view value = trim(line.substr(colon + 1));
        if (name == "upgrade") upgrade = lower(value) == "websocket";
        if (name == "connection") connection_upgrade = lower(value).find("upgrade") != std::string::npos;
        if (name == "sec-websocket-accept") accept = value;
        if (name == "sec-websocket-extensions")
            extensions_ += (extensions_.empty() ? "" : ", ") + std::string(value);
    }
    if (!upgrade || !connection_upgrade) throw std::runtime_error("handshake response lacks Upgrade: websocket / Connection: Upgrade");
    if (accept != expected_accept(key)) throw std::runtime_error("wrong Sec-WebSocket-Accept \"" + accept + "\"");
}

bool Connection::write(std::string_view bytes, std::size_t chop) {
    const std::size_t piece = chop == 0 ? bytes.size() : chop;
    for (std::size_t offset = 0; offset < bytes.size(); offset += piece) {
        std::error_code error;
        asio::write(socket_, asio::buffer(bytes.substr(offset, piece)), error);
        if (error) return false;
    }
    return true;
}

Connection::ReadResult Connection::read(Clock::time_point deadline) {
    const auto wait = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
    pollfd descriptor{socket_.native_handle(), POLLIN, 0};
    if (wait < 0 || ::poll(&descriptor, 1, static_cast<int>(std::max<long long>(wait, 0))) <= 0)
        return ReadResult::timeout;
    std::array<char, 64 * 1024> chunk{};
    std::error_code error;
    const std::size_t got = socket_.read_some(asio::buffer(chunk), error);
    if (error) return ReadResult::eof;  // EOF or reset: the server is gone either way
    frames_.append(chunk.data(), got);
    return ReadResult::data;
}

void Connection::drop() {
    std::error_code ignored;
    socket_.close(ignored);
}

}  // namespace conformance
