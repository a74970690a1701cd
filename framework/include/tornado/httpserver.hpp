// tornado::httpserver — a non-blocking HTTP/1.1 server (keep-alive, pipelining, chunked
// bodies, 100-continue, limits and timeouts). Counterpart of tornado/httpserver.py.
#pragma once

#include "httputil.hpp"

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

namespace tornado::httpserver {

using namespace std::chrono_literals;

// Tornado's HTTPServer keyword arguments. The limits and body_timeout keep Tornado's defaults;
// the head and idle timeouts are short (Tornado waits 3600 s for both) so that clients which
// trickle or say nothing cannot hold connections open (see docs/01-hello.md, "Timeouts").
struct HTTPServerOptions {
    bool xheaders = false;            // trust X-Real-Ip / X-Forwarded-For / X-Forwarded-Proto
    bool no_keep_alive = false;       // close after every response
    std::size_t max_header_size = 64 * 1024;          // larger header block -> 431
    std::size_t max_url_size = 8 * 1024;              // longer request-target -> 414 (nginx's 8k line)
    std::size_t max_body_size = 100 * 1024 * 1024;    // larger body -> 413
    // Between requests of a keep-alive connection: how long it may stay silent.
    std::chrono::steady_clock::duration idle_connection_timeout = 20s;
    // For the whole request head: from the connect (first request) or from the head's first
    // byte (later requests).
    std::chrono::steady_clock::duration header_timeout = 10s;
    // For the whole body, once the head has arrived.
    std::chrono::steady_clock::duration body_timeout = 3600s;
};

// Receives each complete request; web::Application is one. The request's connection answers it.
class RequestDelegate {
public:
    virtual ~RequestDelegate() = default;
    virtual void handle_request(std::shared_ptr<httputil::HTTPServerRequest> request) = 0;
    // The options of an HTTPServer created for this delegate without options of its own.
    virtual HTTPServerOptions server_options() const { return {}; }
};

class HTTPServer {
public:
    using RequestCallback = std::function<void(std::shared_ptr<httputil::HTTPServerRequest>)>;

    // The delegate must outlive the server. Without options, the delegate's server_options()
    // apply (an Application's come from its Settings).
    explicit HTTPServer(RequestDelegate& delegate);
    HTTPServer(RequestDelegate& delegate, HTTPServerOptions options);
    explicit HTTPServer(RequestCallback callback, HTTPServerOptions options = {});
    ~HTTPServer();
    HTTPServer(const HTTPServer&) = delete;
    HTTPServer& operator=(const HTTPServer&) = delete;

    // Starts accepting on port (0 picks a free one) and returns the bound port. An empty
    // address listens on every IPv4 interface. Throws std::system_error when it cannot bind.
    std::uint16_t listen(std::uint16_t port, const std::string& address = "");
    // Stops accepting new connections; open ones finish their current request.
    void stop();
    // Closes every open connection at once (used when shutting down and by tests).
    void close_all_connections();
    std::size_t connection_count() const;

    struct State;  // shared with the connections; private to the implementation

private:
    std::shared_ptr<State> state_;
};

}  // namespace tornado::httpserver
