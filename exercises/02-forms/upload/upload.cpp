// Exercise 02-forms/upload: a form that uploads files (GET /) and a page that lists each file
// with its name, size in bytes and content type (POST /upload).
#include <tornado/tornado.hpp>

using namespace tornado;

struct IndexHandler : web::RequestHandler {
    void get() { render("index.html"); }
};

struct UploadHandler : web::RequestHandler {
    void post() {
        // TODO: the files of the input "file" are in request().files, a map from input name to a
        // list of httputil::HTTPFile (filename, content_type, body). No file there: answer 400
        // with the message "Choose at least one file". Otherwise render uploaded.html with one
        // entry per file: its filename, its size in bytes and its content type.
        render("uploaded.html");
    }
};

web::Application make_app() {
    return web::Application({web::url<IndexHandler>("/"), web::url<UploadHandler>("/upload")},
                            {.template_path = source_dir() + "/templates"});
}
