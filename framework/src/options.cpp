#include "tornado/options.hpp"

#include <algorithm>
#include <cerrno>  // program_invocation_name, for the usage line
#include <charconv>
#include <cstdlib>
#include <exception>
#include <fstream>
#include <iostream>
#include <limits>
#include <optional>
#include <type_traits>
#include <utility>

#include "text_util.hpp"
#include "tornado/log.hpp"
#include "tornado/textwrap.hpp"

namespace tornado::options {
namespace {

using tornado::detail::ascii_lowercase;
using tornado::detail::trim;

// Tornado treats '-' and '_' in option names alike and shows names with dashes.
std::string normalize(std::string_view name) {
    std::string normalized(name);
    std::replace(normalized.begin(), normalized.end(), '_', '-');
    return normalized;
}

// The whole text as a T, or nothing when it is not one (trailing junk and values outside T's
// range included: from_chars refuses both, and a '-' for an unsigned type).
template <class T>
std::optional<T> parse_as(std::string_view text) {
    if constexpr (std::is_same_v<T, std::string>) {
        return std::string(text);
    } else if constexpr (std::is_same_v<T, bool>) {
        const std::string word = ascii_lowercase(text);
        if (word == "true" || word == "yes" || word == "1") return true;
        if (word == "false" || word == "no" || word == "0") return false;
        return std::nullopt;
    } else {
        T number{};
        const char* end = text.data() + text.size();
        const auto [stop, error] = std::from_chars(text.data(), end, number);
        if (error != std::errc{} || stop != end) return std::nullopt;
        return number;
    }
}

// What a T option expects, for error messages.
template <class T>
std::string description() {
    if constexpr (std::is_same_v<T, bool>) return "a boolean (true|false|yes|no|1|0)";
    else if constexpr (std::is_integral_v<T>) return "an integer";
    else if constexpr (std::is_floating_point_v<T>) return "a number";
    else return "a string";
}

// An optional '-' and digits: an integer, though perhaps not one that fits the option's type.
bool is_integer_text(std::string_view text) {
    if (text.starts_with('-')) text.remove_prefix(1);
    return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// The error for text that does not parse as a T; an integer outside T's range says what fits.
template <class T>
Error bad_value(std::string_view option_name, std::string_view text) {
    std::string expected = description<T>();
    if constexpr (std::is_integral_v<T> && !std::is_same_v<T, bool>) {
        if (is_integer_text(text)) {
            expected += " from " + std::to_string(std::numeric_limits<T>::min()) + " to " +
                        std::to_string(std::numeric_limits<T>::max());
        }
    }
    return Error("Option '" + normalize(option_name) + "' expects " + expected + ", got '" + std::string(text) + "'");
}

// How print_help shows a default; empty means "not shown", as Tornado skips empty defaults.
std::string default_text(const Value& value) {
    return std::visit(
        [](const auto& current) -> std::string {
            using T = std::decay_t<decltype(current)>;
            if constexpr (std::is_same_v<T, bool>) {
                return current ? "true" : "false";
            } else if constexpr (std::is_same_v<T, std::string>) {
                return current;
            } else {
                char buffer[32];  // to_chars gives a double's shortest exact form
                return {buffer, std::to_chars(buffer, buffer + sizeof buffer, current).ptr};
            }
        },
        value);
}

// The value part of a config line: quotes removed, or a trailing "# comment" dropped.
std::string_view config_value(std::string_view text) {
    text = trim(text);
    const bool quoted = !text.empty() && (text.front() == '"' || text.front() == '\'');
    if (!quoted) return trim(text.substr(0, text.find('#')));
    const std::size_t close = text.find(text.front(), 1);
    if (close == std::string_view::npos) throw Error("unterminated quoted value");
    const std::string_view after = trim(text.substr(close + 1));
    if (!after.empty() && after.front() != '#') throw Error("unexpected text after the quoted value");
    return text.substr(1, close - 1);
}

}  // namespace

OptionParser::OptionParser() { define("help", false, "show this help information"); }

std::vector<std::string> OptionParser::parse_command_line(const std::vector<std::string>& args) {
    for (std::size_t i = 1; i < args.size(); ++i) {
        const std::string_view arg = args[i];
        // As in Tornado, the first argument that is not an option ends the options.
        if (arg == "--") return {args.begin() + static_cast<std::ptrdiff_t>(i) + 1, args.end()};
        if (!arg.starts_with('-')) return {args.begin() + static_cast<std::ptrdiff_t>(i), args.end()};

        const std::string_view body = arg.substr(std::min(arg.find_first_not_of('-'), arg.size()));
        const std::size_t equals = body.find('=');
        const std::string_view name = body.substr(0, equals);
        Option* option = find(name);
        if (!option) throw Error("Unrecognized command line option: '" + normalize(name) + "'");

        if (equals != std::string_view::npos)
            set_from_string(*option, body.substr(equals + 1));
        else if (std::holds_alternative<bool>(*option->value))
            set_from_string(*option, "true");
        else if (i + 1 < args.size())
            set_from_string(*option, args[++i]);
        else
            throw Error("Option '" + normalize(name) + "' requires a value");
    }
    return {};
}

void OptionParser::parse_config_file(const std::string& path) {
    std::ifstream file(path);
    if (!file) throw Error("cannot read config file " + path);
    std::string line;
    for (int number = 1; std::getline(file, line); ++number) {
        const std::string where = path + ":" + std::to_string(number) + ": ";
        const std::string_view text = trim(line);
        if (text.empty() || text.starts_with('#')) continue;
        const std::size_t equals = text.find('=');
        if (equals == std::string_view::npos) throw Error(where + "expected 'name = value'");
        const std::string_view name = trim(text.substr(0, equals));
        Option* option = find(name);
        if (!option) throw Error(where + "unrecognized option '" + std::string(name) + "'");
        try {
            set_from_string(*option, config_value(text.substr(equals + 1)));
        } catch (const Error& error) {
            throw Error(where + error.what());
        }
    }
}

void OptionParser::print_help(std::ostream& out) const {
    std::vector<std::pair<std::string, const Option*>> sorted;
    for (const auto& [name, option] : options_) sorted.emplace_back(normalize(name), &option);
    std::sort(sorted.begin(), sorted.end());

    // Tornado's layout: "  --%-30s %s", the description wrapped to 44 columns.
    constexpr std::size_t name_width = 30;
    out << "Usage: " << program_invocation_name << " [OPTIONS]\n\nOptions:\n\n";
    for (const auto& [name, option] : sorted) {
        std::string description = option->help;
        if (const std::string shown = default_text(option->default_value); !shown.empty())
            description += (description.empty() ? "(default " : " (default ") + shown + ")";
        std::vector<std::string> lines = textwrap::wrap(description, 44);  // as Tornado does
        if (name.size() > name_width || lines.empty()) lines.insert(lines.begin(), "");

        out << "  --" << name << std::string(name_width - std::min(name.size(), name_width), ' ') << ' '
            << lines.front() << '\n';
        for (std::size_t i = 1; i < lines.size(); ++i)
            out << std::string(name_width + 5, ' ') << lines[i] << '\n';
    }
    out << '\n';
}

bool OptionParser::contains(std::string_view name) const { return find(name) != nullptr; }

void OptionParser::set_from_string(Option& option, std::string_view text) {
    const Value previous = *option.value;
    // Assigns to the alternative already held, so the references define() returned stay valid.
    std::visit(
        [&](auto& current) {
            using T = std::decay_t<decltype(current)>;
            const std::optional<T> parsed = parse_as<T>(text);
            if (!parsed) throw bad_value<T>(option.name, text);
            current = *parsed;
        },
        *option.value);
    try {
        apply_side_effects(option);
    } catch (const Error&) {
        *option.value = previous;  // same alternative again: assigned in place
        throw;
    }
}

OptionParser::Option* OptionParser::find(std::string_view name) {
    return const_cast<Option*>(std::as_const(*this).find(name));
}

const OptionParser::Option* OptionParser::find(std::string_view name) const {
    if (const auto exact = options_.find(name); exact != options_.end()) return &exact->second;
    const std::string wanted = normalize(name);
    for (const auto& [key, option] : options_)
        if (normalize(key) == wanted) return &option;
    return nullptr;
}

// Tornado attaches callbacks to its "help" and "logging" options; here any parser whose option
// has one of those names gets the same effect.
void OptionParser::apply_side_effects(const Option& option) {
    const auto* level_name = std::get_if<std::string>(option.value.get());
    if (option.name == "help") {
        help_requested_ = std::get<bool>(*option.value);
    } else if (option.name == "logging" && level_name) {
        try {
            log::set_level(log::parse_level(*level_name));
        } catch (const std::invalid_argument&) {
            throw Error("Option 'logging' expects debug|info|warning|error|none, got '" + *level_name + "'");
        }
    }
}

OptionParser& options() {
    static OptionParser parser = [] {
        OptionParser defaults;
        defaults.define("logging", "info", "log level: debug|info|warning|error|none");
        return defaults;
    }();
    return parser;
}

namespace {
// An exception that nothing caught (a port already taken, say) ends the program as it ends a
// Python one: the message in the log and exit status 1, not abort() and a core dump.
[[noreturn]] void end_on_uncaught_exception() {
    const std::exception_ptr error = std::current_exception();
    if (!error) std::abort();  // std::terminate called directly: a bug, keep the core
    try {
        std::rethrow_exception(error);
    } catch (const std::exception& uncaught) {
        log::gen_log.error(std::string("Uncaught exception: ") + uncaught.what());
    } catch (...) {
        log::gen_log.error("Uncaught exception of unknown type");
    }
    std::_Exit(1);
}
}  // namespace

std::vector<std::string> parse_command_line(int argc, const char* const* argv) {
    std::set_terminate(end_on_uncaught_exception);
    OptionParser& parser = options();
    try {
        std::vector<std::string> remaining = parser.parse_command_line({argv, argv + argc});
        if (parser.help_requested()) {
            parser.print_help(std::cout);
            std::cout.flush();
            std::exit(0);
        }
        return remaining;
    } catch (const Error& error) {
        std::cerr << "error: " << error.what() << "\nrun with --help to list the options\n";
        std::exit(2);
    }
}

void parse_config_file(const std::string& path) {
    try {
        options().parse_config_file(path);
    } catch (const Error& error) {
        std::cerr << "error: " << error.what() << '\n';
        std::exit(2);
    }
}

}  // namespace tornado::options
