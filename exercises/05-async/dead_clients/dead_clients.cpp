// Exercise 05-async/dead_clients: who is online. Each page holds a WebSocket at /online, and
// GET /count answers {"online": N}. A page whose computer went to sleep, or lost its network,
// never closes its WebSocket: only pings find it out. Ping every --ping_interval seconds, and close
// a connection that has not answered within --ping_timeout seconds, so the count drops.
#include <tornado/tornado.hpp>

#include <chrono>
#include <memory>

using namespace tornado;

const double& ping_interval = options::define("ping_interval", 10.0, "seconds between pings to each page");
const double& ping_timeout = options::define("ping_timeout", 30.0, "seconds a page has to answer a ping");

struct Online {
    int count = 0;
};

struct OnlineSocket : websocket::WebSocketHandler {
    std::shared_ptr<Online> online;
    void initialize(std::shared_ptr<Online> who) { online = std::move(who); }

    void open() { ++online->count; }
    void on_close() override { --online->count; }
};

struct CountHandler : web::RequestHandler {
    std::shared_ptr<Online> online;
    void initialize(std::shared_ptr<Online> who) { online = std::move(who); }

    void get() { write(nlohmann::json{{"online", online->count}}); }
};

web::Application make_app() {
    auto online = std::make_shared<Online>();
    web::Settings settings;
    // TODO: ping every ping_interval seconds, and close a connection whose answer has not come
    // within ping_timeout seconds: the settings websocket_ping_interval and websocket_ping_timeout.
    return web::Application({web::url<OnlineSocket>("/online", online), web::url<CountHandler>("/count", online)},
                            settings);
}
