#include "websocket_transport.hpp"

#include "client_connection.hpp"

#include <asio/co_spawn.hpp>
#include <asio/detached.hpp>
#include <asio/redirect_error.hpp>
#include <asio/use_awaitable.hpp>
#include <asio/write.hpp>

#include <array>

namespace tornado::websocket::detail {

namespace {

// Every server connection of the thread reads into this buffer and parses from it at once, so
// an idle connection holds no buffer of its own.
std::array<char, 64 * 1024>& read_buffer() {
    thread_local std::array<char, 64 * 1024> buffer;
    return buffer;
}

class SocketTransport final : public Transport {
public:
    explicit SocketTransport(asio::ip::tcp::socket socket) : socket_(std::move(socket)) {
        std::error_code ignored;
        socket_.non_blocking(true, ignored);
    }

    asio::any_io_executor executor() override { return socket_.get_executor(); }

    asio::awaitable<std::string_view> read(std::error_code& error) override {
        auto& buffer = read_buffer();
        for (;;) {
            // Waiting holds no buffer; the read that follows does not wait.
            co_await socket_.async_wait(asio::ip::tcp::socket::wait_read, asio::redirect_error(asio::use_awaitable, error));
            if (error) co_return std::string_view();
            auto length = socket_.read_some(asio::buffer(buffer), error);
            if (error == asio::error::would_block || error == asio::error::try_again) continue;
            co_return std::string_view(buffer.data(), length);
        }
    }

    std::size_t write_now(std::span<const asio::const_buffer> buffers, std::error_code& error) override {
        auto written = socket_.write_some(buffers, error);
        if (error == asio::error::would_block || error == asio::error::try_again) error.clear();
        return written;
    }

    void write(std::vector<asio::const_buffer> buffers, std::function<void(std::error_code)> done) override {
        asio::async_write(socket_, buffers,
                          [done = std::move(done)](std::error_code error, std::size_t) { done(error); });
    }

    void shutdown_send() override {
        std::error_code ignored;
        socket_.shutdown(asio::ip::tcp::socket::shutdown_send, ignored);
    }

    void close() override {
        std::error_code ignored;
        socket_.close(ignored);
    }

private:
    asio::ip::tcp::socket socket_;
};

class ClientTransport final : public Transport {
public:
    ClientTransport(asio::any_io_executor executor, std::unique_ptr<httpclient::detail::ClientConnection> connection)
        : executor_(std::move(executor)), connection_(std::move(connection)) {}

    asio::any_io_executor executor() override { return executor_; }

    asio::awaitable<std::string_view> read(std::error_code& error) override {
        auto length = co_await connection_->read_some(asio::buffer(buffer_), error);
        co_return std::string_view(buffer_.data(), length);
    }

    // TLS takes no bytes without its own asynchronous steps: everything goes through write().
    std::size_t write_now(std::span<const asio::const_buffer>, std::error_code&) override { return 0; }

    void write(std::vector<asio::const_buffer> buffers, std::function<void(std::error_code)> done) override {
        asio::co_spawn(executor_, write_all(std::move(buffers), std::move(done)), asio::detached);
    }

    void shutdown_send() override {}  // a client waits for the server to end the stream

    void close() override { connection_->close(); }

private:
    asio::awaitable<void> write_all(std::vector<asio::const_buffer> buffers, std::function<void(std::error_code)> done) {
        std::error_code error;
        for (const auto& buffer : buffers) {
            co_await connection_->write({static_cast<const char*>(buffer.data()), buffer.size()}, error);
            if (error) break;
        }
        done(error);
    }

    asio::any_io_executor executor_;
    std::unique_ptr<httpclient::detail::ClientConnection> connection_;
    std::array<char, 16 * 1024> buffer_;
};

}  // namespace

std::unique_ptr<Transport> make_socket_transport(asio::ip::tcp::socket socket) {
    return std::make_unique<SocketTransport>(std::move(socket));
}

std::unique_ptr<Transport> make_client_transport(asio::any_io_executor executor,
                                                 std::unique_ptr<httpclient::detail::ClientConnection> connection) {
    return std::make_unique<ClientTransport>(std::move(executor), std::move(connection));
}

}  // namespace tornado::websocket::detail
