// The main() of every exercise's server (scripts/exercises --serve NAME): serves the exercise's
// make_app() on --port, so the reader can try their work with curl or a browser.
#include <tornado/tornado.hpp>

#include <iostream>

using namespace tornado;

web::Application make_app();

int main(int argc, char** argv) {
    auto& port = options::define<std::uint16_t>("port", 8000, "run on the given port");
    options::parse_command_line(argc, argv);
    auto app = make_app();
    app.listen(port);
    std::cout << "serving http://localhost:" << app.listen_port() << "/ (Ctrl-C stops it)" << std::endl;
    ioloop::IOLoop::current().start();
}
