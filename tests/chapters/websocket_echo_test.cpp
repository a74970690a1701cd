// chapters/05-async/websocket_echo over real sockets: the framework's client talks to the
// running sample.
#include "sample.hpp"

#include <tornado/websocket.hpp>

#include <catch2/catch.hpp>

using namespace tornado;

namespace {
std::string echo_url(const testing::ServerProcess& server) {
    return "ws://127.0.0.1:" + std::to_string(server.port()) + "/ws";
}
}  // namespace

TEST_CASE("websocket_echo sends text and binary messages back as they came") {
    testing::ServerProcess echo(sample_path("05-async", "websocket_echo"));
    auto& loop = echo.io_loop();
    auto client = loop.run_sync(websocket::websocket_connect(echo_url(echo)));
    loop.run_sync(client.write_message("Hello, WebSocket"));
    auto text = loop.run_sync(client.read_message());
    REQUIRE(text);
    CHECK(text->data == "Hello, WebSocket");
    CHECK_FALSE(text->binary);

    std::string bytes("\x00\x01\xfe\xff", 4);
    loop.run_sync(client.write_message(bytes, true));
    auto binary = loop.run_sync(client.read_message());
    REQUIRE(binary);
    CHECK(binary->data == bytes);
    CHECK(binary->binary);

    client.close(1000, "done");
    CHECK_FALSE(loop.run_sync(client.read_message()));
    CHECK(client.close_code() == 1000);
}

TEST_CASE("websocket_echo refuses a page from another origin") {
    testing::ServerProcess echo(sample_path("05-async", "websocket_echo"));
    websocket::ConnectOptions options;
    options.headers.set("Origin", "https://elsewhere.example");
    try {
        echo.io_loop().run_sync(websocket::websocket_connect(echo_url(echo), options));
        FAIL("the upgrade was accepted");
    } catch (const httpclient::HTTPClientError& e) {
        CHECK(e.code == 403);
    }
}
