// Exercise 05-async/text_only: a WebSocket echo at /echo for text only. Every text message comes
// back as it came; a binary message is not echoed: it closes the connection with code 1003
// ("unsupported data", RFC 6455 section 7.4.1) and the reason "text only".
#include <tornado/tornado.hpp>

using namespace tornado;

struct TextEcho : websocket::WebSocketHandler {
    asio::awaitable<void> on_message(websocket::Message message) override {
        if (message.binary) {
            close(1003, "text only");
            co_return;
        }
        co_await write_message(message);
    }
};

web::Application make_app() { return web::Application({web::url<TextEcho>("/echo")}); }
