// Every log line written while a CapturedLog lives, kept for the test to read (none reach stderr).
#pragma once

#include <tornado/log.hpp>

#include <algorithm>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

struct CapturedLog {
    std::vector<std::string> lines;

    // With a level, lines at that level and above are written while it lives.
    explicit CapturedLog(std::optional<tornado::log::Level> level = std::nullopt) {
        if (level) tornado::log::set_level(*level);
        tornado::log::set_sink([this](std::string_view line) { lines.emplace_back(line); });
    }
    ~CapturedLog() {
        tornado::log::set_sink(nullptr);
        tornado::log::set_level(saved_level_);
    }
    CapturedLog(const CapturedLog&) = delete;
    CapturedLog& operator=(const CapturedLog&) = delete;

    // How many lines contain text.
    std::size_t count(std::string_view text) const {
        return static_cast<std::size_t>(std::count_if(
            lines.begin(), lines.end(), [&](const std::string& line) { return line.find(text) != std::string::npos; }));
    }
    bool contains(std::string_view text) const { return count(text) > 0; }
    // How many lines were logged at level error (they start "[E ").
    std::size_t errors() const { return count("[E "); }

private:
    tornado::log::Level saved_level_ = tornado::log::level();
};
