// HTTPServer: listening sockets, the accept loop, and the sweep that enforces timeouts.
#include "tornado/httpserver.hpp"

#include "http1_connection.hpp"
#include "tornado/ioloop.hpp"
#include "tornado/log.hpp"

#include <asio/ip/tcp.hpp>

#include <algorithm>

namespace tornado::httpserver {

using asio::ip::tcp;

namespace {
void accept_next(const std::shared_ptr<HTTPServer::State>& state, Listener& listener);

void schedule_sweep(const std::shared_ptr<HTTPServer::State>& state) {
    // Deadlines are checked a few times per timeout, at most once a second.
    const auto& options = state->options;
    auto shortest = std::min({options.idle_connection_timeout, options.header_timeout, options.body_timeout});
    auto interval = std::clamp<std::chrono::steady_clock::duration>(shortest / 4, std::chrono::milliseconds(10),
                                                                   std::chrono::seconds(1));
    state->sweep_timer.expires_after(interval);
    state->sweep_timer.async_wait([weak = std::weak_ptr(state)](std::error_code error) {
        auto state = weak.lock();
        if (error || !state) return;
        auto now = std::chrono::steady_clock::now();
        // Closing unregisters, so step past each connection before checking it.
        for (auto* connection = state->first_connection; connection;) {
            auto* next = connection->next_connection();
            connection->close_if_expired(now);
            connection = next;
        }
        schedule_sweep(state);
    });
}

void on_accept(const std::shared_ptr<HTTPServer::State>& state, Listener& listener, std::error_code error,
               Socket socket) {
    if (error == asio::error::operation_aborted || !listener.acceptor.is_open()) return;
    if (error) {
        // Out of descriptors or memory: wait a little instead of spinning on the error. Each
        // listener has its own timer: a shared one would cancel another listener's retry.
        log::gen_log.error("Error accepting a connection: " + error.message());
        listener.accept_retry_timer.expires_after(std::chrono::milliseconds(100));
        listener.accept_retry_timer.async_wait([state, &listener](std::error_code wait_error) {
            if (!wait_error) accept_next(state, listener);
        });
        return;
    }
    std::make_shared<HTTP1Connection>(state, std::move(socket))->start();
    accept_next(state, listener);
}

void accept_next(const std::shared_ptr<HTTPServer::State>& state, Listener& listener) {
    listener.acceptor.async_accept(state->context.get_executor(), [state, &listener](std::error_code error, Socket socket) {
        on_accept(state, listener, error, std::move(socket));
    });
}

tcp::endpoint resolve(const std::string& address, std::uint16_t port, asio::io_context& context) {
    if (address.empty()) return {tcp::v4(), port};
    std::error_code error;
    auto numeric = asio::ip::make_address(address, error);
    if (!error) return {numeric, port};
    tcp::resolver resolver(context);
    return *resolver.resolve(address, std::to_string(port)).begin();
}
}  // namespace

HTTPServer::State::State(asio::io_context& context, RequestCallback callback, HTTPServerOptions options)
    : context(context),
      callback(std::move(callback)),
      options(options),
      sweep_timer(context) {}

HTTPServer::HTTPServer(RequestDelegate& delegate) : HTTPServer(delegate, delegate.server_options()) {}

HTTPServer::HTTPServer(RequestDelegate& delegate, HTTPServerOptions options)
    : HTTPServer([&delegate](std::shared_ptr<httputil::HTTPServerRequest> request) {
          delegate.handle_request(std::move(request));
      },
      options) {}

HTTPServer::HTTPServer(RequestCallback callback, HTTPServerOptions options)
    : state_(std::make_shared<State>(ioloop::IOLoop::current().context(), std::move(callback), options)) {}

HTTPServer::~HTTPServer() {
    stop();
    close_all_connections();
}

std::uint16_t HTTPServer::listen(std::uint16_t port, const std::string& address) {
    auto endpoint = resolve(address, port, state_->context);
    auto listener = std::make_unique<Listener>(state_->context);
    auto& acceptor = listener->acceptor;
    try {
        acceptor.open(endpoint.protocol());
        acceptor.set_option(tcp::acceptor::reuse_address(true));
        acceptor.bind(endpoint);
        acceptor.listen(asio::socket_base::max_listen_connections);
    } catch (const std::system_error& e) {
        // "cannot listen on 0.0.0.0:8000: Address already in use" says which port is taken.
        throw std::system_error(e.code(), "cannot listen on " + endpoint.address().to_string() + ":" +
                                              std::to_string(port));
    }
    auto bound = acceptor.local_endpoint().port();
    accept_next(state_, *listener);
    state_->listeners.push_back(std::move(listener));
    if (!state_->sweeping) {
        state_->sweeping = true;
        schedule_sweep(state_);
    }
    return bound;
}

void HTTPServer::stop() {
    std::error_code ignored;
    for (auto& listener : state_->listeners) {
        listener->acceptor.close(ignored);
        listener->accept_retry_timer.cancel();
    }
}

void HTTPServer::close_all_connections() {
    state_->sweep_timer.cancel();
    state_->sweeping = false;
    while (state_->first_connection) state_->first_connection->close();
}

std::size_t HTTPServer::connection_count() const { return state_->connection_count; }

}  // namespace tornado::httpserver
