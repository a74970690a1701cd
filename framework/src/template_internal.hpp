// Private to the template module: the syntax tree of template text, the compiled page that
// renders from it, the loader's pieces the renderer uses, and the built-in helpers.
#pragma once

#include "tornado/template.hpp"

#include <nlohmann/json.hpp>

#include <atomic>
#include <filesystem>
#include <memory>
#include <functional>
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
    Text,      // plain text
    Variable,  // {{x}}, {{{x}}}, {{&x}}
    Section,   // {{#x}}…{{/x}} or {{^x}}…{{/x}}
    Block,     // {{$x}}…{{/x}}: children are the default content (or, in a parent, the override)
    Parent,    // {{<x}}…{{/x}}: children hold the overriding blocks
    Partial,   // {{>x}}
};

struct Node {
    NodeKind kind = NodeKind::Text;
    std::string text;   // Text: the text; others: the (opening) tag
    std::string close;  // Section, Block, Parent: the closing tag
    std::string name;   // the tag's name, for every kind but Text
    int line = 1;       // where text starts in the file
    int close_line = 1;
    std::size_t offset = 0;      // where text starts in the parsed text
    std::size_t body_begin = 0;  // Section, Block, Parent: the text between the tags, [begin, end)
    std::size_t body_end = 0;
    std::vector<Node> children;
};

// The nodes of file_name's text. Comments are dropped; tags that vanish (blocks, parents,
// comments, partials) take their line with them when they stand alone on it. Throws
// TemplateError for an unclosed tag or section, a mismatched or stray closing tag, a tag with
// no name, or a set-delimiter tag (not supported).
std::vector<Node> parse(std::string_view file_name, std::string_view text);

// Where text[offset] came from, for errors in text put together from several files.
using Origin = std::function<std::pair<std::string, int>(std::size_t offset)>;

// The nodes of a page's flat text (its files already put together, standalone lines already
// removed): parsed as written, with errors placed by origin.
std::vector<Node> parse_flat(std::string_view text, const Origin& origin);

// A compiled piece of a page.
struct Op {
    enum class Kind {
        Text,      // text without line breaks
        Newline,   // "\n", "\r\n" or "\r": where a line that only held sections may vanish
        Escaped,   // {{path}}
        Raw,       // {{{path}}}, {{&path}}
        Section,   // {{#path}}body{{/path}}: a value's section, or a helper's
        Inverted,  // {{^path}}body{{/path}}
        Module,    // {{#module:Name}}body{{/module:Name}}: the helper gets the rendered body
        Partial,   // {{>name}} inside itself: compiled and rendered when reached
    };
    Kind kind = Kind::Text;
    std::string text;               // Text, Newline: the text; Partial: the normalized name; others: the name
    std::vector<std::string> path;  // the name split at dots; empty for {{.}}
    std::string body_text;          // Section: what a helper gets
    std::vector<Op> body;
    std::size_t file = 0;  // where the tag was written: Page::files index and line
    int line = 0;
};

// The built-in helpers: xhtml_escape, url_escape, json_encode, linkify, linkify:<params>, format_date.
bool is_builtin_helper(std::string_view name);
std::string call_builtin_helper(std::string_view name, const std::string& text, const Render& render);

// Where a name was written: a tag in a file, or (line 0) the caller of Loader::render.
struct Site {
    std::string file;
    int line = 0;
};

enum class Role { Page, Parent, Partial };

// A file as last seen; a changed stamp means the file changed.
struct FileStamp {
    std::filesystem::file_time_type mtime;
    std::uintmax_t size = 0;
    bool operator==(const FileStamp&) const = default;
};

// A parsed template file.
struct Source {
    FileStamp stamp;
    std::vector<Node> nodes;
};

// A page ready to render: its files put together into one flat text, compiled.
struct Page {
    struct File {
        std::string name;
        FileStamp stamp;
        std::shared_ptr<const Source> source;
    };
    struct Piece {  // text[offset…] came from files[file] at line
        std::size_t offset;
        std::size_t file;
        int line;
    };
    struct Module {  // a {{#module:Name}} section, which must name a helper
        std::string name;
        std::size_t file;
        int line;
    };

    std::vector<File> files;  // every file the page is made of; files[0] is the page's own
    std::string text;         // the flat text
    std::vector<Piece> pieces;
    std::vector<Module> modules;
    std::vector<Op> ops;
    mutable std::atomic<std::size_t> last_size{0};  // of the last page rendered: what to reserve

    // The Page::files index and line that text[offset] came from.
    std::pair<std::size_t, int> origin(std::size_t offset) const;
};

class LoaderImpl;

// The ops for the nodes parse_flat made of page.text.
std::vector<Op> compile(const std::vector<Node>& nodes, const Page& page);

// name as a path under the root, with ".html" added when its last part has no extension;
// TemplateError when it is empty, absolute, climbs with "..", or holds odd characters.
std::string resolve_name(std::string_view name, const Site& site);

// The compiled page for template name (normalized), reused while its files are unchanged.
std::shared_ptr<const Page> page(LoaderImpl& loader, const std::string& name, Role role, const Site& site);
// The page for a name as a caller wrote it (checked, ".html" added when it has no extension).
std::shared_ptr<const Page> requested_page(LoaderImpl& loader, std::string_view name);

}  // namespace tornado::template_::detail
