// shopping_cart: Burt's Books' one-book store with long polling, the book's shopping_cart.py.
// GET / shows the book with its stock and a fresh session id; POST /cart (action=add|remove,
// session) moves the visitor's copy in or out of the cart; GET /cart/status waits until the stock
// changes and answers {"inventoryCount": "N"}, so every open page shows the count live. The book
// registers a callback per waiting request, and its on_connection_close tries to unregister it;
// here a waiting request is a coroutine parked on a Condition, which the framework cancels when
// the client leaves, so a gone client is forgotten at once. Also unlike the book: an add when all
// 10 copies are in carts is refused (409) instead of taking the count below zero;
// /cart/status?count=N answers at once when the count is no longer N, so a page misses no change
// that came between two of its polls; the page's script is plain JavaScript (no jQuery from a
// CDN) that polls again after each answer and backs off after errors.
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

struct StatusHandler : web::RequestHandler {
    ShoppingCart* cart = nullptr;
    void initialize(ShoppingCart* shopping_cart) { cart = shopping_cart; }

    asio::awaitable<void> get() {
        // A page names the count it shows: when that is out of date already, it needs no wait.
        if (get_argument("count", cart->inventory_count()) == cart->inventory_count()) co_await cart->wait_for_change();
        write(nlohmann::json{{"inventoryCount", std::to_string(cart->inventory_count())}});
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
