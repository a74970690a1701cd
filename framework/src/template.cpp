// The template loader. Each page is prepared once: its file, its parents and its partials are
// expanded into one flat text (remembering which file and line each piece came from), which is
// parsed and compiled into ops (template_compile.cpp) that render straight from the context
// (template_render.cpp). A partial that includes itself stays a {{>name}}, compiled when a
// render reaches it, as deep as the data goes.
#include "template_internal.hpp"
#include "tornado/template.hpp"

#include <algorithm>
#include <fstream>
#include <optional>
#include <sstream>

namespace tornado::template_ {

namespace fs = std::filesystem;
using detail::FileStamp;
using detail::in_quotes;
using detail::Node;
using detail::NodeKind;
using detail::Page;
using detail::resolve_name;
using detail::Role;
using detail::Site;
using detail::Source;

namespace {

// Sections named module:Name are UI modules.
constexpr std::string_view kModulePrefix = "module:";

TemplateError not_found(const std::string& name, Role role, const Site& site, const SearchPath& path) {
    switch (role) {
        case Role::Parent: return {site.file, site.line, "parent template " + in_quotes(name) + " not found"};
        case Role::Partial: return {site.file, site.line, "partial " + in_quotes(name) + " not found"};
        default: {
            std::string folders;
            for (const auto& folder : path.folders()) folders += (folders.empty() ? "" : ", ") + in_quotes(folder);
            return {site.file, site.line, "template not found in " + folders};
        }
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


std::optional<FileStamp> stamp_of(const fs::path& path) {
    std::error_code error;
    if (!fs::is_regular_file(path, error)) return std::nullopt;
    const auto mtime = fs::last_write_time(path, error);
    if (error) return std::nullopt;
    const auto size = fs::file_size(path, error);
    if (error) return std::nullopt;
    return FileStamp{mtime, size};
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

class LoaderImpl {
public:
    LoaderImpl(SearchPath path, bool autoreload) : path_(std::move(path)), autoreload_(autoreload) {}

    const SearchPath& path() const { return path_; }

    // The compiled page for a normalized name; reused while its files are unchanged.
    std::shared_ptr<const Page> page(const std::string& name, Role role, const Site& site);
    // The page already compiled under exactly this name, when it is still fresh; else null.
    std::shared_ptr<const Page> known_page(std::string_view name) const;
    // The parsed file, or null when there is no such file.
    std::shared_ptr<const Source> source(const std::string& name);

private:
    bool is_fresh(const Page& page) const;
    std::shared_ptr<const Page> prepare(const std::string& name, Role role, const Site& site);
    // The file for name in the first folder that has one, with its stamp; nullopt when none has.
    std::optional<std::pair<fs::path, FileStamp>> locate(const std::string& name) const;

    SearchPath path_;
    bool autoreload_;
    std::map<std::string, std::shared_ptr<const Source>, std::less<>> sources_;
    std::map<std::string, std::shared_ptr<const Page>, std::less<>> pages_;
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
        if (!source) throw not_found(name, role, site, loader_.path());
        files.push_back({name, source->stamp, source});
        return files.size() - 1;
    }

    void expand(const std::vector<Node>& nodes, std::size_t file, const Overrides& overrides) {
        for (const Node& node : nodes) {
            switch (node.kind) {
                case NodeKind::Text:
                case NodeKind::Variable: emit(node.text, file, node.line); break;
                case NodeKind::Section:
                    if (node.name.starts_with(kModulePrefix)) page_.modules.push_back({node.name, file, node.line});
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
        // Included from inside itself: stays a tag, compiled as the data goes deeper.
        emit(partial.text, file, partial.line);
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

}  // namespace

namespace detail {

std::string resolve_name(std::string_view name, const Site& site) {
    if (auto normal = normalize_name(name)) return *normal;
    throw TemplateError(site.file, site.line,
                        "bad template name " + in_quotes(name) + ": use a relative path inside the template directory");
}

std::pair<std::size_t, int> Page::origin(std::size_t offset) const {
    auto piece = std::upper_bound(pieces.begin(), pieces.end(), offset,
                                  [](std::size_t at, const Piece& p) { return at < p.offset; });
    if (piece == pieces.begin()) return {0, 1};
    --piece;
    const auto skipped = std::string_view(text).substr(piece->offset, offset - piece->offset);
    return {piece->file, piece->line + static_cast<int>(std::count(skipped.begin(), skipped.end(), '\n'))};
}

std::shared_ptr<const Page> LoaderImpl::page(const std::string& name, Role role, const Site& site) {
    const auto found = pages_.find(name);
    if (found != pages_.end() && (!autoreload_ || is_fresh(*found->second))) return found->second;
    auto prepared = prepare(name, role, site);
    pages_.insert_or_assign(name, prepared);
    return prepared;
}

std::shared_ptr<const Page> LoaderImpl::known_page(std::string_view name) const {
    const auto found = pages_.find(name);
    if (found == pages_.end() || (autoreload_ && !is_fresh(*found->second))) return nullptr;
    return found->second;
}

std::shared_ptr<const Source> LoaderImpl::source(const std::string& name) {
    const auto found = sources_.find(name);
    if (found != sources_.end() && !autoreload_) return found->second;
    const auto file = locate(name);
    if (!file) return nullptr;
    const auto& [path, stamp] = *file;
    if (found != sources_.end() && found->second->stamp == stamp) return found->second;
    auto parsed = std::make_shared<const Source>(Source{stamp, parse(name, read_file(path, name))});
    sources_.insert_or_assign(name, parsed);
    return parsed;
}

bool LoaderImpl::is_fresh(const Page& page) const {
    return std::all_of(page.files.begin(), page.files.end(), [&](const Page::File& file) {
        const auto found = locate(file.name);
        return found && found->second == file.stamp;
    });
}

std::optional<std::pair<fs::path, FileStamp>> LoaderImpl::locate(const std::string& name) const {
    for (const auto& folder : path_.folders()) {
        auto path = fs::path(folder) / name;
        if (auto stamp = stamp_of(path)) return std::pair{std::move(path), *stamp};
    }
    return std::nullopt;
}

std::shared_ptr<const Page> LoaderImpl::prepare(const std::string& name, Role role, const Site& site) {
    auto page = std::make_shared<Page>();
    Flattener(*this, *page).expand_file(name, role, site);
    const auto nodes = parse_flat(page->text, [&](std::size_t offset) {
        auto [file, line] = page->origin(offset);
        return std::pair{page->files[file].name, line};
    });
    page->ops = compile(nodes, *page);
    return page;
}

std::shared_ptr<const Page> page(LoaderImpl& loader, const std::string& name, Role role, const Site& site) {
    return loader.page(name, role, site);
}

std::shared_ptr<const Page> requested_page(LoaderImpl& loader, std::string_view name) {
    // A name already in its normal form, as a handler usually writes it, costs one lookup.
    if (auto known = loader.known_page(name)) return known;
    const Site site{std::string(name), 0};
    return loader.page(resolve_name(name, site), Role::Page, site);
}

}  // namespace detail

namespace {
std::string location(const std::string& name, int line) {
    return line > 0 ? name + ":" + std::to_string(line) + ": " : name + ": ";
}
}  // namespace

TemplateError::TemplateError(std::string name, int line, std::string_view message)
    : std::runtime_error(location(name, line) + std::string(message)), name_(std::move(name)), line_(line) {}

Loader::Loader(SearchPath path, bool autoreload)
    : impl_(std::make_unique<detail::LoaderImpl>(std::move(path), autoreload)) {}
Loader::~Loader() = default;
Loader::Loader(Loader&&) noexcept = default;
Loader& Loader::operator=(Loader&&) noexcept = default;

const SearchPath& Loader::path() const { return impl_->path(); }

}  // namespace tornado::template_
