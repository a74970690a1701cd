// chapters/04-database/bookstore over real sockets, on the database TestDatabase names (an SQLite
// file, or PostgreSQL when TORNADO_TEST_POSTGRES is set), passed to the sample as --db: chapter
// 3's pages drawn from the table, the form that adds and edits books, and a form's markup shown
// as text, never run.
#include "../database_under_test.hpp"
#include "sample.hpp"

#include <tornado/database.hpp>
#include <tornado/escape.hpp>

#include <catch2/catch.hpp>

#include <ctime>
#include <map>
#include <regex>
#include <string>
#include <vector>

using tornado::escape::url_escape;
using tornado::testing::form_post;
using tornado::testing::ServerProcess;
using tornado::testing::TestDatabase;

namespace {
std::size_t count(const std::string& text, const std::string& needle) {
    std::size_t n = 0;
    for (auto at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) ++n;
    return n;
}

using Form = std::map<std::string, std::string>;

std::string form_body(const Form& form) {
    std::string body;
    for (const auto& [name, value] : form) body += (body.empty() ? "" : "&") + name + "=" + url_escape(value);
    return body;
}

Form a_book(const std::string& isbn, const std::string& title) {
    return {{"isbn", isbn},
            {"title", title},
            {"subtitle", "A subtitle"},
            {"image", "/static/images/head_first_python.svg"},
            {"author", "An Author"},
            {"date_released", "June 2012"},
            {"description", "What the book is about."}};
}

// The value="…" of the form's input called name, or its textarea's text.
std::string form_value(const std::string& page, const std::string& name) {
    std::smatch match;
    if (std::regex_search(page, match, std::regex("name=\"" + name + "\"\\s+value=\"([^\"]*)\""))) return match[1];
    if (std::regex_search(page, match, std::regex("name=\"" + name + "\"[^>]*>([^<]*)</textarea>"))) return match[1];
    return "(no field " + name + ")";
}

struct BookstoreDbTest {
    TempDir dir;
    TestDatabase database{dir.path};
    std::string program = sample_path("04-database", "bookstore");
    std::vector<std::string> args{"--db=" + database.url()};

    tornado::database::Rows query(const std::string& sql) {
        tornado::ioloop::IOLoop loop;
        tornado::database::Connection db(database.url());
        return loop.run_sync(db.query(sql));
    }
};

const std::vector<std::string> seed_titles{"Programming Collective Intelligence", "RESTful Web Services",
                                           "Head First Python"};
}  // namespace

TEST_CASE_METHOD(BookstoreDbTest, "bookstore on a database lists the seeded books with chapter 3's pages and module") {
    ServerProcess app(program, args);
    for (const std::string path : {"/", "/recommended/"}) {
        INFO(path);
        auto page = app.fetch(path);
        CHECK(page.code == 200);
        CHECK_THAT(page.body, Catch::Contains("contact@burtsbooks.com"));  // chapter 3's layout
    }
    auto page = app.fetch("/recommended/").body;
    CHECK_THAT(page, Catch::Contains("<title>Burt&#39;s Books | Recommended Reading</title>"));
    CHECK(count(page, "<div class=\"book\">") == 3);
    CHECK(count(page, "/static/css/recommended.css?v=") == 1);  // the Book module's files, once
    CHECK(count(page, "/static/js/recommended.js?v=") == 1);
    std::size_t at = 0;
    for (const auto& title : seed_titles) {
        INFO(title);
        at = page.find("<h3 class=\"book_title\">" + title + "</h3>", at);
        CHECK(at != std::string::npos);
    }
    CHECK_THAT(page, Catch::Contains("Added: July 9, 2011 at 9:47 pm"));
    CHECK_THAT(page, Catch::Contains("<p class=\"book_edit\"><a href=\"/edit/978-0-596-52926-0\">Edit</a></p>"));
    CHECK(count(page, "class=\"book_edit\"") == 3);
    // The seeded descriptions are text, escaped like anything a visitor types.
    CHECK_THAT(page, Catch::Contains("put the &quot;Web&quot; back into web services"));
    CHECK(app.fetch("/static/images/restful_web_services.svg").code == 200);  // chapter 3's static files
}

TEST_CASE_METHOD(BookstoreDbTest, "bookstore on a database shows one book, or 404") {
    ServerProcess app(program, args);
    auto book = app.fetch("/books/978-1-4493-8267-4");
    REQUIRE(book.code == 200);
    CHECK(count(book.body, "<div class=\"book\">") == 1);
    CHECK_THAT(book.body, Catch::Contains("<h1>Head First Python</h1>"));
    CHECK_THAT(book.body, Catch::Contains("Released: November 2010"));
    CHECK(count(book.body, "/static/css/recommended.css?v=") == 1);
    CHECK(app.fetch("/books/978-0-000-00000-0").code == 404);
    CHECK(app.fetch("/books/not-an-isbn").code == 404);  // no route matches
    CHECK(app.fetch("/edit/978-0-000-00000-0").code == 404);
    CHECK(app.fetch("/edit/978-0-000-00000-0", form_post(form_body(a_book("978-0-000-00000-0", "Nowhere")))).code ==
          404);
}

TEST_CASE_METHOD(BookstoreDbTest, "bookstore on a database adds a book from the form and redirects to the list") {
    ServerProcess app(program, args);
    auto form = app.fetch("/add");
    REQUIRE(form.code == 200);
    CHECK_THAT(form.body, Catch::Contains("<form method=\"POST\">"));
    CHECK(form_value(form.body, "isbn").empty());
    CHECK(form_value(form.body, "description").empty());

    const auto before = std::time(nullptr);
    auto saved = app.fetch("/add", form_post(form_body(a_book("978-1-4493-1958-6", "Introduction to Tornado"))));
    CHECK(saved.code == 302);
    CHECK(saved.headers.get("Location") == "/recommended/");
    auto page = app.fetch("/recommended/").body;
    CHECK(count(page, "<div class=\"book\">") == 4);
    CHECK(page.find("Introduction to Tornado") > page.find("Head First Python"));  // the newest comes last
    CHECK_THAT(page, Catch::Contains("<a href=\"/edit/978-1-4493-1958-6\">Edit</a>"));

    auto rows = query("SELECT title, author, date_added FROM books WHERE isbn = '978-1-4493-1958-6'");
    REQUIRE(rows.size() == 1);
    CHECK(rows[0]["author"].as<std::string>() == "An Author");
    const auto added = rows[0]["date_added"].as<std::int64_t>();
    CHECK(added >= before);  // set on insert, now
    CHECK(added <= std::time(nullptr));
}

TEST_CASE_METHOD(BookstoreDbTest, "bookstore on a database edits a book through its form") {
    ServerProcess app(program, args);
    auto form = app.fetch("/edit/978-0-596-52926-0");
    REQUIRE(form.code == 200);
    CHECK(form_value(form.body, "title") == "RESTful Web Services");
    CHECK(form_value(form.body, "author") == "Leonard Richardson, Sam Ruby");
    CHECK_THAT(form_value(form.body, "description"), Catch::StartsWith("You&#39;ve built web sites"));

    auto book = a_book("978-0-596-52926-0", "RESTful Web Services, 2nd edition");
    auto saved = app.fetch("/edit/978-0-596-52926-0", form_post(form_body(book)));
    CHECK(saved.code == 302);
    CHECK(saved.headers.get("Location") == "/recommended/");
    auto page = app.fetch("/books/978-0-596-52926-0").body;
    CHECK_THAT(page, Catch::Contains("<h3 class=\"book_title\">RESTful Web Services, 2nd edition</h3>"));
    CHECK_THAT(page, Catch::Contains("What the book is about."));
    auto rows = query("SELECT date_added FROM books WHERE isbn = '978-0-596-52926-0'");
    REQUIRE(rows.size() == 1);
    CHECK(rows[0]["date_added"].as<std::int64_t>() == 1311148056);  // kept: set on insert only
    CHECK(query("SELECT isbn FROM books").size() == 3);

    // A new ISBN moves the book; one another book has is refused with 409.
    book["isbn"] = "978-0-596-52926-X";
    CHECK(app.fetch("/edit/978-0-596-52926-0", form_post(form_body(book))).code == 302);
    CHECK(app.fetch("/books/978-0-596-52926-0").code == 404);
    CHECK(app.fetch("/books/978-0-596-52926-X").code == 200);
    book["isbn"] = "978-1-4493-8267-4";
    CHECK(app.fetch("/edit/978-0-596-52926-X", form_post(form_body(book))).code == 409);
    CHECK(app.fetch("/add", form_post(form_body(book))).code == 409);
    CHECK(query("SELECT isbn FROM books").size() == 3);
}

TEST_CASE_METHOD(BookstoreDbTest, "bookstore on a database refuses a form without a usable ISBN or title") {
    ServerProcess app(program, args);
    auto book = a_book("978-0-0000-0000-1", "A title");
    book.erase("title");
    CHECK(app.fetch("/add", form_post(form_body(book))).code == 400);
    for (const std::string isbn : {"", "978 0", "../x", "<script>"}) {
        INFO(isbn);
        CHECK(app.fetch("/add", form_post(form_body(a_book(isbn, "A title")))).code == 400);
    }
    CHECK(query("SELECT isbn FROM books").size() == 3);
}

TEST_CASE_METHOD(BookstoreDbTest, "bookstore on a database shows markup typed into the form as text") {
    ServerProcess app(program, args);
    const std::string script = "<script>alert('xss')</script>";
    Form book;
    for (const std::string field : {"title", "subtitle", "image", "author", "date_released", "description"})
        book[field] = field + " \"></textarea>" + script;
    book["isbn"] = "978-0-0000-0000-1";
    REQUIRE(app.fetch("/add", form_post(form_body(book))).code == 302);
    const std::string escaped = "&lt;script&gt;alert(&#39;xss&#39;)&lt;/script&gt;";
    for (const std::string path : {"/recommended/", "/books/978-0-0000-0000-1", "/edit/978-0-0000-0000-1"}) {
        INFO(path);
        auto page = app.fetch(path).body;
        CHECK_THAT(page, !Catch::Contains("<script>alert"));
        CHECK_THAT(page, !Catch::Contains("\"></textarea><"));
        CHECK(count(page, escaped) >= 5);
    }
    // Stored as typed: escaping happens on the page, not in the database.
    CHECK(query("SELECT description FROM books WHERE isbn = '978-0-0000-0000-1'")[0]["description"].as<std::string>() ==
          book["description"]);
}

TEST_CASE_METHOD(BookstoreDbTest, "bookstore on a database seeds its books once across restarts") {
    for (int start = 0; start < 3; ++start) {
        ServerProcess app(program, args);
        CHECK(count(app.fetch("/recommended/").body, "<div class=\"book\">") == 3);
    }
    CHECK(query("SELECT isbn FROM books").size() == 3);
    auto migrations = query("SELECT name FROM tornado_migrations ORDER BY version");
    REQUIRE(migrations.size() == 2);
    CHECK(migrations[0]["name"].as<std::string>() == "0001_books.sql");
    CHECK(migrations[1]["name"].as<std::string>() == "0002_seed_books.sql");
}
