// bench/websocket's load client: many WebSocket connections from one thread (Asio, epoll).
//
//   websocket_client broadcast --url=ws://127.0.0.1:P/cart/status --server-pid=PID
//       [--connections=10000] [--trigger='POST /cart'] [--trigger-body=BODY] [--expect=MESSAGE]
//       [--opening-messages=0] [--window=100] [--sources=K] [--timeout=10]
//   websocket_client echo --url=ws://127.0.0.1:P/ws [--server-pid=PID] [--connections=100]
//       [--size=64] [--duration=10] [--deflate] [--window=100]
//
// broadcast: opens N clients, at most --window of them in their handshake at once (so that no
// listen backlog overflows), from K source addresses 127.0.0.1..K (by default as many as the
// ephemeral port range needs); once all are open and the server has read every handshake, it
// sends the trigger, an HTTP request with a form body on a connection of its own, and times
// each client's first message from the trigger's write. Every client must get --expect
// (compared without blanks) within --timeout seconds. A server that sends each client
// messages as it opens (the cart sends the current count) is given --opening-messages: the
// client reads that many first, and sends the trigger once every client has them. It reads the server's RSS before the
// clients connect, with all connected, and after the broadcast (/proc/PID/status).
// echo: opens C clients (offering permessage-deflate with --deflate, which the server must
// then accept), and each sends a text message of --size bytes, waits for its echo and checks
// it, again and again for --duration seconds: messages per second and round-trip percentiles,
// and with --server-pid the server's CPU time (per message) and its time waiting for a CPU.
//
// Progress and the first failure go to stderr; the figures are one line of key=value on
// stdout. Exit status: 0 when every client did its part, 1 when some did not (figures still
// printed) or no server answered, 2 for bad arguments.
#include "modes.hpp"

#include <sys/resource.h>

#include <charconv>
#include <iostream>
#include <optional>
#include <string_view>

using namespace wsbench;

namespace {

bool parse_number(std::string_view text, long& value) {
    auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    return error == std::errc() && end == text.data() + text.size();
}

bool parse_positive(std::string_view text, long& value) { return parse_number(text, value) && value > 0; }

bool parse_pid(std::string_view text, int& pid) {
    long value = 0;
    if (!parse_positive(text, value) || value > 1 << 22) return false;
    pid = static_cast<int>(value);
    return true;
}

// "METHOD /path": one token each, no control characters.
bool parse_trigger(std::string_view text, BroadcastOptions& options) {
    const std::size_t space = text.find(' ');
    if (space == std::string_view::npos || text.find_first_of("\r\n") != std::string_view::npos) return false;
    options.trigger_method = text.substr(0, space);
    options.trigger_path = text.substr(space + 1);
    return !options.trigger_method.empty() && options.trigger_path.starts_with('/') &&
           options.trigger_path.find(' ') == std::string::npos;
}

struct Argument {
    std::string_view name, value;
    bool has_value;
};

Argument split(std::string_view arg) {
    const std::size_t equals = arg.find('=');
    if (equals == std::string_view::npos) return {arg, {}, false};
    return {arg.substr(0, equals), arg.substr(equals + 1), true};
}

bool parse_target_option(const Argument& arg, Target& target, bool& seen) {
    auto parsed = parse_target(arg.value);
    if (!parsed) return false;
    target = *parsed;
    seen = true;
    return true;
}

// Hands each of argv[2..] to parse_one as name and value; false (after saying which) at the
// first that parse_one refuses.
template <typename ParseOne>
bool parse_each(int argc, char** argv, ParseOne parse_one) {
    for (int i = 2; i < argc; ++i) {
        if (!parse_one(split(argv[i]))) {
            std::cerr << "websocket_client: bad argument '" << argv[i] << "'\n";
            return false;
        }
    }
    return true;
}

std::optional<BroadcastOptions> parse_broadcast(int argc, char** argv) {
    BroadcastOptions options;
    bool has_url = false;
    bool parsed = parse_each(argc, argv, [&](const Argument& arg) {
        if (!arg.has_value) return false;
        if (arg.name == "--url") return parse_target_option(arg, options.target, has_url);
        if (arg.name == "--server-pid") return parse_pid(arg.value, options.server_pid);
        if (arg.name == "--connections") return parse_positive(arg.value, options.connections);
        if (arg.name == "--trigger") return parse_trigger(arg.value, options);
        if (arg.name == "--opening-messages") return parse_number(arg.value, options.opening_messages) && options.opening_messages >= 0;
        if (arg.name == "--window") return parse_positive(arg.value, options.window);
        if (arg.name == "--sources") return parse_positive(arg.value, options.sources) && options.sources < 255;
        if (arg.name == "--timeout") return parse_positive(arg.value, options.timeout_seconds);
        if (arg.name == "--trigger-body") options.trigger_body = arg.value;
        else if (arg.name == "--expect") options.expect = arg.value;
        else return false;
        return true;
    });
    if (!parsed) return std::nullopt;
    if (!has_url || options.server_pid == 0) {
        std::cerr << "websocket_client: broadcast needs --url=ws://HOST:PORT/PATH and --server-pid=PID\n";
        return std::nullopt;
    }
    return options;
}

std::optional<EchoOptions> parse_echo(int argc, char** argv) {
    EchoOptions options;
    bool has_url = false;
    bool parsed = parse_each(argc, argv, [&](const Argument& arg) {
        if (arg.name == "--deflate") return options.deflate = !arg.has_value;
        if (!arg.has_value) return false;
        if (arg.name == "--url") return parse_target_option(arg, options.target, has_url);
        if (arg.name == "--server-pid") return parse_pid(arg.value, options.server_pid);
        if (arg.name == "--connections") return parse_positive(arg.value, options.connections);
        if (arg.name == "--size") return parse_positive(arg.value, options.size) && options.size <= 1 << 20;
        if (arg.name == "--duration") return parse_positive(arg.value, options.duration_seconds);
        if (arg.name == "--window") return parse_positive(arg.value, options.window);
        return false;
    });
    if (!parsed) return std::nullopt;
    if (!has_url) {
        std::cerr << "websocket_client: echo needs --url=ws://HOST:PORT/PATH\n";
        return std::nullopt;
    }
    return options;
}

// Raises the soft limit on open files as far as needed; false when the hard limit is too low.
bool enough_file_descriptors(long connections) {
    rlimit limit{};
    getrlimit(RLIMIT_NOFILE, &limit);
    const rlim_t needed = static_cast<rlim_t>(connections) + 64;
    if (limit.rlim_cur >= needed) return true;
    if (limit.rlim_max < needed) {
        std::cerr << "websocket_client: " << connections << " connections need " << needed
                  << " file descriptors; the hard limit is " << limit.rlim_max << "\n";
        return false;
    }
    limit.rlim_cur = needed;
    return setrlimit(RLIMIT_NOFILE, &limit) == 0;
}

constexpr std::string_view usage =
    "usage: websocket_client broadcast --url=ws://HOST:PORT/PATH --server-pid=PID [--connections=N]\n"
    "           [--trigger='METHOD /path'] [--trigger-body=BODY] [--expect=MESSAGE] [--opening-messages=N]\n"
    "           [--window=N] [--sources=K] [--timeout=S]\n"
    "       websocket_client echo --url=ws://HOST:PORT/PATH [--server-pid=PID] [--connections=N] [--size=BYTES]\n"
    "           [--duration=S] [--deflate] [--window=N]\n";

}  // namespace

int main(int argc, char** argv) {
    const std::string_view mode = argc > 1 ? argv[1] : "";
    if (mode == "broadcast") {
        auto options = parse_broadcast(argc, argv);
        if (!options || !enough_file_descriptors(options->connections)) return 2;
        return run_broadcast(*options);
    }
    if (mode == "echo") {
        auto options = parse_echo(argc, argv);
        if (!options || !enough_file_descriptors(options->connections)) return 2;
        return run_echo(*options);
    }
    std::cerr << usage;
    return 2;
}
