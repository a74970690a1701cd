// chapters/05-async/shopping_cart_ws over real sockets: a page's WebSocket at /cart/status is sent
// the count when it opens and every change after it; 1,000 WebSockets are all told of one add;
// WebSockets that leave are forgotten; the product page and the cart's rules are shopping_cart's.
#include "descriptors.hpp"
#include "sample.hpp"

#include <tornado/websocket.hpp>

#include <catch2/catch.hpp>

#include <string>
#include <vector>

using tornado::testing::form_post;
using tornado::testing::ServerProcess;
using tornado::websocket::WebSocketClientConnection;
using nlohmann::json;

namespace {
const std::string program = sample_path("05-async", "shopping_cart_ws");

int post_cart(ServerProcess& app, const std::string& body) { return app.fetch("/cart", form_post(body)).code; }

WebSocketClientConnection open_status(ServerProcess& app) {
    auto url = "ws://127.0.0.1:" + std::to_string(app.port()) + "/cart/status";
    return app.io_loop().run_sync(tornado::websocket::websocket_connect(url));
}

// The count the next status message carries.
int next_count(ServerProcess& app, WebSocketClientConnection& page) {
    auto message = app.io_loop().run_sync(page.read_message());
    REQUIRE(message);
    CHECK_FALSE(message->binary);
    return std::stoi(json::parse(message->data).at("inventoryCount").get<std::string>());
}

}  // namespace

TEST_CASE("a page's WebSocket is sent the count when it opens, then every change another session makes") {
    ServerProcess app(program);
    auto page = open_status(app);
    CHECK(next_count(app, page) == 10);
    CHECK(post_cart(app, "action=add&session=reader-1") == 200);
    CHECK(next_count(app, page) == 9);
    CHECK(post_cart(app, "action=add&session=reader-1") == 200);  // already in its cart: no change sent
    CHECK(post_cart(app, "action=add&session=reader-2") == 200);
    CHECK(next_count(app, page) == 8);
    CHECK(post_cart(app, "action=remove&session=reader-1") == 200);
    CHECK(next_count(app, page) == 9);

    // A page opened later starts from the count as it is now.
    auto later = open_status(app);
    CHECK(next_count(app, later) == 9);
}

TEST_CASE("one add reaches all of 1,000 open WebSockets") {
    ServerProcess app(program);
    std::vector<WebSocketClientConnection> pages;
    for (int i = 0; i < 1000; ++i) {
        pages.push_back(open_status(app));
        REQUIRE(next_count(app, pages.back()) == 10);
    }
    CHECK(post_cart(app, "action=add&session=buyer") == 200);
    int told = 0;
    for (auto& page : pages) told += next_count(app, page) == 9;
    CHECK(told == 1000);
}

TEST_CASE("WebSockets that leave are forgotten: their sockets close and an add still answers at once") {
    ServerProcess app(program);
    auto before = settled_descriptors(app);
    {
        std::vector<WebSocketClientConnection> pages;
        for (int i = 0; i < 200; ++i) {
            pages.push_back(open_status(app));
            CHECK(next_count(app, pages.back()) == 10);
        }
        CHECK(descriptors_rise_to(app, before + 200));
        for (auto& page : pages) page.close(1001, "page closed");
        for (auto& page : pages) CHECK_FALSE(app.io_loop().run_sync(page.read_message()));  // the server's close came back
    }
    CHECK(descriptors_drop_to(app, before));
    CHECK(post_cart(app, "action=add&session=buyer") == 200);
    auto page = open_status(app);
    CHECK(next_count(app, page) == 9);
}

TEST_CASE("/cart/status is a WebSocket only: a plain GET is refused with 400, and the store is shopping_cart's") {
    ServerProcess app(program);
    CHECK(app.fetch("/cart/status").code == 400);
    auto page = app.fetch("/");
    CHECK(page.code == 200);
    CHECK(page.body.find(R"(<span id="count">10</span>)") != std::string::npos);
    CHECK(post_cart(app, "action=buy&session=s") == 400);
    CHECK(post_cart(app, "action=add&session=") == 400);
    for (int i = 0; i < 10; ++i) CHECK(post_cart(app, "action=add&session=s" + std::to_string(i)) == 200);
    CHECK(post_cart(app, "action=add&session=one-too-many") == 409);
}
