#include "tornado/ioloop.hpp"
#include "tornado/log.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <algorithm>
#include <ctime>
#include <regex>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

using namespace tornado;

namespace {

// Tests share the process-wide level; each one that changes it puts it back.
struct RestoreLevel {
    log::Level saved = log::level();
    ~RestoreLevel() { log::set_level(saved); }
};

// Captures the lines the loggers send while it lives.
struct CapturedLines {
    std::vector<std::string> lines;
    CapturedLines() {
        log::set_sink([this](std::string_view line) { lines.emplace_back(line); });
    }
    ~CapturedLines() { log::set_sink(nullptr); }
};

// Runs body with stderr (fd 2) redirected to a pipe and returns what was written to it.
template <class Body>
std::string capture_stderr(Body body) {
    int fds[2];
    REQUIRE(pipe(fds) == 0);
    const int saved_stderr = dup(STDERR_FILENO);
    dup2(fds[1], STDERR_FILENO);
    close(fds[1]);
    body();
    dup2(saved_stderr, STDERR_FILENO);
    close(saved_stderr);

    std::string output;
    char buffer[4096];
    for (ssize_t got; (got = read(fds[0], buffer, sizeof buffer)) > 0;)
        output.append(buffer, static_cast<std::size_t>(got));
    close(fds[0]);
    return output;
}

const std::string stamp = R"(\d{6} \d{2}:\d{2}:\d{2})";

}  // namespace

TEST_CASE("log: the default level is info") {
    CHECK(log::level() == log::Level::info);
    CHECK_FALSE(log::enabled(log::Level::debug));
    CHECK(log::enabled(log::Level::info));
    CHECK(log::enabled(log::Level::error));
}

TEST_CASE("log: parse_level knows every level, in any case") {
    CHECK(log::parse_level("debug") == log::Level::debug);
    CHECK(log::parse_level("info") == log::Level::info);
    CHECK(log::parse_level("warning") == log::Level::warning);
    CHECK(log::parse_level("error") == log::Level::error);
    CHECK(log::parse_level("none") == log::Level::none);
    CHECK(log::parse_level("WARNING") == log::Level::warning);
    CHECK_THROWS_AS(log::parse_level("verbose"), std::invalid_argument);
    CHECK_THROWS_AS(log::parse_level(""), std::invalid_argument);
}

TEST_CASE("log: set_level decides what is enabled") {
    RestoreLevel restore;
    log::set_level(log::Level::warning);
    CHECK(log::level() == log::Level::warning);
    CHECK_FALSE(log::enabled(log::Level::info));
    CHECK(log::enabled(log::Level::warning));

    log::set_level(log::Level::none);
    CHECK_FALSE(log::enabled(log::Level::error));
    CHECK_FALSE(log::enabled(log::Level::none));

    log::set_level(log::Level::debug);
    CHECK(log::enabled(log::Level::debug));
}

TEST_CASE("log: format_line uses Tornado's layout") {
    const std::string line = log::format_line(log::Level::info, "web", "200 GET / (127.0.0.1) 0.42ms", false);
    const std::regex expected(R"(\[I )" + stamp + R"( web\] 200 GET / \(127\.0\.0\.1\) 0\.42ms\n)");
    CHECK(std::regex_match(line, expected));

    CHECK(log::format_line(log::Level::debug, "x", "m", false).starts_with("[D "));
    CHECK(log::format_line(log::Level::warning, "x", "m", false).starts_with("[W "));
    CHECK(log::format_line(log::Level::error, "x", "m", false).starts_with("[E "));
}

TEST_CASE("log: the date and time are local time") {
    const std::time_t now = std::time(nullptr);
    std::tm local{};
    localtime_r(&now, &local);
    char expected_date[16];
    std::strftime(expected_date, sizeof expected_date, "%y%m%d", &local);
    // The date could only differ if the test ran across midnight.
    CHECK(log::format_line(log::Level::info, "web", "m", false).substr(3, 6) == expected_date);
}

TEST_CASE("log: continuation lines are indented by four spaces") {
    const std::string line =
        log::format_line(log::Level::error, "web", "Traceback:\n  frame 1\n  frame 2\n", false);
    const std::regex expected(R"(\[E )" + stamp + R"( web\] Traceback:\n      frame 1\n      frame 2\n)");
    CHECK(std::regex_match(line, expected));
}

TEST_CASE("log: colour wraps the prefix only") {
    const std::string warning = log::format_line(log::Level::warning, "web", "careful", true);
    CHECK(warning.starts_with("\033[33m[W "));
    CHECK(warning.ends_with(" web]\033[0m careful\n"));
    CHECK(log::format_line(log::Level::debug, "web", "m", true).starts_with("\033[34m[D "));
    CHECK(log::format_line(log::Level::info, "web", "m", true).starts_with("\033[32m[I "));
    CHECK(log::format_line(log::Level::error, "web", "m", true).starts_with("\033[31m[E "));
    CHECK(log::format_line(log::Level::error, "web", "m", false).find('\033') == std::string::npos);
}

TEST_CASE("log: loggers name themselves and drop lines below the level") {
    RestoreLevel restore;
    CapturedLines captured;
    log::set_level(log::Level::info);
    log::access_log.info("200 GET /");
    log::gen_log.debug("hidden");
    log::gen_log.warning("slow client");
    REQUIRE(captured.lines.size() == 2);
    CHECK(std::regex_match(captured.lines[0], std::regex(R"(\[I )" + stamp + R"( web\] 200 GET /\n)")));
    CHECK(std::regex_match(captured.lines[1],
                           std::regex(R"(\[W )" + stamp + R"( httpserver\] slow client\n)")));

    log::set_level(log::Level::debug);
    log::app_log.debug("now shown");
    REQUIRE(captured.lines.size() == 3);
    CHECK(captured.lines[2].ends_with(" web] now shown\n"));

    log::set_level(log::Level::none);
    log::app_log.error("silenced");
    CHECK(captured.lines.size() == 3);
}

TEST_CASE("log: a multi-line message reaches the sink as one line") {
    CapturedLines captured;
    log::app_log.error("first\nsecond");
    REQUIRE(captured.lines.size() == 1);
    CHECK(captured.lines[0].ends_with(" web] first\n    second\n"));
}

TEST_CASE("log: without a sink lines go to stderr, uncoloured when it is not a terminal") {
    const std::string output = capture_stderr([] { log::gen_log.warning("to stderr"); });
    CHECK(std::regex_match(output, std::regex(R"(\[W )" + stamp + R"( httpserver\] to stderr\n)")));
}

TEST_CASE("log: lines from concurrent writers never interleave") {
    constexpr int threads = 4;
    constexpr int lines_per_thread = 100;
    const std::string output = capture_stderr([] {
        std::vector<std::thread> writers;
        for (int t = 0; t < threads; ++t)
            writers.emplace_back([t] {
                for (int i = 0; i < lines_per_thread; ++i)
                    log::gen_log.info("writer " + std::to_string(t) + " line " + std::to_string(i));
            });
        for (auto& writer : writers) writer.join();
    });

    const std::regex whole_line(R"(\[I )" + stamp + R"( httpserver\] writer \d line \d+)");
    std::istringstream lines(output);
    int count = 0;
    for (std::string line; std::getline(lines, line); ++count) REQUIRE(std::regex_match(line, whole_line));
    CHECK(count == threads * lines_per_thread);
}

TEST_CASE("log: on a running loop, lines leave together at the end of the round, a warning at once") {
    int fds[2];
    REQUIRE(pipe(fds) == 0);
    fcntl(fds[0], F_SETFL, O_NONBLOCK);
    const int saved_stderr = dup(STDERR_FILENO);
    dup2(fds[1], STDERR_FILENO);
    close(fds[1]);
    auto written = [&] {
        std::string output;
        char buffer[4096];
        for (ssize_t got; (got = read(fds[0], buffer, sizeof buffer)) > 0;) output.append(buffer, static_cast<std::size_t>(got));
        return output;
    };

    std::string during_round, after_round, with_warning, after_stop;
    ioloop::IOLoop loop;
    loop.add_callback([&] {
        log::gen_log.info("one");
        log::gen_log.info("two");
        during_round = written();
        loop.add_callback([&] {
            after_round = written();
            log::gen_log.info("three");
            log::gen_log.warning("four");
            with_warning = written();
            log::gen_log.info("five");
            loop.stop();
        });
    });
    loop.start();
    after_stop = written();
    log::gen_log.info("six");  // the loop has stopped: written at once again
    const std::string unbatched = written();
    dup2(saved_stderr, STDERR_FILENO);
    close(saved_stderr);
    close(fds[0]);

    CHECK(during_round.empty());
    CHECK(std::regex_match(after_round, std::regex(R"(\[I )" + stamp + R"( httpserver\] one\n\[I )" + stamp + R"( httpserver\] two\n)")));
    CHECK(std::regex_match(with_warning, std::regex(R"(\[I [^\]]*\] three\n\[W [^\]]*\] four\n)")));
    CHECK(std::regex_match(after_stop, std::regex(R"(\[I [^\]]*\] five\n)")));
    CHECK(std::regex_match(unbatched, std::regex(R"(\[I [^\]]*\] six\n)")));
}

TEST_CASE("log: gathered lines are written in pieces no larger than PIPE_BUF, each made of whole lines") {
    int fds[2];
    REQUIRE(pipe(fds) == 0);
    // A pipe of one page: a write larger than PIPE_BUF would reach the reader in parts.
    REQUIRE(fcntl(fds[1], F_SETPIPE_SZ, 4096) == 4096);
    const int saved_stderr = dup(STDERR_FILENO);
    dup2(fds[1], STDERR_FILENO);
    close(fds[1]);
    ioloop::IOLoop loop;
    loop.add_callback([&] {
        for (int i = 0; i < 300; ++i) log::gen_log.info("line " + std::to_string(i) + " " + std::string(40, 'x'));
        loop.stop();
    });
    std::thread reader_thread;
    std::vector<std::string> reads;
    reader_thread = std::thread([&] {
        char buffer[65536];
        for (ssize_t got; (got = read(fds[0], buffer, sizeof buffer)) > 0;) reads.emplace_back(buffer, static_cast<std::size_t>(got));
    });
    loop.start();
    dup2(saved_stderr, STDERR_FILENO);
    close(saved_stderr);
    reader_thread.join();
    close(fds[0]);

    // Writes up to PIPE_BUF reach the reader whole: every read ends with a line's end.
    std::size_t lines = 0;
    for (const auto& piece : reads) {
        CHECK(piece.ends_with('\n'));
        lines += static_cast<std::size_t>(std::count(piece.begin(), piece.end(), '\n'));
    }
    CHECK(lines == 300);
    CHECK(reads.size() > 1);
}
