// WebSockets (websocket.hpp) over real sockets: the framework's client against its server, and
// raw frames written to the server to check RFC 6455's rules and the exact close frames it
// answers with.
#include <tornado/gen.hpp>
#include <tornado/testing.hpp>
#include <tornado/websocket.hpp>

#include "app_fixture.hpp"
#include "captured_log.hpp"
#include "websocket_frames.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

using namespace tornado;
using namespace std::chrono_literals;
using websocket::Message;

namespace {

// What a handler saw, kept by the test.
struct Events {
    std::vector<std::string> seen;
    bool closed = false;
    std::optional<std::uint16_t> close_code;
    std::string close_reason;
};

// Echoes; "close" closes with 4001, "ping" pings; records what happens.
struct Recorder : websocket::WebSocketHandler {
    Events* events = nullptr;
    void initialize(Events* e) { events = e; }
    void open() { events->seen.push_back("open"); }
    asio::awaitable<void> on_message(Message message) override {
        if (message.data == "close") {
            close(4001, "done");
        } else if (message.data == "ping") {
            ping("from server");
        } else {
            co_await write_message(message);
        }
    }
    void on_ping(std::string_view payload) override { events->seen.push_back("ping:" + std::string(payload)); }
    // Answers a pong with a message, except those of the automatic pings (empty).
    void on_pong(std::string_view payload) override {
        if (payload.empty()) return;
        events->seen.push_back("pong:" + std::string(payload));
        write_message("pong:" + std::string(payload));
    }
    void on_close() override {
        events->closed = true;
        events->close_code = close_code();
        events->close_reason = close_reason();
    }
};

struct WebSocketTest : AppTest {
    Events events;
    WebSocketTest() { routes.push_back(web::url<Recorder>("/ws", &events)); }

    std::string ws_url(std::string_view path) { return "ws://127.0.0.1:" + std::to_string(get_http_port()) + std::string(path); }

    websocket::WebSocketClientConnection open_client(std::string_view path = "/ws", websocket::ConnectOptions options = {}) {
        return io_loop().run_sync(websocket::websocket_connect(ws_url(path), std::move(options)));
    }
    std::optional<Message> read(websocket::WebSocketClientConnection& client) {
        return io_loop().run_sync(client.read_message());
    }
    void write(websocket::WebSocketClientConnection& client, std::string_view text, bool binary = false) {
        io_loop().run_sync(client.write_message(text, binary));
    }
    bool wait_for(const std::function<bool()>& condition, ioloop::Duration timeout = 2s) {
        return io_loop().run_until(condition, timeout);
    }

    // A raw connection that has done the opening handshake.
    testing::RawConnection raw_socket(std::string_view path = "/ws") {
        auto connection = connect();
        connection.write(upgrade_request(path));
        auto response = connection.read_response();
        REQUIRE(response.code == 101);
        return connection;
    }
    std::string upgrade_request(std::string_view path, std::string_view extra_headers = "") {
        return "GET " + std::string(path) + " HTTP/1.1\r\nHost: 127.0.0.1:" + std::to_string(get_http_port()) +
               "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
               "Sec-WebSocket-Version: 13\r\n" +
               std::string(extra_headers) + "\r\n";
    }
};
}  // namespace

// --- the framework's client against its server ---

TEST_CASE_METHOD(WebSocketTest, "text, binary, empty and 1 MiB messages come back as they were sent") {
    auto client = open_client();
    REQUIRE(wait_for([&] { return !events.seen.empty(); }));
    CHECK(events.seen == std::vector<std::string>{"open"});
    write(client, "héllo");
    auto text = read(client);
    REQUIRE(text);
    CHECK(text->data == "héllo");
    CHECK_FALSE(text->binary);

    std::string bytes("\x00\xff\x80 binary", 10);
    write(client, bytes, true);
    auto binary = read(client);
    REQUIRE(binary);
    CHECK(binary->data == bytes);
    CHECK(binary->binary);

    write(client, "");
    auto empty = read(client);
    REQUIRE(empty);
    CHECK(empty->data.empty());

    std::string big(1024 * 1024, 'x');
    for (std::size_t i = 0; i < big.size(); i += 1000) big[i] = static_cast<char>('a' + i % 26);
    write(client, big, true);
    auto echoed = read(client);
    REQUIRE(echoed);
    CHECK(echoed->data == big);
}

TEST_CASE_METHOD(WebSocketTest, "the client's close code and reason reach on_close, and the server answers with the same code") {
    auto client = open_client();
    client.close(4000, "bye");
    CHECK_FALSE(read(client));
    CHECK(client.close_code() == 4000);
    REQUIRE(wait_for([&] { return events.closed; }));
    CHECK(events.close_code == 4000);
    CHECK(events.close_reason == "bye");
}

TEST_CASE_METHOD(WebSocketTest, "the server's close code and reason reach the client") {
    auto client = open_client();
    write(client, "close");
    CHECK_FALSE(read(client));
    CHECK(client.close_code() == 4001);
    CHECK(client.close_reason() == "done");
    REQUIRE(wait_for([&] { return events.closed; }));
    CHECK(events.close_code == 4001);  // the client's answer repeats the code
}

TEST_CASE_METHOD(WebSocketTest, "a client that goes away without a close frame ends in on_close") {
    {
        auto connection = raw_socket();
        REQUIRE(wait_for([&] { return !events.seen.empty(); }));
    }
    REQUIRE(wait_for([&] { return events.closed; }));
    CHECK_FALSE(events.close_code);
}

namespace {
struct Room : websocket::WebSocketHandler {
    std::string room;
    asio::awaitable<void> open(std::string name, std::string number) {
        co_await gen::sleep(1ms);  // messages wait for a coroutine open to finish
        room = name + "#" + number;
    }
    asio::awaitable<void> on_message(Message message) override { co_await write_message(room + ": " + message.data); }
};
}  // namespace

TEST_CASE_METHOD(AppTest, "open receives the route's captures, and messages wait until it is done") {
    routes.push_back(web::url<Room>(R"(/room/(\w+)/(\d+))"));
    auto client = io_loop().run_sync(websocket::websocket_connect("ws://127.0.0.1:" + std::to_string(get_http_port()) + "/room/lobby/7"));
    io_loop().run_sync(client.write_message("hi"));
    auto reply = io_loop().run_sync(client.read_message());
    REQUIRE(reply);
    CHECK(reply->data == "lobby#7: hi");
}

namespace {
struct Chat : websocket::WebSocketHandler {
    std::optional<std::string> select_subprotocol(const std::vector<std::string>& offered) override {
        for (const auto& protocol : offered) {
            if (protocol == "chat.v2") return protocol;
        }
        return std::nullopt;
    }
    void open() { write_message("speaking " + selected_subprotocol()); }
};
}  // namespace

TEST_CASE_METHOD(AppTest, "select_subprotocol picks among the client's subprotocols") {
    routes.push_back(web::url<Chat>("/chat"));
    websocket::ConnectOptions options;
    options.subprotocols = {"chat.v1", "chat.v2"};
    auto client = io_loop().run_sync(
        websocket::websocket_connect("ws://127.0.0.1:" + std::to_string(get_http_port()) + "/chat", options));
    CHECK(client.selected_subprotocol() == "chat.v2");
    auto greeting = io_loop().run_sync(client.read_message());
    REQUIRE(greeting);
    CHECK(greeting->data == "speaking chat.v2");

    auto plain = io_loop().run_sync(websocket::websocket_connect("ws://127.0.0.1:" + std::to_string(get_http_port()) + "/chat"));
    CHECK(plain.selected_subprotocol().empty());
}

TEST_CASE_METHOD(WebSocketTest, "a message over websocket_max_message_size is refused with 1009") {
    settings.websocket_max_message_size = 1000;
    auto client = open_client();
    write(client, std::string(1000, 'a'));
    auto fits = read(client);
    REQUIRE(fits);
    CHECK(fits->data.size() == 1000);
    CapturedLog log;
    write(client, std::string(1001, 'a'));
    CHECK_FALSE(read(client));
    CHECK(client.close_code() == 1009);
    REQUIRE(wait_for([&] { return events.closed; }));
}

TEST_CASE_METHOD(WebSocketTest, "the server refuses a frame announcing too much before its payload arrives") {
    settings.websocket_max_message_size = 1000;
    auto connection = raw_socket();
    CapturedLog log;
    // The header of a 2000-byte binary frame, and no payload.
    connection.write(std::string("\x82\xfe\x07\xd0\x12\x34\x56\x78", 8));
    auto expected = close_frame(1009, "message too big");
    CHECK(connection.read_until(expected) == expected);
    CHECK(connection.read_until_close());
}

TEST_CASE_METHOD(WebSocketTest, "a ping timeout cuts off a peer that does not answer") {
    settings.websocket_ping_interval = 50ms;
    settings.websocket_ping_timeout = 200ms;
    auto connection = raw_socket();
    CapturedLog log;
    auto received = connection.read_until_close(3s);
    REQUIRE(received);
    CHECK(received->starts_with(server_frame(0x89, "")));  // pings, unanswered
    REQUIRE(wait_for([&] { return events.closed; }));
    CHECK(log.contains("did not answer pings"));
}

TEST_CASE_METHOD(WebSocketTest, "a peer that answers pings stays connected") {
    settings.websocket_ping_interval = 50ms;
    settings.websocket_ping_timeout = 200ms;
    auto client = open_client();  // the framework's client answers pings by itself
    io_loop().run_sync(gen::sleep(500ms));
    CHECK_FALSE(events.closed);
    write(client, "still here");
    auto echoed = read(client);
    REQUIRE(echoed);
    CHECK(echoed->data == "still here");
}

// --- the handshake ---

TEST_CASE_METHOD(WebSocketTest, "the upgrade is answered with 101 and the RFC's accept value") {
    auto connection = connect();
    connection.write(upgrade_request("/ws"));
    auto response = connection.read_response();
    CHECK(response.code == 101);
    CHECK(response.headers.get("Upgrade") == "websocket");
    CHECK(response.headers.get("Connection") == "Upgrade");
    // RFC 6455 section 1.3's example key and answer.
    CHECK(response.headers.get("Sec-WebSocket-Accept") == "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
}

TEST_CASE_METHOD(WebSocketTest, "bad upgrades are refused with 400, 403, 405 or 426") {
    auto answer = [&](std::string request) {
        auto connection = connect();
        connection.write(request);
        return connection.read_response();
    };
    auto request = upgrade_request("/ws");
    auto without = [&](std::string_view header) {
        auto start = request.find(header);
        return request.substr(0, start) + request.substr(request.find("\r\n", start) + 2);
    };
    CHECK(answer(without("Sec-WebSocket-Key")).code == 400);
    CHECK(answer(without("Upgrade: websocket")).code == 400);
    CHECK(answer(without("Connection: Upgrade")).code == 400);
    auto short_key = request;
    short_key.replace(short_key.find("dGhlIHNhbXBsZSBub25jZQ=="), 24, "c2hvcnQ=");
    CHECK(answer(short_key).code == 400);

    auto old_version = request;
    old_version.replace(old_version.find("Version: 13"), 11, "Version: 8");
    auto refused = answer(old_version);
    CHECK(refused.code == 426);
    CHECK(refused.headers.get("Sec-WebSocket-Version") == "13");

    auto post = request;
    post.replace(0, 3, "POST");
    CHECK(answer(post).code == 405);

    CHECK(answer(upgrade_request("/ws", "Origin: http://elsewhere.example\r\n")).code == 403);
    auto same_origin = answer(upgrade_request("/ws", "Origin: http://127.0.0.1:" + std::to_string(get_http_port()) + "\r\n"));
    CHECK(same_origin.code == 101);
}

TEST_CASE_METHOD(WebSocketTest, "websocket_connect reports a refused upgrade with its status") {
    websocket::ConnectOptions options;
    options.headers.set("Origin", "http://elsewhere.example");
    try {
        open_client("/ws", options);
        FAIL("connected");
    } catch (const httpclient::HTTPClientError& e) {
        CHECK(e.code == 403);
    }
    CHECK_THROWS_AS(open_client("/nowhere"), httpclient::HTTPClientError);
    CHECK_THROWS_AS(io_loop().run_sync(websocket::websocket_connect("http://127.0.0.1/ws")), std::invalid_argument);
}

// --- raw frames ---

TEST_CASE_METHOD(WebSocketTest, "fragments arrive as one message, with a ping between them answered at once") {
    auto connection = raw_socket();
    std::string bytes = client_frame(0x01, "Hel") + client_frame(0x89, "p") + client_frame(0x00, "lo, ") +
                        client_frame(0x80, "wörld");
    // One byte at a time: the parser takes input split anywhere.
    for (char byte : bytes) connection.write(std::string_view(&byte, 1));
    auto expected = server_frame(0x8a, "p") + server_frame(0x81, "Hello, wörld");
    CHECK(connection.read_until(expected) == expected);
    CHECK(events.seen == std::vector<std::string>{"open", "ping:p"});
}

TEST_CASE_METHOD(WebSocketTest, "the server's ping is answered by the client's pong, which reaches on_pong") {
    auto connection = raw_socket();
    connection.write(client_frame(0x81, "ping"));
    auto ping = server_frame(0x89, "from server");
    CHECK(connection.read_until(ping) == ping);
    connection.write(client_frame(0x8a, "from server"));
    auto reply = ping + server_frame(0x81, "pong:from server");
    CHECK(connection.read_until(reply) == reply);
}

TEST_CASE_METHOD(WebSocketTest, "a close frame is answered with the same code, then the server ends the connection") {
    std::string code;
    std::string expected;
    SECTION("with a code and reason") {
        code = code_bytes(1001) + "away";
        expected = close_frame(1001);
    }
    SECTION("without a code") { expected = server_frame(0x88, ""); }
    SECTION("with a code assigned after RFC 6455") {
        code = code_bytes(1012);
        expected = close_frame(1012);
    }
    SECTION("with an application's code") {
        code = code_bytes(4999);
        expected = close_frame(4999);
    }
    {
        auto connection = raw_socket();
        connection.write(client_frame(0x88, code));
        auto received = connection.read_until_close();
        REQUIRE(received);
        CHECK(*received == expected);
    }
    REQUIRE(wait_for([&] { return events.closed; }));
}

TEST_CASE_METHOD(WebSocketTest, "protocol violations are answered with the close frame the RFC requires") {
    struct Case {
        std::string what;
        std::string bytes;
        std::string expected;
    };
    std::vector<Case> cases{
        {"an unmasked frame from a client", client_frame(0x81, "hi", false), close_frame(1002, "unmasked frame from a client")},
        {"RSV1 without a negotiated extension", client_frame(0xc1, "hi"), close_frame(1002, "reserved bits set without an extension")},
        {"RSV3", client_frame(0x91, "hi"), close_frame(1002, "reserved bits set without an extension")},
        {"a reserved data opcode", client_frame(0x83, ""), close_frame(1002, "reserved data opcode")},
        {"a reserved control opcode", client_frame(0x8b, ""), close_frame(1002, "reserved control opcode")},
        {"a ping of 126 bytes", client_frame(0x89, std::string(126, 'p')), close_frame(1002, "control frame longer than 125 bytes")},
        {"a fragmented ping", client_frame(0x09, "p"), close_frame(1002, "fragmented control frame")},
        {"a continuation without a message", client_frame(0x80, "lost"),
         close_frame(1002, "continuation frame without a message to continue")},
        {"a new message inside a fragmented one", client_frame(0x01, "first") + client_frame(0x81, "second"),
         close_frame(1002, "new message inside a fragmented message")},
        {"a close frame with one byte", client_frame(0x88, "\x03"), close_frame(1002, "close frame with a one-byte payload")},
        {"a close reason that is not UTF-8", client_frame(0x88, code_bytes(1000) + "\xff"),
         close_frame(1007, "invalid UTF-8 in a close reason")},
        {"invalid UTF-8 in a text message",
         client_frame(0x81, "\xce\xba\xe1\xbd\xb9\xcf\x83\xce\xbc\xce\xb5\xed\xa0\x80\x65\x64\x69\x74\x65\x64"),
         close_frame(1007, "invalid UTF-8 in a text message")},
        {"a text message that ends inside a character", client_frame(0x01, "ok \xe2\x82") + client_frame(0x80, ""),
         close_frame(1007, "text message ends inside a UTF-8 sequence")},
    };
    for (int code : {0, 999, 1004, 1005, 1006, 1015, 1016, 2000, 2999, 5000, 65535}) {
        cases.push_back({"close code " + std::to_string(code), client_frame(0x88, code_bytes(static_cast<std::uint16_t>(code))),
                         close_frame(1002, "invalid close code")});
    }
    CapturedLog log;
    for (std::size_t i = 0; i < cases.size(); ++i) {
        INFO(cases[i].what);
        events.closed = false;
        {
            auto connection = raw_socket();
            connection.write(cases[i].bytes);
            auto received = connection.read_until_close();
            REQUIRE(received);
            CHECK(*received == cases[i].expected);
        }
        REQUIRE(wait_for([&] { return events.closed; }));
        CHECK(log.count("WebSocket protocol error") == i + 1);  // once each
    }
}

TEST_CASE_METHOD(WebSocketTest, "invalid UTF-8 fails on the fragment that holds it, before the message ends") {
    auto connection = raw_socket();
    CapturedLog log;
    // A valid first fragment, then one with a surrogate (ED A0 80); the message never ends.
    connection.write(client_frame(0x01, "fine so far ") + client_frame(0x00, "\xed\xa0\x80"));
    auto expected = close_frame(1007, "invalid UTF-8 in a text message");
    CHECK(connection.read_until(expected) == expected);
}

TEST_CASE_METHOD(WebSocketTest, "a character split across fragments is valid") {
    auto connection = raw_socket();
    connection.write(client_frame(0x01, "\xe2") + client_frame(0x00, "\x82") + client_frame(0x80, "\xac!"));
    auto expected = server_frame(0x81, "\xe2\x82\xac!");
    CHECK(connection.read_until(expected) == expected);
}

// --- the write buffer cap ---

namespace {
// Sends 100 messages of 256 KiB without awaiting any (a broadcast's way), each starting with its
// number, with a limit of 1 MiB and the policy of the test; with drop, then "end" once there is
// room.
struct Flood : websocket::WebSocketHandler {
    websocket::OverflowPolicy policy = websocket::OverflowPolicy::close;
    Events* events = nullptr;
    void initialize(websocket::OverflowPolicy p, Events* e) { policy = p, events = e; }
    asio::awaitable<void> open() {
        set_write_buffer_limit(1024 * 1024, policy);
        std::string message(256 * 1024, '.');
        try {
            for (int i = 0; i < 100; ++i) {
                auto number = std::to_string(i);
                message.replace(0, 3, std::string(3 - number.size(), '0') + number);
                write_message(message, true);  // not awaited: a WriteFuture may be ignored
            }
            if (policy != websocket::OverflowPolicy::keep_latest) {
                // With drop, "end" is dropped when there is no room, and the await waits for room;
                // with close, the connection is closed by now, and the await throws.
                co_await write_message("end");
                write_message("end");
            }
        } catch (const websocket::WebSocketClosedError&) {
            events->seen.push_back("write failed: closed");
        }
    }
    void on_close() override { events->closed = true; }
};

// Reads every message until "end", number 99 or the close; returns the numbers of the big ones.
std::vector<int> numbers_received(ioloop::IOLoop& loop, websocket::WebSocketClientConnection& client, bool& ended) {
    std::vector<int> numbers;
    ended = false;
    while (auto message = loop.run_sync(client.read_message())) {
        if (message->data == "end") {
            ended = true;
            break;
        }
        numbers.push_back(std::stoi(message->data.substr(0, 3)));
        if (numbers.back() == 99) break;
    }
    return numbers;
}
}  // namespace

TEST_CASE_METHOD(AppTest, "a reader too slow for a broadcast meets the overflow policy") {
    Events events;
    routes.push_back(web::url<Flood>("/close", websocket::OverflowPolicy::close, &events));
    routes.push_back(web::url<Flood>("/drop", websocket::OverflowPolicy::drop, &events));
    routes.push_back(web::url<Flood>("/latest", websocket::OverflowPolicy::keep_latest, &events));
    auto url = [&](std::string_view path) { return "ws://127.0.0.1:" + std::to_string(get_http_port()) + std::string(path); };
    CapturedLog log;
    bool ended = false;

    SECTION("close: the slow client is cut off") {
        auto client = io_loop().run_sync(websocket::websocket_connect(url("/close")));
        REQUIRE(io_loop().run_until([&] { return events.closed; }, 5s));
        auto numbers = numbers_received(io_loop(), client, ended);
        CHECK_FALSE(ended);
        CHECK(numbers.size() < 100);
        CHECK(events.seen == std::vector<std::string>{"write failed: closed"});
        CHECK(log.contains("reads too slowly"));
    }
    SECTION("drop: the messages past the limit are lost, the rest arrive in order") {
        auto client = io_loop().run_sync(websocket::websocket_connect(url("/drop")));
        io_loop().run_sync(gen::sleep(100ms));  // the handler has queued everything it could
        auto numbers = numbers_received(io_loop(), client, ended);
        CHECK(ended);
        CHECK(numbers.size() < 100);
        for (std::size_t i = 0; i < numbers.size(); ++i) CHECK(numbers[i] == static_cast<int>(i));
        CHECK_FALSE(events.closed);
    }
    SECTION("keep_latest: the waiting messages give way to the newest") {
        auto client = io_loop().run_sync(websocket::websocket_connect(url("/latest")));
        io_loop().run_sync(gen::sleep(100ms));
        auto numbers = numbers_received(io_loop(), client, ended);
        CHECK(numbers.size() < 100);
        REQUIRE_FALSE(numbers.empty());
        CHECK(numbers.back() == 99);  // the newest always goes out
        CHECK(std::is_sorted(numbers.begin(), numbers.end()));
        CHECK_FALSE(events.closed);
    }
}

// --- permessage-deflate ---

namespace {
struct CompressedEcho : websocket::WebSocketHandler {
    std::optional<websocket::CompressionOptions> get_compression_options() override { return websocket::CompressionOptions{}; }
    asio::awaitable<void> on_message(Message message) override { co_await write_message(message); }
};
}  // namespace

TEST_CASE_METHOD(AppTest, "permessage-deflate is negotiated when the handler allows it and the client offers it") {
    routes.push_back(web::url<CompressedEcho>("/deflate"));
    auto request = [&](std::string_view extensions) {
        auto connection = connect();
        connection.write("GET /deflate HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                         "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n" +
                         std::string(extensions) + "\r\n");
        return connection.read_response();
    };
    auto offered = request("Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits\r\n");
    CHECK(offered.code == 101);
    CHECK(offered.headers.get("Sec-WebSocket-Extensions").starts_with("permessage-deflate"));
    auto not_offered = request("");
    CHECK(not_offered.code == 101);
    CHECK_FALSE(not_offered.headers.contains("Sec-WebSocket-Extensions"));

    websocket::ConnectOptions options;
    options.compression_options = websocket::CompressionOptions{};
    auto client = io_loop().run_sync(
        websocket::websocket_connect("ws://127.0.0.1:" + std::to_string(get_http_port()) + "/deflate", options));
    std::string text;
    for (int i = 0; i < 20000; ++i) text += "line " + std::to_string(i % 100) + " é\n";
    for (int round = 0; round < 3; ++round) {  // the compression context carries over between messages
        io_loop().run_sync(client.write_message(text));
        auto echoed = io_loop().run_sync(client.read_message());
        REQUIRE(echoed);
        CHECK(echoed->data == text);
        CHECK_FALSE(echoed->binary);
    }
    io_loop().run_sync(client.write_message(std::string("\x00\x01\x02", 3), true));
    auto binary = io_loop().run_sync(client.read_message());
    REQUIRE(binary);
    CHECK(binary->data == std::string("\x00\x01\x02", 3));
    CHECK(binary->binary);
}

TEST_CASE_METHOD(AppTest, "a compressed message that inflates past the limit is refused with 1009") {
    routes.push_back(web::url<CompressedEcho>("/deflate"));
    settings.websocket_max_message_size = 64 * 1024;
    websocket::ConnectOptions options;
    options.compression_options = websocket::CompressionOptions{};
    auto client = io_loop().run_sync(
        websocket::websocket_connect("ws://127.0.0.1:" + std::to_string(get_http_port()) + "/deflate", options));
    CapturedLog log;
    // A megabyte of zeros deflates to about a kilobyte: small on the wire, too big inflated.
    io_loop().run_sync(client.write_message(std::string(1024 * 1024, '\0'), true));
    CHECK_FALSE(io_loop().run_sync(client.read_message()));
    CHECK(client.close_code() == 1009);
    CHECK(log.contains("message too big"));
}

TEST_CASE_METHOD(WebSocketTest, "a client's offer of compression to a handler without it runs uncompressed") {
    websocket::ConnectOptions options;
    options.compression_options = websocket::CompressionOptions{};
    auto client = open_client("/ws", options);
    write(client, "plain");
    auto echoed = read(client);
    REQUIRE(echoed);
    CHECK(echoed->data == "plain");
}
