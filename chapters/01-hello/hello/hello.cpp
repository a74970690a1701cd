// hello: the book's first Tornado app. GET /?greeting=Hi answers "Hi, friendly user!".
#include <tornado/tornado.hpp>

using namespace tornado;

struct IndexHandler : web::RequestHandler {
    void get() {
        auto greeting = get_argument("greeting", "Hello");
        write(greeting + ", friendly user!");
    }
};

int main(int argc, char** argv) {
    auto& port = options::define<std::uint16_t>("port", 8000, "run on the given port");
    options::parse_command_line(argc, argv);
    web::Application app({web::url<IndexHandler>("/")});
    httpserver::HTTPServer http_server(app);
    http_server.listen(port);
    ioloop::IOLoop::current().start();
}
