// Turns the nodes of a page's flat text into ops: text split at its line breaks, names split at
// their dots, sections with the text a helper gets, UI module sections, lazy partials.
#include "template_internal.hpp"
#include "text_util.hpp"

#include <algorithm>
#include <tuple>

namespace tornado::template_::detail {

namespace {

constexpr std::string_view kModulePrefix = "module:";

// The parts of a dotted name, as Mustache (and kainjow) split it: "." is the current item; a
// trailing dot adds no empty part.
std::vector<std::string> split_name(std::string_view name) {
    std::vector<std::string> parts;
    if (name == ".") return parts;
    for (std::size_t start = 0; start < name.size();) {
        const auto dot = std::min(name.find('.', start), name.size());
        parts.emplace_back(name.substr(start, dot - start));
        start = dot + 1;
    }
    if (parts.empty()) parts.emplace_back();
    return parts;
}

class Compiler {
public:
    explicit Compiler(const Page& page) : page_(page) {}

    std::vector<Op> ops(const std::vector<Node>& nodes) {
        std::vector<Op> ops;
        for (const Node& node : nodes) {
            switch (node.kind) {
                case NodeKind::Text: add_text(ops, node.text); break;
                case NodeKind::Variable: {
                    const bool raw = node.text.starts_with("{{{") ||
                                     tornado::detail::trim(std::string_view(node.text).substr(2)).starts_with('&');
                    ops.push_back(tag(raw ? Op::Kind::Raw : Op::Kind::Escaped, node));
                    break;
                }
                case NodeKind::Section: ops.push_back(section(node)); break;
                case NodeKind::Partial: {
                    // Only a partial that includes itself is still a tag here.
                    Op op = tag(Op::Kind::Partial, node);
                    op.path.clear();
                    op.text = resolve_name(node.name, Site{page_.files[op.file].name, op.line});
                    ops.push_back(std::move(op));
                    break;
                }
                // Blocks and parents were expanded into the flat text; one can only be left by
                // text from two files forming a tag, which renders nothing.
                case NodeKind::Block:
                case NodeKind::Parent: break;
            }
        }
        return ops;
    }

private:
    Op tag(Op::Kind kind, const Node& node) {
        Op op;
        op.kind = kind;
        op.text = node.name;
        op.path = split_name(node.name);
        std::tie(op.file, op.line) = page_.origin(node.offset);
        return op;
    }

    Op section(const Node& node) {
        const bool inverted = tornado::detail::trim(std::string_view(node.text).substr(2)).starts_with('^');
        const bool module = !inverted && node.name.starts_with(kModulePrefix);
        Op op = tag(inverted ? Op::Kind::Inverted : module ? Op::Kind::Module : Op::Kind::Section, node);
        if (op.kind == Op::Kind::Section) op.body_text = page_.text.substr(node.body_begin, node.body_end - node.body_begin);
        op.body = ops(node.children);
        return op;
    }

    // Text, with each line break an op of its own.
    static void add_text(std::vector<Op>& ops, std::string_view text) {
        while (!text.empty()) {
            const auto stop = std::min(text.find_first_of("\r\n"), text.size());
            if (stop > 0) ops.push_back(Op{.kind = Op::Kind::Text, .text = std::string(text.substr(0, stop))});
            if (stop == text.size()) break;
            const std::size_t length = text.substr(stop).starts_with("\r\n") ? 2 : 1;
            ops.push_back(Op{.kind = Op::Kind::Newline, .text = std::string(text.substr(stop, length))});
            text.remove_prefix(stop + length);
        }
    }

    const Page& page_;
};

}  // namespace

std::vector<Op> compile(const std::vector<Node>& nodes, const Page& page) {
    return Compiler(page).ops(nodes);
}

}  // namespace tornado::template_::detail
