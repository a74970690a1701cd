// What a template sees: the JSON context and the helpers, turned into kainjow Mustache data; and
// the built-in helpers.
#include "template_internal.hpp"
#include "tornado/escape.hpp"
#include "tornado/locale.hpp"

#include <charconv>
#include <stdexcept>

namespace tornado::template_::detail {

namespace {

using kainjow::mustache::data;

data section_lambda(const Helper& helper) {
    return data{
        kainjow::mustache::lambda2{[&helper](const std::string& text, const kainjow::mustache::renderer& render) {
            // kainjow parses the text anew on each render; text without tags needs none.
            return helper(text, [&render](const std::string& part) {
                return part.find("{{") == std::string::npos ? part : render(part);
            });
        }}};
}

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

data to_data(const nlohmann::json& value) {
    switch (value.type()) {
        case nlohmann::json::value_t::object: {
            data object{data::type::object};
            for (auto item = value.begin(); item != value.end(); ++item) object[item.key()] = to_data(item.value());
            return object;
        }
        case nlohmann::json::value_t::array: {
            data list{data::type::list};
            // kainjow's push_back copies a whole subtree per item. Its list is an ordinary vector
            // on the heap (never a const object), so the items are moved into it instead.
            auto& items = const_cast<kainjow::mustache::list&>(list.list_value());
            items.reserve(value.size());
            for (const auto& item : value) items.push_back(to_data(item));
            return list;
        }
        case nlohmann::json::value_t::string: {
            const auto& text = value.get_ref<const std::string&>();
            // As in Python, "" is false; a false value prints as nothing, as "" would.
            return text.empty() ? data{false} : data{text};
        }
        case nlohmann::json::value_t::boolean: return data{value.get<bool>()};
        case nlohmann::json::value_t::number_integer:
        case nlohmann::json::value_t::number_unsigned:
        case nlohmann::json::value_t::number_float: return data{value.dump()};
        default: return data{false};
    }
}

data helper_data(const Helpers& helpers) {
    data layer{data::type::object};
    for (const auto& [name, helper] : helpers) layer[name] = section_lambda(helper);
    return layer;
}

const data& builtin_helper_data() {
    static const data layer = helper_data(builtin_helpers());
    return layer;
}

bool is_builtin_helper(std::string_view name) { return builtin_helpers().contains(name); }

}  // namespace tornado::template_::detail
