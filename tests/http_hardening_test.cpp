// Tests for the HTTP/1.1 server's defences, over real sockets: request smuggling and framing
// (RFC 9112 §6), strict request heads (§3), the request-target cap, head and idle timeouts
// against slow and silent clients, long pipelines, running out of descriptors, and the status
// line and refusal page the connection itself sends.
#include "tornado/gen.hpp"
#include "tornado/httpserver.hpp"
#include "tornado/log.hpp"
#include "tornado/testing.hpp"
#include "tornado/web.hpp"

#include "captured_log.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <netinet/in.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

using namespace tornado;
using namespace std::chrono_literals;
using tornado::testing::RawConnection;
using Clock = std::chrono::steady_clock;

namespace {

// --- handlers ---

// Answers with the request path.
struct PathHandler : web::RequestHandler {
    void get() { write(request().path); }
    void post() { write(request().path + " " + request().body); }
};

// The target of smuggling attempts: records whether a request ever reached it.
struct SecretHandler : web::RequestHandler {
    static inline bool ran = false;
    void get() {
        ran = true;
        write("secret");
    }
};

// A long poll: answers 800 ms later, longer than every timeout of the fixtures below.
struct LongPollHandler : web::RequestHandler {
    asio::awaitable<void> get() {
        co_await gen::sleep(800ms);
        write("done waiting");
    }
};

std::vector<web::URLSpec> routes() {
    return {
        web::url<SecretHandler>("/secret"),
        web::url<LongPollHandler>("/poll"),
        web::url<PathHandler>("/.*"),
    };
}

// --- fixtures ---

// The server logs every refused request; the tests check behaviour (and, where it matters,
// capture the log).
struct QuietLog {
    log::Level saved = log::level();
    QuietLog() { log::set_level(log::Level::none); }
    ~QuietLog() { log::set_level(saved); }
};

struct HardeningTest : testing::AsyncHTTPTestCase {
    QuietLog quiet;
    httpserver::HTTPServerOptions options;

    std::unique_ptr<web::Application> get_app() override { return std::make_unique<web::Application>(routes()); }
    httpserver::HTTPServerOptions get_httpserver_options() override { return options; }

    // Sends bytes and returns everything the server sent until it closed the connection.
    std::string answer_to(std::string_view bytes) {
        auto connection = connect();
        connection.write(bytes);
        auto received = connection.read_until_close(3s);
        REQUIRE(received);  // the server closed the connection
        return *received;
    }
};

struct SmallURLTest : HardeningTest {
    SmallURLTest() { options.max_url_size = 1024; }
};

// Only the head timeout is short: a connection closed in time was closed by it.
struct HeaderTimeoutTest : HardeningTest {
    HeaderTimeoutTest() {
        options.header_timeout = 300ms;
        options.idle_connection_timeout = 5s;
    }
};

struct KeepAliveTimeoutTest : HardeningTest {
    KeepAliveTimeoutTest() {
        options.header_timeout = 300ms;
        options.idle_connection_timeout = 1s;
    }
};

// Between requests a connection may stay silent much longer than its head may take.
struct LongIdleTest : HardeningTest {
    LongIdleTest() {
        options.header_timeout = 300ms;
        options.idle_connection_timeout = 3s;
    }
};

struct ShortTimeoutsTest : HardeningTest {
    ShortTimeoutsTest() {
        options.header_timeout = 200ms;
        options.idle_connection_timeout = 200ms;
        options.body_timeout = 200ms;
    }
};

// --- helpers ---

const std::string smuggled = "GET /secret HTTP/1.1\r\nHost: x\r\n\r\n";

std::string get(std::string_view target, std::string_view version = "HTTP/1.1") {
    return "GET " + std::string(target) + " " + std::string(version) + "\r\nHost: 127.0.0.1\r\n\r\n";
}

std::string post(std::string_view headers, std::string_view body) {
    return "POST /upload HTTP/1.1\r\nHost: 127.0.0.1\r\n" + std::string(headers) + "\r\n" + std::string(body);
}

// The status code of "HTTP/1.1 200 OK…", or 0 when received does not start with a status line.
int status_of(std::string_view received) {
    if (!received.starts_with("HTTP/1.1 ") || received.size() < 12) return 0;
    return std::stoi(std::string(received.substr(9, 3)));
}

std::size_t count(std::string_view text, std::string_view needle) {
    std::size_t found = 0;
    for (auto at = text.find(needle); at != std::string_view::npos; at = text.find(needle, at + needle.size())) ++found;
    return found;
}

std::size_t open_count(const std::vector<RawConnection>& connections) {
    return static_cast<std::size_t>(std::count_if(connections.begin(), connections.end(), [](auto& c) { return c.is_open(); }));
}

// Checks that the server refused what it received with status, sent nothing else, and never
// ran the smuggled request.
void check_refused(std::string_view received, int status) {
    INFO(received);
    CHECK(status_of(received) == status);
    CHECK(count(received, "HTTP/1.1 ") == 1);
    CHECK(received.find("secret") == std::string_view::npos);
    CHECK_FALSE(SecretHandler::ran);
}

}  // namespace

// --- request smuggling and framing (RFC 9112 §6) ---

TEST_CASE_METHOD(HardeningTest, "smuggling: a request smuggled behind a valid chunked body is served (control)") {
    // Shows that the checks below would see a smuggled request: here it is a real, second one.
    SecretHandler::ran = false;
    auto connection = connect();
    connection.write(post("Transfer-Encoding: chunked\r\n", "5\r\nhello\r\n0\r\n\r\n") + smuggled);

    CHECK(connection.read_response().body == "/upload hello");
    CHECK(connection.read_response().body == "secret");
    CHECK(SecretHandler::ran);
}

TEST_CASE_METHOD(HardeningTest, "smuggling: a Transfer-Encoding other than one final chunked is refused and closed") {
    struct Case {
        std::string request;
        int status;
    };
    const std::vector<Case> cases{
        {post("Transfer-Encoding: gzip, chunked\r\n", "0\r\n\r\n"), 501},
        {post("Transfer-Encoding: deflate;level=1 , chunked\r\n", "0\r\n\r\n"), 501},
        {post("Transfer-Encoding: chunked, identity\r\n", "0\r\n\r\n"), 400},
        {post("Transfer-Encoding: xchunked\r\n", "0\r\n\r\n"), 400},
        {post("Transfer-Encoding: chunked, chunked\r\n", "0\r\n\r\n"), 400},
        {post("Transfer-Encoding: g@zip, chunked\r\n", "0\r\n\r\n"), 400},
        {post("Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n", "0\r\n\r\n"), 400},
        {post("Transfer-Encoding: gzip\r\nTransfer-Encoding: chunked\r\n", "0\r\n\r\n"), 400},
        {post("Transfer-Encoding:\r\n", "0\r\n\r\n"), 400},
        {"POST /upload HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 400},
    };
    for (const auto& [request, status] : cases) {
        SecretHandler::ran = false;
        INFO(request);
        check_refused(answer_to(request + smuggled), status);
    }
}

TEST_CASE_METHOD(HardeningTest, "smuggling: Transfer-Encoding together with Content-Length is refused and closed") {
    for (auto headers : {"Transfer-Encoding: chunked\r\nContent-Length: 5\r\n", "Content-Length: 5\r\nTransfer-Encoding: chunked\r\n"}) {
        SecretHandler::ran = false;
        INFO(headers);
        check_refused(answer_to(post(headers, "0\r\n\r\n") + smuggled), 400);
    }
}

TEST_CASE_METHOD(HardeningTest, "smuggling: a Content-Length that is not plain digits is refused and closed") {
    // Identical duplicates ("5, 5" or two equal headers) are refused too: RFC 9110 §8.6 allows
    // either, and refusing leaves nothing for a proxy to read differently.
    for (auto value : {"+5", "-5", "0x5", "5 5", "5, 6", "5, 5", "5\r\nContent-Length: 5", "5\r\nContent-Length: 6", "",
                       "99999999999999999999999"}) {
        SecretHandler::ran = false;
        INFO(value);
        check_refused(answer_to(post("Content-Length: " + std::string(value) + "\r\n", "hello") + smuggled), 400);
    }
}

TEST_CASE_METHOD(HardeningTest, "smuggling: a well-formed Content-Length is still accepted") {
    auto connection = connect();
    connection.write(post("Content-Length: 005 \r\n", "hello") + post("Transfer-Encoding: Chunked\r\n", "2\r\nok\r\n0\r\n\r\n"));

    CHECK(connection.read_response().body == "/upload hello");
    CHECK(connection.read_response().body == "/upload ok");
}

// --- strict request heads (RFC 9112 §3) ---

TEST_CASE_METHOD(HardeningTest, "heads: an HTTP/1.1 request without Host is refused and closed") {
    SecretHandler::ran = false;
    check_refused(answer_to("GET /path HTTP/1.1\r\n\r\n" + smuggled), 400);
}

TEST_CASE_METHOD(HardeningTest, "heads: an HTTP/1.0 request without Host is served") {
    auto received = answer_to("GET /old HTTP/1.0\r\n\r\n");

    CHECK(status_of(received) == 200);
    CHECK(received.ends_with("\r\n\r\n/old"));
}

TEST_CASE_METHOD(HardeningTest, "heads: two Host headers, or an invalid one, are refused and closed") {
    for (auto request : {"GET /path HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", "GET /path HTTP/1.0\r\nHost: a\r\nHost: a\r\n\r\n",
                         "GET /path HTTP/1.1\r\nHost: a b\r\n\r\n", "GET /path HTTP/1.1\r\nHost: evil.com/path\r\n\r\n",
                         "GET /path HTTP/1.1\r\nHost: user@host\r\n\r\n"}) {
        SecretHandler::ran = false;
        INFO(request);
        check_refused(answer_to(request + smuggled), 400);
    }
}

TEST_CASE_METHOD(HardeningTest, "heads: Host values with a port, an IPv6 literal or nothing are accepted") {
    for (auto host : {"example.com:8080", "[::1]:8000", "127.0.0.1", ""}) {
        INFO(host);
        auto connection = connect();
        connection.write("GET /host HTTP/1.1\r\nHost: " + std::string(host) + "\r\n\r\n");
        CHECK(connection.read_response().body == "/host");
    }
}

TEST_CASE_METHOD(HardeningTest, "heads: an empty header name is refused and closed") {
    for (auto request : {"GET /path HTTP/1.1\r\nHost: x\r\n: value\r\n\r\n", "GET /path HTTP/1.1\r\n:\r\nHost: x\r\n\r\n"}) {
        SecretHandler::ran = false;
        INFO(request);
        check_refused(answer_to(request + smuggled), 400);
    }
}

TEST_CASE_METHOD(HardeningTest, "heads: a request line with doubled spaces is refused and closed") {
    for (auto line : {"GET  /path HTTP/1.1", "GET /path  HTTP/1.1", "GET   /path   HTTP/1.1"}) {
        SecretHandler::ran = false;
        INFO(line);
        check_refused(answer_to(std::string(line) + "\r\nHost: x\r\n\r\n" + smuggled), 400);
    }
}

TEST_CASE_METHOD(HardeningTest, "heads: doubled spaces split across reads are still found") {
    // The positions of the request line's parts are counted across reads, not within one.
    for (auto [first, second] : {std::pair{"GET ", " /path HTTP/1.1\r\nHost: x\r\n\r\n"},
                                 std::pair{"GET /path ", " HTTP/1.1\r\nHost: x\r\n\r\n"}}) {
        auto connection = connect();
        connection.write(first);
        io_loop().run_until([] { return false; }, 20ms);  // the server reads the first part alone
        connection.write(second);
        auto received = connection.read_until_close(3s);
        REQUIRE(received);
        CHECK(status_of(*received) == 400);
    }
}

TEST_CASE_METHOD(HardeningTest, "heads: an HTTP/0.9 request line or another HTTP version is refused and closed") {
    for (auto request : {"GET /path\r\n\r\n", "GET /path\r\nHost: x\r\n\r\n", "GET /path HTTP/2.0\r\nHost: x\r\n\r\n",
                         "GET /path HTTP/0.9\r\nHost: x\r\n\r\n"}) {
        SecretHandler::ran = false;
        INFO(request);
        check_refused(answer_to(request + smuggled), 400);
    }
}

// --- request-target cap ---

TEST_CASE_METHOD(HardeningTest, "limits: a 60 KB or 1 MB request-target gets 414 and the server goes on") {
    for (std::size_t size : {60 * 1024, 1024 * 1024}) {
        INFO(size);
        auto received = answer_to(get("/" + std::string(size, 'a')));
        CHECK(status_of(received) == 414);
        CHECK(count(received, "HTTP/1.1 ") == 1);
        CHECK(fetch("/next").body == "/next");
    }
}

TEST_CASE_METHOD(SmallURLTest, "limits: a request-target of exactly max_url_size is accepted, one byte more is not") {
    auto target = "/" + std::string(1023, 'a');
    CHECK(fetch(target).body == target);

    CHECK(status_of(answer_to(get(target + "a"))) == 414);
}

TEST_CASE("limits: the default request-target cap is between 8 KiB and 16 KiB") {
    httpserver::HTTPServerOptions defaults;
    CHECK(defaults.max_url_size >= 8 * 1024);
    CHECK(defaults.max_url_size <= 16 * 1024);
}

// --- slow and idle clients ---

TEST_CASE("timeouts: the default head and idle timeouts are at most 20 s") {
    httpserver::HTTPServerOptions defaults;
    CHECK(defaults.header_timeout <= 20s);
    CHECK(defaults.idle_connection_timeout <= 20s);
}

TEST_CASE_METHOD(HeaderTimeoutTest, "timeouts: trickling and silent clients are closed after header_timeout") {
    // 50 clients send a head one byte every 100 ms (it would take 6 s), 10 send nothing;
    // meanwhile a keep-alive client and fresh connections are served.
    const std::string head = get("/" + std::string(40, 't'));
    std::vector<RawConnection> slow;
    for (int i = 0; i < 60; ++i) slow.push_back(connect());
    auto keep_alive = connect();
    auto started = Clock::now();
    std::size_t sent = 0;
    int served = 0;
    while (open_count(slow) > 0 && Clock::now() - started < 3s) {
        for (std::size_t i = 0; i < 50; ++i) {
            if (slow[i].is_open()) slow[i].write(head.substr(sent, 1));
        }
        ++sent;
        keep_alive.write(get("/alive"));
        served += keep_alive.read_response().body == "/alive";
        served += fetch("/fresh").body == "/fresh";
        io_loop().run_until([&] { return open_count(slow) == 0; }, 100ms);
    }
    auto all_closed_after = Clock::now() - started;

    CHECK(open_count(slow) == 0);
    CHECK(sent < head.size());  // no trickling head was complete
    CHECK(all_closed_after >= 250ms);
    CHECK(all_closed_after < 1500ms);  // 300 ms, and room for a loaded machine
    CHECK(served == 2 * static_cast<int>(sent));
    CHECK(keep_alive.is_open());
}

TEST_CASE_METHOD(HeaderTimeoutTest, "timeouts: the timed-out head is logged once, a silent connection not at all") {
    CapturedLog log(log::Level::info);
    auto trickling = connect();
    auto silent = connect();
    trickling.write("GET /pa");

    REQUIRE(trickling.read_until_close(2s));
    REQUIRE(silent.read_until_close(2s));
    CHECK(log.count("Timeout reading request head from 127.0.0.1") == 1);
}

TEST_CASE_METHOD(KeepAliveTimeoutTest, "timeouts: between requests the wait is idle_connection_timeout, not header_timeout") {
    auto connection = connect();
    connection.write(get("/first"));
    REQUIRE(connection.read_response().body == "/first");

    // Longer than header_timeout, shorter than idle_connection_timeout.
    CHECK_FALSE(connection.read_until_close(600ms));
    connection.write(get("/second"));
    CHECK(connection.read_response().body == "/second");
    CHECK(connection.read_until_close(3s));  // closed once idle for longer than 1 s
}

TEST_CASE_METHOD(LongIdleTest, "timeouts: after a response, the next head is timed from its first byte") {
    auto connection = connect();
    connection.write(get("/first"));
    REQUIRE(connection.read_response().body == "/first");
    CHECK_FALSE(connection.read_until_close(200ms));

    auto first_byte = Clock::now();
    connection.write("GET /sec");
    auto received = connection.read_until_close(2s);
    auto cut_after = Clock::now() - first_byte;

    REQUIRE(received);
    CHECK(received->empty());
    CHECK(cut_after >= 250ms);
    CHECK(cut_after < 1500ms);  // long before the 3 s idle timeout would have run out
}

TEST_CASE_METHOD(ShortTimeoutsTest, "timeouts: a long poll outlives every timeout and gets its answer") {
    auto connection = connect();
    connection.write(get("/poll"));
    auto response = connection.read_response(3s);

    CHECK(response.code == 200);
    CHECK(response.body == "done waiting");
}

TEST_CASE_METHOD(ShortTimeoutsTest, "timeouts: pipelined requests behind a long poll are answered after it") {
    auto connection = connect();
    connection.write(get("/poll") + get("/after"));

    CHECK(connection.read_response(3s).body == "done waiting");
    CHECK(connection.read_response(3s).body == "/after");
}

// --- server options from the application's Settings ---

namespace {
std::unique_ptr<web::Application> app_with_header_timeout(ioloop::Duration timeout) {
    return std::make_unique<web::Application>(routes(),
                                              web::Settings{.server_options = {.header_timeout = timeout}});
}

// True when a connection that sends nothing is closed within a second.
bool silent_connection_closed(ioloop::IOLoop& loop, std::uint16_t port) {
    RawConnection connection(loop, port);
    return connection.read_until_close(1s).has_value();
}
}  // namespace

TEST_CASE("settings: server_options in Settings reach HTTPServer(app) and app.listen(port)") {
    QuietLog quiet;
    ioloop::IOLoop loop;
    loop.make_current();
    auto app = app_with_header_timeout(200ms);

    httpserver::HTTPServer server(*app);
    CHECK(silent_connection_closed(loop, server.listen(0, "127.0.0.1")));

    app->listen(0, "127.0.0.1");
    CHECK(silent_connection_closed(loop, app->listen_port()));

    // Options given explicitly win over the Settings.
    app->listen(0, "127.0.0.1", {.header_timeout = 10s});
    CHECK_FALSE(silent_connection_closed(loop, app->listen_port()));
}

struct SettingsOptionsTest : testing::AsyncHTTPTestCase {
    QuietLog quiet;
    std::unique_ptr<web::Application> get_app() override { return app_with_header_timeout(200ms); }
};

TEST_CASE_METHOD(SettingsOptionsTest, "settings: AsyncHTTPTestCase serves with the application's server_options") {
    CHECK(silent_connection_closed(io_loop(), get_http_port()));
    CHECK(fetch("/still-serving").body == "/still-serving");
}

// --- pipelining ---

TEST_CASE_METHOD(HardeningTest, "pipelining: 2,000 requests in one write are all answered in order") {
    constexpr int requests = 2000;
    std::string pipeline;
    for (int i = 0; i < requests; ++i) pipeline += get("/" + std::to_string(i));
    auto connection = connect();
    connection.write(pipeline);

    int in_order = 0;
    for (int i = 0; i < requests; ++i) {
        auto response = connection.read_response(5s);
        if (response.code != 200 || response.body != "/" + std::to_string(i)) break;
        ++in_order;
    }
    CHECK(in_order == requests);
    CHECK(connection.is_open());
}

// --- running out of descriptors ---

// Not in sanitizer builds: UBSan checks that memory is readable through a pipe, which it cannot
// open while the process is out of descriptors, and then reports the server's objects as bad.
#if !defined(__SANITIZE_ADDRESS__)
namespace {
// Lowers the soft limit on open descriptors while it lives; restored even when a check fails.
class DescriptorLimit {
public:
    explicit DescriptorLimit(rlim_t soft) {
        REQUIRE(getrlimit(RLIMIT_NOFILE, &saved_) == 0);
        rlimit lowered = saved_;
        lowered.rlim_cur = soft;
        REQUIRE(setrlimit(RLIMIT_NOFILE, &lowered) == 0);
    }
    ~DescriptorLimit() { setrlimit(RLIMIT_NOFILE, &saved_); }
    DescriptorLimit(const DescriptorLimit&) = delete;
    DescriptorLimit& operator=(const DescriptorLimit&) = delete;

private:
    rlimit saved_{};
};

// Client sockets, closed when it goes.
struct Hoard {
    std::vector<int> descriptors;
    ~Hoard() {
        for (int descriptor : descriptors) ::close(descriptor);
    }
};

std::size_t open_descriptors() {
    return static_cast<std::size_t>(std::distance(std::filesystem::directory_iterator("/proc/self/fd"),
                                                  std::filesystem::directory_iterator()));
}

// Connects a new socket to 127.0.0.1:port; false when no descriptor is left (EMFILE).
bool connect_blocking(Hoard& hoard, std::uint16_t port) {
    int descriptor = ::socket(AF_INET, SOCK_STREAM, 0);
    if (descriptor < 0) {
        REQUIRE(errno == EMFILE);
        return false;
    }
    hoard.descriptors.push_back(descriptor);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(port);
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    // The kernel completes the handshake from the listen backlog; the server need not accept.
    REQUIRE(::connect(descriptor, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0);
    return true;
}
}  // namespace

TEST_CASE_METHOD(HardeningTest, "accept: after running out of descriptors both listeners accept again") {
    auto first = get_http_port();
    auto second = http_server().listen(0, "127.0.0.1");
    CapturedLog log(log::Level::error);
    {
        DescriptorLimit limit(open_descriptors() + 16);
        Hoard hoard;
        for (int i = 0; connect_blocking(hoard, i % 2 == 0 ? first : second); ++i) {
        }
        // Both listeners now have connections waiting and no descriptor to accept them with.
        io_loop().run_until([] { return false; }, 300ms);
    }
    REQUIRE(log.count("Error accepting a connection") >= 2);

    testing::FetchOptions options;
    options.timeout = 3s;
    CHECK(testing::fetch(io_loop(), first, "/first", options).body == "/first");
    CHECK(testing::fetch(io_loop(), second, "/second", options).body == "/second");
}
#endif

// --- what the connection itself sends ---

TEST_CASE_METHOD(HardeningTest, "responses: an HTTP/1.0 request gets an HTTP/1.1 status line") {
    auto received = answer_to(get("/old", "HTTP/1.0"));

    CHECK(received.starts_with("HTTP/1.1 200 OK\r\n"));
    CHECK(received.find("Connection: keep-alive") == std::string::npos);
}

TEST_CASE_METHOD(HardeningTest, "responses: a refusal is Tornado's default page, with the reason only in the log") {
    CapturedLog log(log::Level::warning);
    auto received = answer_to("GET /path HTTP/1.1\r\n\r\n");

    const std::string page = "<html><title>400: Bad Request</title><body>400: Bad Request</body></html>";
    CHECK(received.starts_with("HTTP/1.1 400 Bad Request\r\n"));
    CHECK(received.find("\r\nConnection: close\r\n") != std::string::npos);
    CHECK(received.ends_with("\r\n\r\n" + page));
    CHECK(log.count("400 from 127.0.0.1: Missing Host header") == 1);
    CHECK(log.lines.size() == 1);
}
