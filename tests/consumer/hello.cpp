// A user's first app: GET / answers "Hello, world" a hundred times, a page long enough (over
// 1 KB) to be sent gzipped to clients that accept it.
#include <tornado/tornado.hpp>

using namespace tornado;

struct MainHandler : web::RequestHandler {
    void get() {
        for (int line = 0; line < 100; ++line) write("Hello, world\n");
    }
};

int main(int argc, char** argv) {
    auto& port = options::define<std::uint16_t>("port", 8888, "run on the given port");
    options::parse_command_line(argc, argv);
    web::Application app({web::url<MainHandler>("/")}, {.compress_response = true});
    httpserver::HTTPServer server(app);
    server.listen(port);
    ioloop::IOLoop::current().start();
}
