// tornado::httpclient's AsyncHTTPClient and HTTPClient over real sockets: against the framework's
// own server (an AsyncHTTPTestCase), against Python's http.server (tests/programs/
// httpclient_upstream.py, plain and with TLS under a CA made here with the openssl CLI), and
// against bare listeners that never answer or never accept.
#include "app_fixture.hpp"
#include "test_certificates.hpp"

#include <tornado/gen.hpp>
#include <tornado/httpclient.hpp>
#include <tornado/testing.hpp>

#include <asio/co_spawn.hpp>
#include <asio/detached.hpp>
#include <asio/ip/tcp.hpp>
#include <asio/read_until.hpp>
#include <asio/redirect_error.hpp>
#include <asio/use_awaitable.hpp>
#include <asio/write.hpp>

#include <catch2/catch.hpp>

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

using namespace tornado;
using namespace std::chrono_literals;
using httpclient::AsyncHTTPClient;
using httpclient::HTTPClient;
using httpclient::HTTPClientError;
using httpclient::HTTPRequest;
using httpclient::HTTPResponse;
using asio::ip::tcp;
using Catch::Matchers::Contains;
using Catch::Matchers::StartsWith;

namespace {

const std::string upstream_program = TORNADO_SOURCE_DIR "/tests/programs/httpclient_upstream.py";

HTTPRequest request_to(std::string url, std::string method = "GET", std::string body = {}) {
    return HTTPRequest(std::move(url), std::move(method), std::move(body));
}

// --- handlers of the framework's own server ---

struct Hello : web::RequestHandler {
    void get() { write("Hello"); }
};

struct Missing : web::RequestHandler {
    void get() {
        set_status(404);
        write("nothing here");
    }
};

// Fetches /hello from its own server with the AsyncHTTPClient, as a handler of the book does.
struct Proxy : web::RequestHandler {
    AsyncHTTPClient* client = nullptr;
    void initialize(AsyncHTTPClient* the_client) { client = the_client; }
    asio::awaitable<void> get() {
        auto response = co_await client->fetch("http://" + request().host + "/hello");
        write("proxied: " + response.body);
    }
};

struct Concurrency {
    int current = 0;
    int most = 0;
    int answered = 0;
};

// Holds each request 50 ms, counting how many are in progress at once.
struct Slow : web::RequestHandler {
    Concurrency* counts = nullptr;
    void initialize(Concurrency* the_counts) { counts = the_counts; }
    asio::awaitable<void> get() {
        counts->most = std::max(counts->most, ++counts->current);
        co_await gen::sleep(50ms);
        --counts->current;
        ++counts->answered;
        write("done");
    }
};

struct ClientTest : AppTest {
    AsyncHTTPClient client;
    HTTPResponse client_fetch(HTTPRequest request, bool raise_error = true) {
        return io_loop().run_sync(client.fetch(std::move(request), raise_error), 10s);
    }
};

// A Python http.server for the test, on a free port, stopped when the test ends.
struct Upstream {
    explicit Upstream(std::vector<std::string> args = {}) : process(upstream_program, std::move(args)) {}
    std::string url(const std::string& path, const std::string& host = "127.0.0.1") const {
        return "http://" + host + ":" + std::to_string(process.port()) + path;
    }
    testing::ServerProcess process;
};

// Accepts connections and never answers on them.
struct SilentServer {
    explicit SilentServer(ioloop::IOLoop& loop) : acceptor(loop.context(), {asio::ip::make_address_v4("127.0.0.1"), 0}) {
        accept();
    }
    void accept() {
        acceptor.async_accept([this](std::error_code error, tcp::socket socket) {
            if (error) return;
            held.push_back(std::move(socket));
            accept();
        });
    }
    std::string url() const { return "http://127.0.0.1:" + std::to_string(acceptor.local_endpoint().port()) + "/"; }
    tcp::acceptor acceptor;
    std::vector<tcp::socket> held;
};

// Answers each connection's requests with canned responses, one per request in order. After
// the last one it closes the connection, at once or when the next request arrives (as a server
// whose keep-alive timeout ends just as a request comes).
enum class AfterLast { close, close_on_next_request };

class ScriptedServer {
public:
    ScriptedServer(ioloop::IOLoop& loop, std::vector<std::string> responses, AfterLast after_last)
        : state_(std::make_shared<State>(loop.context(), std::move(responses), after_last)) {
        asio::co_spawn(loop.context(), accept(state_), asio::detached);
    }
    ~ScriptedServer() {
        std::error_code ignored;
        state_->acceptor.close(ignored);
    }
    std::string url(const std::string& path) const {
        return "http://127.0.0.1:" + std::to_string(state_->acceptor.local_endpoint().port()) + path;
    }
    int connections() const { return state_->connections; }

private:
    struct State {
        State(asio::io_context& context, std::vector<std::string> responses, AfterLast after_last)
            : acceptor(context, {asio::ip::make_address_v4("127.0.0.1"), 0}), responses(std::move(responses)),
              after_last(after_last) {}
        tcp::acceptor acceptor;
        std::vector<std::string> responses;
        AfterLast after_last;
        int connections = 0;
    };

    static asio::awaitable<void> accept(std::shared_ptr<State> state) {
        while (true) {
            std::error_code error;
            auto socket = co_await state->acceptor.async_accept(asio::redirect_error(asio::use_awaitable, error));
            if (error) co_return;
            ++state->connections;
            asio::co_spawn(state->acceptor.get_executor(), serve(state, std::move(socket)), asio::detached);
        }
    }

    static asio::awaitable<void> serve(std::shared_ptr<State> state, tcp::socket socket) {
        std::string received;
        std::error_code error;
        auto token = asio::redirect_error(asio::use_awaitable, error);
        for (const auto& response : state->responses) {
            auto head = co_await asio::async_read_until(socket, asio::dynamic_buffer(received), "\r\n\r\n", token);
            if (error) co_return;
            received.erase(0, head);
            co_await asio::async_write(socket, asio::buffer(response), token);
        }
        if (state->after_last == AfterLast::close_on_next_request) {
            co_await asio::async_read_until(socket, asio::dynamic_buffer(received), "\r\n\r\n", token);
        }
        socket.close();
    }

    std::shared_ptr<State> state_;
};

}  // namespace

// --- against the framework's own server ---

TEST_CASE_METHOD(ClientTest, "fetch returns the handler's response also awaited from inside a handler") {
    routes.push_back(web::url<Hello>("/hello"));
    routes.push_back(web::url<Proxy>("/proxy", &client));
    auto response = client_fetch(HTTPRequest(get_url("/hello")));
    CHECK(response.code == 200);
    CHECK(response.reason == "OK");
    CHECK(response.body == "Hello");
    CHECK(response.effective_url == get_url("/hello"));
    CHECK(response.headers.get("Content-Length") == "5");
    CHECK(client_fetch(HTTPRequest(get_url("/proxy"))).body == "proxied: Hello");
}

TEST_CASE_METHOD(ClientTest, "a non-2xx answer throws HTTPClientError with the response unless raise_error is false") {
    routes.push_back(web::url<Missing>("/missing"));
    try {
        client_fetch(HTTPRequest(get_url("/missing")));
        FAIL("no HTTPClientError");
    } catch (const HTTPClientError& e) {
        CHECK(e.code == 404);
        CHECK_THAT(e.what(), Contains("404"));
        REQUIRE(e.response);
        CHECK(e.response->body == "nothing here");
    }
    auto response = client_fetch(HTTPRequest(get_url("/missing")), false);
    CHECK(response.code == 404);
    CHECK(response.body == "nothing here");
}

TEST_CASE_METHOD(ClientTest, "max_clients=2: five concurrent fetches never more than two in flight all answered") {
    Concurrency counts;
    routes.push_back(web::url<Slow>("/slow", &counts));
    AsyncHTTPClient limited({.max_clients = 2});
    auto url = get_url("/slow");
    auto [a, b, c, d, e] = io_loop().run_sync(
        gen::multi(limited.fetch(url), limited.fetch(url), limited.fetch(url), limited.fetch(url), limited.fetch(url)),
        10s);
    for (const auto* response : {&a, &b, &c, &d, &e}) CHECK(response->body == "done");
    CHECK(counts.answered == 5);
    CHECK(counts.most == 2);
}

TEST_CASE_METHOD(ClientTest, "a kept-alive connection that the server closed while idle is replaced by a new one") {
    routes.push_back(web::url<Hello>("/hello"));
    CHECK(client_fetch(HTTPRequest(get_url("/hello"))).body == "Hello");
    http_server().close_all_connections();
    io_loop().run_until([] { return false; }, 50ms);  // the close reaches the client's socket
    CHECK(client_fetch(HTTPRequest(get_url("/hello"))).body == "Hello");
}

TEST_CASE_METHOD(ClientTest, "network failures throw errors derived from HTTPClientError with code 599") {
    // A port that nobody listens on any more.
    std::uint16_t closed_port;
    {
        tcp::acceptor acceptor(io_loop().context(), {asio::ip::make_address_v4("127.0.0.1"), 0});
        closed_port = acceptor.local_endpoint().port();
    }
    try {
        client_fetch(HTTPRequest("http://127.0.0.1:" + std::to_string(closed_port) + "/"));
        FAIL("no error");
    } catch (const httpclient::HTTPNetworkError& e) {
        CHECK(e.code == 599);
        CHECK_THAT(e.what(), Contains("cannot connect"));
        CHECK(dynamic_cast<const httpclient::HTTPTimeoutError*>(&e) == nullptr);
    }
    CHECK_THROWS_AS(client_fetch(HTTPRequest("ftp://127.0.0.1/")), std::invalid_argument);
}

TEST_CASE_METHOD(ClientTest, "a connection closed as the request arrives: sent again if idempotent not if a POST") {
    ScriptedServer server(io_loop(), {"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"},
                          AfterLast::close_on_next_request);
    CHECK(client_fetch(HTTPRequest(server.url("/"))).body == "ok");
    CHECK(client_fetch(HTTPRequest(server.url("/"))).body == "ok");  // on a second connection
    CHECK(server.connections() == 2);
    CHECK_THROWS_WITH(client_fetch(request_to(server.url("/"), "POST")), Contains("connection closed"));
    CHECK(server.connections() == 2);
}

TEST_CASE_METHOD(ClientTest, "1xx skipped - 204 304 and HEAD without a body - chunked - all on one connection") {
    ScriptedServer server(io_loop(),
                          {"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nfirst",
                           "HTTP/1.1 204 No Content\r\n\r\n",
                           "HTTP/1.1 304 Not Modified\r\nContent-Length: 10\r\n\r\n",
                           "HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\n",
                           "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n4\r\nlast\r\n0\r\n\r\n"},
                          AfterLast::close);
    auto first = client_fetch(HTTPRequest(server.url("/")));
    CHECK(first.code == 200);
    CHECK(first.body == "first");
    auto no_content = client_fetch(HTTPRequest(server.url("/")));
    CHECK(no_content.code == 204);
    CHECK(no_content.body.empty());
    auto not_modified = client_fetch(HTTPRequest(server.url("/")), false);
    CHECK(not_modified.code == 304);
    CHECK(not_modified.body.empty());
    auto head = client_fetch(request_to(server.url("/"), "HEAD"));
    CHECK(head.headers.get("Content-Length") == "4");
    CHECK(head.body.empty());
    CHECK(client_fetch(HTTPRequest(server.url("/"))).body == "last");
    CHECK(server.connections() == 1);
}

TEST_CASE_METHOD(ClientTest, "an HTTP/1.0 answer ends with the connection - the next request opens another") {
    ScriptedServer server(io_loop(), {"HTTP/1.0 200 OK\r\n\r\nclose-delimited"}, AfterLast::close);
    CHECK(client_fetch(HTTPRequest(server.url("/"))).body == "close-delimited");
    CHECK(client_fetch(HTTPRequest(server.url("/"))).body == "close-delimited");
    CHECK(server.connections() == 2);
}

TEST_CASE_METHOD(ClientTest, "a response head over 64 KiB is an error not held in memory") {
    ScriptedServer server(
        io_loop(), {"HTTP/1.1 200 OK\r\nX-Big: " + std::string(70 * 1024, 'a') + "\r\nContent-Length: 0\r\n\r\n"},
        AfterLast::close);
    CHECK_THROWS_WITH(client_fetch(HTTPRequest(server.url("/"))), Contains("larger than 64 KiB"));
}

TEST_CASE_METHOD(ClientTest, "a method URL or header that would break the request head is refused") {
    auto request = HTTPRequest("http://127.0.0.1:1/");
    request.headers.set("X-Injected", "a\r\nEvil: yes");
    CHECK_THROWS_AS(client_fetch(request), std::invalid_argument);
    CHECK_THROWS_AS(client_fetch(HTTPRequest("http://127.0.0.1:1/a b")), std::invalid_argument);
    CHECK_THROWS_AS(client_fetch(request_to("http://127.0.0.1:1/", "GET /x")), std::invalid_argument);
}

// --- timeouts, each its own error ---

TEST_CASE_METHOD(ClientTest, "a server that accepts and never answers: a request timeout") {
    SilentServer silent(io_loop());
    auto request = HTTPRequest(silent.url());
    request.request_timeout = 200ms;
    try {
        client_fetch(request);
        FAIL("no timeout");
    } catch (const httpclient::HTTPRequestTimeoutError& e) {
        CHECK(e.code == 599);
        CHECK_THAT(e.what(), Contains("request_timeout"));
    }
    CHECK(silent.held.size() == 1);
}

TEST_CASE_METHOD(ClientTest, "a server that never accepts: a connect timeout") {
    // A listener with backlog 0 whose queue one connection fills: Linux then drops further SYNs.
    tcp::acceptor full(io_loop().context(), tcp::v4());
    full.bind({asio::ip::make_address_v4("127.0.0.1"), 0});
    full.listen(0);
    tcp::socket filler(io_loop().context());
    filler.connect(full.local_endpoint());
    auto request = HTTPRequest("http://127.0.0.1:" + std::to_string(full.local_endpoint().port()) + "/");
    request.connect_timeout = 200ms;
    try {
        client_fetch(request);
        FAIL("no timeout");
    } catch (const httpclient::HTTPConnectTimeoutError& e) {
        CHECK(e.code == 599);
        CHECK_THAT(e.what(), Contains("connect_timeout"));
    }
}

TEST_CASE_METHOD(ClientTest, "max_clients=1 with one request stuck: the next one times out in the queue") {
    SilentServer silent(io_loop());
    AsyncHTTPClient limited({.max_clients = 1});
    bool stuck_ended = false;
    auto stuck = HTTPRequest(silent.url());
    stuck.request_timeout = 1s;
    io_loop().spawn([](AsyncHTTPClient& client, HTTPRequest request, bool& ended) -> asio::awaitable<void> {
        try {
            co_await client.fetch(request);
        } catch (const httpclient::HTTPRequestTimeoutError&) {
            ended = true;
        }
    }(limited, stuck, stuck_ended));
    auto queued = HTTPRequest(silent.url());
    queued.connect_timeout = 200ms;
    try {
        io_loop().run_sync(limited.fetch(queued), 5s);
        FAIL("no timeout");
    } catch (const httpclient::HTTPQueueTimeoutError& e) {
        CHECK(e.code == 599);
        CHECK_THAT(e.what(), Contains("max_clients"));
    }
    CHECK_FALSE(stuck_ended);
    CHECK(io_loop().run_until([&] { return stuck_ended; }, 5s));
}

// --- against Python's http.server ---

TEST_CASE("5 sequential fetches to one host use one connection - Connection: close ends it") {
    Upstream upstream;
    HTTPClient client;
    auto first_port = client.fetch(upstream.url("/port")).body;
    for (int i = 0; i < 4; ++i) CHECK(client.fetch(upstream.url("/port")).body == first_port);
    auto head = client.fetch(request_to(upstream.url("/big?n=10"), "HEAD"));
    CHECK(head.headers.get("Content-Length") == "10");
    CHECK(head.body.empty());
    CHECK(client.fetch(upstream.url("/port")).body == first_port);
    CHECK(client.fetch(upstream.url("/close")).body == "closing");
    auto after_close = client.fetch(upstream.url("/port")).body;
    CHECK(after_close != first_port);
    CHECK(client.fetch(upstream.url("/port")).body == after_close);
}

namespace {
asio::awaitable<std::string> body_through_a_new_client(std::string url) {
    AsyncHTTPClient client;  // the loop's shared client, as Tornado's AsyncHTTPClient()
    co_return (co_await client.fetch(std::move(url))).body;
}
}  // namespace

TEST_CASE_METHOD(ClientTest, "AsyncHTTPClient() is the loop's shared client - one made with options has its own connections") {
    Upstream upstream;
    auto url = upstream.url("/port");
    auto shared_port = io_loop().run_sync(body_through_a_new_client(url), 10s);
    // Each fetch through a new AsyncHTTPClient() finds the connection the last one left idle.
    for (int i = 0; i < 4; ++i) CHECK(io_loop().run_sync(body_through_a_new_client(url), 10s) == shared_port);
    AsyncHTTPClient own({.max_clients = 1});
    auto own_port = io_loop().run_sync(own.fetch(url), 10s).body;
    CHECK(own_port != shared_port);
    CHECK(io_loop().run_sync(own.fetch(url), 10s).body == own_port);
    CHECK(io_loop().run_sync(body_through_a_new_client(url), 10s) == shared_port);
}

TEST_CASE_METHOD(AppTest, "AsyncHTTPClient::configure sets max_clients of the shared clients made after it") {
    AsyncHTTPClient::configure({.max_clients = 1});
    struct Restore {
        ~Restore() { AsyncHTTPClient::configure({}); }
    } restore;
    Concurrency counts;
    routes.push_back(web::url<Slow>("/slow", &counts));
    auto url = get_url("/slow");
    auto through_new = [](std::string u) -> asio::awaitable<HTTPResponse> {
        AsyncHTTPClient client;
        co_return co_await client.fetch(std::move(u));
    };
    auto [a, b, c] = io_loop().run_sync(gen::multi(through_new(url), through_new(url), through_new(url)), 10s);
    for (const auto* response : {&a, &b, &c}) CHECK(response->body == "done");
    CHECK(counts.answered == 3);
    CHECK(counts.most == 1);
}

TEST_CASE("redirects: relative and absolute Location effective_url too many") {
    Upstream upstream;
    HTTPClient client;
    auto relative = client.fetch(upstream.url("/redirect/302?to=/echo"));
    CHECK(relative.body == "GET |");
    CHECK(relative.effective_url == upstream.url("/echo"));
    auto absolute = client.fetch(upstream.url("/redirect/301?to=" + upstream.url("/echo")));
    CHECK(absolute.body == "GET |");
    CHECK(absolute.effective_url == upstream.url("/echo"));

    try {
        client.fetch(upstream.url("/loop"));
        FAIL("no error");
    } catch (const HTTPClientError& e) {
        CHECK(e.code == 302);
        CHECK_THAT(e.what(), Contains("max_redirects (5)"));
    }
    // Without raise_error the last redirect is the answer, as in Tornado.
    auto last_redirect = client.fetch(upstream.url("/loop"), false);
    CHECK(last_redirect.code == 302);
    CHECK(last_redirect.headers.contains("Location"));
    auto not_followed = request_to(upstream.url("/loop"));
    not_followed.follow_redirects = false;
    auto response = client.fetch(not_followed, false);
    CHECK(response.code == 302);
    CHECK(response.headers.get("Location") == "/loop");
}

TEST_CASE("redirects: 301/302/303 turn into GET without the body 307/308 repeat method and body") {
    Upstream upstream;
    HTTPClient client;
    auto post_through = [&](int code) {
        return client.fetch(request_to(upstream.url("/redirect/" + std::to_string(code) + "?to=/echo"), "POST", "data"))
            .body;
    };
    CHECK(post_through(301) == "GET |");
    CHECK(post_through(302) == "GET |");
    CHECK(post_through(303) == "GET |");
    CHECK(post_through(307) == "POST data|");
    CHECK(post_through(308) == "POST data|");
    auto head_through = [&](int code) {
        return client.fetch(request_to(upstream.url("/redirect/" + std::to_string(code) + "?to=/echo"), "HEAD"))
            .headers.get("X-Method");
    };
    CHECK(head_through(301) == "HEAD");
    CHECK(head_through(302) == "HEAD");
    CHECK(head_through(303) == "GET");
}

TEST_CASE("basic auth reaches the server and is not forwarded to another host by a redirect") {
    Upstream upstream;
    HTTPClient client;
    auto request = request_to(upstream.url("/echo"));
    request.auth_username = "user";
    request.auth_password = "pass";
    CHECK(client.fetch(request).body == "GET |Basic dXNlcjpwYXNz");
    request.url = upstream.url("/redirect/302?to=/echo");
    CHECK(client.fetch(request).body == "GET |Basic dXNlcjpwYXNz");
    request.url = upstream.url("/redirect/302?to=" + upstream.url("/echo", "localhost"));
    auto other_host = client.fetch(request);
    CHECK(other_host.effective_url == upstream.url("/echo", "localhost"));
    CHECK(other_host.body == "GET |");
}

TEST_CASE("chunked bodies streamed to streaming_callback with each header line to header_callback") {
    Upstream upstream;
    HTTPClient client;
    CHECK(client.fetch(upstream.url("/chunked")).body == "first second third");

    auto request = request_to(upstream.url("/big-chunked?chunks=4"));
    std::size_t streamed = 0;
    int pieces = 0;
    std::vector<std::string> lines;
    request.streaming_callback = [&](std::string_view piece) {
        streamed += piece.size();
        ++pieces;
        CHECK(piece.find_first_not_of('y') == std::string_view::npos);
    };
    request.header_callback = [&](std::string_view line) { lines.emplace_back(line); };
    auto response = client.fetch(request);
    CHECK(response.body.empty());
    CHECK(streamed == 4 * 65536);
    CHECK(pieces >= 4);
    REQUIRE(lines.size() >= 3);
    CHECK_THAT(lines.front(), StartsWith("HTTP/1.1 200 "));
    CHECK(lines.back() == "\r\n");
    CHECK(std::find(lines.begin(), lines.end(), "Transfer-Encoding: chunked\r\n") != lines.end());
}

TEST_CASE("gzip bodies are inflated or kept as they came with decompress_response=false") {
    Upstream upstream;
    HTTPClient client;
    std::string expected;
    for (int i = 0; i < 1000; ++i) expected += "compressed ";
    auto inflated = client.fetch(upstream.url("/gzip"));
    CHECK(inflated.body == expected);
    CHECK_FALSE(inflated.headers.contains("Content-Encoding"));
    CHECK(inflated.headers.get("X-Consumed-Content-Encoding") == "gzip");
    CHECK_THAT(client.fetch(upstream.url("/headers")).body, Contains("Accept-Encoding=gzip"));

    auto raw = request_to(upstream.url("/gzip"));
    raw.decompress_response = false;
    auto kept = client.fetch(raw);
    CHECK(kept.headers.get("Content-Encoding") == "gzip");
    CHECK(kept.body.size() < expected.size());
    CHECK(kept.body.substr(0, 2) == "\x1f\x8b");
    raw.url = upstream.url("/headers");
    CHECK_THAT(client.fetch(raw).body, !Contains("Accept-Encoding"));
}

TEST_CASE("a body over max_body_size is an error by Content-Length chunked or once inflated") {
    Upstream upstream;
    HTTPClient client;
    auto capped = [&](const std::string& path, std::size_t cap) {
        auto request = request_to(upstream.url(path));
        request.max_body_size = cap;
        try {
            client.fetch(request);
            return std::string("no error");
        } catch (const httpclient::HTTPNetworkError& e) {
            return std::string(e.what());
        }
    };
    CHECK_THAT(capped("/big?n=2000", 1000), Contains("max_body_size (1000 bytes)"));
    CHECK_THAT(capped("/big-chunked?chunks=50", 100000), Contains("max_body_size"));
    CHECK_THAT(capped("/gzip", 5000), Contains("max_body_size"));
    CHECK(capped("/big?n=1000", 1000) == "no error");
    CHECK(client.fetch(upstream.url("/big?n=5")).body == "xxxxx");
}

// --- HTTPS ---

TEST_CASE("https: trusted through ca_certs - a wrong host name and an untrusted CA are refused - validate_cert=false") {
    TestCertificates certificates;
    Upstream upstream({"--certfile=" + certificates.certificate, "--keyfile=" + certificates.key});
    auto https = [&](const std::string& host) {
        return "https://" + host + ":" + std::to_string(upstream.process.port()) + "/";
    };
    HTTPClient client;
    auto trusted = request_to(https("localhost"));
    trusted.ca_certs = certificates.ca;
    auto response = client.fetch(trusted);
    CHECK(response.code == 200);
    CHECK(response.body == "secure");

    auto wrong_host = trusted;
    wrong_host.url = https("127.0.0.1");  // the certificate names localhost only
    CHECK_THROWS_AS(client.fetch(wrong_host), httpclient::HTTPNetworkError);
    CHECK_THROWS_WITH(client.fetch(wrong_host), Contains("certificate verify failed"));

    auto untrusted = request_to(https("localhost"));  // the system's CAs do not know the test CA
    CHECK_THROWS_WITH(client.fetch(untrusted), Contains("certificate verify failed"));

    auto unchecked = request_to(https("127.0.0.1"));
    unchecked.validate_cert = false;
    CHECK(client.fetch(unchecked).body == "secure");
}
