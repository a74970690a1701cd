#include "open_connections.hpp"

#include "../c10k_client/waiting.hpp"

#include <algorithm>
#include <fstream>
#include <iterator>

namespace wsbench {

using bench::Clock;
using bench::ms_between;
using bench::sleep_for;
using bench::wait_until;

namespace {

struct Opening {
    OpenCounts counts;
    long in_flight = 0;  // connections between connect and the end of their handshake
};

asio::awaitable<void> open_one(Connection& connection, const Target& target, asio::ip::address_v4 source,
                               bool offer_deflate, Opening& opening) {
    const OpenResult result = co_await connection.open(target, source, offer_deflate);
    --opening.in_flight;
    if (result == OpenResult::open) {
        ++opening.counts.opened;
        co_return;
    }
    ++(result == OpenResult::refused ? opening.counts.refused : opening.counts.rejected);
    if (opening.counts.first_failure.empty()) opening.counts.first_failure = connection.failure();
}

}  // namespace

std::vector<asio::ip::address_v4> source_addresses(long connections, long sources) {
    long count = sources;
    if (count <= 0) {
        long low = 32768, high = 60999;
        std::ifstream("/proc/sys/net/ipv4/ip_local_port_range") >> low >> high;
        const long per_address = std::max(1L, (high - low + 1) / 2);
        count = (connections + per_address - 1) / per_address;
    }
    std::vector<asio::ip::address_v4> addresses;
    for (long i = 0; i < std::clamp(count, 1L, 254L); ++i) {
        addresses.push_back(asio::ip::address_v4((127u << 24) | static_cast<unsigned>(i + 1)));
    }
    return addresses;
}

asio::awaitable<OpenCounts> open_connections(std::list<Connection>& connections, long count, const Target& target,
                                             const std::vector<asio::ip::address_v4>& sources, long window,
                                             bool offer_deflate) {
    auto executor = co_await asio::this_coro::executor;
    const auto deadline = Clock::now() + std::chrono::seconds(60) + std::chrono::milliseconds(10 * count);
    Opening opening;
    auto first_new = connections.end();
    for (long i = 0; i < count; ++i) {
        if (!co_await wait_until([&] { return opening.in_flight < window; }, std::chrono::milliseconds(1), deadline)) break;
        Connection& connection = connections.emplace_back(executor);
        if (first_new == connections.end()) first_new = std::prev(connections.end());
        ++opening.in_flight;
        asio::co_spawn(executor, open_one(connection, target, sources[static_cast<std::size_t>(i) % sources.size()],
                                          offer_deflate, opening),
                       asio::detached);
    }
    if (!co_await wait_until([&] { return opening.in_flight == 0; }, std::chrono::milliseconds(5), deadline)) {
        // The handshakes still under way end with an aborted read or connect: rejected or refused.
        for (auto it = first_new; it != connections.end(); ++it) {
            if (!it->is_open()) it->close();
        }
        co_await wait_until([&] { return opening.in_flight == 0; }, std::chrono::milliseconds(5), Clock::time_point::max());
    }
    // Connections not even started before the deadline count as rejected too.
    opening.counts.rejected += count - (opening.counts.opened + opening.counts.refused + opening.counts.rejected);
    co_return opening.counts;
}

}  // namespace wsbench
