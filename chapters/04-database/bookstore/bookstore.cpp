// bookstore: chapter 3's Burt's Books on a database (the book's burts_books_rwdb.py). The books
// live in a table; /add and /edit/<isbn> save a form into it. The pages, the layout and the Book
// module are chapter 3's, found through a template path of two folders: this sample's own
// templates first (the form, one book, an escaping description), then chapter 3's.
#include <tornado/tornado.hpp>

#include "../../03-templates/bookstore/book_module.hpp"

#include <ctime>
#include <string>

using namespace tornado;

// Chapter 3's MainHandler, unchanged.
struct MainHandler : web::RequestHandler {
    void get() {
        render("index.html", {{"page_title", "Burt's Books | Home"}, {"header_text", "Welcome to Burt's Books!"}});
    }
};

// The handlers below share the application's database.
struct BookstoreHandler : web::RequestHandler {
    database::Connection* db = nullptr;
    void initialize(database::Connection* connection) { db = connection; }

    // The form's ISBN, which the /edit/ and /books/ routes must be able to match.
    std::string isbn_argument() {
        auto isbn = get_argument("isbn");
        if (isbn.empty() || isbn.find_first_not_of("0123456789Xx-") != std::string::npos)
            throw web::HTTPError(400, "isbn " + isbn + " is not digits, X and -");
        return isbn;
    }
};

struct RecommendedHandler : BookstoreHandler {
    asio::awaitable<void> get() {
        auto books = co_await db->query("SELECT * FROM books ORDER BY date_added, isbn");
        render("recommended.html", {{"page_title", "Burt's Books | Recommended Reading"},
                                    {"header_text", "Recommended Reading"},
                                    {"books", books},
                                    {"editable", true}});
    }
};

struct BookHandler : BookstoreHandler {
    asio::awaitable<void> get(std::string isbn) {
        auto book = co_await db->get("SELECT * FROM books WHERE isbn = ?", isbn);
        if (!book) throw web::HTTPError(404);
        render("one_book.html", {{"page_title", "Burt's Books"},
                                 {"header_text", (*book)["title"].as<std::string>()},
                                 {"book", *book},
                                 {"editable", true}});
    }
};

struct BookEditHandler : BookstoreHandler {
    asio::awaitable<void> get(std::string isbn) {
        auto book = co_await db->get("SELECT * FROM books WHERE isbn = ?", isbn);
        if (!book) throw web::HTTPError(404);
        render("book_edit.html", {{"page_title", "Burt's Books"}, {"header_text", "Edit book"}, {"book", *book}});
    }

    asio::awaitable<void> post(std::string isbn) {
        try {
            auto saved = co_await db->execute(
                "UPDATE books SET isbn = ?, title = ?, subtitle = ?, image = ?, author = ?, date_released = ?, "
                "description = ? WHERE isbn = ?",
                isbn_argument(), get_argument("title"), get_argument("subtitle", ""), get_argument("image", ""),
                get_argument("author", ""), get_argument("date_released", ""), get_argument("description", ""), isbn);
            if (saved.rowcount == 0) throw web::HTTPError(404);
        } catch (const database::IntegrityError&) {
            throw web::HTTPError(409, "another book has the isbn " + get_argument("isbn"));
        }
        redirect("/recommended/");
    }
};

struct BookAddHandler : BookstoreHandler {
    void get() {
        render("book_edit.html",
               {{"page_title", "Burt's Books"}, {"header_text", "Add book"}, {"book", nlohmann::json::object()}});
    }

    asio::awaitable<void> post() {
        try {
            co_await db->execute(
                "INSERT INTO books (isbn, title, subtitle, image, author, date_released, description, date_added) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                isbn_argument(), get_argument("title"), get_argument("subtitle", ""), get_argument("image", ""),
                get_argument("author", ""), get_argument("date_released", ""), get_argument("description", ""),
                std::time(nullptr));
        } catch (const database::IntegrityError&) {
            throw web::HTTPError(409, "a book with the isbn " + get_argument("isbn") + " is there already");
        }
        redirect("/recommended/");
    }
};

int main(int argc, char** argv) {
    auto& port = options::define<std::uint16_t>("port", 8000, "run on the given port");
    auto& db_url = options::define<std::string>("db", "sqlite://" + data_dir() + "/bookstore.db",
                                                 "the database: sqlite:///path/file.db or postgresql://…");
    options::parse_command_line(argc, argv);
    database::Connection db(db_url);
    ioloop::IOLoop::current().run_sync(db.migrate(source_dir() + "/migrations"));
    const auto chapter3 = source_dir() + "/../../03-templates/bookstore";
    web::Application app({web::url<MainHandler>("/"),
                          web::url<RecommendedHandler>("/recommended/", &db),
                          web::url<BookHandler>(R"(/books/([0-9Xx\-]+))", &db),
                          web::url<BookEditHandler>(R"(/edit/([0-9Xx\-]+))", &db),
                          web::url<BookAddHandler>("/add", &db)},
                         {.template_path = {source_dir() + "/templates", chapter3 + "/templates"},
                          .static_path = chapter3 + "/static",
                          .ui_modules = {{"Book", std::make_shared<BookModule>()}}});
    httpserver::HTTPServer http_server(app);
    http_server.listen(port);
    ioloop::IOLoop::current().start();
}
