// bench/c10k's client: holds N concurrent long-poll requests (GET /cart/status, keep-alive) on a
// shopping-cart server, then sends one event (POST /cart action=add) and measures the time from
// sending it until the last waiting client has its full answer.
//
//   c10k_client --port=P --server-pid=PID [--connections=10000] [--expect-count=9]
//               [--sources=K] [--window=100] [--timeout=10] [--pause=0] [--leave] [--alloc-count-file=PATH]
//
// Phases: (1) open connections, at most --window of them not yet accepted by the server (its
// /proc/PID/fd count) so that no listen backlog overflows, spread over K source addresses
// 127.0.0.1..K (by default as many as the ephemeral port range needs); (2) wait until the
// server holds them all (its fd count) and has read every request (nothing left in its sockets'
// receive queues), then read its RSS and allocation count, and wait --pause seconds (time to
// attach a profiler to the server, which is told on stderr); (3) send the event and wait up to
// --timeout seconds for every answer, which must be a 200 with {"inventoryCount": "N"}, and
// read the CPU time the server spent meanwhile and how long it waited, runnable, for a CPU;
// (4) read the RSS again with the connections still open, close them all and see the server's
// fd count return. With --leave, (3) and (4) are instead: close every connection at once and
// measure the time until the server's fd count is back at its baseline, and its CPU time for
// that. Progress goes to stderr; the result is one line of key=value on stdout.
// Single-threaded: every answer's time is taken when the client has read it, so the client's
// own reading is part of the measured time, as it is for any real set of clients.
#include "long_poll_answer.hpp"
#include "server_probe.hpp"
#include "waiting.hpp"

#include <asio.hpp>
#include <asio/experimental/as_tuple.hpp>
#include <netinet/in.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <list>
#include <optional>
#include <string>
#include <vector>

namespace {

using bench::Clock;
using bench::ms_between;
using bench::sleep_for;
using bench::wait_until;
using asio::ip::tcp;
constexpr auto use_tuple = asio::experimental::as_tuple(asio::use_awaitable);

struct Options {
    std::uint16_t port = 0;
    int server_pid = 0;
    long connections = 10000;
    long expect_count = 9;
    long sources = 0;  // 0: as many as the ephemeral port range needs
    long window = 100;
    long timeout_seconds = 10;
    long pause_seconds = 0;
    bool leave = false;  // instead of the event, every client leaves
    std::string alloc_count_file;
};

// Counts of the run; every connection ends in exactly one of answered, refused, reset, wrong,
// or (when the timeout passes first) missing.
struct Run {
    explicit Run(const Options& options)
        : options(options), server(asio::ip::make_address_v4("127.0.0.1"), options.port),
          expected_body("{\"inventoryCount\":\"" + std::to_string(options.expect_count) + "\"}") {}

    const Options& options;
    tcp::endpoint server;
    std::string expected_body;
    std::list<tcp::socket> sockets;  // every connection stays open until the end
    long started = 0, connected = 0, requests_sent = 0;
    long settled = 0;  // connections that sent their request or failed before
    long waiting = 0;  // connections that sent their request and have not ended
    long answered = 0, refused = 0, reset = 0, wrong = 0;
    std::vector<Clock::time_point> answer_times;
    bool closing = false;  // set before the client closes its sockets: aborted reads are no errors

    long ended() const { return answered + refused + reset + wrong; }
};

constexpr std::string_view long_poll_request = "GET /cart/status HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
// The event: an add from a session of its own (one per run, so that it changes the inventory).
std::string event_request() {
    std::string body = "action=add&session=c10k-" + std::to_string(getpid()) + "-" +
                       std::to_string(Clock::now().time_since_epoch().count());
    return "POST /cart HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\n"
           "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
}

// One waiting client: connect from source, send the long-poll request, read its answer.
asio::awaitable<void> long_poll(Run& run, tcp::socket& socket, asio::ip::address_v4 source) {
    asio::error_code error;
    socket.open(tcp::v4(), error);
    // The port is chosen at connect time, for the full 4-tuple, not reserved by bind alone.
    if (!error) socket.set_option(asio::detail::socket_option::boolean<IPPROTO_IP, IP_BIND_ADDRESS_NO_PORT>(true), error);
    if (!error) socket.bind(tcp::endpoint(source, 0), error);
    if (!error) std::tie(error) = co_await socket.async_connect(run.server, use_tuple);
    if (error) {
        ++run.refused;
        ++run.settled;
        co_return;
    }
    ++run.connected;
    auto [write_error, written] = co_await asio::async_write(socket, asio::buffer(long_poll_request), use_tuple);
    ++run.settled;
    if (write_error) {
        ++run.reset;
        co_return;
    }
    ++run.requests_sent;
    ++run.waiting;
    std::string received;
    char chunk[512];
    for (;;) {
        auto [read_error, size] = co_await socket.async_read_some(asio::buffer(chunk), use_tuple);
        if (read_error) {
            if (run.closing) co_return;
            --run.waiting;
            ++run.reset;  // refused mid-way, reset, or closed before the answer
            co_return;
        }
        received.append(chunk, size);
        AnswerState state = received.size() > 4096 ? AnswerState::wrong : judge_answer(received, run.expected_body);
        if (state == AnswerState::incomplete) continue;
        --run.waiting;
        if (state == AnswerState::expected) {
            run.answer_times.push_back(Clock::now());
            ++run.answered;
        } else {
            ++run.wrong;
        }
        co_return;
    }
}

// The source addresses 127.0.0.1..K, K enough that no address needs more than half of the
// ephemeral port range (/proc/sys/net/ipv4/ip_local_port_range) for one server port.
std::vector<asio::ip::address_v4> source_addresses(const Options& options) {
    long count = options.sources;
    if (count <= 0) {
        long low = 32768, high = 60999;
        std::ifstream("/proc/sys/net/ipv4/ip_local_port_range") >> low >> high;
        long per_address = std::max(1L, (high - low + 1) / 2);
        count = (options.connections + per_address - 1) / per_address;
    }
    std::vector<asio::ip::address_v4> sources;
    for (long i = 0; i < std::clamp(count, 1L, 254L); ++i) {
        sources.push_back(asio::ip::address_v4((127u << 24) | static_cast<unsigned>(i + 1)));
    }
    return sources;
}

// Returns false when the run could not start (no server to connect to).
asio::awaitable<bool> run_c10k(Run& run, const ServerProbe& probe) {
    const Options& options = run.options;
    auto executor = co_await asio::this_coro::executor;
    auto sources = source_addresses(options);

    // The event's connection first, so that the baseline counts its descriptor.
    tcp::socket event_socket(executor);
    auto [connect_error] = co_await event_socket.async_connect(run.server, use_tuple);
    if (connect_error) {
        std::cerr << "c10k_client: cannot connect to " << run.server << ": " << connect_error.message() << "\n";
        co_return false;
    }
    co_await sleep_for(std::chrono::milliseconds(200));
    const long baseline_fds = probe.open_fds();
    const long rss_before = probe.rss_kb();
    const long long allocs_before = probe.allocations();
    auto held_by_server = [&] { return probe.open_fds() - baseline_fds; };

    std::cerr << "c10k_client: opening " << options.connections << " long polls from " << sources.size()
              << " source address(es)...\n";
    auto setup_start = Clock::now();
    auto setup_deadline = setup_start + std::chrono::seconds(60 + options.connections / 100);
    for (long i = 0; i < options.connections; ++i) {
        bool room = co_await wait_until([&] { return run.started - run.refused - held_by_server() < options.window; },
                                        std::chrono::milliseconds(1), setup_deadline);
        if (!room) break;
        run.sockets.emplace_back(executor);
        asio::co_spawn(executor, long_poll(run, run.sockets.back(), sources[i % sources.size()]), asio::detached);
        ++run.started;
    }
    // Held: the server has a descriptor for every connection and has read every request.
    bool held = co_await wait_until([&] { return run.settled >= run.started &&
                                                 held_by_server() >= run.waiting; },
                                    std::chrono::milliseconds(10), setup_deadline);
    held = held && co_await wait_until([&] { return probe.unread_connections() == 0; },
                                       std::chrono::milliseconds(50), setup_deadline);
    co_await sleep_for(std::chrono::milliseconds(300));  // the last requests reach their handlers
    const double setup_ms = ms_between(setup_start, Clock::now());
    const long fds_held = held_by_server();
    const long rss_held = probe.rss_kb();
    const long long allocs_held = probe.allocations();
    std::cerr << "c10k_client: server holds " << fds_held << " connections" << (held ? "" : " (setup timed out)")
              << (options.leave ? "; leaving" : "; sending the event")
              << (options.pause_seconds ? " after the pause" : "") << "...\n";
    co_await sleep_for(std::chrono::seconds(options.pause_seconds));

    if (options.leave) {
        // Every waiting client goes at once: how long until the server has let go of them all
        // (its descriptor count back at the baseline), and its CPU time for that.
        const auto times_before = probe.scheduler_times();
        const auto left_at = Clock::now();
        run.closing = true;
        run.sockets.clear();
        bool let_go = co_await wait_until([&] { return held_by_server() <= 0; }, std::chrono::milliseconds(5),
                                          left_at + std::chrono::seconds(60));
        const double leave_ms = ms_between(left_at, Clock::now());
        const auto times_after = probe.scheduler_times();
        std::printf("connections=%ld sources=%zu connected=%ld held=%ld setup_ms=%.0f rss_before_kb=%ld "
                    "rss_held_kb=%ld rss_after_kb=%ld leave_ms=%.1f leave_cpu_ms=%.1f leave_runnable_wait_ms=%.1f "
                    "refused=%ld reset=%ld wrong=%ld fds_left=%ld\n",
                    options.connections, sources.size(), run.connected, fds_held, setup_ms, rss_before, rss_held,
                    probe.rss_kb(), let_go ? leave_ms : -1.0, times_after.running_ms - times_before.running_ms,
                    times_after.waiting_ms - times_before.waiting_ms, run.refused, run.reset, run.wrong,
                    held_by_server());
        co_return true;
    }

    const std::string event = event_request();
    const auto times_before_event = probe.scheduler_times();
    const auto event_sent = Clock::now();
    auto [event_error, event_written] = co_await asio::async_write(event_socket, asio::buffer(event), use_tuple);
    const long waiting_at_event = run.started - run.ended();
    co_await wait_until([&] { return run.ended() >= run.started; }, std::chrono::milliseconds(1),
                        event_sent + std::chrono::seconds(options.timeout_seconds));
    const long missing = run.started - run.ended();
    const auto times_after_answers = probe.scheduler_times();

    // The event's own answer: its status code (the handler may answer with or without a body).
    std::string event_answer(256, '\0');
    std::size_t event_read = 0;
    if (!event_error) event_read = event_socket.read_some(asio::buffer(event_answer), event_error);
    event_answer.resize(event_read);
    std::string event_status = event_answer.starts_with("HTTP/1.1 ") ? event_answer.substr(9, 3) : "none";

    const long rss_after = probe.rss_kb();
    std::sort(run.answer_times.begin(), run.answer_times.end());
    auto answer_ms = [&](double quantile) {
        if (run.answer_times.empty()) return -1.0;
        auto index = static_cast<std::size_t>(quantile * static_cast<double>(run.answer_times.size() - 1));
        return ms_between(event_sent, run.answer_times[index]);
    };

    // Close everything; the server's descriptors for them should go.
    run.closing = true;
    run.sockets.clear();
    co_await wait_until([&] { return held_by_server() <= 0; }, std::chrono::milliseconds(20),
                        Clock::now() + std::chrono::seconds(3));

    std::printf("connections=%ld sources=%zu connected=%ld held=%ld waiting_at_event=%ld setup_ms=%.0f "
                "rss_before_kb=%ld rss_held_kb=%ld rss_after_kb=%ld allocs_before=%lld allocs_held=%lld "
                "event_status=%s server_cpu_ms=%.1f server_runnable_wait_ms=%.1f first_ms=%.2f median_ms=%.2f last_ms=%.2f answered=%ld refused=%ld reset=%ld "
                "wrong=%ld missing=%ld fds_left=%ld\n",
                options.connections, sources.size(), run.connected, fds_held, waiting_at_event, setup_ms, rss_before, rss_held,
                rss_after, allocs_before, allocs_held, event_status.c_str(),
                times_after_answers.running_ms - times_before_event.running_ms,
                times_after_answers.waiting_ms - times_before_event.waiting_ms, answer_ms(0), answer_ms(0.5),
                answer_ms(1), run.answered, run.refused, run.reset, run.wrong, missing, held_by_server());
    co_return true;
}

bool parse_number(std::string_view text, long& value) {
    auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    return error == std::errc() && end == text.data() + text.size();
}

std::optional<Options> parse_options(int argc, char** argv) {
    Options options;
    long port = 0, pid = 0;
    for (int i = 1; i < argc; ++i) {
        std::string_view arg = argv[i];
        auto equals = arg.find('=');
        std::string_view name = arg.substr(0, equals);
        std::string_view value = equals == std::string_view::npos ? std::string_view() : arg.substr(equals + 1);
        bool ok = equals != std::string_view::npos;
        if (name == "--port") ok = ok && parse_number(value, port) && port > 0 && port < 65536;
        else if (name == "--server-pid") ok = ok && parse_number(value, pid) && pid > 0;
        else if (name == "--connections") ok = ok && parse_number(value, options.connections) && options.connections > 0;
        else if (name == "--expect-count") ok = ok && parse_number(value, options.expect_count);
        else if (name == "--sources") ok = ok && parse_number(value, options.sources) && options.sources > 0 && options.sources < 255;
        else if (name == "--window") ok = ok && parse_number(value, options.window) && options.window > 0;
        else if (name == "--timeout") ok = ok && parse_number(value, options.timeout_seconds) && options.timeout_seconds > 0;
        else if (name == "--pause") ok = ok && parse_number(value, options.pause_seconds) && options.pause_seconds >= 0;
        else if (arg == "--leave") options.leave = ok = true;
        else if (name == "--alloc-count-file") options.alloc_count_file = value;
        else ok = false;
        if (!ok) {
            std::cerr << "c10k_client: bad argument '" << arg << "'\n";
            return std::nullopt;
        }
    }
    if (port == 0 || pid == 0) {
        std::cerr << "usage: c10k_client --port=P --server-pid=PID [--connections=N] [--expect-count=N] [--sources=K]"
                     " [--window=N] [--timeout=SECONDS] [--pause=SECONDS] [--leave] [--alloc-count-file=PATH]\n";
        return std::nullopt;
    }
    options.port = static_cast<std::uint16_t>(port);
    options.server_pid = static_cast<int>(pid);
    return options;
}

// Raises the soft limit on open files as far as needed; false when the hard limit is too low.
bool enough_file_descriptors(long connections) {
    rlimit limit{};
    getrlimit(RLIMIT_NOFILE, &limit);
    rlim_t needed = static_cast<rlim_t>(connections) + 64;
    if (limit.rlim_cur >= needed) return true;
    if (limit.rlim_max < needed) {
        std::cerr << "c10k_client: " << connections << " connections need " << needed
                  << " file descriptors; the hard limit is " << limit.rlim_max << "\n";
        return false;
    }
    limit.rlim_cur = needed;
    return setrlimit(RLIMIT_NOFILE, &limit) == 0;
}

}  // namespace

int main(int argc, char** argv) {
    auto options = parse_options(argc, argv);
    if (!options) return 2;
    if (!enough_file_descriptors(options->connections)) return 2;
    asio::io_context context(1);
    Run run(*options);
    ServerProbe probe(options->server_pid, options->port, options->alloc_count_file);
    if (probe.open_fds() <= 0) {
        std::cerr << "c10k_client: no process " << options->server_pid << " to watch\n";
        return 2;
    }
    bool ran = false;
    asio::co_spawn(context, run_c10k(run, probe), [&](std::exception_ptr error, bool result) {
        if (error) std::rethrow_exception(error);
        ran = result;
        context.stop();  // long polls still waiting (missing) end with the context
    });
    context.run();
    return ran ? 0 : 1;
}
