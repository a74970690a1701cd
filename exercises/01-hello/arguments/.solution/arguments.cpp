// Exercise 01-hello/arguments: GET /repeat?word=ha&times=3 answers "hahaha".
#include <tornado/tornado.hpp>

#include <string>

using namespace tornado;

struct RepeatHandler : web::RequestHandler {
    void get() {
        auto word = get_argument("word");
        auto times = get_argument("times", 1);
        if (times < 1 || times > 10) throw web::HTTPError(400, "", "times must be between 1 and 10");
        std::string answer;
        for (int i = 0; i < times; ++i) answer += word;
        write(answer);
    }
};

web::Application make_app() { return web::Application({web::url<RepeatHandler>("/repeat")}); }
