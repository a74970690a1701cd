// Exercise 03-templates/escaping: a guestbook. Visitors' names and messages must reach the page
// as text, never as HTML or script; only the welcome, which the site writes itself, is HTML.
#include <tornado/tornado.hpp>

#include <memory>
#include <string>
#include <vector>

using namespace tornado;

struct Entry {
    std::string name;
    std::string message;
};
using Guestbook = std::vector<Entry>;

struct GuestbookHandler : web::RequestHandler {
    void initialize(std::shared_ptr<Guestbook> guestbook) { guestbook_ = std::move(guestbook); }

    void get() {
        nlohmann::json entries = nlohmann::json::array();
        for (const auto& entry : *guestbook_) entries.push_back({{"name", entry.name}, {"message", entry.message}});
        render("guestbook.html",
               {{"welcome", "<p>Welcome to the guestbook of <em>Burt's Books</em>! Say hello.</p>"},
                {"entries", entries},
                {"latest", guestbook_->back().name}});
    }

    void post() {
        guestbook_->push_back({get_argument("name"), get_argument("message")});
        redirect("/");
    }

private:
    std::shared_ptr<Guestbook> guestbook_;
};

web::Application make_app() {
    auto guestbook = std::make_shared<Guestbook>(
        Guestbook{{"Burt", "Welcome, everyone!"}, {"Bob", "Is there a <b>C++</b> edition?"}});
    return web::Application({web::url<GuestbookHandler>("/", guestbook)},
                            {.template_path = source_dir() + "/templates"});
}
