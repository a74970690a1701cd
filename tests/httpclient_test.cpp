// httpclient::HTTPResponse as the testing harness's client fills it: responses that are hard to
// frame, served byte for byte by a canned server (a raw acceptor in this file), so the client's
// parser is tested against exactly what a server may send.
#include <tornado/httpclient.hpp>
#include <tornado/testing.hpp>

#include <asio/co_spawn.hpp>
#include <asio/detached.hpp>
#include <asio/ip/tcp.hpp>
#include <asio/read_until.hpp>
#include <asio/steady_timer.hpp>
#include <asio/use_awaitable.hpp>
#include <asio/write.hpp>

#include <catch2/catch.hpp>

#include <memory>
#include <string>
#include <vector>

using namespace tornado;
using namespace std::chrono_literals;
using asio::ip::tcp;

namespace {

// What the canned server does once its pieces are written.
enum class Ending { close, keep_open };

// Accepts one connection, reads one request head, then writes each piece in turn with a pause
// before each one after the first (so the client sees them in separate reads).
class CannedServer {
public:
    CannedServer(ioloop::IOLoop& loop, std::vector<std::string> pieces, Ending ending, ioloop::Duration pause)
        : state_(std::make_shared<State>(loop.context())) {
        asio::co_spawn(loop.context(), serve(state_, std::move(pieces), ending, pause), asio::detached);
    }
    ~CannedServer() {
        std::error_code ignored;
        state_->acceptor.close(ignored);
        state_->socket.close(ignored);
    }

    std::uint16_t port() const { return state_->acceptor.local_endpoint().port(); }
    // The request head the server read.
    const std::string& request() const { return state_->request; }

private:
    struct State {
        explicit State(asio::io_context& context)
            : acceptor(context, {asio::ip::make_address_v4("127.0.0.1"), 0}), socket(context) {}
        tcp::acceptor acceptor;
        tcp::socket socket;
        std::string request;
    };

    static asio::awaitable<void> serve(std::shared_ptr<State> state, std::vector<std::string> pieces, Ending ending,
                                       ioloop::Duration pause) {
        try {
            state->socket = co_await state->acceptor.async_accept(asio::use_awaitable);
            co_await asio::async_read_until(state->socket, asio::dynamic_buffer(state->request), "\r\n\r\n",
                                            asio::use_awaitable);
            asio::steady_timer timer(state->socket.get_executor());
            for (std::size_t i = 0; i < pieces.size(); ++i) {
                if (i > 0) {
                    timer.expires_after(pause);
                    co_await timer.async_wait(asio::use_awaitable);
                }
                co_await asio::async_write(state->socket, asio::buffer(pieces[i]), asio::use_awaitable);
            }
            if (ending == Ending::close) state->socket.close();
        } catch (const std::system_error&) {
            // The test ended first and closed the sockets.
        }
    }

    std::shared_ptr<State> state_;
};

struct CannedResponseTest {
    ioloop::IOLoop loop;
    std::unique_ptr<CannedServer> server;

    CannedResponseTest() { loop.make_current(); }
    ~CannedResponseTest() {
        server.reset();
        loop.context().poll();  // lets the server's coroutine see its sockets closed
    }

    void serve(std::vector<std::string> pieces, Ending ending = Ending::close, ioloop::Duration pause = 10ms) {
        server = std::make_unique<CannedServer>(loop, std::move(pieces), ending, pause);
    }
    httpclient::HTTPResponse fetch(std::string_view path, testing::FetchOptions options = {}) {
        options.timeout = 2s;  // a response the client cannot frame would otherwise wait for 10
        return testing::fetch(loop, server->port(), path, std::move(options));
    }
};

}  // namespace

TEST_CASE_METHOD(CannedResponseTest, "a chunked body with chunk extensions and a trailer") {
    serve({"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n",
           "5;name=value\r\nhello\r\n",
           "6;quoted=\"a;b\";bare\r\n world\r\n0\r\nExpires: never\r\n\r\n"},
          Ending::keep_open);
    auto response = fetch("/");
    CHECK(response.error == "");
    CHECK(response.code == 200);
    CHECK(response.reason == "OK");
    CHECK(response.body == "hello world");
}

TEST_CASE_METHOD(CannedResponseTest, "interim 1xx responses before the final one are skipped") {
    serve({"HTTP/1.1 100 Continue\r\n\r\n",
           "HTTP/1.1 103 Early Hints\r\nLink: </style.css>; rel=preload\r\n\r\n",
           "HTTP/1.1 201 Created\r\nContent-Length: 2\r\nX-Final: yes\r\n\r\nok"},
          Ending::keep_open);
    auto response = fetch("/");
    CHECK(response.code == 201);
    CHECK(response.reason == "Created");
    CHECK(response.body == "ok");
    CHECK(response.headers.get("X-Final") == "yes");
    CHECK_FALSE(response.headers.contains("Link"));  // an interim response's headers are not the final one's
}

TEST_CASE_METHOD(CannedResponseTest, "a body without a length ends when the server closes") {
    serve({"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\n", "first part, ", "last part"}, Ending::close);
    auto response = fetch("/");
    CHECK(response.error == "");
    CHECK(response.code == 200);
    CHECK(response.headers.get("Content-Type") == "text/plain");
    CHECK(response.body == "first part, last part");
}

TEST_CASE_METHOD(CannedResponseTest, "a HEAD response ends at its head, whatever its Content-Length") {
    serve({"HTTP/1.1 200 OK\r\nContent-Length: 1234\r\nContent-Type: text/html\r\n\r\n"}, Ending::keep_open);
    auto response = fetch("/page", {.method = "HEAD"});
    CHECK(server->request().starts_with("HEAD /page HTTP/1.1\r\n"));
    CHECK(response.error == "");
    CHECK(response.code == 200);
    CHECK(response.headers.get("Content-Length") == "1234");
    CHECK(response.body == "");
}

TEST_CASE_METHOD(CannedResponseTest, "204 and 304 responses have no body, even with a Content-Length") {
    const std::string status = GENERATE("204 No Content", "304 Not Modified");
    serve({"HTTP/1.1 " + status + "\r\nContent-Length: 5\r\n\r\n"}, Ending::keep_open);
    auto response = fetch("/");
    CHECK(response.error == "");
    CHECK(std::to_string(response.code) + " " + response.reason == status);
    CHECK(response.body == "");
}

TEST_CASE_METHOD(CannedResponseTest, "a response cut short is a 599 that says why") {
    serve({"HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n", "abc"}, Ending::close);
    auto response = fetch("/");
    CHECK(response.code == 599);
    CHECK(response.error == "connection closed before the response was complete");
}

TEST_CASE_METHOD(CannedResponseTest, "a malformed response is a 599 that says why") {
    serve({"HTTP/1.1 2x0 OK\r\n\r\n"}, Ending::keep_open);
    auto response = fetch("/");
    CHECK(response.code == 599);
    CHECK(response.error.starts_with("malformed response: "));
}

TEST_CASE_METHOD(CannedResponseTest, "fetch fills effective_url and request_time") {
    serve({"HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\n", "done"}, Ending::keep_open, 100ms);
    auto response = fetch("/path?x=1");
    CHECK(response.body == "done");
    CHECK(response.effective_url == "http://127.0.0.1:" + std::to_string(server->port()) + "/path?x=1");
    CHECK(response.request_time >= 100ms);  // the server paused that long before the body
}

TEST_CASE("no server on the port is a 599 with an error") {
    ioloop::IOLoop loop;
    std::uint16_t port = 0;
    {
        tcp::acceptor closed_at_once(loop.context(), {asio::ip::make_address_v4("127.0.0.1"), 0});
        port = closed_at_once.local_endpoint().port();
    }
    auto response = testing::fetch(loop, port, "/", {.timeout = 2s});
    CHECK(response.code == 599);
    CHECK(response.error != "");
    CHECK(response.effective_url == "http://127.0.0.1:" + std::to_string(port) + "/");
}

TEST_CASE_METHOD(CannedResponseTest, "read_response takes one response at a time and stops at a 101") {
    serve({"HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\none"
           "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n"
           "\x81\x02hi"},
          Ending::keep_open);
    testing::RawConnection connection(loop, server->port());
    connection.write("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
    auto first = connection.read_response();
    CHECK(first.code == 200);
    CHECK(first.body == "one");
    auto upgrade = connection.read_response();
    CHECK(upgrade.error == "");
    CHECK(upgrade.code == 101);
    CHECK(upgrade.reason == "Switching Protocols");
    CHECK(upgrade.body == "");
    // What follows the 101's head belongs to the new protocol and is left to read.
    CHECK(connection.read_until("hi") == "\x81\x02hi");
}
