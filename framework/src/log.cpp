#include "tornado/log.hpp"

#include "text_util.hpp"

#include <unistd.h>

#include <atomic>
#include <cctype>
#include <cerrno>
#include <ctime>
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

// "261126 16:30:50" in local time, Tornado's "%y%m%d %H:%M:%S".
std::string_view timestamp(char (&buffer)[32]) {
    const std::time_t now = std::time(nullptr);
    std::tm local{};
    localtime_r(&now, &local);
    return {buffer, std::strftime(buffer, sizeof buffer, "%y%m%d %H:%M:%S", &local)};
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
    const std::string lower = detail::ascii_lowercase(name);
    if (lower == "debug") return Level::debug;
    if (lower == "info") return Level::info;
    if (lower == "warning") return Level::warning;
    if (lower == "error") return Level::error;
    if (lower == "none") return Level::none;
    throw std::invalid_argument("unknown log level '" + std::string(name) + "'");
}

std::string format_line(Level level, std::string_view logger, std::string_view message, bool colour) {
    const Style style = style_of(level);
    char time_buffer[32];
    message = trim_trailing_whitespace(message);

    std::string line;
    line.reserve(48 + logger.size() + message.size());
    if (colour) line += style.colour;
    line += '[';
    line += style.letter;
    line += ' ';
    line += timestamp(time_buffer);
    line += ' ';
    line += logger;
    line += ']';
    if (colour) line += reset_colour;
    line += ' ';
    for (char c : message) {
        line += c;
        if (c == '\n') line += "    ";
    }
    line += '\n';
    return line;
}

void set_sink(std::function<void(std::string_view line)> new_sink) { sink() = std::move(new_sink); }

void Logger::write(Level message_level, std::string_view message) const {
    if (!enabled(message_level)) return;
    if (const auto& capture = sink()) {
        capture(format_line(message_level, name_, message, false));
        return;
    }
    // Checked per line rather than once, so a later redirection of stderr is honoured.
    const bool colour = isatty(STDERR_FILENO) == 1;
    // The whole line in one write(2), so lines from several processes never interleave.
    write_to_stderr(format_line(message_level, name_, message, colour));
}

}  // namespace tornado::log
