// Exercise 05-async/chat_room: a chat room at /chat. Everyone connected is in the room; a text
// message one member sends goes to every other member as it came, and not back to the sender.
// A member who leaves is not sent anything more.
#include <tornado/tornado.hpp>

#include <memory>
#include <set>

using namespace tornado;

struct ChatHandler;

struct Room {
    std::set<ChatHandler*> members;
};

struct ChatHandler : websocket::WebSocketHandler {
    std::shared_ptr<Room> room;
    void initialize(std::shared_ptr<Room> chat_room) { room = std::move(chat_room); }

    void open() { room->members.insert(this); }

    asio::awaitable<void> on_message(websocket::Message message) override {
        // TODO: send the message to every other member of the room (write_message queues it at
        // once; there is no need to wait for each), and not back to this one.
        co_await write_message(message);
    }

    // TODO: a member who leaves must leave the room (on_close), so nothing is sent to it.
};

web::Application make_app() {
    return web::Application({web::url<ChatHandler>("/chat", std::make_shared<Room>())});
}
