// string_service: GET /reverse/<word> answers the word reversed; POST /wrap answers the form
// field text wrapped at width (default 40) with Python's textwrap.fill.
#include <tornado/textwrap.hpp>
#include <tornado/tornado.hpp>

#include <string>

using namespace tornado;

struct ReverseHandler : web::RequestHandler {
    void get(const std::string& input) { write(std::string(input.rbegin(), input.rend())); }
};

struct WrapHandler : web::RequestHandler {
    void post() {
        auto text = get_argument("text");
        auto width = get_argument("width", 40);
        write(textwrap::fill(text, width));
    }
};

int main(int argc, char** argv) {
    auto& port = options::define<std::uint16_t>("port", 8000, "run on the given port");
    options::parse_command_line(argc, argv);
    web::Application app({
        web::url<ReverseHandler>(R"(/reverse/(\w+))"),
        web::url<WrapHandler>("/wrap"),
    });
    httpserver::HTTPServer http_server(app);
    http_server.listen(port);
    ioloop::IOLoop::current().start();
}
