// shopping_cart_ws: the long-poll store of shopping_cart, where each page holds a WebSocket at
// /cart/status instead of polling it (the book's second shopping_cart). What differs: the cart
// keeps a set of listeners (the book's callbacks) instead of a Condition, StatusHandler is a
// WebSocketHandler that registers itself in open() and leaves in on_close(), and the page's script
// opens the WebSocket. Also unlike the book: a page is sent the current count as soon as its
// WebSocket opens, so a change made before it connected is not missed, and a page too slow to
// read keeps only the newest count waiting instead of a growing queue. The product page, POST
// /cart and the rest are shopping_cart's, unchanged.
#include <tornado/tornado.hpp>

#include <openssl/rand.h>

#include <array>
#include <cstdio>
#include <stdexcept>
#include <string>

#include "shopping_cart.hpp"

using namespace tornado;

// A random (version 4) UUID, Python's str(uuid4()).
std::string uuid4() {
    std::array<unsigned char, 16> bytes;
    if (RAND_bytes(bytes.data(), bytes.size()) != 1) throw std::runtime_error("no random bytes for a session id");
    bytes[6] = (bytes[6] & 0x0f) | 0x40;  // version 4
    bytes[8] = (bytes[8] & 0x3f) | 0x80;  // RFC 4122 variant
    std::string text;
    for (std::size_t i = 0; i < bytes.size(); ++i) {
        if (i == 4 || i == 6 || i == 8 || i == 10) text += '-';
        char hex[3];
        std::snprintf(hex, sizeof hex, "%02x", bytes[i]);
        text += hex;
    }
    return text;
}

struct DetailHandler : web::RequestHandler {
    ShoppingCart* cart = nullptr;
    void initialize(ShoppingCart* shopping_cart) { cart = shopping_cart; }

    void get() { render("index.html", {{"session", uuid4()}, {"count", cart->inventory_count()}}); }
};

struct CartHandler : web::RequestHandler {
    ShoppingCart* cart = nullptr;
    void initialize(ShoppingCart* shopping_cart) { cart = shopping_cart; }

    void post() {
        auto action = get_argument("action");
        auto session = get_argument("session");
        if (session.empty()) throw web::HTTPError(400, "empty session");
        if (action == "add") {
            if (!cart->move_item_to_cart(session)) throw web::HTTPError(409, "sold out");
        } else if (action == "remove") {
            cart->remove_item_from_cart(session);
        } else {
            throw web::HTTPError(400, "unknown action");
        }
    }
};

struct StatusHandler : websocket::WebSocketHandler, InventoryListener {
    ShoppingCart* cart = nullptr;
    void initialize(ShoppingCart* shopping_cart) { cart = shopping_cart; }

    void open() {
        // Only the newest count matters to a page: one that cannot keep up is not sent the rest.
        set_write_buffer_limit(4096, websocket::OverflowPolicy::keep_latest);
        cart->register_listener(this);
        inventory_changed(cart->inventory_count());
    }

    void on_close() override { cart->unregister_listener(this); }

    void inventory_changed(int count) override {
        // Not awaited: the cart tells every page in turn and waits for none of them.
        write_message(nlohmann::json{{"inventoryCount", std::to_string(count)}}.dump());
    }
};

int main(int argc, char** argv) {
    auto& port = options::define<std::uint16_t>("port", 8000, "run on the given port");
    options::parse_command_line(argc, argv);
    ShoppingCart cart;
    web::Application app({web::url<DetailHandler>("/", &cart),
                          web::url<CartHandler>("/cart", &cart),
                          web::url<StatusHandler>("/cart/status", &cart)},
                         {.template_path = source_dir() + "/templates", .static_path = source_dir() + "/static"});
    httpserver::HTTPServer http_server(app);
    http_server.listen(port);
    ioloop::IOLoop::current().start();
}
