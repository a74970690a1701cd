// websocket_connect, the client (websocket.hpp), against servers that are not ours: Python's
// `websockets` over wss:// under a CA made here; a raw server in the test that answers the
// upgrade and then sends exactly the frames a case needs, protocol violations included, and
// reads the client's frames back unmasked. Then the close handshake's 5-second timeout, on the
// server's side and on the client's.
#include <tornado/testing.hpp>
#include <tornado/websocket.hpp>

#include "app_fixture.hpp"
#include "captured_log.hpp"
#include "test_certificates.hpp"
#include "websocket_frames.hpp"

#include <asio/co_spawn.hpp>
#include <asio/detached.hpp>
#include <asio/ip/tcp.hpp>
#include <asio/read_until.hpp>
#include <asio/redirect_error.hpp>
#include <asio/use_awaitable.hpp>
#include <asio/write.hpp>

#include <catch2/catch.hpp>

#include <openssl/evp.h>
#include <openssl/sha.h>

#include <array>
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

using namespace tornado;
using namespace std::chrono_literals;
using asio::ip::tcp;
using Catch::Matchers::Contains;
using websocket::Message;

// --- wss:// against Python's websockets ---

namespace {
const std::string websockets_peer = TORNADO_SOURCE_DIR "/tests/websocket_peers/websockets_peer.py";
}  // namespace

TEST_CASE("wss: messages round trip under a CA in ca_certs - a wrong host name and an untrusted CA are refused - validate_cert=false") {
    TestCertificates certificates;
    testing::ServerProcess server(websockets_peer,
                                  {"--certfile=" + certificates.certificate, "--keyfile=" + certificates.key});
    auto& loop = server.io_loop();
    auto wss = [&](const std::string& host) { return "wss://" + host + ":" + std::to_string(server.port()) + "/echo"; };
    auto echoes = [&](websocket::WebSocketClientConnection& client, const Message& message) {
        loop.run_sync(client.write_message(message));
        auto echoed = loop.run_sync(client.read_message());
        return echoed && echoed->data == message.data && echoed->binary == message.binary;
    };
    const Message text{"h\xc3\xa9llo over TLS", false};
    const Message binary{std::string("\x00\x01\xfe\xff", 4), true};

    websocket::ConnectOptions trusted;
    trusted.ca_certs = certificates.ca;
    {
        auto client = loop.run_sync(websocket::websocket_connect(wss("localhost"), trusted));
        CHECK(echoes(client, text));
        CHECK(echoes(client, binary));
        client.close(1000, "done");
        CHECK_FALSE(loop.run_sync(client.read_message()));
        CHECK(client.close_code() == 1000);
    }

    // The certificate names localhost only.
    CHECK_THROWS_AS(loop.run_sync(websocket::websocket_connect(wss("127.0.0.1"), trusted)), httpclient::HTTPNetworkError);
    CHECK_THROWS_WITH(loop.run_sync(websocket::websocket_connect(wss("127.0.0.1"), trusted)),
                      Contains("certificate verify failed"));
    // The system's CAs do not know the test's CA.
    CHECK_THROWS_AS(loop.run_sync(websocket::websocket_connect(wss("localhost"))), httpclient::HTTPNetworkError);
    CHECK_THROWS_WITH(loop.run_sync(websocket::websocket_connect(wss("localhost"))), Contains("certificate verify failed"));

    websocket::ConnectOptions unchecked;
    unchecked.validate_cert = false;
    auto client = loop.run_sync(websocket::websocket_connect(wss("127.0.0.1"), unchecked));
    CHECK(echoes(client, text));
    CHECK(echoes(client, binary));
    client.close(1000, "done");
    CHECK_FALSE(loop.run_sync(client.read_message()));
}

// --- a raw server's frames, good and bad ---

namespace {

// Sec-WebSocket-Accept for key (RFC 6455 section 4.2.2): base64 of the SHA-1 of the key and the
// RFC's GUID.
std::string accept_value(const std::string& key) {
    const std::string input = key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
    std::array<unsigned char, SHA_DIGEST_LENGTH> digest;
    SHA1(reinterpret_cast<const unsigned char*>(input.data()), input.size(), digest.data());
    std::array<unsigned char, 4 * ((SHA_DIGEST_LENGTH + 2) / 3) + 1> encoded;
    auto length = EVP_EncodeBlock(encoded.data(), digest.data(), SHA_DIGEST_LENGTH);
    return {reinterpret_cast<const char*>(encoded.data()), static_cast<std::size_t>(length)};
}

// The value of header name in an HTTP request head ("" when absent); names are matched as the
// client writes them.
std::string header_value(const std::string& head, const std::string& name) {
    auto at = head.find("\r\n" + name + ": ");
    if (at == std::string::npos) return {};
    at += name.size() + 4;
    return head.substr(at, head.find("\r\n", at) - at);
}

// A WebSocket server for one client, written for the test: it answers the upgrade with a
// correct 101, then writes the bytes the test gives it and collects what the client sends.
// Every wait runs the loop, so the client works meanwhile.
class RawWebSocketServer {
public:
    explicit RawWebSocketServer(ioloop::IOLoop& loop) : loop_(loop), state_(std::make_shared<State>(loop)) {}
    ~RawWebSocketServer() { close(); }

    // websocket_connect to this server, run until the handshake is done.
    websocket::WebSocketClientConnection connect_client() {
        asio::co_spawn(loop_.context(), serve(state_), asio::detached);
        auto url = "ws://127.0.0.1:" + std::to_string(state_->acceptor.local_endpoint().port()) + "/raw";
        return loop_.run_sync(websocket::websocket_connect(url));
    }

    void write(const std::string& bytes) { asio::write(state_->socket, asio::buffer(bytes)); }

    // The next frame the client sent, waiting at most timeout; nullopt when none came.
    std::optional<ReceivedFrame> read_frame(ioloop::Duration timeout = 2s) {
        std::optional<ReceivedFrame> frame;
        loop_.run_until(
            [&] {
                frame = take_frame(state_->received);
                return frame || state_->ended;
            },
            timeout);
        return frame;
    }

    // Whether the client ended the TCP connection within timeout.
    bool ended(ioloop::Duration timeout = 2s) {
        return loop_.run_until([&] { return state_->ended; }, timeout);
    }

    // Ends the TCP connection, as a server does once the close frames are exchanged.
    void close() {
        std::error_code ignored;
        state_->socket.close(ignored);
        state_->acceptor.close(ignored);
    }

private:
    // Shared with the coroutine, which may finish after the server object is gone.
    struct State {
        explicit State(ioloop::IOLoop& loop)
            : acceptor(loop.context(), tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0)), socket(loop.context()) {}
        tcp::acceptor acceptor;
        tcp::socket socket;
        std::string received;  // the client's bytes after the upgrade, not yet taken as frames
        bool ended = false;    // the client ended the connection (or it failed)
    };

    static asio::awaitable<void> serve(std::shared_ptr<State> state) {
        std::error_code error;
        auto redirect = asio::redirect_error(asio::use_awaitable, error);
        co_await state->acceptor.async_accept(state->socket, redirect);
        std::string head;
        std::size_t head_size = 0;
        if (!error) head_size = co_await asio::async_read_until(state->socket, asio::dynamic_buffer(head), "\r\n\r\n", redirect);
        if (!error) {
            state->received = head.substr(head_size);
            const std::string answer = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                                       "Sec-WebSocket-Accept: " + accept_value(header_value(head, "Sec-WebSocket-Key")) +
                                       "\r\n\r\n";
            co_await asio::async_write(state->socket, asio::buffer(answer), redirect);
        }
        std::array<char, 4096> buffer;
        while (!error) {
            auto length = co_await state->socket.async_read_some(asio::buffer(buffer), redirect);
            state->received.append(buffer.data(), length);
        }
        state->ended = true;
    }

    ioloop::IOLoop& loop_;
    std::shared_ptr<State> state_;
};

// The close frame a client sends: masked, with code and reason.
void check_client_close(const std::optional<ReceivedFrame>& frame, std::uint16_t code, const std::string& reason) {
    REQUIRE(frame);
    CHECK(frame->first_byte == 0x88);
    CHECK(frame->masked);
    CHECK(frame->payload == code_bytes(code) + reason);
}

}  // namespace

TEST_CASE("the client reassembles a fragmented message and answers a ping between its fragments with a masked pong") {
    ioloop::IOLoop loop;
    RawWebSocketServer server(loop);
    auto client = server.connect_client();
    server.write(server_frame(0x01, "Hel") + server_frame(0x89, "ping data") + server_frame(0x00, "lo, ") +
                 server_frame(0x80, "w\xc3\xb6rld") + server_frame(0x82, std::string("\x00\xff", 2)));
    auto pong = server.read_frame();
    REQUIRE(pong);
    CHECK(pong->first_byte == 0x8a);
    CHECK(pong->masked);
    CHECK(pong->payload == "ping data");

    auto text = loop.run_sync(client.read_message());
    REQUIRE(text);
    CHECK(text->data == "Hello, w\xc3\xb6rld");
    CHECK_FALSE(text->binary);
    auto binary = loop.run_sync(client.read_message());
    REQUIRE(binary);
    CHECK(binary->data == std::string("\x00\xff", 2));
    CHECK(binary->binary);

    // What the client writes is masked too.
    loop.run_sync(client.write_message("from the client"));
    auto written = server.read_frame();
    REQUIRE(written);
    CHECK(written->first_byte == 0x81);
    CHECK(written->masked);
    CHECK(written->payload == "from the client");
}

TEST_CASE("a server's close frame is answered with the same code, masked, and close_code holds the server's") {
    ioloop::IOLoop loop;
    RawWebSocketServer server(loop);
    auto client = server.connect_client();
    server.write(close_frame(4000, "bye"));
    check_client_close(server.read_frame(), 4000, "");
    server.close();
    CHECK_FALSE(loop.run_sync(client.read_message()));
    CHECK(client.close_code() == 4000);
    CHECK(client.close_reason() == "bye");
}

TEST_CASE("protocol violations by a server are answered with the client's masked close frame the RFC requires") {
    struct Case {
        std::string what;
        std::string bytes;
        std::uint16_t code;
        std::string reason;
    };
    const std::vector<Case> cases{
        {"a masked frame from a server", client_frame(0x81, "hi"), 1002, "masked frame from a server"},
        {"RSV1 without a negotiated extension", server_frame(0xc1, "hi"), 1002, "reserved bits set without an extension"},
        {"a reserved data opcode", server_frame(0x83, ""), 1002, "reserved data opcode"},
        {"a reserved control opcode", server_frame(0x8b, ""), 1002, "reserved control opcode"},
        {"a fragmented ping", server_frame(0x09, "p"), 1002, "fragmented control frame"},
        {"a ping of 126 bytes", server_frame(0x89, std::string(126, 'p')), 1002, "control frame longer than 125 bytes"},
        {"a continuation without a message", server_frame(0x80, "lost"), 1002,
         "continuation frame without a message to continue"},
        {"invalid UTF-8 in a text message", server_frame(0x81, "ok \xed\xa0\x80"), 1007, "invalid UTF-8 in a text message"},
        {"close code 1005", close_frame(1005), 1002, "invalid close code"},
        {"close code 999", close_frame(999), 1002, "invalid close code"},
        {"a close reason that is not UTF-8", close_frame(1000, "\xff"), 1007, "invalid UTF-8 in a close reason"},
    };
    ioloop::IOLoop loop;
    for (const auto& bad : cases) {
        INFO(bad.what);
        CapturedLog log;
        RawWebSocketServer server(loop);
        auto client = server.connect_client();
        server.write(bad.bytes);
        check_client_close(server.read_frame(), bad.code, bad.reason);
        server.close();
        CHECK_FALSE(loop.run_sync(client.read_message()));
        // close_code() is the code of the server's close frame; it sent none that was valid.
        CHECK_FALSE(client.close_code());
        CHECK(log.count("WebSocket protocol error") == 1);
    }
}

// --- the close handshake's timeout ---

namespace {

// Closes the connection with 4001 when it receives "close".
struct ClosesOnRequest : websocket::WebSocketHandler {
    asio::awaitable<void> on_message(Message message) override {
        if (message.data == "close") close(4001, "done");
        co_return;
    }
};

using Clock = std::chrono::steady_clock;

}  // namespace

TEST_CASE_METHOD(AppTest, "the server cuts off a client that never answers its close frame after 5 seconds") {
    routes.push_back(web::url<ClosesOnRequest>("/ws"));
    auto connection = connect();
    connection.write("GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                     "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n");
    REQUIRE(connection.read_response().code == 101);
    connection.write(client_frame(0x81, "close"));
    auto expected = close_frame(4001, "done");
    REQUIRE(connection.read_until(expected) == expected);
    const auto closed_at = Clock::now();
    // Neither a close frame back nor the end of the stream: the server waits, then cuts.
    auto rest = connection.read_until_close(10s);
    const auto waited = Clock::now() - closed_at;
    REQUIRE(rest);
    CHECK(*rest == expected);  // nothing after the close frame
    CHECK(waited >= 4s);
    CHECK(waited <= 8s);
}

TEST_CASE("the client gives up on a server that never answers its close frame after 5 seconds") {
    ioloop::IOLoop loop;
    RawWebSocketServer server(loop);
    auto client = server.connect_client();
    client.close(1001, "leaving");
    const auto closed_at = Clock::now();
    check_client_close(server.read_frame(), 1001, "leaving");
    // The server neither answers nor ends the stream.
    auto message = loop.run_sync(client.read_message(), 10s);
    const auto waited = Clock::now() - closed_at;
    CHECK_FALSE(message);
    CHECK(waited >= 4s);
    CHECK(waited <= 8s);
    CHECK(server.ended());  // the client ended the TCP connection
    CHECK_FALSE(client.close_code());
}
