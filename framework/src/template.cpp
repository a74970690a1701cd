// The template loader. Each page is prepared once: its file, its parents and its partials are
// expanded into one flat Mustache text (remembering which file and line each piece came from),
// which kainjow parses. A partial that includes itself stays a lazy include, expanded as the page
// renders. Rendering gives kainjow the context and the helpers; any error becomes TemplateError.
#include "template_internal.hpp"
#include "tornado/escape.hpp"
#include "tornado/template.hpp"

#include <algorithm>
#include <charconv>
#include <filesystem>
#include <fstream>
#include <optional>
#include <random>
#include <sstream>

namespace tornado::template_ {

namespace fs = std::filesystem;
using detail::Node;
using detail::NodeKind;

namespace {

using detail::in_quotes;

// The section that stands for a lazy include; its text is "file\tline\tname" of the {{>name}} tag.
// The \x01 keeps it apart from any name a template can spell.
constexpr std::string_view kIncludeHelper = "\x01include";
// Sections named module:Name are UI modules; the web layer passes each as a helper of that name.
// The page marks where each module's content starts and ends, with values no text contains.
constexpr std::string_view kModulePrefix = "module:";
constexpr std::string_view kModuleOpen = "\x01open ";
constexpr std::string_view kModuleClose = "\x01close ";
// Sections named linkify:<params> are linkify with Tornado's extra_params: the text after the
// colon goes into each link's <a> tag ({{#linkify:ref=website}}…{{/linkify:ref=website}}).
constexpr std::string_view kLinkifyPrefix = "linkify:";
// What kainjow says when a helper (a section lambda) is used as {{variable}}.
constexpr std::string_view kLambdaAsVariable = "Lambda with render argument is not allowed for regular variables";


// Where a name was written: a tag in a file, or (line 0) the caller of Loader::render.
struct Site {
    std::string file;
    int line = 0;
};

enum class Role { Page, Parent, Partial };

std::string lazy_include(const Site& site, const std::string& name) {
    const std::string helper(kIncludeHelper);
    return "{{#" + helper + "}}" + site.file + '\t' + std::to_string(site.line) + '\t' + name + "{{/" + helper + "}}";
}

TemplateError not_found(const std::string& name, Role role, const Site& site, const std::string& root) {
    switch (role) {
        case Role::Parent: return {site.file, site.line, "parent template " + in_quotes(name) + " not found"};
        case Role::Partial: return {site.file, site.line, "partial " + in_quotes(name) + " not found"};
        default: return {site.file, site.line, "template not found in " + in_quotes(root)};
    }
}

// name as a path under the root, with ".html" added when its last part has no extension; nullopt
// when it is empty, absolute, climbs with "..", or holds characters template names never have.
std::optional<std::string> normalize_name(std::string_view name) {
    const bool odd_char = std::any_of(name.begin(), name.end(), [](char c) {
        return static_cast<unsigned char>(c) < 0x20 || c == '\\' || c == '{' || c == '}';
    });
    if (name.empty() || name.front() == '/' || odd_char) return std::nullopt;
    for (std::size_t start = 0;;) {
        const auto slash = name.find('/', start);
        const auto part = name.substr(start, slash == std::string_view::npos ? slash : slash - start);
        if (part.empty() || part == "." || part == "..") return std::nullopt;
        if (slash == std::string_view::npos) {
            return std::string(name) + (part.find('.') == std::string_view::npos ? ".html" : "");
        }
        start = slash + 1;
    }
}

std::string resolve_name(std::string_view name, const Site& site) {
    if (auto normal = normalize_name(name)) return *normal;
    throw TemplateError(site.file, site.line,
                        "bad template name " + in_quotes(name) + ": use a relative path inside the template directory");
}

// A file as last seen; a changed stamp means the file changed.
struct FileStamp {
    fs::file_time_type mtime;
    std::uintmax_t size = 0;
    bool operator==(const FileStamp&) const = default;
};

std::optional<FileStamp> stamp_of(const fs::path& path) {
    std::error_code error;
    if (!fs::is_regular_file(path, error)) return std::nullopt;
    const auto mtime = fs::last_write_time(path, error);
    if (error) return std::nullopt;
    const auto size = fs::file_size(path, error);
    if (error) return std::nullopt;
    return FileStamp{mtime, size};
}

struct Source {
    FileStamp stamp;
    std::vector<Node> nodes;
};

// A page ready to render.
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
    struct Variable {
        std::string name;
        std::size_t file;
        int line;
    };

    std::vector<File> files;  // every file the page is made of; files[0] is the page's own
    std::string text;         // the flat Mustache text
    std::vector<Piece> pieces;
    std::vector<Variable> variables;  // for naming a helper used as a variable
    std::vector<Variable> modules;    // {{#module:Name}} sections, which must name a helper
    std::vector<std::string> linkify_sections;  // {{#linkify:<params>}} section names
    std::unique_ptr<kainjow::mustache::mustache> mustache;

    // The file and line that text[offset] came from.
    std::pair<std::string, int> origin(std::size_t offset) const {
        auto piece = std::upper_bound(pieces.begin(), pieces.end(), offset,
                                      [](std::size_t at, const Piece& p) { return at < p.offset; });
        if (piece == pieces.begin()) return {files.front().name, 1};
        --piece;
        const auto skipped = std::string_view(text).substr(piece->offset, offset - piece->offset);
        return {files[piece->file].name,
                piece->line + static_cast<int>(std::count(skipped.begin(), skipped.end(), '\n'))};
    }
};

}  // namespace

namespace detail {

class LoaderImpl {
public:
    LoaderImpl(std::string root, bool autoreload) : root_(std::move(root)), autoreload_(autoreload) {}

    const std::string& root() const { return root_; }

    // The prepared page for a normalized name; reused while its files are unchanged.
    std::shared_ptr<Page> page(const std::string& name, Role role, const Site& site);
    // The parsed file, or null when there is no such file.
    std::shared_ptr<const Source> source(const std::string& name);
    // Drops a page whose kainjow object failed (kainjow keeps its error and renders nothing after).
    void forget(const std::string& name, const std::shared_ptr<Page>& page);

private:
    bool is_fresh(const Page& page) const;
    std::shared_ptr<Page> prepare(const std::string& name, Role role, const Site& site);

    std::string root_;
    bool autoreload_;
    std::map<std::string, std::shared_ptr<const Source>, std::less<>> sources_;
    std::map<std::string, std::shared_ptr<Page>, std::less<>> pages_;
};

}  // namespace detail

namespace {

// Expands a page's inheritance and partials into its flat text.
class Flattener {
public:
    Flattener(detail::LoaderImpl& loader, Page& page) : loader_(loader), page_(page) {}

    void expand_file(const std::string& name, Role role, const Site& site) { expand_file(name, {}, role, site); }

private:
    struct Override {
        const Node* block;
        std::size_t file;
    };
    using Overrides = std::map<std::string, Override, std::less<>>;

    void expand_file(const std::string& name, const Overrides& overrides, Role role, const Site& site) {
        if (role == Role::Parent && std::find(stack_.begin(), stack_.end(), name) != stack_.end()) {
            std::string chain;
            for (const auto& file : stack_) chain += file + " -> ";
            throw TemplateError(site.file, site.line, "inheritance loop: " + chain + name);
        }
        const std::size_t file = load(name, role, site);
        const auto source = page_.files[file].source;
        stack_.push_back(name);
        expand(source->nodes, file, overrides);
        stack_.pop_back();
    }

    std::size_t load(const std::string& name, Role role, const Site& site) {
        auto& files = page_.files;
        auto known = std::find_if(files.begin(), files.end(), [&](const auto& file) { return file.name == name; });
        if (known != files.end()) return static_cast<std::size_t>(known - files.begin());
        auto source = loader_.source(name);
        if (!source) throw not_found(name, role, site, loader_.root());
        files.push_back({name, source->stamp, source});
        return files.size() - 1;
    }

    void expand(const std::vector<Node>& nodes, std::size_t file, const Overrides& overrides) {
        for (const Node& node : nodes) {
            switch (node.kind) {
                case NodeKind::Text: emit(node.text, file, node.line); break;
                case NodeKind::Variable:
                    page_.variables.push_back({node.name, file, node.line});
                    emit(node.text, file, node.line);
                    break;
                case NodeKind::Section:
                    if (node.name.starts_with(kModulePrefix)) {
                        // Markers instead of a section: kainjow would parse the section's text
                        // again on every call of a helper; finish_modules() calls it afterwards.
                        page_.modules.push_back({node.name, file, node.line});
                        emit("{{{" + std::string(kModuleOpen) + node.name + "}}}", file, node.line);
                        expand(node.children, file, overrides);
                        emit("{{{" + std::string(kModuleClose) + node.name + "}}}", file, node.close_line);
                        break;
                    }
                    if (node.name.starts_with(kLinkifyPrefix)) page_.linkify_sections.push_back(node.name);
                    emit(node.text, file, node.line);
                    expand(node.children, file, overrides);
                    emit(node.close, file, node.close_line);
                    break;
                case NodeKind::Block: expand_block(node, file, overrides); break;
                case NodeKind::Parent: expand_parent(node, file, overrides); break;
                case NodeKind::Partial: expand_partial(node, file); break;
            }
        }
    }

    void expand_block(const Node& block, std::size_t file, const Overrides& overrides) {
        const auto found = overrides.find(block.name);
        if (found == overrides.end()) return expand(block.children, file, overrides);
        // Inside its own override a block of the same name shows its default, not itself again.
        Overrides inner = overrides;
        inner.erase(block.name);
        expand(found->second.block->children, found->second.file, inner);
    }

    void expand_parent(const Node& parent, std::size_t file, const Overrides& overrides) {
        const Site site{page_.files[file].name, parent.line};
        Overrides merged = overrides;  // blocks from further down the chain win
        for (const Node& child : parent.children) {
            if (child.kind == NodeKind::Block) merged.try_emplace(child.name, Override{&child, file});
        }
        expand_file(resolve_name(parent.name, site), merged, Role::Parent, site);
    }

    void expand_partial(const Node& partial, std::size_t file) {
        const Site site{page_.files[file].name, partial.line};
        const std::string name = resolve_name(partial.name, site);
        const bool recursive = std::find(stack_.begin(), stack_.end(), name) != stack_.end();
        if (!recursive) return expand_file(name, Role::Partial, site);
        // Included from inside itself: expanded while rendering, as deep as the data goes.
        emit(lazy_include(site, name), file, partial.line);
    }

    void emit(std::string_view text, std::size_t file, int line) {
        if (text.empty()) return;
        page_.pieces.push_back({page_.text.size(), file, line});
        page_.text += text;
    }

    detail::LoaderImpl& loader_;
    Page& page_;
    std::vector<std::string> stack_;  // the files being expanded, outermost first
};

// kainjow's parse errors end in " at <offset in the flat text>": report the file and line.
TemplateError flat_text_error(const Page& page, const std::string& message) {
    const auto at = message.rfind(" at ");
    std::size_t offset = 0;
    if (at != std::string::npos) std::from_chars(message.data() + at + 4, message.data() + message.size(), offset);
    auto [file, line] = page.origin(offset);
    return {file, line, message.substr(0, at)};
}

std::string read_file(const fs::path& path, const std::string& name) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw TemplateError(name, 0, "cannot read " + path.string());
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

}  // namespace

namespace detail {

std::shared_ptr<Page> LoaderImpl::page(const std::string& name, Role role, const Site& site) {
    const auto found = pages_.find(name);
    if (found != pages_.end() && (!autoreload_ || is_fresh(*found->second))) return found->second;
    auto prepared = prepare(name, role, site);
    pages_.insert_or_assign(name, prepared);
    return prepared;
}

std::shared_ptr<const Source> LoaderImpl::source(const std::string& name) {
    const auto found = sources_.find(name);
    if (found != sources_.end() && !autoreload_) return found->second;
    const fs::path path = fs::path(root_) / name;
    const auto stamp = stamp_of(path);
    if (!stamp) return nullptr;
    if (found != sources_.end() && found->second->stamp == *stamp) return found->second;
    auto parsed = std::make_shared<const Source>(Source{*stamp, parse(name, read_file(path, name))});
    sources_.insert_or_assign(name, parsed);
    return parsed;
}

void LoaderImpl::forget(const std::string& name, const std::shared_ptr<Page>& page) {
    const auto found = pages_.find(name);
    if (found != pages_.end() && found->second == page) pages_.erase(found);
}

bool LoaderImpl::is_fresh(const Page& page) const {
    return std::all_of(page.files.begin(), page.files.end(),
                       [&](const Page::File& file) { return stamp_of(fs::path(root_) / file.name) == file.stamp; });
}

std::shared_ptr<Page> LoaderImpl::prepare(const std::string& name, Role role, const Site& site) {
    auto page = std::make_shared<Page>();
    Flattener(*this, *page).expand_file(name, role, site);
    page->mustache = std::make_unique<kainjow::mustache::mustache>(page->text);
    if (!page->mustache->is_valid()) throw flat_text_error(*page, page->mustache->error_message());
    page->mustache->set_custom_escape([](const std::string& text) { return escape::xhtml_escape(text); });
    return page;
}

}  // namespace detail

namespace {

// One call of Loader::render: the data kainjow sees, and the lazy includes as they happen.
class RenderSession {
public:
    RenderSession(detail::LoaderImpl& loader, const Helpers& helpers, const nlohmann::json& context)
        : loader_(loader), helpers_(helpers), context_(context) {}

    std::string render(std::string_view requested) {
        const Site site{std::string(requested), 0};
        const std::string name = resolve_name(requested, site);
        auto page = loader_.page(name, Role::Page, site);
        check_modules(*page);
        rendered_.push_back(page);

        const auto values = detail::to_data(context_.is_null() ? nlohmann::json::object() : context_);
        locals_ = detail::helper_data(helpers_);
        add_module_markers(locals_);
        add_linkify_helpers(*page);
        locals_[std::string(kIncludeHelper)] = kainjow::mustache::data{
            kainjow::mustache::lambda2{[this](const std::string& text, const kainjow::mustache::renderer& render) {
                return include(text, render);
            }}};
        // Looked up newest first: the context, then the caller's helpers, then the built-in ones.
        kainjow::mustache::context<std::string> stack{&detail::builtin_helper_data()};
        stack.push(&locals_);
        stack.push(&values);

        std::string html = page->mustache->render(stack);
        if (!page->mustache->is_valid()) {
            loader_.forget(name, page);
            throw render_error(page->mustache->error_message());
        }
        return modules_.empty() ? html : finish_modules(html);
    }

private:
    // Renders the partial a lazy include names, with the current data.
    std::string include(const std::string& include_site, const kainjow::mustache::renderer& render) {
        const auto first_tab = include_site.find('\t');
        const auto second_tab = include_site.find('\t', first_tab + 1);
        Site site{include_site.substr(0, first_tab), 0};
        std::from_chars(include_site.data() + first_tab + 1, include_site.data() + second_tab, site.line);
        const std::string name = include_site.substr(second_tab + 1);
        if (depth_ == max_include_depth) {
            throw TemplateError(site.file, site.line,
                                "partial " + in_quotes(name) + " nested more than " +
                                    std::to_string(max_include_depth) + " levels deep");
        }
        auto partial = loader_.page(name, Role::Partial, site);
        check_modules(*partial);
        add_linkify_helpers(*partial);  // kainjow keeps pointers into locals_: adding keys moves none
        if (std::find(rendered_.begin(), rendered_.end(), partial) == rendered_.end()) rendered_.push_back(partial);
        ++depth_;
        std::string html = render(partial->text);
        --depth_;
        return html;
    }

    // Each module helper gets two marker values, "\x1e<nonce>(<index>\x1f" and "…)<index>\x1f".
    void add_module_markers(kainjow::mustache::data& locals) {
        for (const auto& [name, helper] : helpers_) {
            if (!name.starts_with(kModulePrefix)) continue;
            auto index = std::to_string(modules_.size());
            modules_.push_back(&helper);
            locals[std::string(kModuleOpen) + name] = marker_prefix() + "(" + index + "\x1f";
            locals[std::string(kModuleClose) + name] = marker_prefix() + ")" + index + "\x1f";
        }
    }

    // One helper per {{#linkify:<params>}} section name the page uses.
    void add_linkify_helpers(const Page& page) {
        for (const auto& name : page.linkify_sections) {
            if (locals_.get(name)) continue;
            locals_[name] = kainjow::mustache::data{kainjow::mustache::lambda2{
                [params = name.substr(kLinkifyPrefix.size())](const std::string& text,
                                                               const kainjow::mustache::renderer& render) {
                    return escape::linkify(render(text), params);
                }}};
        }
    }

    // Unguessable per process, so text from a request cannot pose as a marker.
    static const std::string& marker_prefix() {
        static const std::string prefix = "\x1e" + std::to_string(std::random_device{}()) + ":";
        return prefix;
    }

    // Replaces each marked stretch (innermost first) with what its module's helper makes of it.
    std::string finish_modules(const std::string& html) const {
        const std::string& prefix = marker_prefix();
        std::string out;
        out.reserve(html.size());
        std::vector<std::pair<std::size_t, std::size_t>> open;  // (module, where its content starts in out)
        std::size_t position = 0;
        for (auto hit = html.find(prefix); hit != std::string::npos; hit = html.find(prefix, position)) {
            out.append(html, position, hit - position);
            const auto kind = html[hit + prefix.size()];
            const auto end = html.find('\x1f', hit);
            std::size_t module = 0;
            std::from_chars(html.data() + hit + prefix.size() + 1, html.data() + end, module);
            position = end + 1;
            if (kind == '(') {
                open.emplace_back(module, out.size());
                continue;
            }
            const auto start = open.back().second;
            open.pop_back();
            std::string content = out.substr(start);
            out.resize(start);
            out += (*modules_[module])(content, [](const std::string& text) { return text; });
        }
        out.append(html, position);
        return out;
    }

    // A {{#module:Name}} section with no such helper is a mistake, not an empty section.
    void check_modules(const Page& page) const {
        for (const auto& module : page.modules) {
            if (helpers_.contains(module.name)) continue;
            throw TemplateError(page.files[module.file].name, module.line,
                                "unknown UI module " + in_quotes(module.name.substr(kModulePrefix.size())));
        }
    }

    bool is_helper(const std::string& name) const {
        return (helpers_.contains(name) || detail::is_builtin_helper(name)) && !context_.contains(name);
    }

    TemplateError render_error(const std::string& message) const {
        if (message == kLambdaAsVariable) {
            for (const auto& page : rendered_) {
                for (const auto& variable : page->variables) {
                    if (!is_helper(variable.name)) continue;
                    return {page->files[variable.file].name, variable.line,
                            "helper " + in_quotes(variable.name) + " used as a variable; call it as a section: {{#" +
                                variable.name + "}}…{{/" + variable.name + "}}"};
                }
            }
        }
        return {rendered_.front()->files.front().name, 0, message};
    }

    detail::LoaderImpl& loader_;
    const Helpers& helpers_;
    const nlohmann::json& context_;
    kainjow::mustache::data locals_{kainjow::mustache::data::type::object};  // the helpers, as kainjow sees them
    std::vector<std::shared_ptr<Page>> rendered_;  // the page, then each partial included lazily
    std::vector<const Helper*> modules_;            // the module helpers, by marker index
    int depth_ = 0;
};

std::string location(const std::string& name, int line) {
    return line > 0 ? name + ":" + std::to_string(line) + ": " : name + ": ";
}

}  // namespace

TemplateError::TemplateError(std::string name, int line, std::string_view message)
    : std::runtime_error(location(name, line) + std::string(message)), name_(std::move(name)), line_(line) {}

Loader::Loader(std::string root, bool autoreload)
    : impl_(std::make_unique<detail::LoaderImpl>(std::move(root), autoreload)) {}
Loader::~Loader() = default;
Loader::Loader(Loader&&) noexcept = default;
Loader& Loader::operator=(Loader&&) noexcept = default;

std::string Loader::render(std::string_view name, const nlohmann::json& context, const Helpers& helpers) const {
    if (!context.is_object() && !context.is_null()) {
        throw std::invalid_argument("template context must be a JSON object, not " + std::string(context.type_name()));
    }
    return RenderSession(*impl_, helpers, context).render(name);
}

const std::string& Loader::root() const { return impl_->root(); }

}  // namespace tornado::template_
