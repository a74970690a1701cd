// poemmaker: a form (GET /) whose four words POST /poem fills into Frost's poem, rendered
// through a template that escapes every value.
#include <tornado/tornado.hpp>

using namespace tornado;

struct IndexHandler : web::RequestHandler {
    void get() { render("index.html"); }
};

struct PoemPageHandler : web::RequestHandler {
    void post() {
        render("poem.html", {{"roads", get_argument("noun1")},
                             {"wood", get_argument("noun2")},
                             {"made", get_argument("verb")},
                             {"difference", get_argument("noun3")}});
    }
};

int main(int argc, char** argv) {
    auto& port = options::define<std::uint16_t>("port", 8000, "run on the given port");
    options::parse_command_line(argc, argv);
    web::Application app({web::url<IndexHandler>("/"), web::url<PoemPageHandler>("/poem")},
                         {.template_path = source_dir() + "/templates"});
    httpserver::HTTPServer http_server(app);
    http_server.listen(port);
    ioloop::IOLoop::current().start();
}
