// The handler pipeline over real HTTP (RequestHandler in web.hpp): the XSRF check, prepare and
// get_current_user as plain functions or coroutines, web::Finish, cancellation when the client
// leaves, the executor coroutines run on, and detach() after an Upgrade.
#include <tornado/gen.hpp>
#include <tornado/log.hpp>
#include <tornado/testing.hpp>
#include <tornado/web.hpp>

#include "app_fixture.hpp"
#include "captured_log.hpp"

#include <asio/redirect_error.hpp>
#include <asio/steady_timer.hpp>
#include <asio/use_awaitable.hpp>
#include <asio/write.hpp>

#include <catch2/catch.hpp>

#include <algorithm>

using namespace tornado;
using testing::FetchOptions;
using namespace std::chrono_literals;

namespace {
asio::awaitable<void> pause(ioloop::Duration duration) {
    asio::steady_timer timer(co_await asio::this_coro::executor, duration);
    co_await timer.async_wait(asio::use_awaitable);
}

FetchOptions request(std::string method, std::string body = {}) {
    FetchOptions options{std::move(method), std::move(body), {}};
    options.headers.set("Content-Type", "application/x-www-form-urlencoded");
    return options;
}

// What a handler saw, kept by the test.
struct Trace {
    std::vector<std::string> steps;
    std::string joined() const {
        std::string text;
        for (const auto& step : steps) text += (text.empty() ? "" : ",") + step;
        return text;
    }
};
}  // namespace

// --- the XSRF check ---

namespace {
struct Form : web::RequestHandler {
    Trace* trace = nullptr;
    void initialize(Trace* t) { trace = t; }
    void prepare() { trace->steps.push_back("prepare"); }
    void get() { write("form"); }
    void post() { write("posted"); }
    void put() { write("put"); }
    void delete_() { write("deleted"); }
};

// A check of its own: a request passes with the right header.
struct TrustsHeader : Form {
    void check_xsrf_cookie() override {
        if (request().headers.get("X-Test-Token") != "ok") throw web::HTTPError(403, "no test token");
    }
};
}  // namespace

TEST_CASE_METHOD(AppTest, "xsrf_cookies: POST, PUT and DELETE are checked before prepare, GET is not") {
    Trace trace;
    settings.xsrf_cookies = true;
    routes.push_back(web::url<Form>("/", &trace));
    CapturedLog log;
    CHECK(fetch("/").body == "form");
    for (auto method : {"POST", "PUT", "DELETE"}) {
        INFO(method);
        CHECK(fetch("/", request(method, "a=1")).code == 403);
    }
    CHECK(log.count("403 POST / (127.0.0.1): '_xsrf' argument missing from POST") == 1);
    CHECK(trace.joined() == "prepare");  // only the GET got as far as prepare

    // No _xsrf cookie exists before chapter 6, so no token can match one.
    CHECK(fetch("/", request("POST", "_xsrf=anything")).code == 403);
    CHECK(log.count("XSRF cookie does not match POST argument") == 1);
    auto with_header = request("POST");
    with_header.headers.set("X-Xsrftoken", "anything");
    CHECK(fetch("/", with_header).code == 403);
    CHECK(log.count("XSRF cookie does not match POST argument") == 2);
}

TEST_CASE_METHOD(AppTest, "xsrf_cookies off: nothing is checked, on: check_xsrf_cookie can be overridden") {
    Trace trace;
    SECTION("off") {
        routes.push_back(web::url<Form>("/", &trace));
        CHECK(fetch("/", request("POST", "a=1")).body == "posted");
    }
    SECTION("overridden") {
        settings.xsrf_cookies = true;
        routes.push_back(web::url<TrustsHeader>("/", &trace));
        CHECK(fetch("/", request("POST")).code == 403);
        auto trusted = request("POST");
        trusted.headers.set("X-Test-Token", "ok");
        CHECK(fetch("/", trusted).body == "posted");
    }
}

// --- prepare and get_current_user, plain or coroutines ---

namespace {
// Loads its user from a "database" (a timer) once per request, before prepare.
struct AsyncUser : web::RequestHandler {
    Trace* trace = nullptr;
    void initialize(Trace* t) { trace = t; }
    asio::awaitable<nlohmann::json> get_current_user() {
        trace->steps.push_back("load user");
        co_await pause(1ms);
        auto name = get_argument("user", "");
        if (name == "intruder") throw web::HTTPError(401);
        co_return name.empty() ? nlohmann::json() : nlohmann::json{{"name", name}};
    }
    asio::awaitable<void> prepare() {
        trace->steps.push_back("prepare sees " + current_user().dump());
        co_await pause(1ms);
        if (get_argument("stop", "") == "prepare") finish("stopped in prepare");
    }
    void get() {
        trace->steps.push_back("get");
        write("hello " + current_user().value("name", "nobody"));
    }
    void on_finish() override { trace->steps.push_back("on_finish"); }
};

// A plain getter is called on the first current_user(), once per request.
struct PlainUser : web::RequestHandler {
    int* calls = nullptr;
    void initialize(int* c) { calls = c; }
    nlohmann::json get_current_user() {
        ++*calls;
        return get_argument("user", "");
    }
    void get() {
        if (current_user() == "") return write("nobody");
        write(current_user().get<std::string>() + " " + current_user().get<std::string>());
    }
};

// Tornado's way to load a user asynchronously: set it in a coroutine prepare.
struct SetInPrepare : web::RequestHandler {
    asio::awaitable<void> prepare() {
        co_await pause(1ms);
        set_current_user("grace");
    }
    void get() { write(current_user().get<std::string>()); }
};
}  // namespace

TEST_CASE_METHOD(AppTest, "a coroutine get_current_user is awaited once, before a coroutine prepare, then the verb") {
    Trace trace;
    routes.push_back(web::url<AsyncUser>("/", &trace));
    CHECK(fetch("/?user=ada").body == "hello ada");
    CHECK(trace.joined() == R"(load user,prepare sees {"name":"ada"},get,on_finish)");

    trace.steps.clear();
    CHECK(fetch("/?stop=prepare").body == "stopped in prepare");
    CHECK(trace.joined() == "load user,prepare sees null,on_finish");

    trace.steps.clear();
    CHECK(fetch("/?user=intruder").code == 401);
    CHECK(trace.joined() == "load user,on_finish");
}

TEST_CASE_METHOD(AppTest, "a plain get_current_user runs on first use, once per request") {
    int calls = 0;
    routes.push_back(web::url<PlainUser>("/", &calls));
    CHECK(fetch("/?user=ada").body == "ada ada");
    CHECK(calls == 1);
    CHECK(fetch("/").body == "nobody");
    CHECK(calls == 2);
}

TEST_CASE_METHOD(AppTest, "a coroutine prepare may set current_user") {
    routes.push_back(web::url<SetInPrepare>("/"));
    CHECK(fetch("/").body == "grace");
}

// --- web::Finish ---

namespace {
void give_up_if_asked(web::RequestHandler& handler) {
    if (handler.get_argument("give_up", "") == "yes") throw web::Finish("given up");
}

struct Finishes : web::RequestHandler {
    void prepare() {
        if (get_argument("in", "") == "prepare") throw web::Finish("finished in prepare");
    }
    void get() {
        write("partial, ");
        if (get_argument("in", "") == "get") throw web::Finish();
        if (get_argument("in", "") == "after-finish") {
            finish("done");
            throw web::Finish("not written");
        }
        if (get_argument("in", "") == "after-flush") {
            flush();
            throw web::Finish("and the end");
        }
        write("unreachable");
    }
};

struct FinishesLater : web::RequestHandler {
    asio::awaitable<void> prepare() {
        co_await pause(1ms);
        if (get_argument("in", "") == "prepare") throw web::Finish("from a coroutine prepare");
    }
    asio::awaitable<void> get() {
        set_status(202);
        co_await pause(1ms);
        give_up_if_asked(*this);
        write("not given up");
    }
};
}  // namespace

TEST_CASE_METHOD(AppTest, "web::Finish ends the request where it is thrown, with no error page or log") {
    routes.push_back(web::url<Finishes>("/"));
    routes.push_back(web::url<FinishesLater>("/later"));
    CapturedLog log;
    auto check = [&](std::string_view path, int code, std::string_view body) {
        INFO(path);
        auto response = fetch(path);
        CHECK(response.code == code);
        CHECK(response.body == body);
    };
    check("/?in=prepare", 200, "finished in prepare");
    check("/?in=get", 200, "partial, ");
    check("/?in=after-finish", 200, "partial, done");  // the Finish after finish() adds nothing
    check("/?in=after-flush", 200, "partial, and the end");
    check("/later?in=prepare", 200, "from a coroutine prepare");
    check("/later?give_up=yes", 202, "given up");
    check("/later", 202, "not given up");
    CHECK(log.count("[W ") == 0);
    CHECK(log.errors() == 0);
}

// --- the client leaving ---

namespace {
struct Waits {
    bool started = false;
    bool cancelled = false;  // the pending co_await threw operation_aborted
    bool resumed = false;    // it returned normally instead
    bool closed = false;     // on_connection_close ran
    bool finished = false;   // on_finish ran
    bool ended = false;      // the coroutine is over
};

// Waits for a long time in one of three ways; swallow=yes catches the cancellation and
// writes anyway.
struct LongWait : web::RequestHandler {
    Waits* waits = nullptr;
    void initialize(Waits* w) { waits = w; }
    asio::awaitable<void> get() {
        struct End {
            Waits* waits;
            ~End() { waits->ended = true; }
        } end{waits};
        waits->started = true;
        try {
            auto how = get_argument("with", "sleep");
            if (how == "sleep") co_await gen::sleep(30s);
            if (how == "timer") co_await pause(30s);
            waits->resumed = true;
        } catch (const asio::system_error& e) {
            waits->cancelled = e.code() == asio::error::operation_aborted;
            if (get_argument("swallow", "") != "yes") throw;
        }
        write("late");
    }
    void on_connection_close() override { waits->closed = true; }
    void on_finish() override { waits->finished = true; }
};
}  // namespace

TEST_CASE_METHOD(AppTest, "a client leaving cancels the handler's pending co_await and calls on_connection_close") {
    Waits waits;
    routes.push_back(web::url<LongWait>("/", &waits));
    CapturedLog log;
    for (std::string query : {"with=sleep", "with=timer", "with=timer&swallow=yes"}) {
        INFO(query);
        waits = {};
        {
            auto client = connect();
            client.write("GET /?" + query + " HTTP/1.1\r\nHost: x\r\n\r\n");
            REQUIRE(io_loop().run_until([&] { return waits.started; }, 2s));
        }  // the client hangs up
        CHECK(io_loop().run_until([&] { return waits.ended; }, 2s));
        CHECK(waits.cancelled);
        CHECK_FALSE(waits.resumed);
        CHECK(waits.closed);
        // Swallowed, the handler goes on and finishes into the void; else the request just ends.
        CHECK(waits.finished == (query.find("swallow") != std::string::npos));
        CHECK(io_loop().run_until([&] { return http_server().connection_count() == 0; }, 2s));
    }
    CHECK(log.errors() == 0);
    CHECK(log.count("Uncaught") == 0);
}

TEST_CASE_METHOD(AppTest, "a client that stays is not cancelled") {
    Waits waits;
    routes.push_back(web::url<LongWait>("/", &waits));
    auto client = connect();
    client.write("GET /?with=none HTTP/1.1\r\nHost: x\r\n\r\n");
    CHECK(client.read_response().body == "late");
    CHECK_FALSE(waits.cancelled);
    CHECK_FALSE(waits.closed);
    CHECK(waits.finished);
}

// --- the executor ---

namespace {
struct WhereAmI : web::RequestHandler {
    ioloop::IOLoop* serving = nullptr;
    void initialize(ioloop::IOLoop* loop) { serving = loop; }
    asio::awaitable<void> get() {
        auto executor = co_await asio::this_coro::executor;
        co_await pause(1ms);
        write(executor == asio::any_io_executor(serving->executor()) ? "on the connection's loop" : "elsewhere");
    }
};
}  // namespace

TEST_CASE("a coroutine handler runs on its connection's loop, not on the current one") {
    ioloop::IOLoop serving;
    serving.make_current();
    web::Application app({web::url<WhereAmI>("/", &serving)});
    httpserver::HTTPServer server(app);
    auto port = server.listen(0, "127.0.0.1");
    ioloop::IOLoop other;
    other.make_current();  // never run: a handler started here would never answer
    FetchOptions options;
    options.timeout = 2s;
    CHECK(testing::fetch(serving, port, "/", options).body == "on the connection's loop");
}

// --- detach ---

namespace {
struct Detached {
    std::string buffered;
    bool ended = false;
};

// Answers an Upgrade: echo request with 101, takes the connection over and echoes every byte.
struct EchoUpgrade : web::RequestHandler {
    Detached* detached = nullptr;
    void initialize(Detached* d) { detached = d; }
    asio::awaitable<void> get() {
        if (request().headers.get("Upgrade") != "echo") throw web::HTTPError(400);
        set_status(101);
        set_header("Upgrade", "echo");
        set_header("Connection", "Upgrade");
        auto connection = co_await detach();
        detached->buffered = connection.buffered;
        auto& socket = connection.socket;
        co_await asio::async_write(socket, asio::buffer(connection.buffered), asio::use_awaitable);
        char buffer[1024];
        for (;;) {
            std::error_code error;
            auto length = co_await socket.async_read_some(asio::buffer(buffer), asio::redirect_error(asio::use_awaitable, error));
            if (error) break;
            co_await asio::async_write(socket, asio::buffer(buffer, length), asio::use_awaitable);
        }
        detached->ended = true;
    }
};
}  // namespace

TEST_CASE_METHOD(AppTest, "detach hands the socket and the bytes read past the request to the handler") {
    Detached detached;
    routes.push_back(web::url<EchoUpgrade>("/echo", &detached));
    CapturedLog log;
    {
        auto client = connect();
        // The head and the first bytes of the new protocol in one write: the server reads both.
        client.write("GET /echo HTTP/1.1\r\nHost: x\r\nUpgrade: echo\r\nConnection: Upgrade\r\n\r\nearly bytes|");
        auto received = client.read_until("early bytes|");
        CHECK(received.starts_with("HTTP/1.1 101 Switching Protocols\r\n"));
        CHECK(received.find("\r\nUpgrade: echo\r\n") != std::string::npos);
        CHECK(received.find("Content-Length") == std::string::npos);
        CHECK(received.ends_with("\r\n\r\nearly bytes|"));
        CHECK(detached.buffered == "early bytes|");
        // The server no longer counts, times out or closes the connection: the handler has it.
        CHECK(http_server().connection_count() == 0);
        client.write("GET / HTTP/1.1\r\n\r\n");  // not HTTP any more: echoed, not answered
        CHECK(client.read_until("|GET / HTTP/1.1\r\n\r\n").ends_with("early bytes|GET / HTTP/1.1\r\n\r\n"));
        CHECK(client.is_open());
    }
    CHECK(io_loop().run_until([&] { return detached.ended; }, 2s));
    CHECK(log.count("101 GET /echo (127.0.0.1)") == 1);
    CHECK(log.errors() == 0);
}
