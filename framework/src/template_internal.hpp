// Private to the template module: the syntax tree of one template file, and the pieces that
// turn JSON and helpers into kainjow Mustache data.
#pragma once

#include "tornado/template.hpp"

#include <kainjow/mustache.hpp>
#include <nlohmann/json.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace tornado::template_::detail {

// "text" in double quotes, for error messages. (Built with append: g++ 12 -O2 reports a false
// -Wstringop-overflow for "\"" + std::string(text).)
inline std::string in_quotes(std::string_view text) {
    std::string quoted;
    quoted.reserve(text.size() + 2);
    quoted += '"';
    quoted += text;
    quoted += '"';
    return quoted;
}

enum class NodeKind {
    Text,      // passed to kainjow as is
    Variable,  // {{x}}, {{{x}}}, {{&x}}: passed as is, remembered for error messages
    Section,   // {{#x}}…{{/x}} or {{^x}}…{{/x}}: kainjow's, but it may hold blocks and partials
    Block,     // {{$x}}…{{/x}}: children are the default content (or, in a parent, the override)
    Parent,    // {{<x}}…{{/x}}: children hold the overriding blocks
    Partial,   // {{>x}}
};

struct Node {
    NodeKind kind = NodeKind::Text;
    std::string text;   // Text: the text; Variable and Section: the (opening) tag
    std::string close;  // Section: the closing tag
    std::string name;   // the tag's name, for every kind but Text
    int line = 1;       // where text starts in the file
    int close_line = 1;
    std::vector<Node> children;
};

// The nodes of file_name's text. Comments are dropped; tags that vanish (blocks, parents,
// comments, partials) take their line with them when they stand alone on it. Throws
// TemplateError for an unclosed tag or section, a mismatched or stray closing tag, a tag with
// no name, or a set-delimiter tag (not supported).
std::vector<Node> parse(std::string_view file_name, std::string_view text);

// The context as kainjow data: objects, lists, strings; numbers as JSON writes them; false,
// null and "" are false; true is true.
kainjow::mustache::data to_data(const nlohmann::json& value);

// A kainjow data object holding each helper as a section lambda. The helpers must outlive it.
kainjow::mustache::data helper_data(const Helpers& helpers);

// The built-in helpers (xhtml_escape, url_escape, json_encode, linkify, format_date) as kainjow data.
const kainjow::mustache::data& builtin_helper_data();
bool is_builtin_helper(std::string_view name);


}  // namespace tornado::template_::detail
