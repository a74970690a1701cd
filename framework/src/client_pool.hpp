// The HTTP client's idle connections, kept per pool key (scheme, host, port and, for https,
// how the certificate was checked) for the next request there. Private to the library.
#pragma once

#include "client_connection.hpp"

#include <cstddef>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace tornado::httpclient::detail {

class ConnectionPool {
public:
    explicit ConnectionPool(std::size_t max_idle_per_key) : max_idle_per_key_(max_idle_per_key) {}

    // The most recently used idle connection for key that the server has not closed meanwhile,
    // or null. Connections found closed are dropped.
    std::unique_ptr<ClientConnection> take(const std::string& key);
    // Keeps connection idle for its key (closes it when max_idle_per_key are kept already).
    void put(std::unique_ptr<ClientConnection> connection);
    void close_all();

private:
    std::size_t max_idle_per_key_;
    std::map<std::string, std::vector<std::unique_ptr<ClientConnection>>> idle_;
};

}  // namespace tornado::httpclient::detail
