// Routes: Tornado-style regular expressions matched against the whole path. Literal patterns
// skip the regex engine; (?P<name>…) groups are accepted and also reported by name.
#include "tornado/escape.hpp"
#include "tornado/web.hpp"

#include <cctype>

namespace tornado::web {

namespace {
constexpr std::string_view regex_specials = ".^$*+?()[]{}|\\";

struct PatternShape {
    std::string ecmascript;                   // the pattern std::regex understands
    std::vector<std::string> group_names;     // one per capturing group, "" when unnamed
    std::vector<std::string> reverse_pieces;  // literal text around top-level groups
    bool reversible = true;
    bool literal = true;
};

// Walks the pattern once: rewrites (?P<name> to (, counts capturing groups, and collects the
// literal text between top-level groups for reverse_url.
PatternShape analyse(std::string_view pattern) {
    PatternShape shape;
    shape.reverse_pieces.emplace_back();
    int depth = 0;
    bool in_class = false;
    for (std::size_t i = 0; i < pattern.size(); ++i) {
        char c = pattern[i];
        if (regex_specials.find(c) != std::string_view::npos) shape.literal = false;
        if (c == '\\' && i + 1 < pattern.size()) {
            shape.ecmascript += pattern.substr(i, 2);
            if (depth == 0 && !in_class) {
                char escaped = pattern[i + 1];
                if (std::isalnum(static_cast<unsigned char>(escaped))) shape.reversible = false;  // \d, \w …
                shape.reverse_pieces.back() += escaped;
            }
            ++i;
            continue;
        }
        if (in_class) {
            in_class = c != ']';
            shape.ecmascript += c;
            continue;
        }
        if (c == '[') {
            in_class = true;
            if (depth == 0) shape.reversible = false;
        } else if (c == '(') {
            if (pattern.substr(i, 4) == "(?P<") {
                auto close = pattern.find('>', i);
                if (close == std::string_view::npos) throw std::invalid_argument("unterminated group name in " + std::string(pattern));
                shape.group_names.emplace_back(pattern.substr(i + 4, close - i - 4));
                shape.ecmascript += '(';
                i = close;
                if (depth++ == 0) shape.reverse_pieces.emplace_back();
                continue;
            }
            bool capturing = pattern.substr(i, 2) != "(?";
            if (capturing) shape.group_names.emplace_back();
            if (depth++ == 0) {
                if (!capturing) shape.reversible = false;
                shape.reverse_pieces.emplace_back();
            }
        } else if (c == ')') {
            --depth;
        } else if (depth == 0 && c != '$' && c != '^') {
            if (regex_specials.find(c) != std::string_view::npos) shape.reversible = false;
            shape.reverse_pieces.back() += c;
        }
        shape.ecmascript += c;
    }
    return shape;
}
}  // namespace

URLSpec::URLSpec(std::string pattern, std::shared_ptr<const detail::HandlerFactory> factory)
    : pattern_(std::move(pattern)), factory_(std::move(factory)) {
    auto shape = analyse(pattern_);
    group_names_ = std::move(shape.group_names);
    group_count_ = group_names_.size();
    if (shape.reversible) reverse_pieces_ = std::move(shape.reverse_pieces);
    if (!shape.literal) regex_.emplace(shape.ecmascript, std::regex::ECMAScript | std::regex::optimize);

    for (std::size_t m = 0; m < method_names.size(); ++m) {
        auto arity = factory_->arity[m];
        if (arity && *arity != group_count_) {
            throw std::invalid_argument("route " + pattern_ + ": the handler's " + std::string(method_names[m]) +
                                        " method takes " + std::to_string(*arity) + " arguments but the pattern has " +
                                        std::to_string(group_count_) + " groups");
        }
    }
}

bool URLSpec::match(std::string_view path, std::vector<std::string>& path_args,
                    std::vector<std::pair<std::string, std::string>>& path_kwargs) const {
    if (!regex_) {
        // A literal pattern may still end in '$' (Tornado appends one when it is absent).
        std::string_view literal = pattern_;
        if (!literal.empty() && literal.back() == '$') literal.remove_suffix(1);
        return path == literal;
    }
    std::match_results<std::string_view::const_iterator> groups;
    if (!std::regex_match(path.begin(), path.end(), groups, *regex_)) return false;
    path_args.clear();
    path_kwargs.clear();
    for (std::size_t i = 1; i < groups.size(); ++i) {
        path_args.push_back(groups[i].str());
        if (!group_names_[i - 1].empty()) path_kwargs.emplace_back(group_names_[i - 1], path_args.back());
    }
    return true;
}

std::string URLSpec::reverse(const std::vector<std::string>& args) const {
    if (reverse_pieces_.empty()) throw std::invalid_argument("route " + pattern_ + " cannot be reversed");
    if (args.size() != reverse_pieces_.size() - 1) {
        throw std::invalid_argument("route " + pattern_ + " needs " + std::to_string(reverse_pieces_.size() - 1) +
                                    " arguments, got " + std::to_string(args.size()));
    }
    std::string path = reverse_pieces_[0];
    for (std::size_t i = 0; i < args.size(); ++i) {
        path += escape::url_escape(args[i], false);
        path += reverse_pieces_[i + 1];
    }
    return path;
}

HTTPError::HTTPError(int status_code, std::string log_message, std::string reason)
    : std::runtime_error("HTTP " + std::to_string(status_code) + (log_message.empty() ? "" : ": " + log_message)),
      status_code_(status_code),
      log_message_(std::move(log_message)),
      reason_(std::move(reason)) {}

MissingArgumentError::MissingArgumentError(std::string arg_name)
    : HTTPError(400, "Missing argument " + arg_name), arg_name_(std::move(arg_name)) {}

std::optional<Method> parse_method(std::string_view name) {
    for (std::size_t i = 0; i < method_names.size(); ++i) {
        if (method_names[i] == name) return static_cast<Method>(i);
    }
    return std::nullopt;
}

}  // namespace tornado::web
