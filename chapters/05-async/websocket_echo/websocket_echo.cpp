// websocket_echo: the chapter's first WebSocket. /ws sends every message back as it came, text
// as text and binary as binary, with Tornado's defaults: same-origin pages only, messages up to
// 10 MiB (--max_message_size changes that, for conformance suites that send 16 MiB). Unlike
// Tornado's default it allows compression, so a client that offers permessage-deflate gets it.
#include <tornado/tornado.hpp>

using namespace tornado;

struct EchoWebSocket : websocket::WebSocketHandler {
    std::optional<websocket::CompressionOptions> get_compression_options() override { return websocket::CompressionOptions{}; }

    asio::awaitable<void> on_message(websocket::Message message) override {
        co_await write_message(message);
    }
};

int main(int argc, char** argv) {
    auto& port = options::define<std::uint16_t>("port", 8000, "run on the given port");
    auto& max_message_size = options::define<std::size_t>("max_message_size", 10 * 1024 * 1024, "largest message accepted, in bytes");
    options::parse_command_line(argc, argv);
    web::Application app({web::url<EchoWebSocket>("/ws")}, {.websocket_max_message_size = max_message_size});
    httpserver::HTTPServer http_server(app);
    http_server.listen(port);
    ioloop::IOLoop::current().start();
}
