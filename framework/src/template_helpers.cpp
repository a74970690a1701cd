// The helpers every template has: xhtml_escape, url_escape, json_encode, linkify (and
// linkify:<params>, with Tornado's extra_params) and format_date.
#include "template_internal.hpp"
#include "tornado/escape.hpp"
#include "tornado/locale.hpp"

#include <charconv>
#include <stdexcept>

namespace tornado::template_::detail {

namespace {

// Sections named linkify:<params> are linkify with Tornado's extra_params: the text after the
// colon goes into each link's <a> tag ({{#linkify:ref=website}}…{{/linkify:ref=website}}).
constexpr std::string_view kLinkifyPrefix = "linkify:";

// The seconds since the epoch that {{#format_date}} was given, e.g. "1310248056".
std::int64_t epoch_seconds(const std::string& text) {
    const auto first = text.find_first_not_of(" \t\r\n");
    const auto last = text.find_last_not_of(" \t\r\n");
    std::int64_t seconds = 0;
    if (first != std::string::npos) {
        const auto [end, error] = std::from_chars(text.data() + first, text.data() + last + 1, seconds);
        if (error == std::errc() && end == text.data() + last + 1) return seconds;
    }
    throw std::invalid_argument("format_date needs seconds since the epoch, not " + in_quotes(text));
}

const Helpers& builtin_helpers() {
    static const Helpers helpers{
        {"xhtml_escape",
         [](const std::string& text, const auto& render) { return escape::xhtml_escape(render(text)); }},
        {"url_escape", [](const std::string& text, const auto& render) { return escape::url_escape(render(text)); }},
        {"json_encode",
         [](const std::string& text, const auto& render) { return escape::json_encode(nlohmann::json(render(text))); }},
        {"linkify", [](const std::string& text, const auto& render) { return escape::linkify(render(text)); }},
        {"format_date",
         [](const std::string& text, const auto& render) {
             return escape::xhtml_escape(locale::format_date(epoch_seconds(render(text))));
         }},
    };
    return helpers;
}

}  // namespace

bool is_builtin_helper(std::string_view name) {
    return name.starts_with(kLinkifyPrefix) || builtin_helpers().contains(name);
}

std::string call_builtin_helper(std::string_view name, const std::string& text, const Render& render) {
    if (name.starts_with(kLinkifyPrefix)) return escape::linkify(render(text), name.substr(kLinkifyPrefix.size()));
    return builtin_helpers().find(name)->second(text, render);
}

}  // namespace tornado::template_::detail
