// The test harness: an in-loop HTTP client, raw connections and sample processes.
#include "tornado/testing.hpp"

#include "http_response_parser.hpp"

#include <asio/connect.hpp>
#include <asio/ip/tcp.hpp>
#include <asio/read.hpp>
#include <asio/write.hpp>

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <thread>

namespace tornado::testing {

using asio::ip::tcp;

namespace {
tcp::endpoint loopback(std::uint16_t port) { return {asio::ip::make_address_v4("127.0.0.1"), port}; }

std::string url_of(std::uint16_t port, std::string_view path) {
    return "http://127.0.0.1:" + std::to_string(port) + std::string(path);
}

std::string request_text(std::uint16_t port, std::string_view path, const FetchOptions& options) {
    std::string text = options.method + " " + std::string(path) + " HTTP/1.1\r\n";
    if (!options.headers.contains("Host")) text += "Host: 127.0.0.1:" + std::to_string(port) + "\r\n";
    for (const auto& [name, value] : options.headers) text += name + ": " + value + "\r\n";
    bool sends_body = !options.body.empty() || options.method == "POST" || options.method == "PUT" ||
                      options.method == "PATCH";
    if (sends_body && !options.headers.contains("Content-Length") && !options.headers.contains("Transfer-Encoding")) {
        text += "Content-Length: " + std::to_string(options.body.size()) + "\r\n";
    }
    if (!options.headers.contains("Connection")) text += "Connection: close\r\n";
    text += "\r\n";
    text += options.body;
    return text;
}

asio::awaitable<HTTPResponse> fetch_once(std::uint16_t port, std::string request, bool head) {
    tcp::socket socket(co_await asio::this_coro::executor);
    co_await socket.async_connect(loopback(port), asio::use_awaitable);
    co_await asio::async_write(socket, asio::buffer(request), asio::use_awaitable);
    httpclient::detail::ResponseParser parser(head);
    char buffer[16 * 1024];
    while (!parser.complete() && !parser.failed()) {
        std::error_code error;
        auto length = co_await socket.async_read_some(asio::buffer(buffer), asio::redirect_error(asio::use_awaitable, error));
        if (error) {
            parser.finish_on_eof();
            break;
        }
        parser.feed(std::string_view(buffer, length));
    }
    co_return std::move(parser.response());
}
}  // namespace

HTTPResponse fetch(ioloop::IOLoop& loop, std::uint16_t port, std::string_view path, FetchOptions options) {
    const auto start = std::chrono::steady_clock::now();
    auto request = request_text(port, path, options);
    HTTPResponse response;
    try {
        response = loop.run_sync(fetch_once(port, std::move(request), options.method == "HEAD"), options.timeout);
    } catch (const std::exception& e) {
        response.error = e.what();  // code stays 599: no response
    }
    response.effective_url = url_of(port, path);
    response.request_time = std::chrono::steady_clock::now() - start;
    return response;
}

FetchOptions form_post(std::string body) {
    FetchOptions options{.method = "POST", .body = std::move(body)};
    options.headers.set("Content-Type", "application/x-www-form-urlencoded");
    return options;
}

// --- AsyncHTTPTestCase ---

AsyncHTTPTestCase::AsyncHTTPTestCase() { loop_.make_current(); }

AsyncHTTPTestCase::~AsyncHTTPTestCase() {
    server_.reset();
    app_.reset();
    // Let the closed connections' pending operations finish before the loop goes.
    loop_.context().poll();
}

void AsyncHTTPTestCase::start() {
    if (app_) return;
    loop_.make_current();
    app_ = get_app();
    server_ = std::make_unique<httpserver::HTTPServer>(*app_, get_httpserver_options());
    port_ = server_->listen(0, "127.0.0.1");
}

httpserver::HTTPServerOptions AsyncHTTPTestCase::get_httpserver_options() { return app().server_options(); }

web::Application& AsyncHTTPTestCase::app() {
    start();
    return *app_;
}

httpserver::HTTPServer& AsyncHTTPTestCase::http_server() {
    start();
    return *server_;
}

std::uint16_t AsyncHTTPTestCase::get_http_port() {
    start();
    return port_;
}

std::string AsyncHTTPTestCase::get_url(std::string_view path) {
    return url_of(get_http_port(), path);
}

HTTPResponse AsyncHTTPTestCase::fetch(std::string_view path, FetchOptions options) {
    return testing::fetch(loop_, get_http_port(), path, std::move(options));
}

HTTPResponse AsyncHTTPTestCase::fetch(std::string_view path, std::string method, std::string body,
                                      httputil::HTTPHeaders headers) {
    return fetch(path, FetchOptions{std::move(method), std::move(body), std::move(headers)});
}

RawConnection AsyncHTTPTestCase::connect() { return RawConnection(loop_, get_http_port()); }

std::string AsyncHTTPTestCase::raw_exchange(std::string_view bytes, ioloop::Duration timeout) {
    auto connection = connect();
    connection.write(bytes);
    auto received = connection.read_until_close(timeout);
    return received.value_or(connection.read_until("", 0s));
}

// --- RawConnection ---

struct RawConnection::Impl {
    Impl(ioloop::IOLoop& loop, std::uint16_t port) : loop(loop), socket(loop.context()) {
        socket.connect(loopback(port));
        read_more();
    }
    // Reads continuously into received until EOF, so every wait just runs the loop.
    void read_more() {
        socket.async_read_some(asio::buffer(buffer), [this, alive = alive](std::error_code error, std::size_t length) {
            if (!*alive) return;
            if (error) {
                eof = true;
                return;
            }
            received.append(buffer, length);
            read_more();
        });
    }

    ioloop::IOLoop& loop;
    tcp::socket socket;
    char buffer[16 * 1024];
    std::string received;
    std::size_t consumed = 0;  // bytes of received already returned by read_response
    bool eof = false;
    std::shared_ptr<bool> alive = std::make_shared<bool>(true);
};

RawConnection::RawConnection(ioloop::IOLoop& loop, std::uint16_t port) : impl_(std::make_unique<Impl>(loop, port)) {}

RawConnection::~RawConnection() {
    if (!impl_) return;
    *impl_->alive = false;
    std::error_code ignored;
    impl_->socket.close(ignored);
}

RawConnection::RawConnection(RawConnection&&) noexcept = default;

void RawConnection::write(std::string_view bytes) {
    std::error_code error;
    // Blocking writes of large bodies would deadlock with the server on this thread; write
    // asynchronously and run the loop until done.
    bool done = false;
    asio::async_write(impl_->socket, asio::buffer(bytes), [&](std::error_code e, std::size_t) {
        error = e;
        done = true;
    });
    impl_->loop.run_until([&] { return done; }, 60s);
    if (!done) {
        impl_->socket.cancel();
        impl_->loop.run_until([&] { return done; }, 1s);
    }
}

std::string RawConnection::read_until(std::string_view needle, ioloop::Duration timeout) {
    auto& impl = *impl_;
    impl.loop.run_until(
        [&] { return impl.eof || (!needle.empty() && impl.received.find(needle, impl.consumed) != std::string::npos); },
        timeout);
    return impl.received.substr(impl.consumed);
}

HTTPResponse RawConnection::read_response(ioloop::Duration timeout) {
    auto& impl = *impl_;
    httpclient::detail::ResponseParser parser;
    std::size_t parsed = impl.consumed;  // the end of what the parser has seen of received
    auto settled = [&] {
        parsed += parser.feed(std::string_view(impl.received).substr(parsed));
        if (!parser.complete() && impl.eof) parser.finish_on_eof();
        return parser.complete() || parser.failed();
    };
    if (!impl.loop.run_until(settled, timeout)) {
        HTTPResponse timed_out;
        timed_out.error = "timeout waiting for a response";
        return timed_out;
    }
    impl.consumed = parsed;
    return std::move(parser.response());
}

std::optional<std::string> RawConnection::read_until_close(ioloop::Duration timeout) {
    auto& impl = *impl_;
    if (!impl.loop.run_until([&] { return impl.eof; }, timeout)) return std::nullopt;
    return impl.received.substr(impl.consumed);
}

bool RawConnection::is_open() const { return !impl_->eof; }

// --- ServerProcess ---

namespace {
std::uint16_t free_port() {
    asio::io_context context;
    tcp::acceptor acceptor(context, loopback(0));
    return acceptor.local_endpoint().port();
}

bool accepts_connections(std::uint16_t port) {
    asio::io_context context;
    tcp::socket socket(context);
    std::error_code error;
    socket.connect(loopback(port), error);
    return !error;
}
}  // namespace

ServerProcess::ServerProcess(std::string program, std::vector<std::string> args) : port_(free_port()) {
    char log_template[] = "/tmp/tornado-test-XXXXXX";
    int log_fd = mkstemp(log_template);
    if (log_fd < 0) throw std::runtime_error("ServerProcess: cannot create a log file");
    log_path_ = log_template;
    args.insert(args.begin(), "--port=" + std::to_string(port_));
    pid_ = fork();
    if (pid_ == 0) {
        dup2(log_fd, STDERR_FILENO);
        dup2(log_fd, STDOUT_FILENO);
        std::vector<char*> argv{program.data()};
        for (auto& arg : args) argv.push_back(arg.data());
        argv.push_back(nullptr);
        execv(program.c_str(), argv.data());
        _exit(127);
    }
    close(log_fd);
    auto deadline = std::chrono::steady_clock::now() + 10s;
    while (!accepts_connections(port_)) {
        if (!running() || std::chrono::steady_clock::now() > deadline) {
            stop();
            throw std::runtime_error("ServerProcess: " + program + " did not start:\n" + output());
        }
        std::this_thread::sleep_for(10ms);
    }
}

ServerProcess::~ServerProcess() {
    stop();
    if (!log_path_.empty()) unlink(log_path_.c_str());
}

bool ServerProcess::running() {
    if (pid_ <= 0) return false;
    int status = 0;
    if (waitpid(pid_, &status, WNOHANG) == 0) return true;
    exit_status_ = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    pid_ = -1;
    return false;
}

int ServerProcess::stop() {
    if (!running()) return exit_status_;
    ::kill(pid_, SIGTERM);
    // A server that ignores SIGTERM is killed after a few seconds.
    for (int i = 0; i < 500 && running(); ++i) std::this_thread::sleep_for(10ms);
    if (running()) {
        ::kill(pid_, SIGKILL);
        while (running()) std::this_thread::sleep_for(10ms);
    }
    return exit_status_;
}

void ServerProcess::kill() {
    if (!running()) return;
    ::kill(pid_, SIGKILL);
    while (running()) std::this_thread::sleep_for(10ms);
}

std::string ServerProcess::output() const {
    std::ifstream file(log_path_);
    std::stringstream text;
    text << file.rdbuf();
    return text.str();
}

HTTPResponse ServerProcess::fetch(std::string_view path, FetchOptions options) {
    return testing::fetch(loop_, port_, path, std::move(options));
}

RawConnection ServerProcess::connect() { return RawConnection(loop_, port_); }

}  // namespace tornado::testing
