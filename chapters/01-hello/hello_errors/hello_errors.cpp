// hello_errors: hello with write_error overridden, so every error this handler raises answers
// "Gosh darnit, user! You caused a 405 error." (with its own status code).
#include <tornado/tornado.hpp>

using namespace tornado;

struct IndexHandler : web::RequestHandler {
    void get() {
        auto greeting = get_argument("greeting", "Hello");
        write(greeting + ", friendly user!");
    }

    void write_error(int status_code, std::exception_ptr) override {
        write("Gosh darnit, user! You caused a " + std::to_string(status_code) + " error.");
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
