// Exercise 03-templates/layout: two pages that extend one layout (templates/base.html).
#include <tornado/tornado.hpp>

using namespace tornado;

struct IndexHandler : web::RequestHandler {
    void get() { render("index.html", {{"new_book", "Introduction to Tornado"}}); }
};

struct AboutHandler : web::RequestHandler {
    void get() { render("about.html", {{"email", "burt@burtsbooks.example"}}); }
};

// The handlers render the pages; the pages pull in the layout. Your work is in templates/.
web::Application make_app() {
    return web::Application({web::url<IndexHandler>("/"), web::url<AboutHandler>("/about")},
                            {.template_path = source_dir() + "/templates"});
}
