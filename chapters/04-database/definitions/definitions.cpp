// definitions: the book's dictionary web service (definitions_readwrite.py) on SQL instead of
// MongoDB. GET /<word> answers {"word": …, "definition": …} or 404 with an empty body;
// POST /<word> with the form field definition stores it, new or replacing the old one.
// --db picks the database: an SQLite file by default, postgresql://… for a server.
#include <tornado/tornado.hpp>

#include <string>

using namespace tornado;

struct WordHandler : web::RequestHandler {
    database::Connection* db = nullptr;
    void initialize(database::Connection* connection) { db = connection; }

    asio::awaitable<void> get(std::string word) {
        auto row = co_await db->get("SELECT word, definition FROM words WHERE word = ?", word);
        if (row) {
            write(*row);
        } else {
            set_status(404);
        }
    }

    asio::awaitable<void> post(std::string word) {
        auto definition = get_argument("definition");
        // One statement inserts a new word or updates the one there (MongoDB's save).
        co_await db->execute("INSERT INTO words (word, definition) VALUES (?, ?) "
                             "ON CONFLICT (word) DO UPDATE SET definition = excluded.definition",
                             word, definition);
        write(nlohmann::json{{"word", word}, {"definition", definition}});
    }
};

int main(int argc, char** argv) {
    auto& port = options::define<std::uint16_t>("port", 8000, "run on the given port");
    auto& db_url = options::define<std::string>("db", "sqlite://" + data_dir() + "/definitions.db",
                                                 "the database: sqlite:///path/file.db or postgresql://…");
    options::parse_command_line(argc, argv);
    database::Connection db(db_url);
    ioloop::IOLoop::current().run_sync(db.migrate(source_dir() + "/migrations"));
    web::Application app({web::url<WordHandler>(R"(/(\w+))", &db)});
    httpserver::HTTPServer http_server(app);
    http_server.listen(port);
    ioloop::IOLoop::current().start();
}
