// exercises/05-async/chat_room: a message goes to every other member, not back to its sender, and
// a member who left is sent nothing more.
#include "05-async/websocket_client.hpp"

namespace {
struct ChatRoomTest : WebSocketExerciseTest {};
}  // namespace

TEST_CASE_METHOD(ChatRoomTest, "a message reaches every other member, and not its sender") {
    auto alice = connect("/chat");
    auto bob = connect("/chat");
    auto carol = connect("/chat");
    write(alice, "Hi, everyone");
    CHECK(read(bob) == "Hi, everyone");
    CHECK(read(carol) == "Hi, everyone");
    write(bob, "Hi, Alice");
    INFO("Alice's own message must not come back to her: her next message is Bob's");
    CHECK(read(alice) == "Hi, Alice");
    CHECK(read(carol) == "Hi, Alice");
}

TEST_CASE_METHOD(ChatRoomTest, "a member who left is sent nothing more, and the others still chat") {
    auto alice = connect("/chat");
    auto bob = connect("/chat");
    {
        auto carol = connect("/chat");
        write(carol, "Bye");
        CHECK(read(alice) == "Bye");
        CHECK(read(bob) == "Bye");
        carol.close(1000, "leaving");
        CHECK(read(carol) == closed);
    }
    write(alice, "Carol left");
    CHECK(read(bob) == "Carol left");
    write(bob, "Indeed");
    CHECK(read(alice) == "Indeed");
}
