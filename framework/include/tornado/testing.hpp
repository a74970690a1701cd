// tornado::testing — the Catch2 counterpart of Tornado's AsyncHTTPTestCase: the application on
// an ephemeral port, fetch() running the loop until the response (never throwing on non-200),
// and raw connections for tests that speak bytes.
//
//   struct HelloTest : tornado::testing::AsyncHTTPTestCase {
//       std::unique_ptr<tornado::web::Application> get_app() override { … }
//   };
//   TEST_CASE_METHOD(HelloTest, "greets") { CHECK(fetch("/").body == "Hello"); }
#pragma once

#include "httpclient.hpp"
#include "httpserver.hpp"
#include "httputil.hpp"
#include "ioloop.hpp"
#include "web.hpp"

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>
#include <optional>

namespace tornado::testing {

using namespace std::chrono_literals;

// What fetch() returns is the HTTP client's response (Tornado's testing.py imports it too).
using httpclient::HTTPResponse;

struct FetchOptions {
    std::string method = "GET";
    std::string body;
    httputil::HTTPHeaders headers;
    ioloop::Duration timeout = 10s;
};

// The options of a POST of an HTML form: body is "name=value&…", url-encoded, and sent as
// application/x-www-form-urlencoded.
FetchOptions form_post(std::string body);

class RawConnection;

// Fetches http://127.0.0.1:port/path on loop, running it until the response or the timeout.
// Redirects are not followed; a failure is a response with code 599, never an exception.
HTTPResponse fetch(ioloop::IOLoop& loop, std::uint16_t port, std::string_view path, FetchOptions options = {});

class AsyncHTTPTestCase {
public:
    AsyncHTTPTestCase();
    virtual ~AsyncHTTPTestCase();

    // The application under test; called once, on first use.
    virtual std::unique_ptr<web::Application> get_app() = 0;
    // The options of the server under test; by default the application's server_options().
    virtual httpserver::HTTPServerOptions get_httpserver_options();

    HTTPResponse fetch(std::string_view path, FetchOptions options = {});
    HTTPResponse fetch(std::string_view path, std::string method, std::string body = {},
                       httputil::HTTPHeaders headers = {});

    std::uint16_t get_http_port();
    std::string get_url(std::string_view path);
    ioloop::IOLoop& io_loop() { return loop_; }
    web::Application& app();
    httpserver::HTTPServer& http_server();

    // Sends bytes on a new connection and returns all the server sent back until it closed
    // the connection or timeout passed.
    std::string raw_exchange(std::string_view bytes, ioloop::Duration timeout = 2s);
    RawConnection connect();

private:
    void start();

    ioloop::IOLoop loop_;
    std::unique_ptr<web::Application> app_;
    std::unique_ptr<httpserver::HTTPServer> server_;
    std::uint16_t port_ = 0;
};

// A client socket to the server under test; every call runs the loop while it waits.
class RawConnection {
public:
    RawConnection(ioloop::IOLoop& loop, std::uint16_t port);
    ~RawConnection();
    RawConnection(RawConnection&&) noexcept;

    void write(std::string_view bytes);
    // Reads until the received text contains needle (returns everything received so far, which
    // may be more), or until timeout / close.
    std::string read_until(std::string_view needle, ioloop::Duration timeout = 2s);
    // Reads one complete HTTP response (headers and body, by Content-Length or chunked).
    HTTPResponse read_response(ioloop::Duration timeout = 2s);
    // Reads until the server closes the connection; returns what arrived. Empty optional when
    // the connection was still open at timeout.
    std::optional<std::string> read_until_close(ioloop::Duration timeout = 2s);
    bool is_open() const;

    struct Impl;

private:
    std::unique_ptr<Impl> impl_;
};

// A sample program started for a test with --port=<a free port> (plus args), waited for until
// it accepts connections, and stopped with SIGTERM when the test ends. Its stderr is kept.
class ServerProcess {
public:
    explicit ServerProcess(std::string program, std::vector<std::string> args = {});
    ~ServerProcess();
    ServerProcess(const ServerProcess&) = delete;
    ServerProcess& operator=(const ServerProcess&) = delete;

    std::uint16_t port() const { return port_; }
    // The program's process id, for a look at what it holds (/proc/<pid>/fd, …/status); -1 once
    // it is known to have exited.
    int pid() const { return pid_; }
    HTTPResponse fetch(std::string_view path, FetchOptions options = {});
    RawConnection connect();
    ioloop::IOLoop& io_loop() { return loop_; }
    // Sends SIGTERM (if still running), waits, and returns the exit status (-1 when it died
    // by a signal).
    int stop();
    // Kills the program with SIGKILL, as a crash would (nothing of it runs any more), and waits
    // for it to go.
    void kill();
    bool running();
    // What the program wrote to stderr so far (its log).
    std::string output() const;

private:
    ioloop::IOLoop loop_;
    std::uint16_t port_ = 0;
    int pid_ = -1;
    int exit_status_ = -1;
    std::string log_path_;
};

}  // namespace tornado::testing
