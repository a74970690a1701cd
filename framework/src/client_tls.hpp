// The HTTP client's TLS settings: one OpenSSL context per (validate_cert, ca_certs). Private.
#pragma once

#include <asio/ssl/context.hpp>

#include <memory>
#include <string>

namespace tornado::httpclient::detail {

// With validate_cert, the peer's chain must lead to ca_certs (a PEM file) or, when empty, to the
// system's trusted CAs; the host name is checked per connection (ClientConnection::connect).
// Throws HTTPNetworkError when ca_certs cannot be loaded.
std::shared_ptr<asio::ssl::context> make_tls_context(bool validate_cert, const std::string& ca_certs);

}  // namespace tornado::httpclient::detail
