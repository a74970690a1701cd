// tornado::web over real HTTP: routing, handler entry points, arguments, output, errors,
// Etag/304, gzip and the debug error page.
#include <tornado/escape.hpp>
#include <tornado/locks.hpp>
#include <tornado/log.hpp>
#include <tornado/testing.hpp>
#include <tornado/web.hpp>

#include "app_fixture.hpp"

#include <catch2/catch.hpp>
#include <zlib.h>

#include <chrono>
#include <ctime>
#include <regex>
#include <thread>

using namespace tornado;
using testing::FetchOptions;
using namespace std::chrono_literals;

namespace {
FetchOptions post(std::string body, std::string content_type = "application/x-www-form-urlencoded") {
    FetchOptions options{"POST", std::move(body), {}};
    options.headers.set("Content-Type", content_type);
    return options;
}

std::string gunzip(const std::string& compressed) {
    z_stream stream{};
    inflateInit2(&stream, 15 + 16);
    stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(compressed.data()));
    stream.avail_in = static_cast<uInt>(compressed.size());
    std::string out;
    char buffer[4096];
    int status;
    do {
        stream.next_out = reinterpret_cast<Bytef*>(buffer);
        stream.avail_out = sizeof buffer;
        status = inflate(&stream, Z_NO_FLUSH);
        out.append(buffer, sizeof buffer - stream.avail_out);
    } while (status == Z_OK);
    inflateEnd(&stream);
    return status == Z_STREAM_END ? out : "<corrupt gzip>";
}

struct Hello : web::RequestHandler {
    void get() { write("hello"); }
};

struct Echo : web::RequestHandler {
    void get(const std::string& first, const std::string& second) { write(first + "|" + second); }
};

struct One : web::RequestHandler {
    void get(std::string_view word) { write(std::string(word)); }
};

struct Verbs : web::RequestHandler {
    void get() { write("GET"); }
    void post() { write("POST"); }
    void put() { write("PUT"); }
    void patch() { write("PATCH"); }
    void delete_() { write("DELETE"); }
    void options() { write("OPTIONS"); }
    void head() { set_header("X-Head", "yes"); }
};

struct Greeter : web::RequestHandler {
    std::string greeting;
    int count = 0;
    void initialize(const std::string& g, int n) {
        greeting = g;
        count = n;
    }
    void get() { write(greeting + " x" + std::to_string(count)); }
};

struct Arguments : web::RequestHandler {
    void get() { answer(); }
    void post() { answer(); }
    void answer() {
        nlohmann::json out;
        out["name"] = get_argument("name", "<none>");
        out["all"] = get_arguments("name");
        out["raw"] = get_argument("name", "<none>", false);
        out["query"] = get_query_arguments("name");
        out["body"] = get_body_arguments("name");
        write(out);
    }
};

struct Required : web::RequestHandler {
    void get() { write(get_argument("needed")); }
};

struct Numbers : web::RequestHandler {
    void get() { write(std::to_string(get_argument("n", 7) * 2)); }
};

struct Upload : web::RequestHandler {
    void post() {
        nlohmann::json out = nlohmann::json::array();
        for (const auto& file : request().files["file"]) {
            out.push_back({{"filename", file.filename}, {"type", file.content_type}, {"size", file.body.size()}});
        }
        out.push_back({{"title", get_argument("title")}});
        write(out);
    }
};
}  // namespace

// --- routing ---

TEST_CASE_METHOD(AppTest, "routes match the whole path and hand captures to the method") {
    routes.push_back(web::url<Hello>("/"));
    routes.push_back(web::url<Echo>(R"(/echo/(\w+)/(\d+))"));
    routes.push_back(web::url<One>(R"(/one/(?P<word>[a-z]+)$)"));
    CHECK(fetch("/").body == "hello");
    CHECK(fetch("/echo/abc/42").body == "abc|42");
    CHECK(fetch("/echo/abc/4x").code == 404);
    CHECK(fetch("/echo/abc/42/more").code == 404);
    CHECK(fetch("/one/named").body == "named");
    CHECK(fetch("/one/Named").code == 404);
    CHECK(fetch("/x/").code == 404);
}

TEST_CASE_METHOD(AppTest, "literal routes and regular-expression routes with the same prefix dispatch by order") {
    routes.push_back(web::url<Hello>("/story"));
    routes.push_back(web::url<Verbs>("/story/new$"));
    routes.push_back(web::url<One>(R"(/story/([a-z]+))"));
    routes.push_back(web::url<Hello>("/a.b"));  // '.' is a regular expression: any character
    CHECK(fetch("/story").body == "hello");
    CHECK(fetch("/story/new").body == "GET");
    CHECK(fetch("/story/old").body == "old");
    CHECK(fetch("/story/").code == 404);
    CHECK(fetch("/storyx").code == 404);
    CHECK(fetch("/story/new/").code == 404);
    CHECK(fetch("/story?x=1").body == "hello");
    CHECK(fetch("/a.b").body == "hello");
    CHECK(fetch("/axb").body == "hello");
}

TEST_CASE_METHOD(AppTest, "captured groups are url-decoded") {
    routes.push_back(web::url<One>(R"(/one/(.+))"));
    CHECK(fetch("/one/a%20b").body == "a b");
    CHECK(fetch("/one/%E4%BD%A0").body == "你");
    CHECK(fetch("/one/%FF").code == 400);  // not UTF-8
}

TEST_CASE_METHOD(AppTest, "unknown paths get Tornado's 404 page") {
    routes.push_back(web::url<Hello>("/"));
    auto response = fetch("/missing");
    CHECK(response.code == 404);
    CHECK(response.reason == "Not Found");
    CHECK(response.body == "<html><title>404: Not Found</title><body>404: Not Found</body></html>");
}

TEST_CASE_METHOD(AppTest, "reverse_url fills a named route's groups") {
    routes.push_back(web::url<Echo>(R"(/echo/(\w+)/(\d+))").named("echo"));
    routes.push_back(web::url<Hello>("/").named("home"));
    CHECK(app().reverse_url("home") == "/");
    CHECK(app().reverse_url("echo", {"a b", "7"}) == "/echo/a%20b/7");
    CHECK_THROWS_AS(app().reverse_url("nothing"), std::out_of_range);
    CHECK_THROWS_AS(app().reverse_url("echo", {"only one"}), std::invalid_argument);
}

TEST_CASE("a route whose pattern does not fit the method's arguments is refused at startup") {
    CHECK_THROWS_AS(web::url<Echo>("/no-groups"), std::invalid_argument);
    CHECK_THROWS_AS(web::url<Hello>("/(one)"), std::invalid_argument);
}

// --- verbs ---

TEST_CASE_METHOD(AppTest, "every HTTP verb reaches its method") {
    routes.push_back(web::url<Verbs>("/"));
    for (std::string verb : {"GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"}) {
        auto response = fetch("/", FetchOptions{verb, "", {}});
        CHECK(response.code == 200);
        CHECK(response.body == verb);
    }
    auto head = fetch("/", FetchOptions{"HEAD", "", {}});
    CHECK(head.code == 200);
    CHECK(head.headers.get("X-Head") == "yes");
    CHECK(head.body.empty());
}

TEST_CASE_METHOD(AppTest, "a verb the handler lacks is 405 with an Allow header") {
    routes.push_back(web::url<Hello>("/"));
    for (std::string verb : {"POST", "PUT", "DELETE", "HEAD", "PATCH", "OPTIONS", "PROPFIND"}) {
        auto response = fetch("/", FetchOptions{verb, "", {}});
        CHECK(response.code == 405);
        CHECK(response.headers.get("Allow") == "GET");
    }
}

// --- entry points ---

TEST_CASE_METHOD(AppTest, "initialize receives the route's arguments") {
    routes.push_back(web::url<Greeter>("/", std::string("hi"), 3));
    CHECK(fetch("/").body == "hi x3");
}

namespace {
int finished_requests = 0;
struct Lifecycle : web::RequestHandler {
    void prepare() {
        if (get_argument("stop", "") == "yes") finish("stopped in prepare");
    }
    void get() { write("reached get"); }
    void on_finish() { ++finished_requests; }
};
}  // namespace

TEST_CASE_METHOD(AppTest, "prepare runs first and may finish, on_finish runs after each response") {
    routes.push_back(web::url<Lifecycle>("/"));
    finished_requests = 0;
    CHECK(fetch("/").body == "reached get");
    CHECK(fetch("/?stop=yes").body == "stopped in prepare");
    CHECK(finished_requests == 2);
}

// --- arguments ---

TEST_CASE_METHOD(AppTest, "query arguments: last value, every value, strip") {
    routes.push_back(web::url<Arguments>("/"));
    auto json = escape::json_decode(fetch("/?name=a&name=%20b%20&other=1").body);
    CHECK(json["name"] == "b");
    CHECK(json["raw"] == " b ");
    CHECK(json["all"] == nlohmann::json({"a", "b"}));
    CHECK(json["query"] == nlohmann::json({"a", "b"}));
    CHECK(json["body"].empty());
    CHECK(escape::json_decode(fetch("/").body)["name"] == "<none>");
}

TEST_CASE_METHOD(AppTest, "body arguments: urlencoded, merged with the query, UTF-8") {
    routes.push_back(web::url<Arguments>("/"));
    auto json = escape::json_decode(fetch("/?name=q", post("name=%E4%BD%A0%E5%A5%BD+%E4%B8%96%E7%95%8C")).body);
    CHECK(json["name"] == "你好 世界");
    CHECK(json["query"] == nlohmann::json({"q"}));
    CHECK(json["body"] == nlohmann::json({"你好 世界"}));
    CHECK(json["all"] == nlohmann::json({"q", "你好 世界"}));
}

TEST_CASE_METHOD(AppTest, "control characters become spaces and invalid UTF-8 is a 400") {
    routes.push_back(web::url<Arguments>("/"));
    auto json = escape::json_decode(fetch("/?name=a%01b").body);
    CHECK(json["name"] == "a b");
    CHECK(fetch("/?name=%FF%FE").code == 400);
}

TEST_CASE_METHOD(AppTest, "a missing argument is a 400 with Tornado's page") {
    routes.push_back(web::url<Required>("/"));
    auto response = fetch("/");
    CHECK(response.code == 400);
    CHECK(response.body == "<html><title>400: Bad Request</title><body>400: Bad Request</body></html>");
    CHECK(fetch("/?needed=here").body == "here");
}

TEST_CASE_METHOD(AppTest, "numeric arguments parse or answer 400") {
    routes.push_back(web::url<Numbers>("/"));
    CHECK(fetch("/").body == "14");
    CHECK(fetch("/?n=21").body == "42");
    CHECK(fetch("/?n=-4").body == "-8");
    CHECK(fetch("/?n=4x").code == 400);
    CHECK(fetch("/?n=99999999999999").code == 400);
}

TEST_CASE_METHOD(AppTest, "multipart bodies give arguments and uploaded files") {
    routes.push_back(web::url<Upload>("/"));
    std::string body =
        "--XyZ\r\nContent-Disposition: form-data; name=\"title\"\r\n\r\n诗\r\n"
        "--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.txt\"\r\nContent-Type: text/plain\r\n\r\n"
        "line one\r\nline two\r\n"
        "--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"b.bin\"\r\n\r\n"
        + std::string("\x00\x01\x02", 3) + "\r\n--XyZ--\r\n";
    auto json = escape::json_decode(fetch("/", post(body, "multipart/form-data; boundary=XyZ")).body);
    REQUIRE(json.size() == 3);
    CHECK(json[0]["filename"] == "a.txt");
    CHECK(json[0]["type"] == "text/plain");
    CHECK(json[0]["size"] == 18);
    CHECK(json[1]["filename"] == "b.bin");
    CHECK(json[1]["size"] == 3);
    CHECK(json[2]["title"] == "诗");
}

TEST_CASE_METHOD(AppTest, "a malformed multipart body is a 400") {
    routes.push_back(web::url<Upload>("/"));
    auto response = fetch("/", post("--XyZ\r\nno headers here", "multipart/form-data; boundary=XyZ"));
    CHECK(response.code == 400);
}

// --- output ---

namespace {
struct Output : web::RequestHandler {
    void set_default_headers() override { set_header("X-Default", "always"); }
    void get() {
        auto what = get_argument("what");
        if (what == "json") {
            write(nlohmann::json{{"answer", 42}, {"text", "</script>"}});
        } else if (what == "status") {
            set_status(201);
            write("created");
        } else if (what == "reason") {
            set_status(299, "Quite Fine");
        } else if (what == "headers") {
            set_header("X-One", "1");
            set_header("X-Number", 5);
            add_header("X-Many", "a");
            add_header("X-Many", "b");
            set_header("X-Gone", "soon");
            clear_header("X-Gone");
            clear_header("X-Default");
        } else if (what == "redirect") {
            redirect("/elsewhere");
        } else if (what == "moved") {
            redirect("/elsewhere", true);
        } else if (what == "inject") {
            set_header("X-Bad", "a\r\nSet-Cookie: x=1");
        } else if (what == "stream") {
            write("part one, ");
            flush();
            write("part two");
            flush();
            finish(", end");
        } else if (what == "twice") {
            finish("once");
            finish("twice");
        }
    }
};
}  // namespace

TEST_CASE_METHOD(AppTest, "responses carry Tornado's default headers") {
    routes.push_back(web::url<Output>("/"));
    auto response = fetch("/?what=status");
    CHECK(response.code == 201);
    CHECK(response.body == "created");
    CHECK(response.headers.get("Content-Type") == "text/html; charset=UTF-8");
    CHECK(response.headers.contains("Date"));
    CHECK(response.headers.contains("Server"));
    CHECK(response.headers.get("Content-Length") == "7");
    CHECK(response.headers.get("X-Default") == "always");
}

TEST_CASE_METHOD(AppTest, "the Date header is an IMF-fixdate of the current second and follows the clock") {
    routes.push_back(web::url<Hello>("/"));
    const std::regex imf_fixdate(
        R"((Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d{2}:\d{2}:\d{2} GMT)");
    auto seconds_of = [](const std::string& date) {
        std::tm parsed{};
        strptime(date.c_str(), "%a, %d %b %Y %H:%M:%S GMT", &parsed);
        return static_cast<long long>(timegm(&parsed));
    };
    // The server's clock: std::time() reads a coarser one, which can still show the last second
    // for a few milliseconds after the server's Date moved on.
    auto now = [] { return static_cast<long long>(std::chrono::system_clock::to_time_t(std::chrono::system_clock::now())); };

    auto before = now();
    auto first = fetch("/").headers.get("Date");
    auto after = now();
    REQUIRE(std::regex_match(first, imf_fixdate));
    CHECK(seconds_of(first) >= before);
    CHECK(seconds_of(first) <= after);

    std::this_thread::sleep_for(1100ms);
    auto second = fetch("/").headers.get("Date");
    REQUIRE(std::regex_match(second, imf_fixdate));
    CHECK(seconds_of(second) > seconds_of(first));
    CHECK(seconds_of(second) <= now());
}

TEST_CASE_METHOD(AppTest, "write of a JSON object sets its content type and escapes </") {
    routes.push_back(web::url<Output>("/"));
    auto response = fetch("/?what=json");
    CHECK(response.headers.get("Content-Type") == "application/json; charset=UTF-8");
    CHECK_THAT(response.body, Catch::Contains("<\\/script>"));
    CHECK(escape::json_decode(response.body)["answer"] == 42);
}

TEST_CASE_METHOD(AppTest, "set_status with a reason, set/add/clear headers") {
    routes.push_back(web::url<Output>("/"));
    auto reason = fetch("/?what=reason");
    CHECK(reason.code == 299);
    CHECK(reason.reason == "Quite Fine");
    auto headers = fetch("/?what=headers");
    CHECK(headers.headers.get("X-One") == "1");
    CHECK(headers.headers.get("X-Number") == "5");
    CHECK(headers.headers.get_list("X-Many") == std::vector<std::string>{"a", "b"});
    CHECK_FALSE(headers.headers.contains("X-Gone"));
    CHECK_FALSE(headers.headers.contains("X-Default"));
}

TEST_CASE_METHOD(AppTest, "a header value with CR/LF is refused, not sent") {
    routes.push_back(web::url<Output>("/"));
    auto response = fetch("/?what=inject");
    CHECK(response.code == 500);
    CHECK_FALSE(response.headers.contains("Set-Cookie"));
}

TEST_CASE_METHOD(AppTest, "redirect answers 302, or 301 when permanent") {
    routes.push_back(web::url<Output>("/"));
    auto found = fetch("/?what=redirect");
    CHECK(found.code == 302);
    CHECK(found.headers.get("Location") == "/elsewhere");
    CHECK(fetch("/?what=moved").code == 301);
}

TEST_CASE_METHOD(AppTest, "flush streams a chunked response") {
    routes.push_back(web::url<Output>("/"));
    auto response = fetch("/?what=stream");
    CHECK(response.code == 200);
    CHECK(response.headers.get("Transfer-Encoding") == "chunked");
    CHECK_FALSE(response.headers.contains("Content-Length"));
    CHECK(response.body == "part one, part two, end");
}

TEST_CASE_METHOD(AppTest, "finishing twice is an error logged after the response went out") {
    routes.push_back(web::url<Output>("/"));
    CHECK(fetch("/?what=twice").body == "once");
    CHECK(fetch("/?what=status").code == 201);
}

// --- Etag and 304 ---

TEST_CASE_METHOD(AppTest, "GET responses get an Etag and a matching If-None-Match gets 304") {
    routes.push_back(web::url<Hello>("/"));
    auto first = fetch("/");
    auto etag = first.headers.get("Etag");
    REQUIRE(etag.size() == 42);  // "…40 hex digits…"
    CHECK(etag == "\"aaf4c61ddcc5e8a2dabede0f3b482cd9aea9434d\"");  // the SHA-1 of "hello", as Tornado sends
    FetchOptions conditional;
    conditional.headers.set("If-None-Match", etag);
    auto again = fetch("/", conditional);
    CHECK(again.code == 304);
    CHECK(again.body.empty());
    CHECK(again.headers.get("Etag") == etag);
    conditional.headers.set("If-None-Match", "\"other\", W/" + etag);
    CHECK(fetch("/", conditional).code == 304);
    conditional.headers.set("If-None-Match", "\"other\"");
    CHECK(fetch("/", conditional).code == 200);
}

// --- errors ---

namespace {
struct Failing : web::RequestHandler {
    void get() {
        auto kind = get_argument("kind");
        if (kind == "http") throw web::HTTPError(403, "not for you");
        if (kind == "reason") throw web::HTTPError(418, "", "Short And Stout");
        if (kind == "send") return send_error(503);
        throw std::runtime_error("handler exploded");
    }
};

struct CustomErrors : web::RequestHandler {
    void get() { throw web::HTTPError(409); }
    void write_error(int status_code, std::exception_ptr) override {
        write(nlohmann::json{{"error", status_code}});
    }
};
}  // namespace

TEST_CASE_METHOD(AppTest, "HTTPError, send_error and uncaught exceptions become error pages") {
    routes.push_back(web::url<Failing>("/"));
    log::set_level(log::Level::none);
    auto forbidden = fetch("/?kind=http");
    CHECK(forbidden.code == 403);
    CHECK_THAT(forbidden.body, Catch::StartsWith("<html><title>403: Forbidden</title>"));
    auto teapot = fetch("/?kind=reason");
    CHECK(teapot.code == 418);
    CHECK(teapot.reason == "Short And Stout");
    CHECK(fetch("/?kind=send").code == 503);
    auto crash = fetch("/?kind=crash");
    CHECK(crash.code == 500);
    CHECK(crash.body == "<html><title>500: Internal Server Error</title><body>500: Internal Server Error</body></html>");
    CHECK_THAT(crash.body, !Catch::Contains("exploded"));
    CHECK(fetch("/?kind=http").code == 403);  // still serving
    log::set_level(log::Level::info);
}

TEST_CASE_METHOD(AppTest, "debug mode shows the exception on the error page") {
    routes.push_back(web::url<Failing>("/"));
    settings.debug = true;
    log::set_level(log::Level::none);
    auto crash = fetch("/?kind=crash");
    log::set_level(log::Level::info);
    CHECK(crash.code == 500);
    CHECK_THAT(crash.body, Catch::Contains("std::runtime_error: handler exploded"));
}

TEST_CASE_METHOD(AppTest, "an overridden write_error writes the page") {
    routes.push_back(web::url<CustomErrors>("/"));
    auto response = fetch("/");
    CHECK(response.code == 409);
    CHECK(response.body == R"({"error":409})");
    CHECK(response.headers.get("Content-Type") == "application/json; charset=UTF-8");
}

// --- gzip ---

namespace {
struct Large : web::RequestHandler {
    void get() {
        std::string text;
        for (int i = 0; i < 500; ++i) text += "line " + std::to_string(i) + " of a compressible page\n";
        write(text);
    }
};
}  // namespace

TEST_CASE_METHOD(AppTest, "compress_response gzips for clients that accept it") {
    routes.push_back(web::url<Large>("/large"));
    routes.push_back(web::url<Hello>("/small"));
    settings.compress_response = true;
    auto plain = fetch("/large");
    CHECK_FALSE(plain.headers.contains("Content-Encoding"));
    FetchOptions gzip;
    gzip.headers.set("Accept-Encoding", "gzip, deflate");
    auto compressed = fetch("/large", gzip);
    CHECK(compressed.headers.get("Content-Encoding") == "gzip");
    CHECK(compressed.headers.get("Vary") == "Accept-Encoding");
    CHECK(compressed.body.size() < plain.body.size() / 4);
    CHECK(std::stoul(compressed.headers.get("Content-Length")) == compressed.body.size());
    CHECK(gunzip(compressed.body) == plain.body);
    CHECK_FALSE(fetch("/small", gzip).headers.contains("Content-Encoding"));  // too small to gain
}

// --- the client leaving ---

namespace {
struct LongPoll : web::RequestHandler {
    locks::Event* wake = nullptr;
    bool* noticed = nullptr;
    void initialize(locks::Event* event, bool* flag) {
        wake = event;
        noticed = flag;
    }
    asio::awaitable<void> get() {
        co_await wake->wait();
        write("woken");
    }
    void on_connection_close() override {
        *noticed = true;
        wake->set();
    }
};
}  // namespace

TEST_CASE_METHOD(AppTest, "on_connection_close tells a waiting handler that its client left") {
    locks::Event wake;
    bool noticed = false;
    routes.push_back(web::url<LongPoll>("/poll", &wake, &noticed));
    {
        auto client = connect();
        client.write("GET /poll HTTP/1.1\r\nHost: x\r\n\r\n");
        CHECK_FALSE(io_loop().run_until([&] { return noticed; }, 100ms));  // still waiting
    }  // the client hangs up
    CHECK(io_loop().run_until([&] { return noticed; }, 2s));
    CHECK(io_loop().run_until([&] { return http_server().connection_count() == 0; }, 2s));

    // A client that stays gets its answer, and no close notice.
    noticed = false;
    wake.clear();
    auto client = connect();
    client.write("GET /poll HTTP/1.1\r\nHost: x\r\n\r\n");
    io_loop().run_until([] { return false; }, 50ms);
    wake.set();
    CHECK(client.read_response().body == "woken");
    CHECK_FALSE(noticed);
}
