// The byte stream under a WebSocket: the server's plain TCP socket (taken over from HTTP) or the
// client's connection (TCP or TLS). Private.
#pragma once

#include <asio/any_io_executor.hpp>
#include <asio/awaitable.hpp>
#include <asio/buffer.hpp>
#include <asio/ip/tcp.hpp>

#include <functional>
#include <memory>
#include <span>
#include <string_view>
#include <system_error>
#include <vector>

namespace tornado::httpclient::detail {
class ClientConnection;
}

namespace tornado::websocket::detail {

class Transport {
public:
    virtual ~Transport() = default;
    virtual asio::any_io_executor executor() = 0;
    // Waits for input and returns what arrived. The bytes stay valid until the caller next
    // suspends (the server reads into the thread's buffer). Errors, the end of the stream
    // included, come back in error.
    virtual asio::awaitable<std::string_view> read(std::error_code& error) = 0;
    // Writes what the stream takes at once, without waiting; returns how many bytes.
    virtual std::size_t write_now(std::span<const asio::const_buffer> buffers, std::error_code& error) = 0;
    // Writes all of buffers, which stay valid until done is called.
    virtual void write(std::vector<asio::const_buffer> buffers, std::function<void(std::error_code)> done) = 0;
    // Sends the end of the stream (TCP FIN) after what was written; reading goes on.
    virtual void shutdown_send() = 0;
    // Cancels what is pending and closes.
    virtual void close() = 0;
};

std::unique_ptr<Transport> make_socket_transport(asio::ip::tcp::socket socket);
std::unique_ptr<Transport> make_client_transport(asio::any_io_executor executor,
                                                 std::unique_ptr<httpclient::detail::ClientConnection> connection);

}  // namespace tornado::websocket::detail
