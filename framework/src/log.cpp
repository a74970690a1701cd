#include "tornado/log.hpp"

#include "log_gathering.hpp"
#include "text_util.hpp"

#include <asio/post.hpp>

#include <climits>
#include <unistd.h>

#include <atomic>
#include <cctype>
#include <cerrno>
#include <ctime>
#include <optional>
#include <stdexcept>

namespace tornado::log {
namespace {

std::atomic<Level> current_level{Level::info};

std::function<void(std::string_view)>& sink() {
    static std::function<void(std::string_view)> instance;
    return instance;
}

struct Style {
    char letter;
    const char* colour;  // Tornado's colours: debug blue, info green, warning yellow, error red
};

Style style_of(Level level) {
    switch (level) {
        case Level::debug: return {'D', "\033[34m"};
        case Level::info: return {'I', "\033[32m"};
        case Level::warning: return {'W', "\033[33m"};
        case Level::error:
        case Level::none: break;
    }
    return {'E', "\033[31m"};
}

constexpr std::string_view reset_colour = "\033[0m";

// What every line of a thread shares within one second: the "261126 16:30:50" local time
// stamp (Tornado's "%y%m%d %H:%M:%S") and whether stderr is a terminal. Worked out again when
// the second changes, so a later redirection of stderr is honoured within a second, and a
// busy server does not pay for localtime and a terminal check on every request.
struct SecondState {
    std::time_t second = -1;
    char stamp[32] = {};
    std::size_t stamp_length = 0;
    bool stderr_is_terminal = false;
};

const SecondState& this_second() {
    thread_local SecondState state;
    const std::time_t now = std::time(nullptr);
    if (now != state.second) {
        std::tm local{};
        localtime_r(&now, &local);
        state.stamp_length = std::strftime(state.stamp, sizeof state.stamp, "%y%m%d %H:%M:%S", &local);
        state.stderr_is_terminal = isatty(STDERR_FILENO) == 1;
        state.second = now;
    }
    return state;
}

std::string_view trim_trailing_whitespace(std::string_view text) {
    while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.remove_suffix(1);
    return text;
}

void write_to_stderr(std::string_view bytes) {
    while (!bytes.empty()) {
        const ssize_t written = ::write(STDERR_FILENO, bytes.data(), bytes.size());
        if (written < 0) {
            if (errno == EINTR) continue;
            return;  // nowhere left to report a failing stderr
        }
        bytes.remove_prefix(static_cast<std::size_t>(written));
    }
}

}  // namespace

void set_level(Level level) { current_level.store(level, std::memory_order_relaxed); }

Level level() { return current_level.load(std::memory_order_relaxed); }

Level parse_level(std::string_view name) {
    const std::string lower = tornado::detail::ascii_lowercase(name);
    if (lower == "debug") return Level::debug;
    if (lower == "info") return Level::info;
    if (lower == "warning") return Level::warning;
    if (lower == "error") return Level::error;
    if (lower == "none") return Level::none;
    throw std::invalid_argument("unknown log level '" + std::string(name) + "'");
}

namespace {
void append_line(std::string& line, Level level, std::string_view logger, std::string_view message, bool colour) {
    const Style style = style_of(level);
    const SecondState& now = this_second();
    message = trim_trailing_whitespace(message);
    line.reserve(line.size() + 48 + logger.size() + message.size());
    if (colour) line += style.colour;
    line += '[';
    line += style.letter;
    line += ' ';
    line.append(now.stamp, now.stamp_length);
    line += ' ';
    line += logger;
    line += ']';
    if (colour) line += reset_colour;
    line += ' ';
    for (std::size_t newline; (newline = message.find('\n')) != std::string_view::npos;) {
        line.append(message.substr(0, newline + 1));
        line += "    ";
        message.remove_prefix(newline + 1);
    }
    line += message;
    line += '\n';
}
}  // namespace

std::string format_line(Level level, std::string_view logger, std::string_view message, bool colour) {
    std::string line;
    append_line(line, level, logger, message, colour);
    return line;
}

void set_sink(std::function<void(std::string_view line)> new_sink) { sink() = std::move(new_sink); }

namespace {
// Lines of a thread that runs an event loop wait in `pending` for the end of the loop's current
// round (a job posted behind the work already queued) and leave in one write(2), so a busy
// server writes its access log once per round rather than once per request, as nginx's
// `access_log … buffer=` does. A write stays within PIPE_BUF, so lines from several processes
// sharing a pipe still never interleave, and a warning or an error goes out at once, with
// everything before it.
struct Gathering {
    std::optional<asio::any_io_executor> loop;
    std::string pending;
    bool flush_posted = false;
    ~Gathering() { write_to_stderr(pending); }
};

thread_local Gathering gathering;
constexpr std::size_t atomic_write_limit = PIPE_BUF;

void flush_gathered() {
    gathering.flush_posted = false;
    write_to_stderr(gathering.pending);
    gathering.pending.clear();
    if (gathering.pending.capacity() > 4 * atomic_write_limit) std::string().swap(gathering.pending);
}

void gather(Level level, std::string_view logger, std::string_view message, bool colour) {
    const std::size_t before = gathering.pending.size();
    append_line(gathering.pending, level, logger, message, colour);
    if (before > 0 && gathering.pending.size() > atomic_write_limit) {
        // Too much for one write that stays whole: what came before goes first.
        write_to_stderr(std::string_view(gathering.pending).substr(0, before));
        gathering.pending.erase(0, before);
    }
    if (level >= Level::warning || gathering.pending.size() > atomic_write_limit) return flush_gathered();
    if (!gathering.flush_posted) {
        gathering.flush_posted = true;
        asio::post(*gathering.loop, flush_gathered);
    }
}
}  // namespace

void Logger::write(Level message_level, std::string_view message) const {
    if (!enabled(message_level)) return;
    thread_local std::string line;  // reused: an access log line per request costs no allocation
    line.clear();
    if (const auto& capture = sink()) {
        append_line(line, message_level, name_, message, false);
        capture(line);
        return;
    }
    const bool colour = this_second().stderr_is_terminal;
    if (gathering.loop) return gather(message_level, name_, message, colour);
    append_line(line, message_level, name_, message, colour);
    // The whole line in one write(2), so lines from several processes never interleave.
    write_to_stderr(line);
    if (line.capacity() > 4096) std::string().swap(line);  // a long traceback is not kept
}

namespace detail {
void gather_lines_for_loop(asio::any_io_executor loop) { gathering.loop = std::move(loop); }

void stop_gathering_lines() {
    flush_gathered();
    gathering.loop.reset();
}
}  // namespace detail

}  // namespace tornado::log
