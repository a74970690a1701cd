// tornado::httpclient — the asynchronous HTTP client (AsyncHTTPClient), its blocking wrapper
// (HTTPClient), and the request, response and error types. Counterpart of tornado/httpclient.py.
//
//   tornado::httpclient::AsyncHTTPClient client;
//   auto response = co_await client.fetch("http://example.com/");   // inside a coroutine
//
// Beyond Tornado's simple client: idle connections are kept per (scheme, host, port) and reused,
// and time spent queued, connecting and waiting for the answer are distinct errors.
#pragma once

#include "httputil.hpp"

#include <asio/awaitable.hpp>

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

namespace tornado::ioloop {
class IOLoop;
}

namespace tornado::httpclient {

using Seconds = std::chrono::duration<double>;

// One request, with the fields and defaults of Tornado's HTTPRequest.
struct HTTPRequest {
    HTTPRequest() = default;
    explicit HTTPRequest(std::string url) : url(std::move(url)) {}
    HTTPRequest(std::string url, std::string method, std::string body = {})
        : url(std::move(url)), method(std::move(method)), body(std::move(body)) {}

    std::string url;
    std::string method = "GET";
    httputil::HTTPHeaders headers;
    std::string body;
    std::string auth_username;  // with auth_password: an "Authorization: Basic" header
    std::string auth_password;
    Seconds connect_timeout{20.0};  // resolving, connecting and the TLS handshake
    Seconds request_timeout{20.0};  // the whole exchange once a max_clients slot is free
    bool follow_redirects = true;
    int max_redirects = 5;
    bool decompress_response = true;  // sends Accept-Encoding: gzip and inflates the answer
    std::string user_agent;           // "tornado-cpp" when empty
    bool validate_cert = true;        // the server's certificate and host name, for https
    std::string ca_certs;             // a PEM file of trusted CAs; the system's store when empty
    // The body's chunks (decompressed) go here instead of into response.body.
    std::function<void(std::string_view)> streaming_callback;
    // Each header line as received: the status line, every "Name: value\r\n", then "\r\n".
    std::function<void(std::string_view)> header_callback;
    // A larger body (after decompression) fails the request and drops the connection.
    std::size_t max_body_size = 100 * 1024 * 1024;
};

// One response, with the fields of Tornado's HTTPResponse that the client fills.
struct HTTPResponse {
    int code = 599;  // the status code; 599 when no response arrived (refused, timed out, cut short, malformed)
    std::string reason;
    httputil::HTTPHeaders headers;
    std::string body;
    std::string error;  // why code is 599; empty otherwise (Tornado also sets it for codes >= 300; this does not)
    std::string effective_url;                      // the URL fetched last (after redirects)
    std::chrono::duration<double> request_time{};  // seconds from the start of the fetch to the last byte
};

// Every error fetch() throws derives from this one (Tornado's HTTPClientError). For a non-2xx
// answer, code is its status and response holds it; for a network failure code is 599, as in
// Tornado, and the derived type says what went wrong.
class HTTPClientError : public std::runtime_error {
public:
    HTTPClientError(int code, const std::string& message, std::optional<HTTPResponse> response = std::nullopt)
        : std::runtime_error(message), code(code), response(std::move(response)) {}
    int code;
    std::optional<HTTPResponse> response;
};

// No answer: the host was not found, the connection was refused or cut, the TLS handshake or
// the certificate check failed, the answer was malformed or over max_body_size.
class HTTPNetworkError : public HTTPClientError {
public:
    explicit HTTPNetworkError(const std::string& message) : HTTPClientError(599, message) {}
};

// A time limit passed (Tornado's HTTPTimeoutError); the three below say which one.
class HTTPTimeoutError : public HTTPNetworkError {
public:
    using HTTPNetworkError::HTTPNetworkError;
};
// Every max_clients slot stayed busy for min(connect_timeout, request_timeout).
class HTTPQueueTimeoutError : public HTTPTimeoutError {
public:
    using HTTPTimeoutError::HTTPTimeoutError;
};
// Resolving, connecting or the TLS handshake took longer than connect_timeout.
class HTTPConnectTimeoutError : public HTTPTimeoutError {
public:
    using HTTPTimeoutError::HTTPTimeoutError;
};
// The answer took longer than request_timeout.
class HTTPRequestTimeoutError : public HTTPTimeoutError {
public:
    using HTTPTimeoutError::HTTPTimeoutError;
};

struct AsyncHTTPClientOptions {
    std::size_t max_clients = 10;  // requests in flight at once; the others wait in a queue
    // Idle connections kept per (scheme, host, port); more are closed.
    std::size_t max_idle_per_host = 10;
};

// The asynchronous client: fetch() from a coroutine on the loop the client was made on. Its
// requests may outlive it: they finish on what they hold.
//
// As in Tornado, AsyncHTTPClient() is the current loop's shared client: every handler that makes
// one uses the same kept-alive connections and the same max_clients queue, with the options last
// given to configure() before the loop's first one (Tornado's AsyncHTTPClient.configure(None,
// max_clients=…)). AsyncHTTPClient(options) is a client of its own (Tornado's force_instance=True).
class AsyncHTTPClient {
public:
    AsyncHTTPClient();
    explicit AsyncHTTPClient(AsyncHTTPClientOptions options);
    ~AsyncHTTPClient();  // closes the idle connections of a client of its own

    // The options of the loops' shared clients made from now on.
    static void configure(AsyncHTTPClientOptions options);
    AsyncHTTPClient(const AsyncHTTPClient&) = delete;
    AsyncHTTPClient& operator=(const AsyncHTTPClient&) = delete;

    // The response; a non-2xx one throws HTTPClientError carrying it unless raise_error is false.
    // Network failures and timeouts always throw (as in Tornado 6).
    asio::awaitable<HTTPResponse> fetch(HTTPRequest request, bool raise_error = true);
    asio::awaitable<HTTPResponse> fetch(std::string url, bool raise_error = true);

    // Closes the idle connections; requests in flight finish.
    void close();

    struct State;

private:
    std::shared_ptr<State> state_;
    bool shared_;
};

// The blocking client for scripts and tests: each fetch runs a private IOLoop on the calling
// thread until the response (so never call it from a coroutine on a loop).
class HTTPClient {
public:
    explicit HTTPClient(AsyncHTTPClientOptions options = {});
    ~HTTPClient();
    HTTPClient(const HTTPClient&) = delete;
    HTTPClient& operator=(const HTTPClient&) = delete;

    HTTPResponse fetch(HTTPRequest request, bool raise_error = true);
    HTTPResponse fetch(std::string url, bool raise_error = true);
    void close();

private:
    std::unique_ptr<ioloop::IOLoop> loop_;
    std::unique_ptr<AsyncHTTPClient> client_;
};

}  // namespace tornado::httpclient
