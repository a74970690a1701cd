// The broadcast mode: open every client (paced), wait until the server has read all their
// handshakes, send the trigger, and time each client's first message from the trigger's write.
#include "../c10k_client/server_probe.hpp"
#include "modes.hpp"
#include "open_connections.hpp"
#include "../c10k_client/waiting.hpp"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <iostream>
#include <list>
#include <vector>

namespace wsbench {

using bench::Clock;
using bench::ms_between;
using bench::sleep_for;
using bench::wait_until;

namespace {

constexpr auto use_tuple = asio::experimental::as_tuple(asio::use_awaitable);

// Each open client ends in exactly one of received, wrong (another message than expected),
// early (a message before the trigger, past its opening messages), closed (the connection ended
// first) or, when the timeout passes first, missing.
struct Broadcast {
    Broadcast(const BroadcastOptions& options, const asio::any_io_executor& executor)
        : options(options), trigger(executor) {}

    const BroadcastOptions& options;
    asio::ip::tcp::socket trigger;  // the trigger's own connection
    std::list<Connection> connections;
    bool triggered = false;
    bool closing = false;  // set before the client closes its connections: their ends are no errors
    long received = 0, wrong = 0, early = 0, closed = 0;
    long opened_fully = 0;  // clients that have read their opening messages
    std::string first_failure;
    std::vector<Clock::time_point> arrivals;
    std::string trigger_status = "none";

    long ended() const { return received + wrong + early + closed; }
};

// Whether message is the expected one, comparing without blanks (JSON's spacing varies).
bool is_expected(std::string_view message, std::string_view expected) {
    if (expected.empty()) return true;
    auto blank = [](char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; };
    std::string a(message), b(expected);
    std::erase_if(a, blank);
    std::erase_if(b, blank);
    return a == b;
}

void count_closed(Broadcast& run, Connection& connection) {
    ++run.closed;
    if (run.first_failure.empty()) run.first_failure = connection.failure();
}

asio::awaitable<void> await_message(Broadcast& run, Connection& connection) {
    for (long opening = 0; opening < run.options.opening_messages; ++opening) {
        auto message = co_await connection.receive();
        if (run.closing) co_return;
        if (!message) {
            count_closed(run, connection);
            co_return;
        }
    }
    ++run.opened_fully;
    auto message = co_await connection.receive();
    if (run.closing) co_return;
    if (!message) {
        count_closed(run, connection);
    } else if (!run.triggered) {
        ++run.early;
    } else if (is_expected(*message, run.options.expect)) {
        run.arrivals.push_back(Clock::now());
        ++run.received;
    } else {
        ++run.wrong;
        if (run.first_failure.empty()) run.first_failure = "a message '" + message->substr(0, 200) + "'";
    }
}

std::string trigger_request(const BroadcastOptions& options) {
    return options.trigger_method + " " + options.trigger_path + " HTTP/1.1\r\nHost: " + options.target.host +
           "\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: " +
           std::to_string(options.trigger_body.size()) + "\r\nConnection: close\r\n\r\n" + options.trigger_body;
}

// Reads the trigger's answer far enough to know its status code.
asio::awaitable<void> read_trigger_status(asio::ip::tcp::socket& socket, std::string& status) {
    std::string answer;
    char chunk[512];
    while (answer.find("\r\n") == std::string::npos && answer.size() < 4096) {
        auto [error, size] = co_await socket.async_read_some(asio::buffer(chunk), use_tuple);
        if (error) break;
        answer.append(chunk, size);
    }
    if (answer.starts_with("HTTP/1.") && answer.size() >= 12) status = answer.substr(9, 3);
}

// Returns false when the run could not start (no server on the port).
asio::awaitable<bool> broadcast(Broadcast& run, const ServerProbe& probe) {
    const BroadcastOptions& options = run.options;
    auto executor = co_await asio::this_coro::executor;
    const auto sources = source_addresses(options.connections, options.sources);

    // The trigger's connection first: it is open before the baseline, and proves a server listens.
    auto [connect_error] = co_await run.trigger.async_connect(options.target.endpoint, use_tuple);
    if (connect_error) {
        std::cerr << "websocket_client: cannot connect to " << options.target.endpoint << ": " << connect_error.message() << "\n";
        co_return false;
    }
    co_await sleep_for(std::chrono::milliseconds(200));
    const long rss_before = probe.rss_kb();

    std::cerr << "websocket_client: opening " << options.connections << " WebSockets from " << sources.size()
              << " source address(es)...\n";
    const auto setup_start = Clock::now();
    const OpenCounts counts =
        co_await open_connections(run.connections, options.connections, options.target, sources, options.window, false);
    for (Connection& connection : run.connections) {
        if (connection.is_open()) asio::co_spawn(executor, await_message(run, connection), asio::detached);
    }
    // All handshakes are answered; wait until the server has read every byte sent to it and
    // every client has its opening messages, then a little longer, so that its handlers have
    // run before the RSS is read.
    co_await wait_until([&] { return probe.unread_connections() == 0 && run.opened_fully + run.closed >= counts.opened; },
                        std::chrono::milliseconds(50), Clock::now() + std::chrono::seconds(30));
    co_await sleep_for(std::chrono::milliseconds(300));
    const double setup_ms = ms_between(setup_start, Clock::now());
    const long rss_connected = probe.rss_kb();
    std::cerr << "websocket_client: " << counts.opened << " open; sending the trigger...\n";

    const std::string request = trigger_request(options);
    const auto times_before = probe.scheduler_times();
    run.triggered = true;
    const auto trigger_sent = Clock::now();
    auto [write_error, written] = co_await asio::async_write(run.trigger, asio::buffer(request), use_tuple);
    if (!write_error) asio::co_spawn(executor, read_trigger_status(run.trigger, run.trigger_status), asio::detached);
    co_await wait_until([&] { return run.ended() >= counts.opened; }, std::chrono::milliseconds(1),
                        trigger_sent + std::chrono::seconds(options.timeout_seconds));
    const auto times_after = probe.scheduler_times();
    const long missing = counts.opened - run.ended();
    co_await sleep_for(std::chrono::milliseconds(100));  // the trigger's answer, if it lags the messages
    const long rss_after = probe.rss_kb();

    std::sort(run.arrivals.begin(), run.arrivals.end());
    auto arrival_ms = [&](double quantile) {
        if (run.arrivals.empty()) return -1.0;
        const auto index = static_cast<std::size_t>(quantile * static_cast<double>(run.arrivals.size() - 1));
        return ms_between(trigger_sent, run.arrivals[index]);
    };
    const long errors = counts.refused + counts.rejected + run.closed + run.early + run.wrong + missing;
    const std::string& failure = counts.first_failure.empty() ? run.first_failure : counts.first_failure;
    if (!failure.empty()) std::cerr << "websocket_client: first failure: " << failure << "\n";
    if (missing > 0) std::cerr << "websocket_client: " << missing << " clients without the message after " << options.timeout_seconds << " s\n";

    run.closing = true;
    for (Connection& connection : run.connections) connection.close();

    const double per_connection = counts.opened > 0 ? static_cast<double>(rss_connected - rss_before) / static_cast<double>(counts.opened) : -1;
    std::printf("connections=%ld sources=%zu connected=%ld received=%ld errors=%ld refused=%ld rejected=%ld closed=%ld "
                "early=%ld wrong=%ld missing=%ld trigger_status=%s setup_ms=%.0f rss_before_kb=%ld rss_connected_kb=%ld "
                "rss_after_kb=%ld kb_per_connection=%.2f server_cpu_ms=%.1f server_runnable_wait_ms=%.1f "
                "first_ms=%.2f median_ms=%.2f last_ms=%.2f\n",
                options.connections, sources.size(), counts.opened, run.received, errors, counts.refused, counts.rejected,
                run.closed, run.early, run.wrong, missing, run.trigger_status.c_str(), setup_ms, rss_before, rss_connected,
                rss_after, per_connection, times_after.running_ms - times_before.running_ms,
                times_after.waiting_ms - times_before.waiting_ms, arrival_ms(0), arrival_ms(0.5), arrival_ms(1));
    co_return true;
}

}  // namespace

int run_broadcast(const BroadcastOptions& options) {
    asio::io_context context(1);
    Broadcast run(options, context.get_executor());
    ServerProbe probe(options.server_pid, options.target.endpoint.port(), "");
    if (probe.rss_kb() < 0) {
        std::cerr << "websocket_client: no process " << options.server_pid << " to watch\n";
        return 2;
    }
    bool ran = false;
    asio::co_spawn(context, broadcast(run, probe), [&](std::exception_ptr error, bool result) {
        if (error) std::rethrow_exception(error);
        ran = result;
        context.stop();  // clients still waiting (missing) end with the context
    });
    context.run();
    return ran && run.received == options.connections ? 0 : 1;
}

}  // namespace wsbench
