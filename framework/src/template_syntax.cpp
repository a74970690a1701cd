// Splits template text into nodes: tags are found as Mustache (and kainjow before us) finds
// them, opening and closing tags are matched (so errors name a file and line), the lines of
// standalone tags that vanish are removed, and the tokens become a tree.
#include "template_internal.hpp"
#include "text_util.hpp"

#include <algorithm>
#include <vector>

namespace tornado::template_::detail {

namespace {

enum class TokenKind { Text, Variable, Section, Close, Block, Parent, Partial, Comment };

struct Token {
    TokenKind kind = TokenKind::Text;
    std::string_view raw;  // the text, or the whole tag with its braces
    std::string_view name;
    int line = 1;
    std::size_t offset = 0;  // where raw starts in the text
};

// A syntax error at text[offset], line; parse and parse_flat say where it is in their terms.
struct SyntaxFailure {
    std::size_t offset;
    int line;
    std::string message;
};

[[noreturn]] void fail(std::size_t offset, int line, const std::string& message) {
    throw SyntaxFailure{offset, line, message};
}


bool is_blank(std::string_view text) {
    return std::all_of(text.begin(), text.end(), [](char c) { return c == ' ' || c == '\t'; });
}

int count_newlines(std::string_view text) { return static_cast<int>(std::count(text.begin(), text.end(), '\n')); }

std::string_view kind_word(TokenKind kind) {
    switch (kind) {
        case TokenKind::Block: return "block";
        case TokenKind::Parent: return "parent";
        default: return "section";
    }
}

// What a tag is, from its trimmed contents (between the braces).
Token classify_tag(std::size_t offset, int line, std::string_view contents, bool triple) {
    Token tag;
    tag.kind = TokenKind::Variable;
    tag.name = contents;
    tag.line = line;
    if (triple || contents.empty()) return tag;
    switch (contents.front()) {
        case '#':
        case '^': tag.kind = TokenKind::Section; break;
        case '/': tag.kind = TokenKind::Close; break;
        case '$': tag.kind = TokenKind::Block; break;
        case '<': tag.kind = TokenKind::Parent; break;
        case '>': tag.kind = TokenKind::Partial; break;
        case '!': tag.kind = TokenKind::Comment; break;
        case '&': break;
        case '=': fail(offset, line, "set-delimiter tags are not supported");
        default: return tag;
    }
    tag.name = tornado::detail::trim(contents.substr(1));  // kainjow trims with isspace too: names agree
    if (tag.name.empty() && tag.kind != TokenKind::Comment && tag.kind != TokenKind::Variable) {
        fail(offset, line, "tag {{" + std::string(contents) + "}} has no name");
    }
    return tag;
}

std::vector<Token> tokenize(std::string_view text) {
    std::vector<Token> tokens;
    int line = 1;
    std::size_t pos = 0;
    while (pos < text.size()) {
        const std::size_t open = std::min(text.find("{{", pos), text.size());
        if (open > pos) {
            Token plain;
            plain.raw = text.substr(pos, open - pos);
            plain.line = line;
            plain.offset = pos;
            tokens.push_back(plain);
            line += count_newlines(plain.raw);
        }
        if (open == text.size()) break;
        const bool triple = open + 2 < text.size() && text[open + 2] == '{';
        const std::string_view closer = triple ? "}}}" : "}}";
        const std::size_t contents = open + (triple ? 3 : 2);
        const std::size_t close = text.find(closer, contents);
        if (close == std::string_view::npos) {
            const auto start = text.substr(open, std::min<std::size_t>(20, text.find('\n', open) - open));
            fail(open, line, "unclosed tag " + in_quotes(start));
        }
        Token tag = classify_tag(open, line, tornado::detail::trim(text.substr(contents, close - contents)), triple);
        tag.raw = text.substr(open, close + closer.size() - open);
        tag.offset = open;
        line += count_newlines(tag.raw);
        tokens.push_back(tag);
        pos = open + tag.raw.size();
    }
    return tokens;
}

// Checks that every closing tag closes the innermost open tag of the same name.
void match_tags(const std::vector<Token>& tokens) {
    std::vector<const Token*> open;
    for (const Token& token : tokens) {
        if (token.kind == TokenKind::Section || token.kind == TokenKind::Block || token.kind == TokenKind::Parent) {
            open.push_back(&token);
        } else if (token.kind == TokenKind::Close) {
            if (open.empty()) fail(token.offset, token.line, in_quotes(token.raw) + " closes no open section");
            const Token& opener = *open.back();
            if (opener.name != token.name) {
                fail(token.offset, token.line,
                     "mismatched " + in_quotes(token.raw) + ": " + std::string(kind_word(opener.kind)) + " " +
                         in_quotes(opener.name) + " from line " + std::to_string(opener.line) + " is still open");
            }
            open.pop_back();
        }
    }
    if (!open.empty()) {
        fail(open.back()->offset, open.back()->line,
             "unclosed " + std::string(kind_word(open.back()->kind)) + " " + in_quotes(open.back()->name));
    }
}

// A tag alone on its line takes the line with it, as the Mustache spec says of every tag but a
// variable. (kainjow guesses this for its sections as it renders, and misses when a section is
// skipped, so sections are done here too.)
bool can_stand_alone(const Token& token) { return token.kind != TokenKind::Text && token.kind != TokenKind::Variable; }

// True when only spaces and tabs share the tag's line.
bool is_standalone(const std::vector<Token>& tokens, std::size_t i) {
    const auto line_start_is_blank = [&] {
        if (i == 0) return true;
        const Token& before = tokens[i - 1];
        if (before.kind != TokenKind::Text) return false;
        const auto newline = before.raw.rfind('\n');
        return (newline != std::string_view::npos || i == 1) && is_blank(before.raw.substr(newline + 1));
    };
    const auto line_end_is_blank = [&] {
        if (i + 1 == tokens.size()) return true;
        const Token& after = tokens[i + 1];
        if (after.kind != TokenKind::Text) return false;
        const auto newline = after.raw.find('\n');
        auto rest = after.raw.substr(0, newline);
        if (newline != std::string_view::npos && rest.ends_with('\r')) rest.remove_suffix(1);
        return (newline != std::string_view::npos || i + 2 == tokens.size()) && is_blank(rest);
    };
    return line_start_is_blank() && line_end_is_blank();
}

void remove_standalone_lines(std::vector<Token>& tokens) {
    std::vector<bool> standalone(tokens.size());
    for (std::size_t i = 0; i < tokens.size(); ++i)
        standalone[i] = can_stand_alone(tokens[i]) && is_standalone(tokens, i);
    for (std::size_t i = 0; i < tokens.size(); ++i) {
        if (!standalone[i]) continue;
        // A partial keeps its indentation in front of its first line.
        if (i > 0 && tokens[i].kind != TokenKind::Partial) {
            auto& before = tokens[i - 1].raw;
            before.remove_suffix(before.size() - (before.find_last_not_of(" \t") + 1));
        }
        if (i + 1 < tokens.size()) {
            Token& after = tokens[i + 1];
            after.raw.remove_prefix(std::min(after.raw.find_first_not_of(" \t"), after.raw.size()));
            if (after.raw.starts_with("\r\n")) after.raw.remove_prefix(1);
            if (after.raw.starts_with('\n')) {
                after.raw.remove_prefix(1);
                ++after.line;
            }
        }
    }
}

class TreeBuilder {
public:
    explicit TreeBuilder(const std::vector<Token>& tokens) : tokens_(tokens) {}

    // Nodes up to the closing tag of the enclosing section (consumed), or to the end.
    std::vector<Node> nodes() {
        std::vector<Node> nodes;
        while (next_ < tokens_.size()) {
            const Token& token = tokens_[next_++];
            switch (token.kind) {
                case TokenKind::Close: return nodes;
                case TokenKind::Comment: break;
                case TokenKind::Text:
                    if (!token.raw.empty()) nodes.push_back(leaf(NodeKind::Text, token));
                    break;
                case TokenKind::Variable: nodes.push_back(leaf(NodeKind::Variable, token)); break;
                case TokenKind::Partial: nodes.push_back(leaf(NodeKind::Partial, token)); break;
                case TokenKind::Section: nodes.push_back(with_children(NodeKind::Section, token)); break;
                case TokenKind::Block: nodes.push_back(with_children(NodeKind::Block, token)); break;
                case TokenKind::Parent: nodes.push_back(with_children(NodeKind::Parent, token)); break;
            }
        }
        return nodes;
    }

private:
    static Node leaf(NodeKind kind, const Token& token) {
        Node node;
        node.kind = kind;
        node.text = token.raw;
        node.name = token.name;
        node.line = token.line;
        node.offset = token.offset;
        return node;
    }

    Node with_children(NodeKind kind, const Token& opening) {
        Node node = leaf(kind, opening);
        node.body_begin = opening.offset + opening.raw.size();
        node.children = nodes();
        const Token& closing = tokens_[next_ - 1];
        node.body_end = closing.offset;
        node.close = std::string(closing.raw);
        node.close_line = closing.line;
        return node;
    }

    const std::vector<Token>& tokens_;
    std::size_t next_ = 0;
};

}  // namespace

std::vector<Node> parse(std::string_view file_name, std::string_view text) {
    try {
        std::vector<Token> tokens = tokenize(text);
        match_tags(tokens);
        remove_standalone_lines(tokens);
        return TreeBuilder(tokens).nodes();
    } catch (const SyntaxFailure& failure) {
        throw TemplateError(std::string(file_name), failure.line, failure.message);
    }
}

std::vector<Node> parse_flat(std::string_view text, const Origin& origin) {
    try {
        const std::vector<Token> tokens = tokenize(text);
        match_tags(tokens);
        return TreeBuilder(tokens).nodes();
    } catch (const SyntaxFailure& failure) {
        auto [file, line] = origin(failure.offset);
        throw TemplateError(file, line, failure.message);
    }
}

}  // namespace tornado::template_::detail
