// tornado::log — Tornado's log format and the three loggers (access, application, general),
// written to stderr: "[I 261126 16:30:50 web] 200 GET / (127.0.0.1) 0.42ms".
#pragma once

#include <functional>
#include <string>
#include <string_view>

namespace tornado::log {

enum class Level { debug, info, warning, error, none };

// Messages below the level are dropped; the --logging option sets it.
void set_level(Level level);
Level level();
inline bool enabled(Level message_level) { return message_level >= level() && message_level != Level::none; }

// Parses "debug", "info", "warning", "error" or "none"; throws std::invalid_argument otherwise.
Level parse_level(std::string_view name);

// One named logger; the name appears in each line (Tornado shows the module there).
class Logger {
public:
    constexpr explicit Logger(std::string_view name) : name_(name) {}
    void debug(std::string_view message) const { write(Level::debug, message); }
    void info(std::string_view message) const { write(Level::info, message); }
    void warning(std::string_view message) const { write(Level::warning, message); }
    void error(std::string_view message) const { write(Level::error, message); }
    void write(Level level, std::string_view message) const;

private:
    std::string_view name_;
};

// One formatted line, newline included: "[I 261126 16:30:50 web] message". Continuation lines
// of a multi-line message are indented by 4 spaces; colour wraps the prefix in ANSI colours.
std::string format_line(Level level, std::string_view logger, std::string_view message, bool colour);

// Sends every line (uncoloured, newline included) to sink instead of stderr; nullptr restores
// stderr. Meant for tests: call it while no other thread is logging.
void set_sink(std::function<void(std::string_view line)> sink);

inline constexpr Logger access_log{"web"};       // one line per request
inline constexpr Logger app_log{"web"};          // uncaught handler exceptions
inline constexpr Logger gen_log{"httpserver"};   // connection-level trouble

}  // namespace tornado::log
