// Exercise 02-forms/static_files: a page whose stylesheet, script and image are served from the
// static folder, each linked through static_url so its URL carries the file's version.
#include <tornado/tornado.hpp>

using namespace tornado;

struct IndexHandler : web::RequestHandler {
    void get() { render("index.html"); }
};

web::Application make_app() {
    return web::Application({web::url<IndexHandler>("/")},
                            // TODO: serve the files under source_dir() + "/static" at /static/ (the next setting).
                            {.template_path = source_dir() + "/templates"});
}
