// websocket_conformance: runs Autobahn|Testsuite-style cases (categories 1-13) against a
// WebSocket echo server and prints one line per case. See README.md.
#include "case.hpp"
#include "case_filter.hpp"

#include <charconv>
#include <csignal>
#include <cstdio>
#include <iostream>
#include <map>

namespace {

constexpr const char* usage =
    "usage: websocket_conformance --url ws://host:port/path [--cases 1.*,5.1-5.10] [--max-message-size N]\n"
    "                             [--deflate-messages N] [--list]\n"
    "  --cases             which cases to run (default all): ids, prefixes like 6.4.*, ranges like 5.1-5.10\n"
    "  --max-message-size  the server's message size limit: larger messages expect close 1009, not an echo\n"
    "  --deflate-messages  round trips per case in 12 and 13 (default 25; Autobahn sends 1000)\n"
    "  --list              print the cases and their descriptions, and run nothing\n"
    "Exit status 1 when any case FAILs or is UNIMPLEMENTED, 2 on bad arguments.\n";

std::size_t number_argument(const std::string& name, const std::string& value) {
    std::size_t number = 0;
    const auto [end, error] = std::from_chars(value.data(), value.data() + value.size(), number);
    if (value.empty() || error != std::errc() || end != value.data() + value.size())
        throw std::invalid_argument(name + " takes a number, not \"" + value + "\"");
    return number;
}

}  // namespace

int main(int argc, char** argv) {
    using namespace conformance;
    std::signal(SIGPIPE, SIG_IGN);  // a server that hangs up mid-write is a result, not a crash
    std::string url_text, filter_text = "*";
    Options options;
    bool list = false;
    try {
        for (int i = 1; i < argc; ++i) {
            const std::string argument = argv[i];
            const auto value = [&]() -> std::string {
                if (i + 1 >= argc) throw std::invalid_argument(argument + " needs a value");
                return argv[++i];
            };
            if (argument == "--url") url_text = value();
            else if (argument == "--cases") filter_text = value();
            else if (argument == "--max-message-size") options.max_message_size = number_argument(argument, value());
            else if (argument == "--deflate-messages") options.deflate_messages = static_cast<int>(number_argument(argument, value()));
            else if (argument == "--list") list = true;
            else throw std::invalid_argument("unknown argument " + argument);
        }
        if (!list && url_text.empty()) throw std::invalid_argument("--url is required");
        if (options.deflate_messages < 1) throw std::invalid_argument("--deflate-messages must be at least 1");
        const CaseFilter filter(filter_text);
        std::vector<Case> cases;
        for (auto& test : all_cases(options))
            if (filter.matches(test.id)) cases.push_back(std::move(test));
        if (list) {
            for (const auto& test : cases) std::printf("%-9s %s\n", test.id.c_str(), test.description.c_str());
            return 0;
        }
        const Url url = parse_url(url_text);
        asio::io_context io;
        std::map<Status, int> counts;
        const auto start = Clock::now();
        // A server that stopped answering would cost every remaining case the handshake timeout.
        constexpr int max_failed_handshakes = 3;
        int failed_handshakes = 0;
        for (const auto& test : cases) {
            const Result result = failed_handshakes >= max_failed_handshakes
                                      ? Result{Status::fail, "not run: " + std::to_string(max_failed_handshakes) +
                                                                 " handshakes in a row failed"}
                                      : run_case(test, io, url);
            if (failed_handshakes < max_failed_handshakes)
                failed_handshakes = result.why.starts_with("handshake: ") ? failed_handshakes + 1 : 0;
            ++counts[result.status];
            std::printf("%-9s %-13s %s\n", test.id.c_str(), status_name(result.status), result.why.c_str());
            std::fflush(stdout);
        }
        const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
        std::printf("\n%zu cases in %.1f s:", cases.size(), seconds);
        for (const auto status : {Status::pass, Status::non_strict, Status::informational, Status::unimplemented, Status::fail})
            std::printf(" %d %s", counts[status], status_name(status));
        std::printf("\n");
        return counts[Status::fail] + counts[Status::unimplemented] > 0 ? 1 : 0;
    } catch (const std::invalid_argument& error) {
        std::cerr << "websocket_conformance: " << error.what() << "\n" << usage;
        return 2;
    }
}
