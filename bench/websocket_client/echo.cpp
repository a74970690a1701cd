// The echo mode: open every client, then each sends a message, waits for its echo and sends
// the next until the duration is over; every round trip is timed.
#include "../c10k_client/server_probe.hpp"
#include "modes.hpp"
#include "open_connections.hpp"
#include "../c10k_client/waiting.hpp"

#include <algorithm>
#include <cstdio>
#include <iostream>
#include <list>
#include <optional>
#include <vector>

namespace wsbench {

using bench::Clock;
using bench::ms_between;
using bench::sleep_for;
using bench::wait_until;

namespace {

// Each open client ends in exactly one of done (the duration passed), closed (the connection
// ended or broke), wrong (an echo unlike the message) or, when its last echo does not come
// within 5 s of the end, missing.
struct Echo {
    explicit Echo(const EchoOptions& options) : options(options) {}

    const EchoOptions& options;
    std::list<Connection> connections;
    Clock::time_point deadline;
    bool closing = false;
    long done = 0, closed = 0, wrong = 0;
    std::string first_failure;
    std::vector<double> round_trips_ms;

    long ended() const { return done + closed + wrong; }
};

// The message of number sequence: its number, then a sentence repeated, cut to size bytes
// (text that compresses about as well as a chat line does).
void fill_message(long sequence, long size, std::string& message) {
    constexpr std::string_view sentence = "The Definitive Guide to the Internet, $20.00, now in stock. ";
    message = std::to_string(sequence) + ' ';
    while (message.size() < static_cast<std::size_t>(size)) message.append(sentence);
    message.resize(static_cast<std::size_t>(size));
}

asio::awaitable<void> echo_loop(Echo& run, Connection& connection, long first_sequence) {
    std::string message;
    for (long sequence = first_sequence; Clock::now() < run.deadline; ++sequence) {
        fill_message(sequence, run.options.size, message);
        const auto sent = Clock::now();
        std::optional<std::string> echo;
        if (co_await connection.send_text(message)) echo = co_await connection.receive();
        if (run.closing) co_return;
        if (!echo) {
            ++run.closed;
            if (run.first_failure.empty()) run.first_failure = connection.failure();
            co_return;
        }
        if (*echo != message) {
            ++run.wrong;
            if (run.first_failure.empty()) run.first_failure = "an echo '" + echo->substr(0, 200) + "' of '" + message + "'";
            co_return;
        }
        run.round_trips_ms.push_back(ms_between(sent, Clock::now()));
    }
    ++run.done;
}

double percentile(std::vector<double>& values, double quantile) {
    if (values.empty()) return -1;
    const auto index = static_cast<std::size_t>(quantile * static_cast<double>(values.size() - 1));
    std::nth_element(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(index), values.end());
    return values[index];
}

// Returns false when no connection opened.
asio::awaitable<bool> echo(Echo& run, const std::optional<ServerProbe>& probe) {
    const EchoOptions& options = run.options;
    auto executor = co_await asio::this_coro::executor;
    const OpenCounts counts = co_await open_connections(run.connections, options.connections, options.target,
                                                        source_addresses(options.connections, 1), options.window,
                                                        options.deflate);
    if (counts.opened == 0) {
        std::cerr << "websocket_client: no connection opened: " << counts.first_failure << "\n";
        co_return false;
    }
    const long compressed = std::ranges::count_if(run.connections, [](const Connection& c) { return c.compressed(); });
    const long uncompressed = options.deflate ? counts.opened - compressed : 0;
    std::cerr << "websocket_client: " << counts.opened << " open" << (options.deflate ? ", " + std::to_string(compressed) + " compressed" : "")
              << "; echoing for " << options.duration_seconds << " s...\n";

    const auto times_before = probe ? probe->scheduler_times() : ServerProbe::SchedulerTimes{};
    const auto start = Clock::now();
    run.deadline = start + std::chrono::seconds(options.duration_seconds);
    long first_sequence = 0;
    for (Connection& connection : run.connections) {
        if (!connection.is_open()) continue;
        asio::co_spawn(executor, echo_loop(run, connection, first_sequence), asio::detached);
        first_sequence += 1'000'000'000;  // every connection's messages differ from the others'
    }
    co_await wait_until([&] { return run.ended() >= counts.opened; }, std::chrono::milliseconds(5),
                        run.deadline + std::chrono::seconds(5));
    const auto end = Clock::now();
    const auto times_after = probe ? probe->scheduler_times() : ServerProbe::SchedulerTimes{};
    const long missing = counts.opened - run.ended();
    run.closing = true;
    for (Connection& connection : run.connections) connection.close();

    const long errors = counts.refused + counts.rejected + run.closed + run.wrong + missing + uncompressed;
    const std::string& failure = counts.first_failure.empty() ? run.first_failure : counts.first_failure;
    if (!failure.empty()) std::cerr << "websocket_client: first failure: " << failure << "\n";
    if (uncompressed > 0) std::cerr << "websocket_client: " << uncompressed << " connections without permessage-deflate\n";
    const auto messages = static_cast<long>(run.round_trips_ms.size());
    const double seconds = std::chrono::duration<double>(end - start).count();
    const double server_cpu_ms = probe ? times_after.running_ms - times_before.running_ms : -1;
    const double server_wait_ms = probe ? times_after.waiting_ms - times_before.waiting_ms : -1;
    std::printf("connections=%ld connected=%ld size=%ld deflate=%s compressed=%ld seconds=%.2f messages=%ld "
                "messages_per_s=%.0f p50_ms=%.3f p99_ms=%.3f errors=%ld refused=%ld rejected=%ld closed=%ld wrong=%ld "
                "missing=%ld uncompressed=%ld server_cpu_ms=%.1f server_runnable_wait_ms=%.1f server_cpu_us_per_message=%.2f\n",
                options.connections, counts.opened, options.size, options.deflate ? "on" : "off", compressed, seconds,
                messages, static_cast<double>(messages) / seconds, percentile(run.round_trips_ms, 0.5),
                percentile(run.round_trips_ms, 0.99), errors, counts.refused, counts.rejected, run.closed, run.wrong,
                missing, uncompressed, server_cpu_ms, server_wait_ms,
                probe && messages > 0 ? 1000 * server_cpu_ms / static_cast<double>(messages) : -1.0);
    co_return errors == 0 && messages > 0;
}

}  // namespace

int run_echo(const EchoOptions& options) {
    asio::io_context context(1);
    Echo run(options);
    std::optional<ServerProbe> probe;
    if (options.server_pid > 0) {
        probe.emplace(options.server_pid, options.target.endpoint.port(), "");
        if (probe->rss_kb() < 0) {
            std::cerr << "websocket_client: no process " << options.server_pid << " to watch\n";
            return 2;
        }
    }
    bool passed = false;
    asio::co_spawn(context, echo(run, probe), [&](std::exception_ptr error, bool result) {
        if (error) std::rethrow_exception(error);
        passed = result;
        context.stop();  // an echo still awaited (missing) ends with the context
    });
    context.run();
    return passed ? 0 : 1;
}

}  // namespace wsbench
