// Exercise 01-hello/arguments: GET /repeat?word=ha&times=3 answers "hahaha".
#include <tornado/tornado.hpp>

#include <string>

using namespace tornado;

struct RepeatHandler : web::RequestHandler {
    void get() {
        // TODO: read the argument word, which is required: without it the answer is a 400.
        // TODO: read the argument times, a whole number that is optional (default 1).
        // TODO: times outside 1..10 is a 400 whose page says "times must be between 1 and 10".
        // TODO: write word, times times.
    }
};

web::Application make_app() { return web::Application({web::url<RepeatHandler>("/repeat")}); }
