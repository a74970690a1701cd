// Exercise 02-forms/upload: a form that uploads files (GET /) and a page that lists each file
// with its name, size in bytes and content type (POST /upload).
#include <tornado/tornado.hpp>

using namespace tornado;

struct IndexHandler : web::RequestHandler {
    void get() { render("index.html"); }
};

struct UploadHandler : web::RequestHandler {
    void post() {
        auto uploads = request().files.find("file");
        if (uploads == request().files.end()) throw web::HTTPError(400, "", "Choose at least one file");
        nlohmann::json files = nlohmann::json::array();
        for (const auto& file : uploads->second) {
            files.push_back({{"filename", file.filename}, {"size", file.body.size()}, {"content_type", file.content_type}});
        }
        render("uploaded.html", {{"files", files}});
    }
};

web::Application make_app() {
    return web::Application({web::url<IndexHandler>("/"), web::url<UploadHandler>("/upload")},
                            {.template_path = source_dir() + "/templates"});
}
