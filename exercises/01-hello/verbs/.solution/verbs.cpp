// Exercise 01-hello/verbs: /note is one resource that GET reads, PUT replaces and DELETE clears.
#include <tornado/tornado.hpp>

#include <memory>
#include <string>

using namespace tornado;

struct NoteHandler : web::RequestHandler {
    std::shared_ptr<std::string> note;  // one note for every request (make_app shares it)

    void initialize(std::shared_ptr<std::string> shared_note) { note = std::move(shared_note); }

    void get() { write(note->empty() ? "(no note)" : *note); }

    void put() {
        *note = request().body;
        write(*note);
    }

    void delete_() {
        note->clear();
        set_status(204);
    }
};

web::Application make_app() {
    auto note = std::make_shared<std::string>();
    return web::Application({web::url<NoteHandler>("/note", note)});
}
