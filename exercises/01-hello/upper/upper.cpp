// Exercise 01-hello/upper: GET /upper/<word> answers the word in capitals.
#include <tornado/tornado.hpp>

using namespace tornado;

struct IndexHandler : web::RequestHandler {
    void get() { write("Hello, friendly user!"); }
};

// TODO: a handler whose get() takes the captured word and writes it in capitals.

web::Application make_app() {
    return web::Application({
        web::url<IndexHandler>("/"),
        // TODO: route /upper/ followed by one word (letters, digits, _) to your handler.
    });
}
