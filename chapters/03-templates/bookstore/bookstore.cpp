// bookstore: "Burt's Books", the book's extending_templates/bookstore. Pages extend one layout
// (templates/main.html); /recommended/ draws each book with the Book UI module, which brings its
// own CSS and JavaScript; /discussion/ shows readers' comments, escaped, so a <script> in one is
// only text.
#include <tornado/tornado.hpp>

#include "book_module.hpp"

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

    // The book's data, built once; render reads it where it is (no copy per request). Only the
    // covers are ours (SVG files in static/images/).
    static const nlohmann::json& books() {
        static const nlohmann::json books = {
            {{"title", "Programming Collective Intelligence"},
             {"subtitle", "Building Smart Web 2.0 Applications"},
             {"image", "/static/images/collective_intelligence.svg"},
             {"author", "Toby Segaran"},
             {"date_added", 1310248056},
             {"date_released", "August 2007"},
             {"isbn", "978-0-596-52932-1"},
             {"description",
              "<p>This fascinating book demonstrates how you can build web applications to mine the enormous amount "
              "of data created by people on the Internet. With the sophisticated algorithms in this book, you can "
              "write smart programs to access interesting datasets from other web sites, collect data from users of "
              "your own applications, and analyze and understand the data once you've found it.</p>"}},
            {{"title", "RESTful Web Services"},
             {"subtitle", "Web services for the real world"},
             {"image", "/static/images/restful_web_services.svg"},
             {"author", "Leonard Richardson, Sam Ruby"},
             {"date_added", 1311148056},
             {"date_released", "May 2007"},
             {"isbn", "978-0-596-52926-0"},
             {"description",
              "<p>You've built web sites that can be used by humans. But can you also build web sites that are "
              "usable by machines? That's where the future lies, and that's what this book shows you how to do. "
              "Today's web service technologies have lost sight of the simplicity that made the Web successful. "
              "This book explains how to put the &quot;Web&quot; back into web services with REST, the "
              "architectural style that drives the Web.</p>"}},
            {{"title", "Head First Python"},
             {"subtitle", ""},
             {"image", "/static/images/head_first_python.svg"},
             {"author", "Paul Barry"},
             {"date_added", 1311348056},
             {"date_released", "November 2010"},
             {"isbn", "Head First Python"},  // sic: the book has the title here, not an ISBN
             {"description",
              "<p>Ever wished you could learn Python from a book? Head First Python is a complete learning "
              "experience for Python that helps you learn the language through a unique method that goes beyond "
              "syntax and how-to manuals, helping you understand how to be a great Python programmer. You'll "
              "quickly learn the language's fundamentals, then move onto persistence, exception handling, web "
              "development, SQLite, data wrangling, and Google App Engine. You'll also learn how to write mobile "
              "apps for Android, all thanks to the power that Python gives you.</p>"}}};
        return books;
    }
};

struct DiscussionHandler : web::RequestHandler {
    void get() {
        render("discussion.html",
               {{"page_title", "Burt's Books | Discussion"},
                {"header_text", "Talkin' About Books With Burt"},
                {"comments",
                 {{{"user", "Alice"},
                   {"text", "I can't wait for the next version of Programming Collective Intelligence!"}},
                  {{"user", "Burt"},
                   {"text", "We can't either, Alice.  In the meantime, be sure to check out RESTful Web Services too."}},
                  {{"user", "Melvin"},
                   {"text", "Totally hacked ur site lulz "
                            "<script src=\"http://melvins-web-sploits.com/evil_sploit.js\"></script>"
                            "<script>alert('RUNNING EVIL H4CKS AND SPL0ITS NOW...');</script>"}}}}});
    }
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
