// websocket_connect: the client's opening handshake over the HTTP client's connection code,
// then the same connection engine as the server's, with a one-message queue for read_message.
#include "tornado/httpclient.hpp"
#include "tornado/websocket.hpp"

#include "client_connection.hpp"
#include "client_deadline.hpp"
#include "client_tls.hpp"
#include "client_url.hpp"
#include "http_response_parser.hpp"
#include "websocket_connection.hpp"
#include "websocket_deflate.hpp"
#include "websocket_handshake.hpp"

#include <asio/co_spawn.hpp>
#include <asio/detached.hpp>
#include <asio/redirect_error.hpp>
#include <asio/steady_timer.hpp>
#include <asio/this_coro.hpp>
#include <asio/use_awaitable.hpp>

#include <algorithm>

namespace tornado::websocket {

namespace detail {

// The client's side of the connection's events: each message waits here until read_message
// takes it, so a client that reads slowly makes the connection read slowly (as Tornado's queue
// of one message).
class ClientSession final : public ConnectionDelegate {
public:
    explicit ClientSession(const asio::any_io_executor& executor)
        : message_ready_(executor, std::chrono::steady_clock::time_point::max()),
          message_taken_(executor, std::chrono::steady_clock::time_point::max()) {}

    asio::awaitable<void> on_message(Message message) override {
        if (abandoned_) co_return;
        message_ = std::move(message);
        message_ready_.cancel();
        while (message_ && !abandoned_) {
            std::error_code woken;
            co_await message_taken_.async_wait(asio::redirect_error(asio::use_awaitable, woken));
        }
    }
    void on_ping(std::string_view) override {}
    void on_pong(std::string_view) override {}
    void on_closed() override {
        closed_ = true;
        message_ready_.cancel();
    }

    asio::awaitable<std::optional<Message>> read_message() {
        while (!message_ && !closed_) {
            std::error_code woken;
            co_await message_ready_.async_wait(asio::redirect_error(asio::use_awaitable, woken));
        }
        if (!message_) co_return std::nullopt;
        auto message = std::move(*message_);
        message_.reset();
        message_taken_.cancel();
        co_return message;
    }

    // The application let go of its connection: close it, and read nothing more.
    void abandon() {
        abandoned_ = true;
        message_taken_.cancel();
        if (connection && !connection->closed()) connection->close(close_normal, {});
    }

    std::shared_ptr<Connection> connection;
    std::string subprotocol;

private:
    asio::steady_timer message_ready_;
    asio::steady_timer message_taken_;
    std::optional<Message> message_;
    bool closed_ = false;
    bool abandoned_ = false;
};

}  // namespace detail

namespace {

using httpclient::HTTPClientError;
using httpclient::HTTPNetworkError;

std::string seconds(ioloop::Duration duration) {
    return std::to_string(std::chrono::duration_cast<std::chrono::milliseconds>(duration).count() / 1000.0) + " s";
}

std::string request_head(const httpclient::detail::ClientURL& url, const std::string& key, const ConnectOptions& options) {
    std::string head = "GET " + url.target + " HTTP/1.1\r\nHost: " + url.host_header() +
                       "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: " + key +
                       "\r\nSec-WebSocket-Version: 13\r\n";
    if (!options.subprotocols.empty()) {
        std::string list;
        for (const auto& protocol : options.subprotocols) list += (list.empty() ? "" : ", ") + protocol;
        head += "Sec-WebSocket-Protocol: " + list + "\r\n";
    }
    if (options.compression_options) head += "Sec-WebSocket-Extensions: " + detail::client_offer() + "\r\n";
    for (const auto& [name, value] : options.headers) {
        if (name.find_first_of("\r\n:") != std::string::npos || value.find_first_of("\r\n") != std::string::npos) {
            throw std::invalid_argument("websocket_connect: header " + name + " holds a line break");
        }
        head += name + ": " + value + "\r\n";
    }
    return head + "\r\n";
}

// Checks the server's answer to the upgrade; throws what websocket_connect promises. Returns the
// compressor when the server accepted the offer of permessage-deflate.
std::unique_ptr<detail::PerMessageDeflate> check_response(const httpclient::HTTPResponse& response,
                                                          const std::string& key, const ConnectOptions& options) {
    if (response.code != 101) {
        throw HTTPClientError(response.code, "HTTP " + std::to_string(response.code) + ": " + response.reason, response);
    }
    const auto& headers = response.headers;
    if (headers.get("Upgrade").empty() || !detail::header_has_token(headers.get("Upgrade"), "websocket") ||
        !detail::header_has_token(headers.get("Connection"), "upgrade")) {
        throw HTTPNetworkError("WebSocket handshake: the 101 answer does not upgrade to websocket");
    }
    if (headers.get("Sec-WebSocket-Accept") != detail::accept_value(key)) {
        throw HTTPNetworkError("WebSocket handshake: wrong Sec-WebSocket-Accept");
    }
    auto protocol = headers.get("Sec-WebSocket-Protocol");
    if (!protocol.empty() &&
        std::find(options.subprotocols.begin(), options.subprotocols.end(), protocol) == options.subprotocols.end()) {
        throw HTTPNetworkError("WebSocket handshake: the server chose subprotocol " + protocol + ", which was not offered");
    }
    auto extensions = headers.get_list("Sec-WebSocket-Extensions");
    if (extensions.empty()) return nullptr;
    if (!options.compression_options || extensions.size() > 1) {
        throw HTTPNetworkError("WebSocket handshake: the server answered with extensions that were not offered");
    }
    try {
        return std::make_unique<detail::PerMessageDeflate>(detail::accept_response(extensions.front()), false,
                                                           options.compression_options->compression_level,
                                                           options.compression_options->mem_level);
    } catch (const std::invalid_argument& e) {
        throw HTTPNetworkError(std::string("WebSocket handshake: ") + e.what());
    }
}

asio::awaitable<void> run_session(std::shared_ptr<detail::ClientSession> session, std::string buffered) {
    auto connection = session->connection;
    co_await connection->run(*session, std::move(buffered));
}

}  // namespace

asio::awaitable<WebSocketClientConnection> websocket_connect(std::string url, ConnectOptions options) {
    std::string http_url;
    if (url.starts_with("ws://")) {
        http_url = "http://" + url.substr(5);
    } else if (url.starts_with("wss://")) {
        http_url = "https://" + url.substr(6);
    } else {
        throw std::invalid_argument("websocket_connect: not a ws:// or wss:// URL: " + url);
    }
    auto parsed = httpclient::detail::parse_client_url(http_url);
    auto executor = co_await asio::this_coro::executor;
    std::shared_ptr<asio::ssl::context> tls;
    if (parsed.tls()) tls = httpclient::detail::make_tls_context(options.validate_cert, options.ca_certs);
    auto connection = std::make_unique<httpclient::detail::ClientConnection>(executor, parsed.origin(), tls);
    const auto where = parsed.host_header();

    // The connection, the request and the answer all within connect_timeout.
    httpclient::detail::Deadline deadline(executor, options.connect_timeout, [&] {
        if (connection) connection->close();
    });
    auto timed_out = [&] {
        return httpclient::HTTPConnectTimeoutError("Timeout while opening a WebSocket to " + where + " (connect_timeout " +
                                                   seconds(options.connect_timeout) + ")");
    };
    std::optional<std::system_error> failure;
    try {
        co_await connection->connect(parsed, options.validate_cert);
    } catch (const std::system_error& e) {
        failure = e;
    }
    if (deadline.expired()) throw timed_out();
    if (failure) throw HTTPNetworkError("cannot connect to " + where + ": " + failure->what());

    const auto key = detail::new_key();
    std::error_code error;
    co_await connection->write(request_head(parsed, key, options), error);
    httpclient::detail::ResponseParser parser;
    std::string buffered;  // what came after the 101: the first frames
    char buffer[4096];
    while (!error && !parser.complete() && !parser.failed()) {
        auto length = co_await connection->read_some(asio::buffer(buffer), error);
        auto consumed = parser.feed(std::string_view(buffer, length));
        if (parser.complete()) buffered.assign(buffer + consumed, length - consumed);
    }
    if (deadline.expired()) throw timed_out();
    if (error == asio::error::eof) parser.finish_on_eof();
    if (parser.failed()) throw HTTPNetworkError(parser.response().error + " (from " + where + ")");
    if (!parser.complete()) throw HTTPNetworkError("connection to " + where + " failed: " + error.message());
    auto deflate = check_response(parser.response(), key, options);

    auto session = std::make_shared<detail::ClientSession>(executor);
    session->subprotocol = parser.response().headers.get("Sec-WebSocket-Protocol");
    session->connection = std::make_shared<detail::Connection>(
        detail::make_client_transport(executor, std::move(connection)), false, options.max_message_size, where);
    if (deflate) session->connection->enable_deflate(std::move(deflate));
    if (options.ping_interval) {
        session->connection->start_pinging(
            *options.ping_interval,
            options.ping_timeout.value_or(std::max<ioloop::Duration>(3 * *options.ping_interval, std::chrono::seconds(30))));
    }
    asio::co_spawn(executor, run_session(session, std::move(buffered)), asio::detached);
    co_return WebSocketClientConnection(std::move(session));
}

// --- the connection object ---

WebSocketClientConnection::WebSocketClientConnection(std::shared_ptr<detail::ClientSession> session)
    : session_(std::move(session)) {}
WebSocketClientConnection::WebSocketClientConnection(WebSocketClientConnection&&) noexcept = default;
WebSocketClientConnection& WebSocketClientConnection::operator=(WebSocketClientConnection&& other) noexcept {
    if (this != &other) {
        if (session_) session_->abandon();
        session_ = std::move(other.session_);
    }
    return *this;
}
WebSocketClientConnection::~WebSocketClientConnection() {
    if (session_) session_->abandon();
}

asio::awaitable<std::optional<Message>> WebSocketClientConnection::read_message() { return session_->read_message(); }

WriteFuture WebSocketClientConnection::write_message(std::string_view message, bool binary) {
    bool queued = session_->connection->write_message(message, binary);
    return WriteFuture(detail::Connection::wait_for_room(session_->connection, queued));
}

void WebSocketClientConnection::close(std::optional<std::uint16_t> code, std::string_view reason) {
    session_->connection->close(code, reason);
}

void WebSocketClientConnection::ping(std::string_view payload) { session_->connection->ping(payload); }

std::optional<std::uint16_t> WebSocketClientConnection::close_code() const { return session_->connection->close_code(); }
const std::string& WebSocketClientConnection::close_reason() const { return session_->connection->close_reason(); }
const std::string& WebSocketClientConnection::selected_subprotocol() const { return session_->subprotocol; }

}  // namespace tornado::websocket
