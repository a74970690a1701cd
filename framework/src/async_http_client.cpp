// AsyncHTTPClient: the max_clients queue, redirects and raise_error around one exchange per hop
// (client_exchange.cpp).
#include "tornado/httpclient.hpp"

#include "client_exchange.hpp"
#include "client_pool.hpp"
#include "client_request.hpp"
#include "client_slots.hpp"
#include "client_tls.hpp"
#include "client_url.hpp"

#include "tornado/ioloop.hpp"

#include <algorithm>
#include <map>

namespace tornado::httpclient {

struct AsyncHTTPClient::State {
    explicit State(const AsyncHTTPClientOptions& options)
        : slots(options.max_clients), pool(options.max_idle_per_host) {}

    // Made once per kind of check; the trusted certificates are files, read off the loop.
    asio::awaitable<std::shared_ptr<asio::ssl::context>> tls_context(const HTTPRequest& request) {
        auto key = request.validate_cert ? "verify:" + request.ca_certs : std::string("none");
        if (auto known = tls_contexts.find(key); known != tls_contexts.end()) co_return known->second;
        auto load = ioloop::IOLoop::current().run_in_executor(&detail::make_tls_context, request.validate_cert,
                                                               request.ca_certs);
        std::shared_ptr<asio::ssl::context> context = co_await std::move(load);
        co_return tls_contexts.emplace(key, std::move(context)).first->second;
    }

    detail::ClientSlots slots;
    detail::ConnectionPool pool;
    std::map<std::string, std::shared_ptr<asio::ssl::context>> tls_contexts;
};

namespace {

AsyncHTTPClientOptions& shared_client_options() {
    static AsyncHTTPClientOptions options;
    return options;
}

// A loop's shared client, kept in the loop's context and closed with it.
struct SharedClient final : asio::execution_context::service {
    static inline asio::execution_context::id id;
    explicit SharedClient(asio::execution_context& context)
        : service(context), state(std::make_shared<AsyncHTTPClient::State>(shared_client_options())) {}
    void shutdown() override { state->pool.close_all(); }

    std::shared_ptr<AsyncHTTPClient::State> state;
};

// One hop: a max_clients slot (queued for at most min(connect_timeout, request_timeout), as in
// Tornado), then the exchange.
asio::awaitable<HTTPResponse> fetch_one(std::shared_ptr<AsyncHTTPClient::State> state, const HTTPRequest& request) {
    auto url = detail::parse_client_url(request.url);
    std::shared_ptr<asio::ssl::context> tls;  // (not a co_await inside ?:, which GCC 12 miscompiles)
    if (url.tls()) tls = co_await state->tls_context(request);
    auto slot = co_await state->slots.acquire(std::min(request.connect_timeout, request.request_timeout));
    auto response = co_await detail::exchange(state->pool, std::move(tls), request, url);
    response.effective_url = request.url;
    co_return response;
}

}  // namespace

AsyncHTTPClient::AsyncHTTPClient()
    : state_(asio::use_service<SharedClient>(ioloop::IOLoop::current().context()).state), shared_(true) {}

AsyncHTTPClient::AsyncHTTPClient(AsyncHTTPClientOptions options)
    : state_(std::make_shared<State>(options)), shared_(false) {}

AsyncHTTPClient::~AsyncHTTPClient() {
    if (!shared_) close();
}

void AsyncHTTPClient::configure(AsyncHTTPClientOptions options) { shared_client_options() = options; }

void AsyncHTTPClient::close() { state_->pool.close_all(); }

asio::awaitable<HTTPResponse> AsyncHTTPClient::fetch(HTTPRequest request, bool raise_error) {
    auto state = state_;  // requests in flight keep the client's state alive
    auto started = std::chrono::steady_clock::now();
    auto response = co_await fetch_one(state, request);
    for (int redirects = 0; request.follow_redirects; ++redirects) {
        auto next = detail::redirected_request(request, response);
        if (!next) break;
        if (redirects >= request.max_redirects) {
            if (!raise_error) break;  // the last answer, a redirect, is the response (as in Tornado)
            auto code = response.code;
            auto message = "Too many redirects: more than max_redirects (" + std::to_string(request.max_redirects) +
                           "); the last answer was a " + std::to_string(code) + " from " + response.effective_url;
            response.request_time = std::chrono::steady_clock::now() - started;
            throw HTTPClientError(code, message, std::move(response));
        }
        request = std::move(*next);
        response = co_await fetch_one(state, request);
    }
    response.request_time = std::chrono::steady_clock::now() - started;
    if (raise_error && (response.code < 200 || response.code >= 300)) {
        auto code = response.code;
        auto message = "HTTP " + std::to_string(code) + ": " + response.reason;
        throw HTTPClientError(code, message, std::move(response));
    }
    co_return response;
}

asio::awaitable<HTTPResponse> AsyncHTTPClient::fetch(std::string url, bool raise_error) {
    return fetch(HTTPRequest(std::move(url)), raise_error);
}

}  // namespace tornado::httpclient
