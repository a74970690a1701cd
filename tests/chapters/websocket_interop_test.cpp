// Independent peers against our WebSocket code, both ways: Python's `websockets` and Node's `ws`
// (tests/websocket_peers) as clients of chapters/05-async/websocket_echo, and as echo servers for
// websocket_connect, each with and without permessage-deflate. They share no code with ours.
#include "sample.hpp"

#include <tornado/websocket.hpp>

#include <catch2/catch.hpp>

#include <string>
#include <vector>

using namespace tornado;

namespace {
const std::string peers = std::string(TORNADO_SOURCE_DIR) + "/tests/websocket_peers/";

struct Peer {
    std::string name;
    std::string program;  // an executable script
};

const std::vector<Peer> all_peers{{"Python websockets", peers + "websockets_peer.py"}, {"Node ws", peers + "ws_peer.mjs"}};
}  // namespace

TEST_CASE("Python websockets and Node ws, as clients, get every echo back from websocket_echo") {
    testing::ServerProcess echo(sample_path("05-async", "websocket_echo"));
    auto url = "ws://127.0.0.1:" + std::to_string(echo.port()) + "/ws";
    for (const auto& peer : all_peers) {
        for (std::string compress : {"", " --compress"}) {
            INFO(peer.name << compress);
            // The peer checks each echo's type and content, the pong and the close; it exits 0
            // only when all of them passed, and with --compress only when deflate was agreed.
            auto result = run_program(peer.program, "--connect=" + url + compress);
            INFO(result.output);
            CHECK(result.exit_code == 0);
        }
    }
}

TEST_CASE("websocket_connect gets every message back from Python websockets' and Node ws's echo servers") {
    std::vector<websocket::Message> messages{
        {"hello", false}, {"h\xc3\xa9llo \xe2\x9c\x93", false}, {"", false}, {"", true},
        {std::string("\x00\x01\xfe\xff", 4), true}, {std::string(1024 * 1024, 'w'), false}};
    for (const auto& peer : all_peers) {
        for (bool compress : {false, true}) {
            INFO(peer.name << (compress ? " with permessage-deflate" : ""));
            testing::ServerProcess server(peer.program, compress ? std::vector<std::string>{"--compress"} : std::vector<std::string>{});
            websocket::ConnectOptions options;
            if (compress) options.compression_options = websocket::CompressionOptions{};
            auto& loop = server.io_loop();
            auto client = loop.run_sync(websocket::websocket_connect(
                "ws://127.0.0.1:" + std::to_string(server.port()) + "/", std::move(options)));
            for (const auto& message : messages) {
                loop.run_sync(client.write_message(message));
                auto echoed = loop.run_sync(client.read_message());
                REQUIRE(echoed);
                CHECK(echoed->binary == message.binary);
                CHECK(echoed->data == message.data);
            }
            client.close(1000, "done");
            CHECK_FALSE(loop.run_sync(client.read_message()));
            CHECK(client.close_code() == 1000);
        }
    }
}
