// One request and its response on one connection of the HTTP client: taken from the pool or
// opened, under connect_timeout and request_timeout, the response read with llhttp into the
// body (decompressed, capped) or the streaming callback, the connection given back to the pool
// when it may carry another request. Private to the library.
#pragma once

#include "client_pool.hpp"
#include "client_url.hpp"
#include "tornado/httpclient.hpp"

#include <asio/awaitable.hpp>
#include <asio/ssl/context.hpp>

#include <memory>

namespace tornado::httpclient::detail {

// The response (any status); throws HTTPNetworkError or one of the timeout errors. A kept-alive
// connection that the server closed before answering is replaced by a fresh one once, for an
// idempotent request. tls is null for http.
asio::awaitable<HTTPResponse> exchange(ConnectionPool& pool, std::shared_ptr<asio::ssl::context> tls,
                                       const HTTPRequest& request, const ClientURL& url);

}  // namespace tornado::httpclient::detail
