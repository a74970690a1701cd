// tornado::options — command-line and config-file options defined where they are used.
// Counterpart of tornado/options.py:
//   const std::uint16_t& port = options::define<std::uint16_t>("port", 8000, "run on the given port");
//   options::parse_command_line(argc, argv);
#pragma once

#include <map>
#include <memory>
#include <ostream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <variant>
#include <vector>

namespace tornado::options {

// A malformed or unknown option; the message says which.
struct Error : std::runtime_error {
    using std::runtime_error::runtime_error;
};

// The types an option may have: bool, a standard integer type, double or std::string. A value
// outside the integer type's range is an error, so an option that is a std::uint16_t port refuses
// --port=70000 instead of wrapping it around to 4464.
using Value = std::variant<bool, short, unsigned short, int, unsigned, long, unsigned long, long long,
                           unsigned long long, double, std::string>;

namespace detail {
template <class T, class Variant>
inline constexpr bool is_alternative = false;
template <class T, class... Alternatives>
inline constexpr bool is_alternative<T, std::variant<Alternatives...>> = (std::is_same_v<T, Alternatives> || ...);
}  // namespace detail

class OptionParser {
public:
    OptionParser();

    // Defines an option and returns a reference to its value, updated by the parse calls.
    // Defining the same name twice throws Error.
    template <class T>
    const T& define(std::string name, T default_value, std::string help = {});
    const std::string& define(std::string name, const char* default_value, std::string help = {}) {
        return define<std::string>(std::move(name), default_value, std::move(help));
    }

    // Parses "--name=value" / "--name value" / "--flag" arguments (argv[0] is skipped) and
    // returns the arguments that are not options. Throws Error on an unknown option or a bad
    // value. "--help" is reported by returning with help_requested() true.
    std::vector<std::string> parse_command_line(const std::vector<std::string>& args);
    // Reads "name = value" lines ('#' starts a comment; strings may be quoted).
    void parse_config_file(const std::string& path);

    bool help_requested() const { return help_requested_; }
    void print_help(std::ostream& out) const;

    template <class T>
    const T& get(std::string_view name) const;
    bool contains(std::string_view name) const;

private:
    struct Option {
        std::string name;
        std::string help;
        Value default_value;
        std::unique_ptr<Value> value;  // stable address for the references define() returns
    };
    void set_from_string(Option& option, std::string_view text);
    Option* find(std::string_view name);
    const Option* find(std::string_view name) const;
    void apply_side_effects(const Option& option);

    std::map<std::string, Option, std::less<>> options_;
    bool help_requested_ = false;
};

// The process-wide parser, like Tornado's tornado.options.options. It defines "help" and the
// logging option ("--logging=debug|info|warning|error|none").
OptionParser& options();

template <class T>
const T& define(std::string name, T default_value, std::string help = {}) {
    return options().define<T>(std::move(name), std::move(default_value), std::move(help));
}
inline const std::string& define(std::string name, const char* default_value, std::string help = {}) {
    return options().define(std::move(name), default_value, std::move(help));
}
template <class T>
const T& get(std::string_view name) {
    return options().get<T>(name);
}

// Parses the process's arguments. "--help" prints every option and exits 0; an error prints
// one line naming the option and exits 2. Returns the remaining non-option arguments. From
// then on an exception that nothing catches is logged in one line and exits with status 1, as
// an uncaught exception ends a Python program (std::terminate would abort and dump core).
std::vector<std::string> parse_command_line(int argc, const char* const* argv);
// Like the parser's, but a missing file or a bad line prints the error and exits 2.
void parse_config_file(const std::string& path);

// --- templates ---

template <class T>
const T& OptionParser::define(std::string name, T default_value, std::string help) {
    static_assert(detail::is_alternative<T, Value>,
                  "options are bool, an integer type (not a character type), double or std::string");
    if (options_.count(name)) throw Error("Option '" + name + "' already defined");
    Option option{name, std::move(help), Value(std::in_place_type<T>, default_value),
                  std::make_unique<Value>(std::in_place_type<T>, default_value)};
    auto& stored = *option.value;
    options_.emplace(std::move(name), std::move(option));
    return std::get<T>(stored);
}

template <class T>
const T& OptionParser::get(std::string_view name) const {
    const Option* option = find(name);
    if (!option) throw Error("Unrecognized option '" + std::string(name) + "'");
    return std::get<T>(*option->value);
}

}  // namespace tornado::options
