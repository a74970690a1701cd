// database_server: a small app on a database for the durability test. POST /items stores the
// argument `text` and answers once it is committed; GET /items lists the texts; POST /crash
// kills the process with SIGKILL, as `kill -9` would, with nothing flushed or closed.
#include <tornado/database.hpp>
#include <tornado/tornado.hpp>

#include <csignal>
#include <string>

using namespace tornado;

struct ItemsHandler : web::RequestHandler {
    database::Connection* db = nullptr;
    void initialize(database::Connection* connection) { db = connection; }
    asio::awaitable<void> get() {
        auto items = co_await db->query("SELECT id, text FROM items ORDER BY id");
        write(nlohmann::json{{"items", items}});
    }
    asio::awaitable<void> post() {
        auto text = get_argument("text");
        auto inserted = co_await db->execute("INSERT INTO items (text) VALUES (?)", text);
        write(nlohmann::json{{"id", inserted.lastrowid}});
    }
};

struct CrashHandler : web::RequestHandler {
    void post() { std::raise(SIGKILL); }
};

int main(int argc, char** argv) {
    auto& port = options::define<std::uint16_t>("port", 8000, "run on the given port");
    auto& db_url = options::define<std::string>("db", "sqlite:database_server.db", "the database URL");
    options::parse_command_line(argc, argv);
    database::Connection db(db_url);
    auto& loop = ioloop::IOLoop::current();
    loop.run_sync(db.execute("CREATE TABLE IF NOT EXISTS items (id INTEGER PRIMARY KEY, text TEXT NOT NULL)"));
    web::Application app({web::url<ItemsHandler>("/items", &db), web::url<CrashHandler>("/crash")});
    httpserver::HTTPServer http_server(app);
    http_server.listen(port);
    loop.start();
}
