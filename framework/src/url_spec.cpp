// Routes: Tornado-style regular expressions matched against the whole path by RE2, which runs in
// time linear in the path and never recurses on it (std::regex recursed once per character and
// overflowed the stack on long paths). Literal patterns skip the regex engine.
#include "text_util.hpp"
#include "tornado/escape.hpp"
#include "tornado/web.hpp"

#include <re2/re2.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <span>

namespace tornado::web {

struct URLSpec::CompiledPattern {
    CompiledPattern(const std::string& pattern, const re2::RE2::Options& options) : regex(pattern, options) {}
    re2::RE2 regex;
};

namespace {
using tornado::detail::regex_special_characters;

struct PatternShape {
    std::vector<std::string> reverse_pieces;  // literal text around top-level groups
    bool reversible = true;
    bool literal = true;
};

// Walks the pattern once, collecting the literal text between top-level groups for reverse_url.
PatternShape analyse(std::string_view pattern) {
    PatternShape shape;
    shape.reverse_pieces.emplace_back();
    int depth = 0;
    bool in_class = false;
    for (std::size_t i = 0; i < pattern.size(); ++i) {
        char c = pattern[i];
        if (regex_special_characters.find(c) != std::string_view::npos) shape.literal = false;
        if (c == '\\' && i + 1 < pattern.size()) {
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
            continue;
        }
        if (c == '[') {
            in_class = true;
            if (depth == 0) shape.reversible = false;
        } else if (c == '(') {
            const bool capturing = pattern.substr(i, 2) != "(?" || pattern.substr(i, 4) == "(?P<";
            if (depth++ == 0) {
                if (!capturing) shape.reversible = false;
                shape.reverse_pieces.emplace_back();
            }
        } else if (c == ')') {
            --depth;
        } else if (depth == 0 && c != '$' && c != '^') {
            if (regex_special_characters.find(c) != std::string_view::npos) shape.reversible = false;
            shape.reverse_pieces.back() += c;
        }
    }
    return shape;
}

// Latin-1 makes RE2 match bytes, as Tornado matches the undecoded path: '.' and [^/] take any
// byte, including ones that are not valid UTF-8. Errors are reported by the exception alone.
re2::RE2::Options route_options() {
    re2::RE2::Options options;
    options.set_encoding(re2::RE2::Options::EncodingLatin1);
    options.set_log_errors(false);
    return options;
}
}  // namespace

URLSpec::URLSpec(std::string pattern, std::shared_ptr<const detail::HandlerFactory> factory)
    : pattern_(std::move(pattern)), factory_(std::move(factory)) {
    auto shape = analyse(pattern_);
    if (shape.reversible) reverse_pieces_ = std::move(shape.reverse_pieces);
    if (!shape.literal) {
        auto compiled = std::make_shared<CompiledPattern>(pattern_, route_options());
        if (!compiled->regex.ok()) {
            throw std::invalid_argument("route " + pattern_ + ": invalid regular expression: " + compiled->regex.error());
        }
        group_count_ = static_cast<std::size_t>(compiled->regex.NumberOfCapturingGroups());
        group_names_.resize(group_count_);
        for (const auto& [index, name] : compiled->regex.CapturingGroupNames()) {
            group_names_[static_cast<std::size_t>(index - 1)] = name;
            has_named_groups_ = true;
        }
        regex_ = std::move(compiled);
    }

    check_handler_arity();
}

// The methods that receive the captures must take exactly as many: open() when the handler
// declares one (the WebSocket way; its HTTP methods take none, which url<H> checks), else each
// HTTP method the handler declares.
void URLSpec::check_handler_arity() const {
    // Tornado's rule: a pattern with named groups passes those only (path_kwargs), in order.
    const auto named = static_cast<std::size_t>(std::count_if(
        group_names_.begin(), group_names_.end(), [](const std::string& name) { return !name.empty(); }));
    const std::size_t captures = named > 0 ? named : group_count_;
    auto check = [&](std::string_view method, std::size_t arity) {
        if (arity == captures) return;
        throw std::invalid_argument("route " + pattern_ + ": the handler's " + std::string(method) + " method takes " +
                                    std::to_string(arity) + " arguments but the pattern has " +
                                    std::to_string(captures) + (named > 0 ? " named groups" : " groups"));
    };
    const auto& factory = *factory_;
    if (factory.open_arity) return check("open", *factory.open_arity);
    for (std::size_t m = 0; m < detail::method_names.size(); ++m) {
        if (factory.arity[m]) check(detail::method_names[m], *factory.arity[m]);
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
    // Submatch 0 is the whole path; then one per group (empty when an optional group took no part).
    // On the stack for the usual few groups: every request tries the routes before its own.
    constexpr std::size_t usual_groups = 8;
    std::array<re2::StringPiece, usual_groups + 1> few;
    std::vector<re2::StringPiece> many;
    if (group_count_ > usual_groups) many.resize(group_count_ + 1);
    const std::span<re2::StringPiece> groups = many.empty() ? std::span(few).first(group_count_ + 1) : std::span(many);
    const re2::StringPiece text(path.data(), path.size());
    if (!regex_->regex.Match(text, 0, text.size(), re2::RE2::ANCHOR_BOTH, groups.data(),
                             static_cast<int>(groups.size()))) {
        return false;
    }
    path_args.clear();
    path_kwargs.clear();
    for (std::size_t i = 1; i < groups.size(); ++i) {
        const auto& name = group_names_[i - 1];
        if (!has_named_groups_) {
            path_args.emplace_back(groups[i].data(), groups[i].size());
        } else if (!name.empty()) {
            path_kwargs.emplace_back(name, std::string(groups[i].data(), groups[i].size()));
        }
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

namespace detail {
std::optional<Method> parse_method(std::string_view name) {
    for (std::size_t i = 0; i < method_names.size(); ++i) {
        if (method_names[i] == name) return static_cast<Method>(i);
    }
    return std::nullopt;
}
}  // namespace detail

}  // namespace tornado::web
