// Exercise 01-hello/upper: GET /upper/<word> answers the word in capitals.
#include <tornado/tornado.hpp>

#include <cctype>

using namespace tornado;

struct IndexHandler : web::RequestHandler {
    void get() { write("Hello, friendly user!"); }
};

struct UpperHandler : web::RequestHandler {
    void get(const std::string& word) {
        std::string upper = word;
        for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
        write(upper);
    }
};

web::Application make_app() {
    return web::Application({
        web::url<IndexHandler>("/"),
        web::url<UpperHandler>(R"(/upper/(\w+))"),
    });
}
