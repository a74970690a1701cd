// What the WebSocket exercises' tests share: WebSocketExerciseTest opens WebSockets to the
// exercise's make_app() with the framework's client, and reads what comes back as plain text, so
// a failed check reads `read(client) should be "hi", but it is "(nothing within 2000 ms)"`.
#pragma once

#include "exercise_test.hpp"

#include <tornado/websocket.hpp>

#include <chrono>
#include <stdexcept>
#include <string>

// What read() gives when the server closed the connection instead of sending a message.
inline const std::string closed = "(the server closed the connection)";

struct WebSocketExerciseTest : ExerciseTest {
    tornado::websocket::WebSocketClientConnection connect(std::string_view path) {
        auto url = "ws" + get_url(path).substr(4);  // http://… → ws://…
        return io_loop().run_sync(tornado::websocket::websocket_connect(url));
    }

    void write(tornado::websocket::WebSocketClientConnection& client, const std::string& message, bool binary = false) {
        io_loop().run_sync(client.write_message(message, binary));
    }

    // The next message's text; `closed` when the connection closed instead, and "(nothing within
    // 2000 ms)" when neither happened in time (then read no more from this client: its read is
    // still pending). A binary message reads as "(binary) " + its bytes.
    std::string read(tornado::websocket::WebSocketClientConnection& client,
                     std::chrono::milliseconds within = std::chrono::seconds(2)) {
        std::optional<tornado::websocket::Message> message;
        try {
            message = io_loop().run_sync(client.read_message(), within);
        } catch (const std::runtime_error&) {
            return "(nothing within " + std::to_string(within.count()) + " ms)";
        }
        if (!message) return closed;
        return message->binary ? "(binary) " + message->data : message->data;
    }
};
