// tornado::websocket — WebSockets (RFC 6455): WebSocketHandler, the server side of a route, and
// websocket_connect, the client. Counterpart of tornado/websocket.py, in its order: the handler's
// entry points, its output, its configuration, then the client.
//
//   struct EchoWebSocket : websocket::WebSocketHandler {
//       asio::awaitable<void> on_message(websocket::Message message) override {
//           co_await write_message(message);
//       }
//   };
//   web::Application app({web::url<EchoWebSocket>("/ws")});
#pragma once

#include "httputil.hpp"
#include "ioloop.hpp"
#include "web.hpp"

#include <asio/awaitable.hpp>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace tornado::websocket {

namespace detail {
class Connection;
class ClientSession;
class PerMessageDeflate;
}  // namespace detail

// One message, text (valid UTF-8) or binary.
struct Message {
    std::string data;
    bool binary = false;
};

// permessage-deflate's zlib settings (Tornado's compression_options dict).
struct CompressionOptions {
    int compression_level = 6;
    int mem_level = 8;
};

// What a write does when a connection's unsent bytes would pass its limit (a reader too slow for
// what the application sends, typically a broadcast that does not await each write).
enum class OverflowPolicy {
    close,        // cut the slow connection off (on_close follows)
    drop,         // drop the new message
    keep_latest,  // drop every message still waiting, then queue the new one
};

// Raised by awaiting write_message on a connection that is closing or closed.
class WebSocketClosedError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// What write_message returns, Tornado's Future: the message is queued already. co_await it to
// wait until the connection's unsent bytes are few again (it throws WebSocketClosedError when
// the connection was closing or closed, and the message was not sent), or ignore it, as a
// broadcast does. Unlike a plain asio::awaitable it may be discarded without a warning.
class WriteFuture : public asio::awaitable<void> {
public:
    explicit WriteFuture(asio::awaitable<void> waiting) : asio::awaitable<void>(std::move(waiting)) {}
};

// The server side of one WebSocket. Route it like any handler; its get() answers the upgrade:
// GET with "Upgrade: websocket", a Connection header naming upgrade, Sec-WebSocket-Version 13
// (else 426) and a 16-byte Sec-WebSocket-Key (else 400); check_origin (403 when it refuses);
// then 101 Switching Protocols, open(), and one on_message per message until on_close.
class WebSocketHandler : public web::RequestHandler {
public:
    WebSocketHandler();
    ~WebSocketHandler() override;

    // --- Entry points ---
    // Called once the connection is open, with the route's captures as get() would take them:
    // declare `void open(std::string room)` or `asio::awaitable<void> open(…)` in your class (no
    // `override`). Messages are delivered only after open() has completed. This is the default.
    void open() {}
    // Called for each message. The next message is delivered once this one's coroutine completes,
    // so a handler that awaits slow work reads no faster than it can handle (Tornado's rule for
    // a coroutine on_message). An exception escaping it is logged and closes with 1011.
    virtual asio::awaitable<void> on_message(Message message);
    // Called once when the connection is closed (by either side, or lost); close_code() and
    // close_reason() then hold what the peer's close frame said, if it sent one.
    virtual void on_close() {}
    // Called for each ping received (answered with a pong automatically) and each pong.
    virtual void on_ping(std::string_view payload);
    virtual void on_pong(std::string_view payload);

    // --- Output ---
    // Queues a message at once, before it returns (so a broadcast loop that does not await still
    // sends to everyone), and returns a WriteFuture that completes when the connection's queue of
    // unsent bytes is small again (64 KiB, or the write buffer limit when lower): awaiting every
    // write reads like Tornado's `await self.write_message(…)` and never buffers much. On a
    // connection that is closing or closed the message is dropped, and awaiting it throws
    // WebSocketClosedError.
    WriteFuture write_message(std::string_view message, bool binary = false);
    WriteFuture write_message(const Message& message) { return write_message(message.data, message.binary); }
    // Starts the close handshake with code and reason (none: a close frame without a code). The
    // peer has a few seconds to answer before the connection is cut.
    void close(std::optional<std::uint16_t> code = std::nullopt, std::string_view reason = {});
    // Sends a ping (its payload at most 125 bytes); the answer comes to on_pong. On a connection
    // that is closing or closed it throws WebSocketClosedError at once, as Tornado's does: there
    // is no future to carry the error, and a ping is never part of a broadcast.
    void ping(std::string_view payload = {});
    // The limit of a connection's unsent bytes and what happens past it (see OverflowPolicy).
    // The default: 16 MiB, then the slow connection is closed.
    void set_write_buffer_limit(std::size_t bytes, OverflowPolicy policy);

    // --- Configuration ---
    // Whether to accept a connection from a page at origin (the Origin header). The default, as
    // Tornado's: same host as the request's Host header; a request without Origin (not a
    // browser) is accepted. Refusal answers 403.
    virtual bool check_origin(std::string_view origin);
    // Picks one of the subprotocols the client offered (Sec-WebSocket-Protocol), or none.
    virtual std::optional<std::string> select_subprotocol(const std::vector<std::string>& subprotocols);
    // Return options to allow permessage-deflate when the client offers it (off by default).
    virtual std::optional<CompressionOptions> get_compression_options() { return std::nullopt; }
    // The largest message accepted (above it the connection is closed with 1009); by default
    // settings().websocket_max_message_size.
    virtual std::size_t max_message_size() const;

    // The close frame the peer sent (nullopt when it sent none, or before it did).
    std::optional<std::uint16_t> close_code() const;
    const std::string& close_reason() const;
    // The subprotocol select_subprotocol chose, or "".
    const std::string& selected_subprotocol() const { return selected_subprotocol_; }

    // The upgrade: validates it, answers 101 and runs the connection. Not for handler code.
    asio::awaitable<void> get();

private:
    class Session;
    // Checks the upgrade and sets the answer's status (101, or the refusal, then finished) and
    // headers; permessage-deflate when negotiated.
    std::unique_ptr<detail::PerMessageDeflate> answer_upgrade();
    void start(asio::ip::tcp::socket socket, std::unique_ptr<detail::PerMessageDeflate> deflate);
    detail::Connection& connection() const;

    std::string selected_subprotocol_;
    std::shared_ptr<detail::Connection> connection_;
};

// --- the client ---

// Tornado's websocket_connect keyword arguments.
struct ConnectOptions {
    ioloop::Duration connect_timeout = std::chrono::seconds(20);
    httputil::HTTPHeaders headers;  // sent with the upgrade request (Origin, Cookie, …)
    std::vector<std::string> subprotocols;
    // Offers permessage-deflate when set.
    std::optional<CompressionOptions> compression_options;
    std::optional<ioloop::Duration> ping_interval;
    std::optional<ioloop::Duration> ping_timeout;  // unset: the larger of three intervals and 30 s
    std::size_t max_message_size = 10 * 1024 * 1024;
    bool validate_cert = true;  // for wss://
    std::string ca_certs;       // a PEM file of trusted CAs; empty: the system's
};

// A connection websocket_connect opened. Dropping it closes the connection.
class WebSocketClientConnection {
public:
    explicit WebSocketClientConnection(std::shared_ptr<detail::ClientSession> session);
    WebSocketClientConnection(WebSocketClientConnection&&) noexcept;
    WebSocketClientConnection& operator=(WebSocketClientConnection&&) noexcept;
    ~WebSocketClientConnection();

    // The next message, or nullopt once the connection is closed (Tornado's None).
    asio::awaitable<std::optional<Message>> read_message();
    // As WebSocketHandler::write_message: queued at once, the awaitable waits for room.
    WriteFuture write_message(std::string_view message, bool binary = false);
    WriteFuture write_message(const Message& message) { return write_message(message.data, message.binary); }
    // Starts the close handshake, as WebSocketHandler::close; read_message returns nullopt once
    // the server has answered and ended the connection, or a few seconds later if it does not.
    void close(std::optional<std::uint16_t> code = std::nullopt, std::string_view reason = {});
    void ping(std::string_view payload = {});

    // The close frame the server sent, as WebSocketHandler's: nullopt when it sent none (or one
    // that broke the protocol, which the client answered with its own code), or before it did.
    std::optional<std::uint16_t> close_code() const;
    const std::string& close_reason() const;
    const std::string& selected_subprotocol() const;

private:
    std::shared_ptr<detail::ClientSession> session_;
};

// Opens a WebSocket to url (ws:// or wss://). Throws httpclient::HTTPClientError with the status
// when the server answers other than 101, HTTPNetworkError when it cannot be reached or its
// answer is not a valid handshake, HTTPConnectTimeoutError past connect_timeout, and
// std::invalid_argument for a URL that is not ws or wss.
asio::awaitable<WebSocketClientConnection> websocket_connect(std::string url, ConnectOptions options = {});

}  // namespace tornado::websocket
