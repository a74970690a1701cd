// Exercise 03-templates/ui_module: the team page draws each person as a card, with a Card UI
// module that brings its own stylesheet, static/css/card.css.
#include <tornado/tornado.hpp>

using namespace tornado;

struct TeamHandler : web::RequestHandler {
    void get() {
        render("team.html", {{"people",
                              {{{"name", "Burt"}, {"role", "Owner"}},
                               {{"name", "Ada"}, {"role", "Buyer"}},
                               {{"name", "Lin"}, {"role", "Events"}},
                               {{"name", "Sam"}, {"role", "Café"}}}}});
    }
};

// Draws one person (templates/modules/card.html) and adds card.css to the page.
struct CardModule : web::UIModule {
    std::vector<std::string> css_files() const override { return {"css/card.css"}; }
};

web::Application make_app() {
    return web::Application({web::url<TeamHandler>("/")},
                            {.template_path = source_dir() + "/templates",
                             .static_path = source_dir() + "/static",
                             .ui_modules = {{"Card", std::make_shared<CardModule>()}}});
}
