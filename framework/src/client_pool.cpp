#include "client_pool.hpp"

namespace tornado::httpclient::detail {

std::unique_ptr<ClientConnection> ConnectionPool::take(const std::string& key) {
    auto found = idle_.find(key);
    if (found == idle_.end()) return nullptr;
    auto& connections = found->second;
    std::unique_ptr<ClientConnection> usable;
    while (!connections.empty() && !usable) {
        auto candidate = std::move(connections.back());
        connections.pop_back();
        if (candidate->usable_after_idle()) usable = std::move(candidate);
        else candidate->close();
    }
    if (connections.empty()) idle_.erase(found);
    return usable;
}

void ConnectionPool::put(std::unique_ptr<ClientConnection> connection) {
    auto& connections = idle_[connection->pool_key()];
    if (connections.size() >= max_idle_per_key_) {
        connection->close();
        return;
    }
    connection->reused = true;
    connections.push_back(std::move(connection));
}

void ConnectionPool::close_all() {
    for (auto& [key, connections] : idle_) {
        for (auto& connection : connections) connection->close();
    }
    idle_.clear();
}

}  // namespace tornado::httpclient::detail
