// basic_modules: the book's extending_templates/basic_modules. The Sample module draws each item
// and uses every other method a UI module has, each adding something the page shows once.
#include <tornado/tornado.hpp>

using namespace tornado;

struct MainHandler : web::RequestHandler {
    void get() {
        render("index.html", {{"samples",
                               {{{"title", "Item 1"}, {"description", "Description for item 1"}},
                                {{"title", "Item 2"}, {"description", "Description for item 2"}},
                                {{"title", "Item 3"}, {"description", "Description for item 3"}}}}});
    }
};

struct SampleModule : web::UIModule {
    std::string html_body() const override { return "<div class=\"addition\"><p>html_body()</p></div>"; }
    std::string embedded_javascript() const override { return "document.write(\"<p>embedded_javascript()</p>\")"; }
    std::string embedded_css() const override { return ".addition {color: #A1CAF1}"; }
    std::vector<std::string> css_files() const override { return {"css/sample.css"}; }
    std::vector<std::string> javascript_files() const override { return {"js/sample.js"}; }
};

int main(int argc, char** argv) {
    auto& port = options::define<std::uint16_t>("port", 8000, "run on the given port");
    options::parse_command_line(argc, argv);
    web::Application app({web::url<MainHandler>("/")},
                         {.template_path = source_dir() + "/templates",
                          .static_path = source_dir() + "/static",
                          .ui_modules = {{"Sample", std::make_shared<SampleModule>()}}});
    httpserver::HTTPServer http_server(app);
    http_server.listen(port);
    ioloop::IOLoop::current().start();
}
