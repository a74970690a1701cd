#include "client_connection.hpp"

#include <asio/connect.hpp>
#include <asio/redirect_error.hpp>
#include <asio/ssl/error.hpp>
#include <asio/ssl/host_name_verification.hpp>
#include <asio/use_awaitable.hpp>
#include <asio/write.hpp>

#include <openssl/ssl.h>

#include <sys/socket.h>

#include <cerrno>

namespace tornado::httpclient::detail {

using asio::ip::tcp;

namespace {
using Stream = std::variant<tcp::socket, asio::ssl::stream<tcp::socket>>;

Stream make_stream(const asio::any_io_executor& executor, asio::ssl::context* tls) {
    if (tls) return Stream(std::in_place_index<1>, executor, *tls);
    return Stream(std::in_place_index<0>, executor);
}
}  // namespace

ClientConnection::ClientConnection(asio::any_io_executor executor, std::string pool_key,
                                   std::shared_ptr<asio::ssl::context> tls)
    : pool_key_(std::move(pool_key)), tls_(std::move(tls)), resolver_(executor),
      stream_(make_stream(executor, tls_.get())) {}

tcp::socket& ClientConnection::socket() {
    if (auto* plain = std::get_if<tcp::socket>(&stream_)) return *plain;
    return std::get<1>(stream_).next_layer();
}

asio::awaitable<void> ClientConnection::connect(const ClientURL& url, bool validate_cert) {
    auto endpoints = co_await resolver_.async_resolve(url.host, std::to_string(url.port), asio::use_awaitable);
    co_await asio::async_connect(socket(), endpoints, asio::use_awaitable);
    socket().set_option(tcp::no_delay(true));
    if (auto* secure = std::get_if<1>(&stream_)) {
        std::error_code not_an_address;
        asio::ip::make_address(url.host, not_an_address);
        // SNI carries host names only (RFC 6066, section 3).
        if (not_an_address) SSL_set_tlsext_host_name(secure->native_handle(), url.host.c_str());
        if (validate_cert) secure->set_verify_callback(asio::ssl::host_name_verification(url.host));
        co_await secure->async_handshake(asio::ssl::stream_base::client, asio::use_awaitable);
    }
}

asio::awaitable<std::size_t> ClientConnection::read_some(asio::mutable_buffer buffer, std::error_code& error) {
    auto token = asio::redirect_error(asio::use_awaitable, error);
    std::size_t length = 0;
    if (auto* plain = std::get_if<0>(&stream_)) {
        length = co_await plain->async_read_some(buffer, token);
    } else {
        length = co_await std::get<1>(stream_).async_read_some(buffer, token);
        // A TLS peer that closes without close_notify; the response's framing says whether
        // anything was lost (a close-delimited body is what such servers send).
        if (error == asio::ssl::error::stream_truncated) error = asio::error::eof;
    }
    co_return length;
}

asio::awaitable<void> ClientConnection::write(std::string_view bytes, std::error_code& error) {
    auto token = asio::redirect_error(asio::use_awaitable, error);
    if (auto* plain = std::get_if<0>(&stream_)) {
        co_await asio::async_write(*plain, asio::buffer(bytes), token);
    } else {
        co_await asio::async_write(std::get<1>(stream_), asio::buffer(bytes), token);
    }
}

void ClientConnection::close() {
    resolver_.cancel();
    std::error_code ignored;
    socket().close(ignored);
}

bool ClientConnection::usable_after_idle() {
    if (!socket().is_open()) return false;
    char byte;
    auto received = ::recv(socket().native_handle(), &byte, 1, MSG_PEEK | MSG_DONTWAIT);
    return received < 0 && (errno == EAGAIN || errno == EWOULDBLOCK);
}

}  // namespace tornado::httpclient::detail
