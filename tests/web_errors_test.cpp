// Error pages and failures over real HTTP: the pages Python's Tornado sends (checked side by
// side with tornado 6.2), each error logged once, serve_traceback, and every way a handler or
// an application hook can fail leaving the connection answered or closed, never stuck.
#include <tornado/database.hpp>
#include <tornado/gen.hpp>
#include <tornado/log.hpp>
#include <tornado/testing.hpp>
#include <tornado/web.hpp>

#include "captured_log.hpp"
#include "database_under_test.hpp"

#include <catch2/catch.hpp>

#include <stdlib.h>

#include <algorithm>
#include <filesystem>

using namespace tornado;
using testing::FetchOptions;
using namespace std::chrono_literals;

namespace {
template <class App = web::Application>
struct ErrorsTest : testing::AsyncHTTPTestCase {
    std::vector<web::URLSpec> routes;
    web::Settings settings;
    std::unique_ptr<web::Application> get_app() override { return std::make_unique<App>(std::move(routes), settings); }
};

std::string tornado_page(int code, std::string_view reason) {
    auto title = std::to_string(code) + ": " + std::string(reason);
    return "<html><title>" + title + "</title><body>" + title + "</body></html>";
}

std::string get_request(std::string_view path) { return "GET " + std::string(path) + " HTTP/1.1\r\nHost: x\r\n\r\n"; }

struct Fine : web::RequestHandler {
    void get() { write("fine"); }
};

struct Failing : web::RequestHandler {
    void get() {
        auto kind = get_argument("kind");
        if (kind == "forbidden") throw web::HTTPError(403, "not for you");
        if (kind == "reason") throw web::HTTPError(418, "", "Short And Stout");
        if (kind == "number") write(std::to_string(get_argument("width", 40)));
        if (kind == "text") write(get_argument("text"));
        if (kind == "crash") throw std::runtime_error("handler exploded");
        if (kind == "int") throw 42;
        if (kind == "inject") throw web::HTTPError(400, "", "Bad\r\nX-Injected: yes");
    }
};

struct PostOnly : web::RequestHandler {
    void post() { write("posted"); }
};
}  // namespace

// --- Tornado's pages ---

TEST_CASE_METHOD(ErrorsTest<>, "error pages are Tornado's, without the details") {
    routes.push_back(web::url<Failing>("/fail"));
    routes.push_back(web::url<PostOnly>("/post"));
    CapturedLog quiet;
    struct Case {
        std::string path;
        int code;
        std::string reason;
    };
    for (const auto& [path, code, reason] : {
             Case{"/fail?kind=text", 400, "Bad Request"},  // Missing argument text
             Case{"/fail?kind=text&text=%FF", 400, "Bad Request"},  // Invalid unicode
             Case{"/fail?kind=number&width=abc", 400, "Bad Request"},  // not a number
             Case{"/fail?kind=forbidden", 403, "Forbidden"},
             Case{"/fail?kind=reason", 418, "Short And Stout"},
             Case{"/nowhere", 404, "Not Found"},
             Case{"/post", 405, "Method Not Allowed"},
             Case{"/fail?kind=crash", 500, "Internal Server Error"},
             Case{"/fail?kind=int", 500, "Internal Server Error"},
         }) {
        auto response = fetch(path);
        INFO(path);
        CHECK(response.code == code);
        CHECK(response.reason == reason);
        CHECK(response.headers.get("Content-Type") == "text/html; charset=UTF-8");
        CHECK(response.body == tornado_page(code, reason));
    }
}

TEST_CASE_METHOD(ErrorsTest<>, "the details go to the log, once, as Tornado logs them") {
    routes.push_back(web::url<Failing>("/fail"));
    CapturedLog log;
    CHECK(fetch("/fail?kind=text").code == 400);
    CHECK(log.count("400 GET /fail?kind=text (127.0.0.1): Missing argument text") == 1);
    CHECK(log.count("Missing argument") == 1);
    CHECK(log.count("400 GET /fail?kind=text (127.0.0.1) ") == 1);  // the access line
    CHECK(log.lines.size() == 2);

    log.lines.clear();
    CHECK(fetch("/fail?kind=crash").code == 500);
    CHECK(log.count("Uncaught exception GET /fail?kind=crash (127.0.0.1)\n    std::runtime_error: handler exploded") == 1);
    CHECK(log.count("500 GET /fail?kind=crash (127.0.0.1) ") == 1);
    CHECK(log.lines.size() == 2);

    log.lines.clear();
    CHECK(fetch("/fail?kind=int").code == 500);
    CHECK(log.count("Uncaught exception GET /fail?kind=int (127.0.0.1)\n    int (not derived from std::exception)") == 1);
    CHECK(log.lines.size() == 2);
}

TEST_CASE_METHOD(ErrorsTest<>, "a reason with CR or LF never reaches the status line") {
    routes.push_back(web::url<Failing>("/fail"));
    CapturedLog log;
    auto response = fetch("/fail?kind=inject");
    CHECK(response.code == 500);
    CHECK(response.body == tornado_page(500, "Internal Server Error"));
    CHECK_FALSE(response.headers.contains("X-Injected"));
    CHECK(log.count("Exception while sending the error page: std::invalid_argument: Unsafe reason phrase") == 1);
}

// --- serve_traceback ---

TEST_CASE_METHOD(ErrorsTest<>, "serve_traceback puts the exception on the page as text") {
    routes.push_back(web::url<Failing>("/fail"));
    settings.serve_traceback = true;
    CapturedLog quiet;
    auto missing = fetch("/fail?kind=text");
    CHECK(missing.code == 400);
    CHECK(missing.headers.get("Content-Type") == "text/plain; charset=UTF-8");
    CHECK_THAT(missing.body, Catch::Contains("tornado::web::MissingArgumentError: HTTP 400: Bad Request (Missing argument text)"));
    CHECK_THAT(fetch("/fail?kind=int").body, Catch::Contains("int (not derived from std::exception)"));
    // Tornado's 404 is an HTTPError too, so it has a traceback page.
    CHECK_THAT(fetch("/nowhere").body, Catch::Contains("tornado::web::HTTPError: HTTP 404: Not Found"));
}

TEST_CASE_METHOD(ErrorsTest<>, "serve_traceback follows debug unless set") {
    routes.push_back(web::url<Failing>("/fail"));
    settings.debug = true;
    bool explicitly_off = GENERATE(false, true);
    if (explicitly_off) settings.serve_traceback = false;
    CapturedLog quiet;
    auto crash = fetch("/fail?kind=crash");
    CHECK(crash.code == 500);
    if (explicitly_off) {
        CHECK(crash.body == tornado_page(500, "Internal Server Error"));
    } else {
        CHECK_THAT(crash.body, Catch::Contains("std::runtime_error: handler exploded"));
    }
}

// --- failures that must not leave the connection waiting ---

namespace {
struct Throws42 : web::RequestHandler {
    void prepare() {
        if (get_argument("in", "") == "prepare") throw 42;
    }
    void get() {
        if (get_argument("in", "") == "get") throw 42;
        write("fine");
    }
};

struct CoroutineThrows42 : web::RequestHandler {
    asio::awaitable<void> get() {
        co_await gen::sleep(1ms);  // fails later, from the loop, with no request on the stack
        throw 42;
    }
};

struct InitializeThrows42 : web::RequestHandler {
    void initialize(int) { throw 42; }
    void get() { write("unreachable"); }
};

struct OnFinishThrows42 : web::RequestHandler {
    void get() { write("done"); }
    void on_finish() override { throw 42; }
};

struct WriteErrorThrows42 : web::RequestHandler {
    void get() {
        if (get_argument("flush_first", "") == "yes") {
            throw web::HTTPError(409);
        }
        throw web::HTTPError(410);
    }
    void write_error(int, std::exception_ptr) override {
        if (get_status() == 409) {
            write("partial page");
            flush();
        }
        throw 42;
    }
};

struct DefaultHeadersFailOnError : web::RequestHandler {
    int calls = 0;
    // The first call, as the handler starts, succeeds; the one clearing for the error page throws.
    void set_default_headers() override {
        if (++calls > 1) throw std::runtime_error("no headers for error pages");
    }
    void get() { throw std::runtime_error("get failed"); }
};

struct DefaultHeadersAlwaysFail : web::RequestHandler {
    void set_default_headers() override { throw 42; }
    void get() { write("unreachable"); }
};

struct ThrowsAfterFlush : web::RequestHandler {
    void get() {
        if (get_argument("length", "") == "yes") set_header("Content-Length", 100);
        write("first part");
        flush();
        throw std::runtime_error("failed mid-response");
    }
};

struct LogRequestThrows42 : web::Application {
    using Application::Application;
    void log_request(const web::RequestHandler&) const override { throw 42; }
};

struct HandleRequestThrows42 : web::Application {
    using Application::Application;
    void handle_request(std::shared_ptr<httputil::HTTPServerRequest> request) override {
        if (request->path == "/explode") throw 42;
        Application::handle_request(std::move(request));
    }
};
}  // namespace

TEST_CASE_METHOD(ErrorsTest<>, "throw 42 from prepare, a verb, a coroutine verb or initialize is a 500") {
    routes.push_back(web::url<Throws42>("/"));
    routes.push_back(web::url<CoroutineThrows42>("/coroutine"));
    routes.push_back(web::url<InitializeThrows42>("/initialize", 1));
    CapturedLog log;
    auto client = connect();
    for (std::string path : {"/?in=prepare", "/?in=get", "/coroutine", "/initialize"}) {
        INFO(path);
        client.write(get_request(path));
        auto response = client.read_response();
        CHECK(response.code == 500);
        CHECK(response.body == tornado_page(500, "Internal Server Error"));
        CHECK(log.count("Uncaught exception GET " + path + " (127.0.0.1)\n    int (not derived") == 1);
    }
    client.write(get_request("/"));  // the same connection goes on
    CHECK(client.read_response().body == "fine");
}

TEST_CASE_METHOD(ErrorsTest<>, "on_finish throwing leaves the sent response and the connection as they were") {
    routes.push_back(web::url<OnFinishThrows42>("/"));
    CapturedLog log;
    auto client = connect();
    for (int i = 0; i < 2; ++i) {
        client.write(get_request("/"));
        auto response = client.read_response();
        CHECK(response.code == 200);
        CHECK(response.body == "done");
    }
    CHECK(log.count("Exception in on_finish: int (not derived from std::exception)") == 2);
}

TEST_CASE_METHOD(ErrorsTest<LogRequestThrows42>, "an Application::log_request that throws changes nothing for clients") {
    routes.push_back(web::url<Fine>("/"));
    routes.push_back(web::url<Throws42>("/throws"));
    CapturedLog log;
    auto client = connect();
    client.write(get_request("/"));
    CHECK(client.read_response().body == "fine");
    client.write(get_request("/throws?in=get"));
    auto failed = client.read_response();
    CHECK(failed.code == 500);
    CHECK(failed.body == tornado_page(500, "Internal Server Error"));
    client.write(get_request("/nowhere"));
    CHECK(client.read_response().code == 404);
    CHECK(log.count("Exception in log_request: int (not derived from std::exception)") == 3);
    CHECK(fetch("/").body == "fine");
}

TEST_CASE_METHOD(ErrorsTest<>, "write_error throwing still completes the response, as Tornado does") {
    routes.push_back(web::url<WriteErrorThrows42>("/"));
    routes.push_back(web::url<Fine>("/fine"));
    CapturedLog log;
    auto client = connect();
    client.write(get_request("/"));
    auto nothing_written = client.read_response();
    CHECK(nothing_written.code == 410);
    CHECK(nothing_written.body.empty());
    client.write(get_request("/?flush_first=yes"));
    auto partly_written = client.read_response();
    CHECK(partly_written.code == 409);
    CHECK(partly_written.body == "partial page");  // the chunked body is ended
    CHECK(log.count("Uncaught exception in write_error: int (not derived from std::exception)") == 2);
    client.write(get_request("/fine"));
    CHECK(client.read_response().body == "fine");
}

TEST_CASE_METHOD(ErrorsTest<>, "set_default_headers throwing gets a bare 500") {
    routes.push_back(web::url<DefaultHeadersFailOnError>("/on-error"));
    routes.push_back(web::url<DefaultHeadersAlwaysFail>("/always"));
    routes.push_back(web::url<Fine>("/fine"));
    CapturedLog log;
    auto client = connect();
    for (std::string path : {"/on-error", "/always"}) {
        INFO(path);
        client.write(get_request(path));
        auto response = client.read_response();
        CHECK(response.code == 500);
        CHECK(response.body == tornado_page(500, "Internal Server Error"));
    }
    CHECK(log.count("Uncaught exception GET /on-error (127.0.0.1)\n    std::runtime_error: get failed") == 1);
    CHECK(log.count("Exception while sending the error page: std::runtime_error: no headers for error pages") == 1);
    CHECK(log.count("Uncaught exception GET /always (127.0.0.1)\n    int (not derived") == 1);
    client.write(get_request("/fine"));
    CHECK(client.read_response().body == "fine");
}

TEST_CASE_METHOD(ErrorsTest<>, "an exception after the headers went out ends the response where it stands") {
    routes.push_back(web::url<ThrowsAfterFlush>("/"));
    routes.push_back(web::url<Fine>("/fine"));
    CapturedLog log;
    // Chunked: the body is ended, and the connection carries on.
    auto client = connect();
    client.write(get_request("/"));
    auto chunked = client.read_response();
    CHECK(chunked.code == 200);
    CHECK(chunked.body == "first part");
    client.write(get_request("/fine"));
    CHECK(client.read_response().body == "fine");
    // Short of its Content-Length: only closing the connection tells the client.
    auto promised = connect();
    promised.write(get_request("/?length=yes"));
    auto received = promised.read_until_close();
    REQUIRE(received);
    CHECK_THAT(*received, Catch::StartsWith("HTTP/1.1 200 OK") && Catch::EndsWith("\r\n\r\nfirst part"));
    CHECK(log.count("Cannot send error response after headers written") == 2);
    CHECK(fetch("/fine").body == "fine");
}

TEST_CASE_METHOD(ErrorsTest<HandleRequestThrows42>, "a request callback throwing 42 closes its connection, nothing else") {
    routes.push_back(web::url<Fine>("/fine"));
    CapturedLog log;
    auto client = connect();
    client.write(get_request("/explode"));
    auto received = client.read_until_close();
    REQUIRE(received);
    CHECK(received->empty());
    CHECK(log.count("Uncaught exception in request callback, not derived from std::exception") == 1);
    CHECK(fetch("/fine").body == "fine");
}

// --- a database that cannot serve ---

namespace {
// Inserts ?title= into a table whose titles are unique; the pool has one connection.
struct InsertTitle : web::RequestHandler {
    database::Connection* db = nullptr;
    void initialize(database::Connection* connection) { db = connection; }
    asio::awaitable<void> post() {
        co_await db->execute("INSERT INTO titles (title) VALUES (?)", get_argument("title"));
        write("stored");
    }
};

struct DatabaseErrorsTest : ErrorsTest<> {
    std::filesystem::path dir = [] {
        char name[] = "/tmp/tornado-web-errors-XXXXXX";
        if (!mkdtemp(name)) throw std::runtime_error("mkdtemp failed");
        return std::filesystem::path(name);
    }();
    testing::TestDatabase test_database{dir};
    database::Connection db{test_database.url(), {.pool_size = 1, .queue_timeout = 100ms}};
    DatabaseErrorsTest() {
        io_loop().run_sync(db.execute("CREATE TABLE titles (title TEXT NOT NULL UNIQUE)"));
        routes.push_back(web::url<InsertTitle>("/titles", &db));
    }
    ~DatabaseErrorsTest() override {
        std::error_code ignored;
        std::filesystem::remove_all(dir, ignored);
    }
};
}  // namespace

TEST_CASE_METHOD(DatabaseErrorsTest, "a database that cannot serve in time answers 503 and logs it once") {
    CapturedLog log;
    {
        // The pool's only connection is held, so the handler's statement waits past queue_timeout.
        auto held = io_loop().run_sync(db.transaction());
        auto response = fetch("/titles", testing::form_post("title=Dune"));
        CHECK(response.code == 503);
        CHECK(response.body == tornado_page(503, "Service Unavailable"));
        CHECK(log.count("[W ") == 1);  // a warning with the pool's message, no stack of an error
        CHECK(log.count("503 POST /titles (127.0.0.1): database: ") == 1);
        CHECK_FALSE(log.contains("Uncaught exception"));
        CHECK(log.lines.size() == 2);  // that warning and the access line
        io_loop().run_sync(held.rollback());
    }
    auto response = fetch("/titles", testing::form_post("title=Dune"));  // the connection is free again
    CHECK(response.code == 200);
    CHECK(response.body == "stored");
}

TEST_CASE_METHOD(DatabaseErrorsTest, "an uncaught constraint violation stays a 500 error") {
    CapturedLog log;
    REQUIRE(fetch("/titles", testing::form_post("title=Dune")).code == 200);
    log.lines.clear();
    auto duplicate = fetch("/titles", testing::form_post("title=Dune"));
    CHECK(duplicate.code == 500);  // a handler that expects it catches IntegrityError and answers 409
    CHECK(duplicate.body == tornado_page(500, "Internal Server Error"));
    CHECK(log.count("Uncaught exception POST /titles (127.0.0.1)") == 1);
    CHECK(log.count("IntegrityError") == 1);
    CHECK(log.lines.size() == 2);  // that error and the access line
}
