#include "connection.hpp"

#include "handshake.hpp"

#include <asio/experimental/as_tuple.hpp>
#include <netinet/in.h>
#include <openssl/rand.h>

#include <array>
#include <charconv>
#include <stdexcept>

namespace wsbench {

namespace {

constexpr auto use_tuple = asio::experimental::as_tuple(asio::use_awaitable);
// The largest message the client takes in, compressed or inflated: far above what the
// benchmarks send, and a bound on what a broken length field can make it allocate.
constexpr std::size_t max_message_size = 16 * 1024 * 1024;
constexpr std::size_t read_chunk = 2048;

// Masks from OpenSSL's generator, drawn a few thousand at a time: a mask per frame without a
// call per frame (the client is single-threaded).
Mask next_mask() {
    static std::array<std::uint8_t, 16384> pool;
    static std::size_t next = pool.size();
    if (next == pool.size()) {
        if (RAND_bytes(pool.data(), static_cast<int>(pool.size())) != 1) throw std::runtime_error("RAND_bytes failed");
        next = 0;
    }
    Mask mask{pool[next], pool[next + 1], pool[next + 2], pool[next + 3]};
    next += mask.size();
    return mask;
}

}  // namespace

std::optional<Target> parse_target(std::string_view url) {
    constexpr std::string_view scheme = "ws://";
    if (!url.starts_with(scheme)) return std::nullopt;
    url.remove_prefix(scheme.size());
    const std::size_t slash = url.find('/');
    const std::string_view authority = url.substr(0, slash);
    const std::string_view path = slash == std::string_view::npos ? "/" : url.substr(slash);
    const std::size_t colon = authority.find(':');
    const std::string host(authority.substr(0, colon));
    unsigned port = 80;
    if (colon != std::string_view::npos) {
        const std::string_view digits = authority.substr(colon + 1);
        auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), port);
        if (error != std::errc() || end != digits.data() + digits.size() || port == 0 || port > 65535) return std::nullopt;
    }
    asio::error_code error;
    const auto address = host == "localhost" ? asio::ip::make_address_v4("127.0.0.1") : asio::ip::make_address_v4(host, error);
    if (error || path.find_first_of(" \r\n") != std::string_view::npos) return std::nullopt;
    return Target{{address, static_cast<std::uint16_t>(port)}, std::string(authority), std::string(path)};
}

asio::awaitable<OpenResult> Connection::open(const Target& target, asio::ip::address_v4 source, bool offer_deflate) {
    asio::error_code error;
    socket_.open(asio::ip::tcp::v4(), error);
    // The source port is chosen at connect time, for the whole 4-tuple, not reserved by bind.
    if (!error) socket_.set_option(asio::detail::socket_option::boolean<IPPROTO_IP, IP_BIND_ADDRESS_NO_PORT>(true), error);
    if (!error) socket_.bind(asio::ip::tcp::endpoint(source, 0), error);
    if (!error) std::tie(error) = co_await socket_.async_connect(target.endpoint, use_tuple);
    if (error) {
        fail("connect: " + error.message());
        co_return OpenResult::refused;
    }
    socket_.set_option(asio::ip::tcp::no_delay(true), error);

    const HandshakeRequest request = make_handshake_request(target.host, target.path, offer_deflate);
    auto [write_error, written] = co_await asio::async_write(socket_, asio::buffer(request.text), use_tuple);
    if (write_error) {
        fail("handshake: " + write_error.message());
        co_return OpenResult::rejected;
    }
    for (;;) {
        const HandshakeAnswer answer = check_handshake_answer(received_, request.key);
        if (answer.status == HandshakeAnswer::Status::rejected) {
            fail("handshake: " + answer.reason);
            co_return OpenResult::rejected;
        }
        if (answer.status == HandshakeAnswer::Status::incomplete) {
            if (!co_await read_more()) co_return OpenResult::rejected;
            continue;
        }
        if (answer.extensions) {
            const auto agreement = offer_deflate ? parse_deflate_answer(*answer.extensions) : std::nullopt;
            if (!agreement) {
                fail("handshake: " + std::string(offer_deflate ? "an extension answer it cannot use" : "an extension it did not offer") +
                     ": '" + *answer.extensions + "'");
                co_return OpenResult::rejected;
            }
            deflate_ = std::make_unique<MessageDeflate>(*agreement);
        }
        received_.erase(0, answer.size);  // frames may follow the answer's head
        open_ = true;
        co_return OpenResult::open;
    }
}

asio::awaitable<bool> Connection::send_text(std::string_view message) {
    if (!deflate_) co_return co_await write_frame(Opcode::text, message, false);
    compressed_.clear();
    deflate_->compress(message, compressed_);
    co_return co_await write_frame(Opcode::text, compressed_, true);
}

asio::awaitable<std::optional<std::string>> Connection::receive() {
    std::string message;
    bool in_message = false, message_compressed = false;
    for (;;) {
        const ParsedFrame parsed = parse_server_frame(received_, max_message_size);
        if (parsed.status == ParseStatus::invalid) co_return unreadable("an invalid frame");
        if (parsed.status == ParseStatus::incomplete) {
            if (!co_await read_more()) co_return std::nullopt;
            continue;
        }
        const Frame& frame = parsed.frame;
        switch (frame.opcode) {
        case Opcode::ping: {
            const std::string payload(frame.payload);
            received_.erase(0, parsed.size);
            if (!co_await write_frame(Opcode::pong, payload, false)) co_return std::nullopt;
            continue;
        }
        case Opcode::pong:
            received_.erase(0, parsed.size);
            continue;
        case Opcode::close:
            co_return unreadable("closed by the server");
        case Opcode::text:
        case Opcode::binary:
            if (in_message) co_return unreadable("a new message inside a fragmented one");
            if (frame.compressed && !deflate_) co_return unreadable("a compressed frame without the extension");
            in_message = true;
            message_compressed = frame.compressed;
            message.append(frame.payload);
            break;
        case Opcode::continuation:
            if (!in_message) co_return unreadable("a continuation frame outside a message");
            if (message.size() + frame.payload.size() > max_message_size) co_return unreadable("a message over 16 MiB");
            message.append(frame.payload);
            break;
        default:
            co_return unreadable("a reserved opcode");
        }
        const bool message_ends = frame.fin;
        received_.erase(0, parsed.size);
        if (!message_ends) continue;
        if (!message_compressed) co_return message;
        std::string inflated;
        if (!deflate_->decompress(message, max_message_size, inflated)) co_return unreadable("a message that does not inflate");
        co_return inflated;
    }
}

void Connection::close() {
    asio::error_code ignored;
    socket_.close(ignored);
    open_ = false;
}

asio::awaitable<bool> Connection::read_more() {
    const std::size_t used = received_.size();
    received_.resize(used + read_chunk);
    auto [error, size] = co_await socket_.async_read_some(asio::buffer(received_.data() + used, read_chunk), use_tuple);
    received_.resize(used + size);
    if (error) co_return fail(error == asio::error::eof ? "the server closed the TCP connection" : error.message());
    co_return true;
}

asio::awaitable<bool> Connection::write_frame(Opcode opcode, std::string_view payload, bool compressed) {
    outgoing_.clear();
    append_client_frame(opcode, payload, compressed, next_mask(), outgoing_);
    auto [error, written] = co_await asio::async_write(socket_, asio::buffer(outgoing_), use_tuple);
    if (error) co_return fail("write: " + error.message());
    co_return true;
}

// fail(reason) for receive: no message.
std::optional<std::string> Connection::unreadable(std::string reason) {
    fail(std::move(reason));
    return std::nullopt;
}

// Records the first reason the connection failed; always false, for `return fail(...)`.
bool Connection::fail(std::string reason) {
    if (failure_.empty()) failure_ = std::move(reason);
    return false;
}

}  // namespace wsbench
