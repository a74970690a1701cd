// Tests for tornado::httpserver: the HTTP/1.1 connection driven over real sockets — keep-alive,
// pipelining, request bodies, limits, timeouts, malformed input, HEAD, chunked responses,
// xheaders and clients that go away.
#include "tornado/gen.hpp"
#include "tornado/httpserver.hpp"
#include "tornado/log.hpp"
#include "tornado/testing.hpp"
#include "tornado/web.hpp"

#include <asio/ip/tcp.hpp>
#include <asio/write.hpp>
#include <catch2/catch.hpp>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <vector>

using namespace tornado;
using namespace std::chrono_literals;
using tornado::testing::RawConnection;

namespace {

// --- handlers ---

// Answers with the request path, so pipelined responses show which request they answer.
struct PathHandler : web::RequestHandler {
    void get() { write(request().path); }
};

// Like PathHandler, but answers 20 ms later from a coroutine.
struct SlowPathHandler : web::RequestHandler {
    asio::awaitable<void> get() {
        co_await gen::sleep(20ms);
        write(request().path);
    }
};

struct EchoHandler : web::RequestHandler {
    void post() { write(request().body); }
};

// Answers with the body's size in bytes, and "corrupt" unless every byte is 'x'.
struct CountHandler : web::RequestHandler {
    void post() {
        const auto& body = request().body;
        bool intact = std::all_of(body.begin(), body.end(), [](char c) { return c == 'x'; });
        write(intact ? std::to_string(body.size()) : "corrupt");
    }
};

// HEAD answers the Content-Length a GET would have, without the body.
struct HeadHandler : web::RequestHandler {
    void head() { set_header("Content-Length", 42); }
    void get() { write(std::string(42, 'x')); }
};

// Sends its body in three flushed parts and a final one.
struct StreamHandler : web::RequestHandler {
    asio::awaitable<void> get() {
        for (int i = 0; i < 3; ++i) {
            write("part" + std::to_string(i) + ";");
            flush();
            co_await gen::sleep(1ms);
        }
        finish("end");
    }
};

// Streams 64 KB pieces until the client goes away (or 200 pieces, about 13 MB, were sent).
struct EndlessHandler : web::RequestHandler {
    static inline bool done = false;
    static inline bool saw_close = false;
    asio::awaitable<void> get() {
        try {
            for (int i = 0; i < 200 && !request().connection->closed(); ++i) {
                write(std::string(64 * 1024, 'z'));
                flush();
                co_await gen::sleep(1ms);
            }
        } catch (const asio::system_error&) {
            // The sleep is cancelled when the client leaves (web_pipeline_test covers that).
        }
        saw_close = request().connection->closed();
        done = true;
    }
};

// Answers with as many bytes as the path asks for, and counts the requests it answered.
struct BytesHandler : web::RequestHandler {
    static inline int answered = 0;
    void get(const std::string& size) {
        write(std::string(std::stoul(size), 'b'));
        ++answered;
    }
};

// Declares a Content-Length of 10 and writes the number of bytes the path asks for.
struct WrongLengthHandler : web::RequestHandler {
    void get(const std::string& size) {
        set_header("Content-Length", 10);
        write(std::string(std::stoul(size), 'w'));
    }
};

// Answers with the value of the header the path names, in brackets.
struct HeaderHandler : web::RequestHandler {
    void get(const std::string& name) { write("[" + request().headers.get(name) + "]"); }
};

struct RemoteHandler : web::RequestHandler {
    void get() { write(request().remote_ip + " " + request().protocol); }
};

std::unique_ptr<web::Application> make_app() {
    return std::make_unique<web::Application>(std::vector<web::URLSpec>{
        web::url<PathHandler>("/path/.*"),
        web::url<SlowPathHandler>("/slow/.*"),
        web::url<EchoHandler>("/echo"),
        web::url<CountHandler>("/count"),
        web::url<HeadHandler>("/head"),
        web::url<StreamHandler>("/stream"),
        web::url<EndlessHandler>("/endless"),
        web::url<BytesHandler>("/bytes/([0-9]+)"),
        web::url<WrongLengthHandler>("/wrong-length/([0-9]+)"),
        web::url<HeaderHandler>("/header/(.+)"),
        web::url<RemoteHandler>("/remote"),
    });
}

// --- fixtures ---

// The server logs every request and every refused one; the tests check behaviour instead.
struct QuietLog {
    log::Level saved = log::level();
    QuietLog() { log::set_level(log::Level::none); }
    ~QuietLog() { log::set_level(saved); }
};

struct HTTPServerTest : testing::AsyncHTTPTestCase {
    QuietLog quiet;

    std::unique_ptr<web::Application> get_app() override { return make_app(); }

    // Sends bytes on a new connection and returns everything the server sent before closing it.
    std::string answer_to(std::string_view bytes) {
        auto connection = connect();
        connection.write(bytes);
        auto received = connection.read_until_close(2s);
        REQUIRE(received);  // the server closed the connection
        return *received;
    }
};

// The server under test gets the options a fixture's constructor sets.
struct OptionsTest : HTTPServerTest {
    httpserver::HTTPServerOptions options;
    httpserver::HTTPServerOptions get_httpserver_options() override { return options; }
};

struct SmallLimitsTest : OptionsTest {
    SmallLimitsTest() {
        options.max_header_size = 4 * 1024;
        options.max_body_size = 64 * 1024;
    }
};

struct IdleTimeoutTest : OptionsTest {
    IdleTimeoutTest() { options.idle_connection_timeout = 300ms; }
};

struct HeaderTimeoutTest : OptionsTest {
    HeaderTimeoutTest() { options.header_timeout = 300ms; }
};

struct BodyTimeoutTest : OptionsTest {
    BodyTimeoutTest() { options.body_timeout = 200ms; }
};

struct NoKeepAliveTest : OptionsTest {
    NoKeepAliveTest() { options.no_keep_alive = true; }
};

struct XHeadersTest : OptionsTest {
    XHeadersTest() { options.xheaders = true; }
};

// Short timeouts, so that every connection of the robustness test ends quickly.
struct RobustnessTest : OptionsTest {
    RobustnessTest() {
        options.idle_connection_timeout = 100ms;
        options.header_timeout = 100ms;
        options.body_timeout = 100ms;
    }
};

// --- helpers ---

// "GET path HTTP/1.1" with a Host header, the given header lines (each ending in CRLF) and the
// blank line.
std::string get(std::string_view path, std::string_view headers = "", std::string_view version = "HTTP/1.1") {
    return "GET " + std::string(path) + " " + std::string(version) + "\r\nHost: 127.0.0.1\r\n" + std::string(headers) +
           "\r\n";
}

std::string post_headers(std::string_view path, std::string_view headers) {
    return "POST " + std::string(path) + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" + std::string(headers) + "\r\n";
}

std::string status_line(std::string_view received) { return std::string(received.substr(0, received.find("\r\n"))); }

std::string header_block(std::string_view received) {
    return std::string(received.substr(0, received.find("\r\n\r\n") + 4));
}

std::string body_of(std::string_view received) {
    auto end = received.find("\r\n\r\n");
    return end == std::string_view::npos ? std::string() : std::string(received.substr(end + 4));
}

std::string chunk(std::string_view data, std::string_view extension = "") {
    char size[16];
    std::snprintf(size, sizeof size, "%zx", data.size());
    return std::string(size) + std::string(extension) + "\r\n" + std::string(data) + "\r\n";
}

// The status code of "HTTP/1.1 200 OK…", or 0 when received does not start with a status line.
int status_of(std::string_view received) {
    if (!received.starts_with("HTTP/1.") || received.size() < 12) return 0;
    return std::atoi(std::string(received.substr(9, 3)).c_str());
}

bool is_bad_request(std::string_view received) { return status_of(received) == 400; }

std::size_t count(std::string_view text, std::string_view needle) {
    std::size_t found = 0;
    for (auto at = text.find(needle); at != std::string_view::npos; at = text.find(needle, at + needle.size())) ++found;
    return found;
}

// Applies a few random edits (byte changes, insertions of HTTP tokens, deletions, cuts).
std::string mutate(std::string bytes, std::mt19937& random) {
    static const std::array<std::string_view, 12> tokens{
        "\r\n", "\n", ":", " ", "-1", "chunked", std::string_view("\0", 1), "Content-Length: 9999\r\n",
        "Transfer-Encoding: chunked\r\n", "ffffffffffffffffff\r\n", "\xff\xfe", "Connection: close\r\n"};
    auto below = [&](std::size_t n) { return n == 0 ? std::size_t{0} : random() % n; };
    for (auto edits = 1 + below(4); edits > 0; --edits) {
        auto at = below(bytes.size() + 1);
        switch (below(6)) {
        case 0:
            if (!bytes.empty()) bytes[below(bytes.size())] = static_cast<char>(random());
            break;
        case 1: bytes.insert(at, 1, static_cast<char>(random())); break;
        case 2: bytes.erase(at, below(8)); break;
        case 3: bytes.insert(at, tokens[below(tokens.size())]); break;
        case 4: bytes.resize(at); break;
        default: bytes.insert(at, bytes.substr(below(bytes.size() + 1), below(16))); break;
        }
    }
    return bytes;
}
// A client that reads nothing until asked to, for seeing what the server does meanwhile
// (RawConnection reads whenever the loop runs).
class SlowReader {
public:
    SlowReader(ioloop::IOLoop& loop, std::uint16_t port) : loop_(loop), socket_(loop.context()) {
        socket_.connect({asio::ip::make_address_v4("127.0.0.1"), port});
    }
    ~SlowReader() {
        *alive_ = false;
        std::error_code ignored;
        socket_.close(ignored);
    }
    void write(std::string_view bytes) { asio::write(socket_, asio::buffer(bytes)); }  // small requests only
    // Starts reading and returns all that arrived once the server closed the connection.
    std::optional<std::string> read_until_close(ioloop::Duration timeout) {
        read_more();
        if (!loop_.run_until([&] { return eof_; }, timeout)) return std::nullopt;
        return received_;
    }

private:
    void read_more() {
        socket_.async_read_some(asio::buffer(buffer_), [this, alive = alive_](std::error_code error, std::size_t length) {
            if (!*alive) return;
            if (error) {
                eof_ = true;
                return;
            }
            received_.append(buffer_.data(), length);
            read_more();
        });
    }

    ioloop::IOLoop& loop_;
    asio::ip::tcp::socket socket_;
    std::array<char, 64 * 1024> buffer_;
    std::string received_;
    bool eof_ = false;
    std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace

// --- keep-alive ---

TEST_CASE_METHOD(HTTPServerTest, "keep-alive: two requests on one connection get two responses") {
    auto connection = connect();
    connection.write(get("/path/one"));
    auto first = connection.read_response();
    connection.write(get("/path/two"));
    auto second = connection.read_response();

    CHECK(first.code == 200);
    CHECK(first.body == "/path/one");
    CHECK(second.code == 200);
    CHECK(second.body == "/path/two");
    CHECK(connection.is_open());
    CHECK(http_server().connection_count() == 1);
}

TEST_CASE_METHOD(HTTPServerTest, "keep-alive: a big request and a big response, then small ones, on one connection") {
    auto connection = connect();
    // A 40 KB header value, echoed in a 40 KB body.
    connection.write(get("/header/X-Big", "X-Big: " + std::string(40 * 1024, 'h') + "\r\n"));
    auto big_echo = connection.read_response(5s);
    CHECK(big_echo.code == 200);
    CHECK(big_echo.body == "[" + std::string(40 * 1024, 'h') + "]");
    // 4 MB: more than the socket takes at once, so most of it waits in the server's queue.
    connection.write(get("/bytes/4000000"));
    auto big_body = connection.read_response(10s);
    CHECK(big_body.code == 200);
    CHECK(big_body.body.size() == 4000000);
    CHECK(big_body.body.find_first_not_of('b') == std::string::npos);
    // Small requests after them see nothing of the big ones, and pipelining still keeps order.
    connection.write(get("/header/X-Big"));
    auto small_echo = connection.read_response();
    CHECK(small_echo.code == 200);
    CHECK(small_echo.body == "[]");
    connection.write(get("/header/X-Small", "X-Small: s\r\n") + get("/path/a") + get("/path/b"));
    CHECK(connection.read_response().body == "[s]");
    CHECK(connection.read_response().body == "/path/a");
    CHECK(connection.read_response().body == "/path/b");
    CHECK(connection.is_open());
}

TEST_CASE_METHOD(HTTPServerTest, "keep-alive: HTTP/1.0 without keep-alive is closed after the response") {
    auto received = answer_to("GET /path/old HTTP/1.0\r\n\r\n");

    CHECK(status_line(received).ends_with(" 200 OK"));
    CHECK(header_block(received).find("Connection: keep-alive") == std::string::npos);
    CHECK(body_of(received) == "/path/old");
}

TEST_CASE_METHOD(HTTPServerTest, "keep-alive: HTTP/1.0 with Connection: keep-alive stays open") {
    auto connection = connect();
    connection.write(get("/path/a", "Connection: keep-alive\r\n", "HTTP/1.0"));
    auto first = connection.read_response();
    connection.write(get("/path/b", "Connection: keep-alive\r\n", "HTTP/1.0"));
    auto second = connection.read_response();

    CHECK(first.headers.get("Connection") == "keep-alive");
    CHECK(first.body == "/path/a");
    CHECK(second.body == "/path/b");
    CHECK(connection.is_open());
}

TEST_CASE_METHOD(HTTPServerTest, "keep-alive: Connection: close on HTTP/1.1 closes after the response") {
    auto received = answer_to(get("/path/last", "Connection: close\r\n"));

    CHECK(status_line(received) == "HTTP/1.1 200 OK");
    CHECK(header_block(received).find("Connection: close\r\n") != std::string::npos);
    CHECK(body_of(received) == "/path/last");
}

TEST_CASE_METHOD(NoKeepAliveTest, "keep-alive: no_keep_alive closes every connection after its response") {
    auto received = answer_to(get("/path/once"));

    CHECK(header_block(received).find("Connection: close\r\n") != std::string::npos);
    CHECK(body_of(received) == "/path/once");
}

TEST_CASE_METHOD(HTTPServerTest, "keep-alive: an Upgrade request is answered and the connection closed") {
    // No protocol switch is supported: what follows the request is not HTTP any more.
    auto received = answer_to(get("/path/up", "Connection: Upgrade\r\nUpgrade: websocket\r\n") + "not http");

    CHECK(status_line(received) == "HTTP/1.1 200 OK");
    CHECK(header_block(received).find("Connection: close\r\n") != std::string::npos);
    CHECK(body_of(received) == "/path/up");
}

TEST_CASE_METHOD(HTTPServerTest, "keep-alive: a CONNECT request is answered and the connection closed") {
    auto received = answer_to("CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\nnot http");

    CHECK(status_of(received) >= 400);
    CHECK(header_block(received).find("Connection: close\r\n") != std::string::npos);
}

// --- pipelining ---

TEST_CASE_METHOD(HTTPServerTest, "pipelining: requests written at once are answered in order") {
    auto connection = connect();
    connection.write(get("/path/1") + get("/path/2") + get("/path/3") + get("/path/4"));

    for (int i = 1; i <= 4; ++i) {
        auto response = connection.read_response();
        CHECK(response.code == 200);
        CHECK(response.body == "/path/" + std::to_string(i));
    }
    CHECK(connection.is_open());
}

TEST_CASE_METHOD(HTTPServerTest, "pipelining: a handler that answers later keeps the order") {
    auto connection = connect();
    connection.write(get("/slow/1") + get("/path/2") + get("/slow/3") + get("/path/4"));

    for (auto expected : {"/slow/1", "/path/2", "/slow/3", "/path/4"}) {
        auto response = connection.read_response();
        CHECK(response.code == 200);
        CHECK(response.body == expected);
    }
}

TEST_CASE_METHOD(HTTPServerTest, "pipelining: a client that reads no responses makes the server stop reading") {
    BytesHandler::answered = 0;
    constexpr int requests = 400;  // 400 answers of 64 KB: more than the socket buffers hold
    std::string pipeline;
    for (int i = 1; i < requests; ++i) pipeline += get("/bytes/65536");
    pipeline += get("/bytes/65536", "Connection: close\r\n");
    SlowReader reader(io_loop(), get_http_port());
    reader.write(pipeline);
    io_loop().run_until([] { return false; }, 300ms);

    // Unsent answers would pile up in memory; the server waits for the client instead.
    CHECK(BytesHandler::answered < requests / 2);
    auto received = reader.read_until_close(10s);
    REQUIRE(received);
    CHECK(count(*received, "HTTP/1.1 200 OK\r\n") == requests);
    CHECK(BytesHandler::answered == requests);
}

TEST_CASE_METHOD(HTTPServerTest, "pipelining: a request arriving one byte at a time is parsed") {
    auto connection = connect();
    auto request = get("/path/slowly") + get("/path/next");
    for (char c : request) connection.write(std::string_view(&c, 1));

    CHECK(connection.read_response().body == "/path/slowly");
    CHECK(connection.read_response().body == "/path/next");
}

// --- request headers ---

TEST_CASE_METHOD(HTTPServerTest, "headers: whitespace around a header value is not part of it") {
    auto connection = connect();
    connection.write(get("/header/X-Padded", "X-Padded: \t padded value \t \r\n"));

    CHECK(connection.read_response().body == "[padded value]");
}

TEST_CASE_METHOD(HTTPServerTest, "headers: Expect: 100-continue is recognised with trailing whitespace") {
    auto connection = connect();
    connection.write(post_headers("/echo", "Content-Length: 2\r\nExpect: 100-Continue \r\n"));
    CHECK(connection.read_until("\r\n\r\n").starts_with("HTTP/1.1 100 (Continue)\r\n"));

    connection.write("ok");
    CHECK(connection.read_response().body == "ok");
}

// --- request bodies ---

TEST_CASE_METHOD(HTTPServerTest, "body: a Content-Length body is echoed") {
    auto response = fetch("/echo", "POST", "hello, body");

    CHECK(response.code == 200);
    CHECK(response.body == "hello, body");
}

TEST_CASE_METHOD(HTTPServerTest, "body: a chunked body with extensions and trailers is echoed") {
    auto connection = connect();
    connection.write(post_headers("/echo", "Transfer-Encoding: chunked\r\n"));
    connection.write(chunk("hello"));
    connection.write(chunk(", ", ";ext=1") + chunk("chunked", ";name=\"quoted value\""));
    connection.write(chunk(" world") + "0\r\nX-Trailer: done\r\n\r\n");
    auto response = connection.read_response();

    CHECK(response.code == 200);
    CHECK(response.body == "hello, chunked world");
}

TEST_CASE_METHOD(HTTPServerTest, "body: Expect: 100-continue gets 100 (Continue) before the response") {
    auto connection = connect();
    connection.write(post_headers("/echo", "Content-Length: 7\r\nExpect: 100-continue\r\n"));
    CHECK(connection.read_until("\r\n\r\n") == "HTTP/1.1 100 (Continue)\r\n\r\n");

    connection.write("payload");
    auto response = connection.read_response();
    CHECK(response.code == 200);
    CHECK(response.body == "payload");
}

TEST_CASE_METHOD(HTTPServerTest, "body: a 10 MB body arrives whole") {
    auto response = fetch("/count", "POST", std::string(10 * 1024 * 1024, 'x'));

    CHECK(response.code == 200);
    CHECK(response.body == std::to_string(10 * 1024 * 1024));
}

// --- limits ---

TEST_CASE_METHOD(SmallLimitsTest, "limits: a header block just under max_header_size is accepted") {
    auto response = fetch("/path/big", "GET", "", {{"X-Big", std::string(3 * 1024, 'a')}});

    CHECK(response.code == 200);
}

TEST_CASE_METHOD(SmallLimitsTest, "limits: a header block over max_header_size gets 431 and a close") {
    auto received = answer_to(get("/path/big", "X-Big: " + std::string(5 * 1024, 'a') + "\r\n"));

    CHECK(status_of(received) == 431);
}

TEST_CASE_METHOD(HTTPServerTest, "limits: a 70 KB header is over the default 64 KB limit") {
    auto received = answer_to(get("/path/big", "X-Big: " + std::string(70 * 1024, 'a') + "\r\n"));

    CHECK(status_of(received) == 431);
}

TEST_CASE_METHOD(SmallLimitsTest, "limits: a body of exactly max_body_size is accepted") {
    auto response = fetch("/count", "POST", std::string(64 * 1024, 'x'));

    CHECK(response.body == std::to_string(64 * 1024));
}

TEST_CASE_METHOD(SmallLimitsTest, "limits: a Content-Length over max_body_size gets 413 before the body is sent") {
    // Only the headers are sent: the answer must not wait for the body.
    auto received = answer_to(post_headers("/echo", "Content-Length: 1000000\r\n"));

    CHECK(status_of(received) == 413);
}

TEST_CASE_METHOD(SmallLimitsTest, "limits: Expect: 100-continue over max_body_size gets 413 instead of 100") {
    auto received = answer_to(post_headers("/echo", "Content-Length: 1000000\r\nExpect: 100-continue\r\n"));

    CHECK(status_of(received) == 413);
}

TEST_CASE_METHOD(SmallLimitsTest, "limits: a chunked body growing past max_body_size gets 413") {
    std::string request = post_headers("/echo", "Transfer-Encoding: chunked\r\n");
    for (int i = 0; i < 5; ++i) request += chunk(std::string(16 * 1024, 'x'));
    request += "0\r\n\r\n";
    auto received = answer_to(request);

    CHECK(status_of(received) == 413);
}

TEST_CASE_METHOD(SmallLimitsTest, "limits: after a 413 a new connection is served normally") {
    REQUIRE(status_of(answer_to(post_headers("/echo", "Content-Length: 1000000\r\n"))) == 413);

    auto response = fetch("/echo", "POST", "small");
    CHECK(response.code == 200);
    CHECK(response.body == "small");
}

// --- timeouts ---

TEST_CASE_METHOD(IdleTimeoutTest, "timeouts: an idle keep-alive connection is closed after idle_connection_timeout") {
    auto connection = connect();
    connection.write(get("/path/a"));
    REQUIRE(connection.read_response().code == 200);

    auto idle_since = std::chrono::steady_clock::now();
    auto received = connection.read_until_close(1s);
    auto waited = std::chrono::steady_clock::now() - idle_since;

    REQUIRE(received);
    CHECK(received->empty());
    CHECK(waited >= 250ms);
}

TEST_CASE_METHOD(IdleTimeoutTest, "timeouts: a connection in use outlives idle_connection_timeout") {
    auto connection = connect();
    // Six requests 75 ms apart: the connection lives longer than the 300 ms timeout but is never
    // idle that long (the margin leaves room for a loaded CI machine).
    for (int i = 0; i < 6; ++i) {
        CHECK_FALSE(connection.read_until_close(75ms));
        connection.write(get("/path/" + std::to_string(i)));
        CHECK(connection.read_response().body == "/path/" + std::to_string(i));
    }
}

TEST_CASE_METHOD(HeaderTimeoutTest, "timeouts: a connection that never sends a request is closed") {
    auto connection = connect();
    auto received = connection.read_until_close(1s);

    REQUIRE(received);
    CHECK(received->empty());
}

TEST_CASE_METHOD(IdleTimeoutTest, "timeouts: a response still being written is not cut off as idle") {
    constexpr std::size_t size = 12 * 1024 * 1024;  // more than the socket buffers hold
    SlowReader reader(io_loop(), get_http_port());
    reader.write(get("/bytes/" + std::to_string(size)));
    io_loop().run_until([] { return false; }, 600ms);  // twice the idle timeout without reading

    auto received = reader.read_until_close(5s);
    REQUIRE(received);  // closed once idle after the response
    CHECK(status_of(*received) == 200);
    CHECK(body_of(*received).size() == size);
}

TEST_CASE_METHOD(HeaderTimeoutTest, "timeouts: a header block that stalls is cut off after header_timeout") {
    auto connection = connect();
    connection.write("GET /path/a HTTP/1.1\r\nHost:");
    auto received = connection.read_until_close(1s);

    REQUIRE(received);
    CHECK(received->empty());
}

TEST_CASE_METHOD(BodyTimeoutTest, "timeouts: a body that stalls is cut off after body_timeout") {
    auto connection = connect();
    connection.write(post_headers("/echo", "Content-Length: 100\r\n") + "only ten b");

    auto stalled_since = std::chrono::steady_clock::now();
    auto received = connection.read_until_close(1s);
    auto waited = std::chrono::steady_clock::now() - stalled_since;

    REQUIRE(received);
    CHECK(received->empty());
    CHECK(waited >= 150ms);
}

// --- malformed input ---

TEST_CASE_METHOD(HTTPServerTest, "malformed: a garbage request line gets 400 and a close") {
    CHECK(is_bad_request(answer_to("this is not http\r\n\r\n")));
    CHECK(is_bad_request(answer_to("GET /path/a HTTP/1.1 trailing\r\nHost: x\r\n\r\n")));
    CHECK(is_bad_request(answer_to("GET /path/a HTTP/9.7\r\nHost: x\r\n\r\n")));
}

TEST_CASE_METHOD(HTTPServerTest, "malformed: bad header syntax gets 400 and a close") {
    CHECK(is_bad_request(answer_to(get("/path/a", "X-Space : before colon\r\n"))));
    CHECK(is_bad_request(answer_to(get("/path/a", "X-Bad\x01Name: value\r\n"))));
    CHECK(is_bad_request(answer_to(get("/path/a", "No colon at all\r\n"))));
    CHECK(is_bad_request(answer_to(get("/path/a", std::string("X-Nul: a\0b\r\n", 12)))));
}

TEST_CASE_METHOD(HTTPServerTest, "malformed: a Transfer-Encoding that does not end in chunked gets 400") {
    CHECK(is_bad_request(answer_to(post_headers("/echo", "Transfer-Encoding: gzip\r\n") + "hello")));
    CHECK(is_bad_request(answer_to(post_headers("/echo", "Transfer-Encoding: chunked, gzip\r\n") + "hello")));
}

TEST_CASE_METHOD(HTTPServerTest, "malformed: an invalid chunk size gets 400 and a close") {
    CHECK(is_bad_request(answer_to(post_headers("/echo", "Transfer-Encoding: chunked\r\n") + "zz\r\nhello\r\n0\r\n\r\n")));
}

TEST_CASE_METHOD(HTTPServerTest, "malformed: Content-Length with Transfer-Encoding gets 400 and a close") {
    auto headers = "Content-Length: 5\r\nTransfer-Encoding: chunked\r\n";
    CHECK(is_bad_request(answer_to(post_headers("/echo", headers) + "5\r\nhello\r\n0\r\n\r\n")));
}

TEST_CASE_METHOD(HTTPServerTest, "malformed: a negative, invalid or conflicting Content-Length gets 400") {
    CHECK(is_bad_request(answer_to(post_headers("/echo", "Content-Length: -1\r\n"))));
    CHECK(is_bad_request(answer_to(post_headers("/echo", "Content-Length: abc\r\n"))));
    CHECK(is_bad_request(answer_to(post_headers("/echo", "Content-Length: 5\r\nContent-Length: 6\r\n") + "hello!")));
}

TEST_CASE_METHOD(HTTPServerTest, "malformed: bare LF line endings get a 400 or a valid answer") {
    auto received = answer_to("GET /path/lf HTTP/1.1\nHost: x\nConnection: close\n\n");

    bool answered = status_line(received) == "HTTP/1.1 200 OK" && body_of(received) == "/path/lf";
    CHECK((answered || is_bad_request(received)));
}

TEST_CASE_METHOD(HTTPServerTest, "malformed: earlier pipelined requests are answered before the 400") {
    auto connection = connect();
    connection.write(get("/path/good") + "BAD REQUEST\r\n\r\n");

    CHECK(connection.read_response().body == "/path/good");
    auto rest = connection.read_until_close(2s);
    REQUIRE(rest);
    CHECK(is_bad_request(*rest));
}

TEST_CASE_METHOD(RobustnessTest, "malformed: hundreds of mutated requests each end and leave the server working") {
    const std::vector<std::string> seeds{
        get("/path/a"),
        get("/head", "Connection: keep-alive\r\n", "HTTP/1.0"),
        get("/remote", "Expect: 100-continue\r\nX-Real-Ip: 10.0.0.1\r\n"),
        get("/path/up", "Connection: Upgrade\r\nUpgrade: h2c\r\n") + get("/path/next"),
        post_headers("/echo", "Content-Length: 5\r\n") + "hello",
        post_headers("/echo", "Transfer-Encoding: chunked\r\n") + chunk("hello", ";x=y") + "0\r\n\r\n",
    };
    std::mt19937 random(20240611);
    for (int batch = 0; batch < 6; ++batch) {
        std::vector<RawConnection> connections;
        for (int i = 0; i < 50; ++i) {
            connections.push_back(connect());
            connections.back().write(mutate(seeds[random() % seeds.size()], random));
        }
        // Answered, refused or timed out: the server closes every one of them.
        bool all_closed = io_loop().run_until(
            [&] { return std::none_of(connections.begin(), connections.end(), [](auto& c) { return c.is_open(); }); },
            3s);
        REQUIRE(all_closed);
        for (auto& connection : connections) {
            auto received = connection.read_until("", 0s);
            INFO(received);
            CHECK((received.empty() || received.starts_with("HTTP/1.")));
        }
    }
    CHECK(fetch("/path/after").body == "/path/after");
}

// --- HEAD ---

TEST_CASE_METHOD(HTTPServerTest, "HEAD: Content-Length is answered without body bytes") {
    auto connection = connect();
    connection.write("HEAD /head HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n" + get("/path/next"));
    auto received = connection.read_until("/path/next");

    auto head = header_block(received);
    CHECK(status_line(head) == "HTTP/1.1 200 OK");
    CHECK(head.find("Content-Length: 42\r\n") != std::string::npos);
    // The next response starts right after the HEAD response's headers.
    CHECK(received.substr(head.size()).starts_with("HTTP/1.1 200 OK\r\n"));
    CHECK(received.ends_with("\r\n\r\n/path/next"));
}

TEST_CASE_METHOD(HTTPServerTest, "HEAD: the same handler's GET sends the body") {
    CHECK(fetch("/head").body == std::string(42, 'x'));
}

// --- chunked responses ---

TEST_CASE_METHOD(HTTPServerTest, "chunked response: an HTTP/1.1 client gets a flushed body in chunks") {
    auto connection = connect();
    connection.write(get("/stream") + get("/path/after"));
    auto streamed = connection.read_response();
    auto after = connection.read_response();

    CHECK(streamed.headers.get("Transfer-Encoding") == "chunked");
    CHECK_FALSE(streamed.headers.contains("Content-Length"));
    CHECK(streamed.body == "part0;part1;part2;end");
    CHECK(after.body == "/path/after");  // the chunked framing ended where it should
}

TEST_CASE_METHOD(HTTPServerTest, "chunked response: an HTTP/1.0 client gets the body close-delimited") {
    auto received = answer_to("GET /stream HTTP/1.0\r\n\r\n");

    auto head = header_block(received);
    CHECK(status_line(head).ends_with(" 200 OK"));
    CHECK(head.find("Transfer-Encoding") == std::string::npos);
    CHECK(head.find("Content-Length") == std::string::npos);
    CHECK(body_of(received) == "part0;part1;part2;end");
}

// --- responses that break their own framing ---

TEST_CASE_METHOD(HTTPServerTest, "framing: a body shorter than its Content-Length closes the connection") {
    auto connection = connect();
    connection.write(get("/wrong-length/5") + get("/path/next"));
    auto received = connection.read_until_close(2s);

    REQUIRE(received);  // the client cannot tell where this response ends, so nothing may follow it
    CHECK(received->find("/path/next") == std::string::npos);
}

TEST_CASE_METHOD(HTTPServerTest, "framing: a body longer than its Content-Length closes the connection") {
    auto connection = connect();
    connection.write(get("/wrong-length/15") + get("/path/next"));
    auto received = connection.read_until_close(2s);

    REQUIRE(received);  // the surplus would be read as the start of the next response
    CHECK(received->find("wwwwwwwwwww") == std::string::npos);
    CHECK(received->find("/path/next") == std::string::npos);
}

// --- xheaders ---

TEST_CASE_METHOD(XHeadersTest, "xheaders: X-Real-Ip sets remote_ip") {
    CHECK(fetch("/remote", "GET", "", {{"X-Real-Ip", "4.4.4.4"}}).body == "4.4.4.4 http");
    CHECK(fetch("/remote", "GET", "", {{"X-Real-Ip", "2001:db8::1"}}).body == "2001:db8::1 http");
}

TEST_CASE_METHOD(XHeadersTest, "xheaders: the last hop of X-Forwarded-For sets remote_ip") {
    CHECK(fetch("/remote", "GET", "", {{"X-Forwarded-For", "1.1.1.1, 2.2.2.2"}}).body == "2.2.2.2 http");
}

TEST_CASE_METHOD(XHeadersTest, "xheaders: X-Forwarded-Proto sets the protocol") {
    CHECK(fetch("/remote", "GET", "", {{"X-Forwarded-Proto", "https"}}).body == "127.0.0.1 https");
    CHECK(fetch("/remote", "GET", "", {{"X-Forwarded-Proto", "http, https"}}).body == "127.0.0.1 https");
}

TEST_CASE_METHOD(XHeadersTest, "xheaders: an invalid address or scheme is ignored") {
    CHECK(fetch("/remote", "GET", "", {{"X-Real-Ip", "not-an-ip"}}).body == "127.0.0.1 http");
    CHECK(fetch("/remote", "GET", "", {{"X-Forwarded-For", "1.1.1.1, 999.1.1.1"}}).body == "127.0.0.1 http");
    CHECK(fetch("/remote", "GET", "", {{"X-Forwarded-Proto", "gopher"}}).body == "127.0.0.1 http");
}

TEST_CASE_METHOD(HTTPServerTest, "xheaders: without xheaders the headers are ignored") {
    httputil::HTTPHeaders headers{{"X-Real-Ip", "4.4.4.4"}, {"X-Forwarded-Proto", "https"}};
    CHECK(fetch("/remote", "GET", "", headers).body == "127.0.0.1 http");
}

// --- clients that go away ---

TEST_CASE_METHOD(HTTPServerTest, "disconnect: a client leaving mid-request does not disturb the server") {
    {
        auto connection = connect();
        connection.write(post_headers("/echo", "Content-Length: 100\r\nExpect: 100-continue\r\n"));
        REQUIRE(connection.read_until("\r\n\r\n").starts_with("HTTP/1.1 100"));  // the server is reading the body
        connection.write("part of the body");
    }
    CHECK(io_loop().run_until([&] { return http_server().connection_count() == 0; }, 2s));
    CHECK(fetch("/path/after").body == "/path/after");
}

TEST_CASE_METHOD(HTTPServerTest, "disconnect: a client leaving before a coroutine handler answers") {
    {
        auto connection = connect();
        connection.write(get("/slow/gone"));
        REQUIRE(io_loop().run_until([&] { return http_server().connection_count() == 1; }, 2s));
    }
    CHECK(io_loop().run_until([&] { return http_server().connection_count() == 0; }, 2s));
    CHECK(fetch("/path/after").body == "/path/after");
}

TEST_CASE_METHOD(HTTPServerTest, "disconnect: a client leaving mid-response does not disturb the server") {
    EndlessHandler::done = EndlessHandler::saw_close = false;
    {
        auto connection = connect();
        connection.write(get("/endless"));
        REQUIRE(connection.read_until("zzzz").find("Transfer-Encoding: chunked") != std::string::npos);
    }
    REQUIRE(io_loop().run_until([] { return EndlessHandler::done; }, 5s));
    CHECK(EndlessHandler::saw_close);  // the handler learned that nobody listens any more
    CHECK(io_loop().run_until([&] { return http_server().connection_count() == 0; }, 2s));
    CHECK(fetch("/path/after").body == "/path/after");
}
