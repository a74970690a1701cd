// One WebSocket client connection of the load tool: TCP connect, the opening handshake, whole
// text messages out (masked, compressed when permessage-deflate was agreed) and whole messages
// in (pings answered, fragments joined, compressed messages inflated).
#pragma once

#include "deflate.hpp"
#include "frame.hpp"

#include <asio.hpp>

#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace wsbench {

// Where the clients connect: ws://HOST[:PORT][/PATH].
struct Target {
    asio::ip::tcp::endpoint endpoint;
    std::string host;  // the Host header: HOST[:PORT] as given
    std::string path;
};

// Parses url; HOST must be an IPv4 address or localhost (the load runs on this machine).
std::optional<Target> parse_target(std::string_view url);

enum class OpenResult { open, refused, rejected };  // refused: no TCP connection; rejected: no WebSocket

class Connection {
public:
    explicit Connection(const asio::any_io_executor& executor) : socket_(executor) {}

    // Connects from source (the kernel picks the port) and completes the opening handshake,
    // offering permessage-deflate when offer_deflate is set.
    asio::awaitable<OpenResult> open(const Target& target, asio::ip::address_v4 source, bool offer_deflate);
    bool is_open() const { return open_; }
    bool compressed() const { return deflate_ != nullptr; }

    // Sends one text message; false when the connection failed.
    asio::awaitable<bool> send_text(std::string_view message);
    // The next whole text or binary message; nullopt once the connection closed, failed or sent
    // something this client cannot read (failure() says which).
    asio::awaitable<std::optional<std::string>> receive();

    // Closes the TCP connection at once (no closing handshake: a load client that leaves).
    void close();
    // Why open or receive failed, for the first failure's line on stderr.
    const std::string& failure() const { return failure_; }

private:
    asio::awaitable<bool> read_more();
    asio::awaitable<bool> write_frame(Opcode opcode, std::string_view payload, bool compressed);
    bool fail(std::string reason);
    std::optional<std::string> unreadable(std::string reason);

    asio::ip::tcp::socket socket_;
    bool open_ = false;
    std::string received_;  // bytes read and not parsed yet
    std::string outgoing_;
    std::string compressed_;
    std::unique_ptr<MessageDeflate> deflate_;
    std::string failure_;
};

}  // namespace wsbench
