// exercises/05-async/text_only: text comes back as it came; a binary message is not echoed and
// closes the connection with 1003 "text only".
#include "05-async/websocket_client.hpp"
#include "exercise_test.hpp"

namespace {
struct TextOnlyTest : WebSocketExerciseTest {};
}  // namespace

TEST_CASE_METHOD(TextOnlyTest, "text comes back as it came, then a binary message closes with 1003 \"text only\"") {
    auto client = connect("/echo");
    write(client, "Hello, friendly user!");
    CHECK(read(client) == "Hello, friendly user!");
    write(client, "\x01\x02\x03", true);
    INFO("the binary message must not come back: the next thing from the server is its close");
    CHECK(read(client) == closed);
    CHECK(client.close_code() == 1003);
    CHECK(client.close_reason() == "text only");
}

TEST_CASE_METHOD(TextOnlyTest, "a binary message as the first message closes at once, with nothing echoed") {
    auto client = connect("/echo");
    write(client, std::string(1000, '\0'), true);
    CHECK(read(client) == closed);
    CHECK(client.close_code() == 1003);
}
