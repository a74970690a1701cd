// One TCP connection to the server under test: the opening handshake, writes split into chosen
// pieces, and reads that give up at a deadline.
#pragma once

#include "frame.hpp"

#include <asio.hpp>

#include <chrono>
#include <string>
#include <string_view>

namespace conformance {

using Clock = std::chrono::steady_clock;

struct Url {
    std::string host;
    std::string port;
    std::string path;
};

// ws://host[:port][/path]; throws std::invalid_argument with the reason.
Url parse_url(std::string_view url);

class Connection {
public:
    // Connects and completes the opening handshake, offering `extension_offer` in
    // Sec-WebSocket-Extensions when it is not empty. Throws std::runtime_error saying what failed.
    Connection(asio::io_context& io, const Url& url, const std::string& extension_offer);

    // The response's Sec-WebSocket-Extensions value ("" when the server sent none).
    const std::string& extensions() const { return extensions_; }

    // Writes `bytes` in pieces of `chop` octets (0: in one write), each its own send(2) with
    // Nagle off, so that each piece leaves as its own TCP segment. False when the server has
    // closed the connection (the rest is not written).
    bool write(std::string_view bytes, std::size_t chop = 0);

    enum class ReadResult { data, timeout, eof };
    // Waits until bytes arrive (handed to frames()), the deadline passes, or the server closes.
    ReadResult read(Clock::time_point deadline);

    FrameReader& frames() { return frames_; }

    // Closes the socket from our side (what Autobahn calls "dropped by me").
    void drop();

private:
    asio::ip::tcp::socket socket_;
    FrameReader frames_;
    std::string extensions_;
};

}  // namespace conformance
