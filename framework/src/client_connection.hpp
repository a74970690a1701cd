// One connection of the HTTP client, plain TCP or TLS (asio::ssl with SNI and host-name
// verification), kept idle in the pool between requests. Private to the library.
#pragma once

#include "client_url.hpp"

#include <asio/any_io_executor.hpp>
#include <asio/awaitable.hpp>
#include <asio/ip/tcp.hpp>
#include <asio/ssl/context.hpp>
#include <asio/ssl/stream.hpp>

#include <memory>
#include <string>
#include <string_view>
#include <variant>

namespace tornado::httpclient::detail {

class ClientConnection {
public:
    // tls is null for http; for https it decides what the handshake trusts.
    ClientConnection(asio::any_io_executor executor, std::string pool_key, std::shared_ptr<asio::ssl::context> tls);

    // Resolves the host (asynchronously), connects to the first address that answers and, for
    // https, does the handshake. Throws asio::system_error; close() from elsewhere cancels it.
    asio::awaitable<void> connect(const ClientURL& url, bool validate_cert);
    // Socket trouble comes back in error: asio::error::eof when the peer closed (also for TLS).
    asio::awaitable<std::size_t> read_some(asio::mutable_buffer buffer, std::error_code& error);
    asio::awaitable<void> write(std::string_view bytes, std::error_code& error);
    // Cancels whatever is in progress (resolving, connecting, reading, writing) and closes.
    void close();

    // For an idle connection: true when the peer neither closed it nor sent anything meanwhile.
    bool usable_after_idle();
    const std::string& pool_key() const { return pool_key_; }
    // The connection served a request before this one (so a failure may be a stale connection).
    bool reused = false;

private:
    asio::ip::tcp::socket& socket();

    std::string pool_key_;
    std::shared_ptr<asio::ssl::context> tls_;
    asio::ip::tcp::resolver resolver_;
    std::variant<asio::ip::tcp::socket, asio::ssl::stream<asio::ip::tcp::socket>> stream_;
};

}  // namespace tornado::httpclient::detail
