// Opening many WebSocket connections without overrunning the server's listen backlog: at most
// `window` of them are between their connect and the end of their handshake at any time.
#pragma once

#include "connection.hpp"

#include <list>
#include <string>
#include <vector>

namespace wsbench {

struct OpenCounts {
    long opened = 0, refused = 0, rejected = 0;
    std::string first_failure;  // the first refused or rejected connection's reason
};

// The source addresses 127.0.0.1..K: K = sources, or when 0 enough that no address needs more
// than half of the ephemeral port range (/proc/sys/net/ipv4/ip_local_port_range).
std::vector<asio::ip::address_v4> source_addresses(long connections, long sources);

// Appends count connections to connections and opens them, round robin over sources; returns
// once each is open or has failed. A handshake still unfinished after 60 s + 10 ms per
// connection is closed and counted as rejected.
asio::awaitable<OpenCounts> open_connections(std::list<Connection>& connections, long count, const Target& target,
                                             const std::vector<asio::ip::address_v4>& sources, long window,
                                             bool offer_deflate);

}  // namespace wsbench
