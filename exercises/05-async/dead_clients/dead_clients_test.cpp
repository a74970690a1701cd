// exercises/05-async/dead_clients: the server pings every --ping_interval (0.1 s here); a client
// that answers stays online, one that never answers is closed after --ping_timeout (0.3 s here)
// and leaves the count.
#include "05-async/upstream.hpp"
#include "05-async/websocket_client.hpp"

#include <nlohmann/json.hpp>

#include <chrono>

using namespace std::chrono_literals;

namespace {
struct DeadClientsTest : WebSocketExerciseTest {
    DeadClientsTest() {
        set_option("ping_interval", "0.1");
        set_option("ping_timeout", "0.3");
    }
    ~DeadClientsTest() override {
        set_option("ping_interval", "10");
        set_option("ping_timeout", "30");
    }

    int online() { return nlohmann::json::parse(fetch("/count").body, nullptr, false).value("online", -1); }

    // A WebSocket opened by hand that never answers a ping: a laptop gone to sleep.
    tornado::testing::RawConnection sleeping_client() {
        auto client = connect_raw();
        client.write("GET /online HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                     "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n");
        REQUIRE(client.read_until("\r\n\r\n").starts_with("HTTP/1.1 101"));
        return client;
    }
    tornado::testing::RawConnection connect_raw() { return AsyncHTTPTestCase::connect(); }
};
}  // namespace

TEST_CASE_METHOD(DeadClientsTest, "a client that never answers a ping is closed, and leaves the count") {
    auto client = sleeping_client();
    CHECK(online() == 1);
    INFO("with no answer to its pings, the server must close the connection within ping_timeout");
    CHECK(client.read_until_close(2s).has_value());
    CHECK(online() == 0);
}

TEST_CASE_METHOD(DeadClientsTest, "the server pings every ping_interval, and a client that answers stays online") {
    auto sleeping = sleeping_client();
    INFO("a ping frame (0x89, no payload) must come within a second");
    CHECK(sleeping.read_until(std::string_view("\x89\x00", 2), 1s).find(std::string_view("\x89\x00", 2)) != std::string::npos);
    auto awake = connect("/online");  // the framework's client answers pings by itself
    io_loop().run_until([] { return false; }, 1s);  // three ping timeouts
    CHECK(online() == 1);  // the sleeping one is gone by now, the awake one is not
}
