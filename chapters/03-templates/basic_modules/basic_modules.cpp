// basic_modules: the smallest UI module. Each name on the page is drawn by the Hello module,
// which also adds an element at the end of <body> and a script that fills it in.
#include <tornado/tornado.hpp>

using namespace tornado;

struct HelloHandler : web::RequestHandler {
    void get() { render("hello.html", {{"names", {"world", "Tornado", "C++"}}}); }
};

struct HelloModule : web::UIModule {
    std::string html_body() const override { return "<p id=\"greeted\"></p>\n"; }
    // Embedded scripts come before html_body in the page (as in Tornado), so wait for the page.
    std::string embedded_javascript() const override {
        return "document.addEventListener('DOMContentLoaded', () => {\n"
               "  document.getElementById('greeted').textContent =\n"
               "      document.querySelectorAll('.hello').length + ' greetings';\n"
               "});";
    }
};

int main(int argc, char** argv) {
    auto& port = options::define<std::uint16_t>("port", 8000, "run on the given port");
    options::parse_command_line(argc, argv);
    web::Application app({web::url<HelloHandler>("/")},
                         {.template_path = source_dir() + "/templates",
                          .ui_modules = {{"Hello", std::make_shared<HelloModule>()}}});
    httpserver::HTTPServer http_server(app);
    http_server.listen(port);
    ioloop::IOLoop::current().start();
}
