// WebSocketHandler: the upgrade's checks and answer, then the connection (websocket_connection).
#include "tornado/websocket.hpp"

#include "exception_logging.hpp"
#include "websocket_connection.hpp"
#include "websocket_deflate.hpp"
#include "websocket_handshake.hpp"
#include "websocket_transport.hpp"

#include <algorithm>
#include <cctype>

namespace tornado::websocket {

namespace {
// Tornado's default ping timeout: the larger of three intervals and 30 seconds.
ioloop::Duration default_ping_timeout(ioloop::Duration interval) {
    return std::max<ioloop::Duration>(3 * interval, std::chrono::seconds(30));
}

std::string lowercase(std::string_view text) {
    std::string lower(text);
    for (auto& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return lower;
}
}  // namespace

// The connection's events, passed to the handler's overridables.
class WebSocketHandler::Session final : public detail::ConnectionDelegate {
public:
    explicit Session(WebSocketHandler& handler) : handler_(handler) {}
    asio::awaitable<void> on_message(Message message) override { return handler_.on_message(std::move(message)); }
    void on_ping(std::string_view payload) override { handler_.on_ping(payload); }
    void on_pong(std::string_view payload) override { handler_.on_pong(payload); }
    void on_closed() override { handler_.on_close(); }

private:
    WebSocketHandler& handler_;
};

WebSocketHandler::WebSocketHandler() = default;
WebSocketHandler::~WebSocketHandler() = default;

asio::awaitable<void> WebSocketHandler::on_message(Message) { co_return; }
void WebSocketHandler::on_ping(std::string_view) {}
void WebSocketHandler::on_pong(std::string_view) {}

asio::awaitable<void> WebSocketHandler::get() {
    // get()'s frame lives as long as the WebSocket: the handshake's work is done in plain
    // functions, so that the frame holds little more than the connection's run.
    auto deflate = answer_upgrade();
    if (get_status() != 101) co_return;
    auto detached = co_await detach();
    start(std::move(detached.socket), std::move(deflate));
    // Messages wait (in the socket) until open() is done, as in Tornado.
    std::exception_ptr error;
    try {
        if (auto rest = factory_->open(*this)) co_await std::move(*rest);
    } catch (...) {
        error = std::current_exception();
    }
    if (error) {
        tornado::detail::log_exception("WebSocket open", error);
        connection_->fail(detail::close_internal_error, "internal error");
    }
    Session session(*this);
    co_await connection_->run(session, std::move(detached.buffered));
}

std::unique_ptr<detail::PerMessageDeflate> WebSocketHandler::answer_upgrade() {
    const auto& headers = request().headers;
    // The answers and texts of Tornado's WebSocketHandler.get.
    auto refuse = [this](int status, std::string_view text) {
        set_status(status);
        finish(text);
        return nullptr;
    };
    if (lowercase(headers.get("Upgrade")) != "websocket") return refuse(400, "Can \"Upgrade\" only to \"WebSocket\".");
    if (!detail::header_has_token(headers.get("Connection"), "upgrade")) {
        return refuse(400, "\"Connection\" must be \"Upgrade\".");
    }
    if (headers.get("Sec-WebSocket-Version") != "13") {
        set_header("Sec-WebSocket-Version", "13");
        return refuse(426, "Upgrade Required");
    }
    const auto key = headers.get("Sec-WebSocket-Key");
    if (!detail::valid_key(key)) return refuse(400, "Missing/Invalid WebSocket headers");
    if (const auto* origin = headers.find("Origin"); origin && !check_origin(*origin)) {
        return refuse(403, "Cross origin websockets not allowed");
    }

    set_status(101);
    clear_header("Content-Type");
    set_header("Upgrade", "websocket");
    set_header("Connection", "Upgrade");
    set_header("Sec-WebSocket-Accept", detail::accept_value(key));
    auto offered = detail::split_header_list(headers.get("Sec-WebSocket-Protocol"));
    if (!offered.empty()) {
        if (auto chosen = select_subprotocol(offered)) {
            if (std::find(offered.begin(), offered.end(), *chosen) == offered.end()) {
                throw std::logic_error("select_subprotocol chose \"" + *chosen + "\", which the client did not offer");
            }
            selected_subprotocol_ = *chosen;
            set_header("Sec-WebSocket-Protocol", selected_subprotocol_);
        }
    }
    // permessage-deflate when the handler allows it and the client offers it (RFC 7692).
    auto offers = headers.get_list("Sec-WebSocket-Extensions");
    auto compression = get_compression_options();
    if (!compression || offers.empty()) return nullptr;
    std::string joined;
    for (const auto& offer : offers) joined += (joined.empty() ? "" : ", ") + offer;
    auto accepted = detail::accept_offer(joined);
    if (!accepted) return nullptr;
    set_header("Sec-WebSocket-Extensions", accepted->second);
    return std::make_unique<detail::PerMessageDeflate>(accepted->first, true, compression->compression_level,
                                                       compression->mem_level);
}

void WebSocketHandler::start(asio::ip::tcp::socket socket, std::unique_ptr<detail::PerMessageDeflate> deflate) {
    connection_ = std::make_shared<detail::Connection>(detail::make_socket_transport(std::move(socket)), true,
                                                       max_message_size(), request().remote_ip);
    // HTTP is over: its connection object goes, so an idle WebSocket holds only what it uses.
    request().connection.reset();
    if (deflate) connection_->enable_deflate(std::move(deflate));
    if (auto interval = settings().websocket_ping_interval) {
        connection_->start_pinging(*interval, settings().websocket_ping_timeout.value_or(default_ping_timeout(*interval)));
    }
}

detail::Connection& WebSocketHandler::connection() const {
    if (!connection_) throw WebSocketClosedError("the WebSocket is not open yet");
    return *connection_;
}

WriteFuture WebSocketHandler::write_message(std::string_view message, bool binary) {
    bool queued = connection().write_message(message, binary);
    return WriteFuture(detail::Connection::wait_for_room(connection_, queued));
}

void WebSocketHandler::close(std::optional<std::uint16_t> code, std::string_view reason) {
    if (connection_) connection_->close(code, reason);
}

void WebSocketHandler::ping(std::string_view payload) { connection().ping(payload); }

void WebSocketHandler::set_write_buffer_limit(std::size_t bytes, OverflowPolicy policy) {
    connection().set_write_buffer_limit(bytes, policy);
}

bool WebSocketHandler::check_origin(std::string_view origin) {
    // Tornado's: the origin's host[:port], lowercased, must equal the Host header.
    auto scheme_end = origin.find("://");
    auto host = scheme_end == std::string_view::npos ? origin : origin.substr(scheme_end + 3);
    host = host.substr(0, host.find('/'));
    return lowercase(host) == request().headers.get("Host");
}

std::optional<std::string> WebSocketHandler::select_subprotocol(const std::vector<std::string>&) { return std::nullopt; }

std::size_t WebSocketHandler::max_message_size() const { return settings().websocket_max_message_size; }

std::optional<std::uint16_t> WebSocketHandler::close_code() const {
    return connection_ ? connection_->close_code() : std::nullopt;
}

const std::string& WebSocketHandler::close_reason() const {
    static const std::string none;
    return connection_ ? connection_->close_reason() : none;
}

}  // namespace tornado::websocket
