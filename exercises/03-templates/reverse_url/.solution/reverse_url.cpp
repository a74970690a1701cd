// Exercise 03-templates/reverse_url: the catalogue's links are built from the routes' names, so
// they follow the routes wherever these go.
#include <tornado/tornado.hpp>

#include <algorithm>
#include <string>
#include <vector>

using namespace tornado;

struct Author {
    std::string id, name;
};
struct Book {
    std::string id, title, author_id;
};

const std::vector<Author> authors{
    {"segaran", "Toby Segaran"}, {"richardson", "Leonard Richardson"}, {"dory", "Michael Dory"}};
// Oldest first: the last book is the newest.
const std::vector<Book> books{{"3", "Programming Collective Intelligence", "segaran"},
                              {"7", "RESTful Web Services", "richardson"},
                              {"12", "Introduction to Tornado", "dory"}};

const Author* find_author(const std::string& id) {
    auto found = std::find_if(authors.begin(), authors.end(), [&](const Author& a) { return a.id == id; });
    return found == authors.end() ? nullptr : &*found;
}

nlohmann::json describe(const Book& book) {
    return {{"id", book.id}, {"title", book.title}, {"author_id", book.author_id},
            {"author", find_author(book.author_id)->name}};
}

struct HomeHandler : web::RequestHandler {
    void get() {
        nlohmann::json list = nlohmann::json::array();
        for (const auto& book : books) list.push_back(describe(book));
        render("home.html", {{"books", list}});
    }
};

struct BookHandler : web::RequestHandler {
    void get(const std::string& id) {
        auto found = std::find_if(books.begin(), books.end(), [&](const Book& b) { return b.id == id; });
        if (found == books.end()) throw web::HTTPError(404);
        render("book.html", describe(*found));
    }
};

struct AuthorHandler : web::RequestHandler {
    void get(const std::string& id) {
        const Author* author = find_author(id);
        if (!author) throw web::HTTPError(404);
        nlohmann::json list = nlohmann::json::array();
        for (const auto& book : books) {
            if (book.author_id == id) list.push_back(describe(book));
        }
        render("author.html", {{"name", author->name}, {"books", list}});
    }
};

struct LatestHandler : web::RequestHandler {
    void get() { redirect(reverse_url("book", {books.back().id})); }
};

web::Application make_app() {
    return web::Application({web::url<HomeHandler>("/").named("home"),
                             web::url<BookHandler>(R"(/books/(\d+))").named("book"),
                             web::url<AuthorHandler>(R"(/authors/(\w+))").named("author"),
                             web::url<LatestHandler>("/latest")},
                            {.template_path = source_dir() + "/templates"});
}
