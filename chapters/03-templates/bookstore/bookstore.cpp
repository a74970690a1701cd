// bookstore: "Burt's Books". Pages extend one layout (templates/main.html); /recommended/
// draws each book with the Book UI module, which brings its own CSS and JavaScript;
// /discussion/ shows readers' comments, escaped, so a <script> in one is only text.
#include <tornado/tornado.hpp>

using namespace tornado;

struct MainHandler : web::RequestHandler {
    void get() {
        render("index.html", {{"page_title", "Burt's Books | Home"}, {"header_text", "Welcome to Burt's Books!"}});
    }
};

struct RecommendedHandler : web::RequestHandler {
    void get() {
        render("recommended.html", {{"page_title", "Burt's Books | Recommended Reading"},
                                    {"header_text", "Recommended Reading"},
                                    {"books", books()}});
    }

    static nlohmann::json books() {
        return {{{"title", "Programming Collective Intelligence"},
                 {"subtitle", "Building Smart Web 2.0 Applications"},
                 {"image", "/static/images/collective_intelligence.svg"},
                 {"author", "Toby Segaran"},
                 {"date_added", "2010-08-14"},
                 {"date_released", "August 2007"},
                 {"isbn", "978-0-596-52932-1"},
                 {"description", "<p>How to build web applications that mine the data people create on the "
                                 "Internet: <em>recommendations</em>, clustering, search ranking and more.</p>"}},
                {{"title", "RESTful Web Services"},
                 {"subtitle", "Web services for the real world"},
                 {"image", "/static/images/restful_web_services.svg"},
                 {"author", "Leonard Richardson, Sam Ruby"},
                 {"date_added", "2010-08-14"},
                 {"date_released", "May 2007"},
                 {"isbn", "978-0-596-52926-0"},
                 {"description", "<p>Web services that machines can use the way people use web sites, "
                                 "built on <strong>HTTP</strong> itself.</p>"}},
                {{"title", "Introduction to Tornado"},
                 {"subtitle", ""},
                 {"image", "/static/images/introduction_to_tornado.svg"},
                 {"author", "Michael Dory, Adam Parrish, Brendan Berg"},
                 {"date_added", "2012-03-01"},
                 {"date_released", "March 2012"},
                 {"isbn", "978-1-4493-0907-7"},
                 {"description", "<p>The book this store's site is the example of.</p>"}}};
    }
};

struct DiscussionHandler : web::RequestHandler {
    void get() {
        render("discussion.html",
               {{"page_title", "Burt's Books | Discussion"},
                {"header_text", "Talkin' Tornado"},
                {"comments",
                 {{{"user", "Alice"}, {"text", "This book is great, see https://www.tornadoweb.org for more."}},
                  {{"user", "Bob"}, {"text", "Is there a C++ edition? <b>Asking for a friend.</b>"}},
                  {{"user", "Mallory"},
                   {"text", "<script>alert('Your bookstore has been pwned!')</script> Nice site."}}}}});
    }
};

// Draws one book (templates/modules/book.html) and adds recommended.css and recommended.js.
struct BookModule : web::UIModule {
    std::vector<std::string> css_files() const override { return {"css/recommended.css"}; }
    std::vector<std::string> javascript_files() const override { return {"js/recommended.js"}; }
};

int main(int argc, char** argv) {
    auto& port = options::define<std::uint16_t>("port", 8000, "run on the given port");
    options::parse_command_line(argc, argv);
    web::Application app({web::url<MainHandler>("/"),
                          web::url<RecommendedHandler>("/recommended/"),
                          web::url<DiscussionHandler>("/discussion/")},
                         {.template_path = source_dir() + "/templates",
                          .static_path = source_dir() + "/static",
                          .ui_modules = {{"Book", std::make_shared<BookModule>()}}});
    httpserver::HTTPServer http_server(app);
    http_server.listen(port);
    ioloop::IOLoop::current().start();
}
