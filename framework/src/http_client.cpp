// HTTPClient: the blocking client, an AsyncHTTPClient on a private IOLoop run per fetch.
#include "tornado/httpclient.hpp"
#include "tornado/ioloop.hpp"

namespace tornado::httpclient {

HTTPClient::HTTPClient(AsyncHTTPClientOptions options)
    : loop_(std::make_unique<ioloop::IOLoop>()), client_(std::make_unique<AsyncHTTPClient>(options)) {}

HTTPClient::~HTTPClient() {
    client_.reset();
    loop_->context().poll();  // lets the closed connections' handlers finish before the loop goes
}

HTTPResponse HTTPClient::fetch(HTTPRequest request, bool raise_error) {
    // The request's own timeouts end it; the loop's limit only has to be later than they are.
    auto per_hop = request.connect_timeout + request.request_timeout * 2;
    auto limit = per_hop * (request.max_redirects + 1) + std::chrono::seconds(1);
    return loop_->run_sync(client_->fetch(std::move(request), raise_error),
                           std::chrono::duration_cast<ioloop::Duration>(limit));
}

HTTPResponse HTTPClient::fetch(std::string url, bool raise_error) {
    return fetch(HTTPRequest(std::move(url)), raise_error);
}

void HTTPClient::close() { client_->close(); }

}  // namespace tornado::httpclient
