// Rendering a compiled page straight from the context: names are looked up through a stack of
// pointers into the caller's JSON (nothing is copied or converted), and the page is written into
// one string. Lines keep kainjow's rule, which the pages were written against: a line that held
// a rendered section and is left with only spaces and tabs vanishes with its line break.
#include "template_internal.hpp"
#include "tornado/escape.hpp"

#include <charconv>
#include <tuple>

namespace tornado::template_ {

using detail::Op;
using detail::Page;

Context::Context(std::initializer_list<Entry> entries) {
    entries_.reserve(entries.size());
    for (const Entry& entry : entries) {
        Value value;
        value.referenced_ = entry.value.referenced_;
        value.owned_ = std::move(entry.value.owned_);  // mutable: the braced list is done with it
        entries_.emplace_back(entry.name, std::move(value));
    }
}

Context::Context(Context&& other) noexcept
    : entries_(std::move(other.entries_)),
      owned_(std::move(other.owned_)),
      object_(other.object_ == &other.owned_ ? &owned_ : other.object_) {}

const nlohmann::json* Context::find(std::string_view name) const {
    for (const Entry& entry : entries_) {
        if (entry.name == name) return &entry.value.get();
    }
    if (object_ && object_->is_object()) {
        const auto found = object_->find(name);
        if (found != object_->end()) return &*found;
    }
    return nullptr;
}

const nlohmann::json* Namespace::find_value(std::string_view) const { return nullptr; }

namespace {

constexpr std::string_view kLambdaAsVariable = "used as a variable; call it as a section: ";

// The caller's Helpers as a Namespace.
class HelperMap final : public Namespace {
public:
    explicit HelperMap(const Helpers& helpers) : helpers_(helpers) {}
    bool has_helper(std::string_view name) const override { return helpers_.contains(name); }
    std::string call_helper(std::string_view name, const std::string& text, const Render& render) const override {
        return helpers_.find(name)->second(text, render);
    }

private:
    const Helpers& helpers_;
};

// As in Python, "" is false; so are null, false and [].
bool is_false(const nlohmann::json& value) {
    switch (value.type()) {
        case nlohmann::json::value_t::null: return true;
        case nlohmann::json::value_t::boolean: return !value.get<bool>();
        case nlohmann::json::value_t::string: return value.get_ref<const std::string&>().empty();
        case nlohmann::json::value_t::array: return value.empty();
        default: return false;
    }
}

// A value as {{name}} prints it: strings and numbers (as JSON writes them); nothing else.
void append_value(std::string& out, const nlohmann::json& value, bool escaped) {
    switch (value.type()) {
        case nlohmann::json::value_t::string: {
            const auto& text = value.get_ref<const std::string&>();
            if (escaped) {
                escape::xhtml_escape_to(out, text);
            } else {
                out.append(text);
            }
            break;
        }
        case nlohmann::json::value_t::number_integer:
        case nlohmann::json::value_t::number_unsigned: {
            char digits[24];
            const auto end = value.is_number_unsigned()
                                 ? std::to_chars(digits, digits + sizeof digits, value.get<std::uint64_t>()).ptr
                                 : std::to_chars(digits, digits + sizeof digits, value.get<std::int64_t>()).ptr;
            out.append(digits, end);
            break;
        }
        case nlohmann::json::value_t::number_float: out += value.dump(); break;
        default: break;
    }
}

// value's member at path[from…], or null.
const nlohmann::json* walk(const nlohmann::json* value, const std::vector<std::string>& path, std::size_t from) {
    for (std::size_t i = from; value && i < path.size(); ++i) {
        if (!value->is_object()) return nullptr;
        const auto found = value->find(path[i]);
        value = found == value->end() ? nullptr : &*found;
    }
    return value;
}

class Renderer {
public:
    Renderer(detail::LoaderImpl& loader, const Context& context, const Namespace& names, std::string& out)
        : loader_(loader), context_(context), names_(names), out_(&out) {}

    void render(const Page& page) {
        check_modules(page);
        page_ = &page;
        render(page.ops);
        end_line();
    }

private:
    // The output line being written, which may vanish at its end.
    struct Line {
        std::size_t start = 0;
        bool had_section = false;  // a section rendered on it
        bool pinned = false;       // a UI module starts or ends on it: it stays
    };

    struct Found {
        const nlohmann::json* value = nullptr;
        bool helper = false;
    };

    void render(const std::vector<Op>& ops) {
        for (const Op& op : ops) {
            switch (op.kind) {
                case Op::Kind::Text: out_->append(op.text); break;
                case Op::Kind::Newline:
                    if (line_is_vanishing()) {
                        out_->resize(line_.start);
                    } else {
                        out_->append(op.text);
                    }
                    line_ = Line{out_->size()};
                    break;
                case Op::Kind::Escaped:
                case Op::Kind::Raw: variable(op); break;
                case Op::Kind::Section: section(op); break;
                case Op::Kind::Inverted: inverted(op); break;
                case Op::Kind::Module: module(op); break;
                case Op::Kind::Partial: partial(op); break;
            }
        }
    }

    bool line_is_vanishing() const {
        return line_.had_section && !line_.pinned &&
               out_->find_first_not_of(" \t", line_.start) == std::string::npos;
    }

    void end_line() {
        if (line_is_vanishing()) out_->resize(line_.start);
    }

    // Newest first: the section values, the context, the namespace's values, then helpers.
    Found lookup(const Op& op) const {
        if (op.path.empty()) return {stack_.empty() ? &empty_object() : stack_.back()};
        for (auto item = stack_.rbegin(); item != stack_.rend(); ++item) {
            if (const auto* value = walk(*item, op.path, 0)) return {value};
        }
        if (const auto* value = walk(context_.find(op.path.front()), op.path, 1)) return {value};
        if (const auto* value = walk(names_.find_value(op.path.front()), op.path, 1)) return {value};
        return {nullptr, names_.has_helper(op.text) || detail::is_builtin_helper(op.text)};
    }

    static const nlohmann::json& empty_object() {
        static const nlohmann::json object = nlohmann::json::object();
        return object;
    }

    void variable(const Op& op) {
        const Found found = lookup(op);
        if (found.value) return append_value(*out_, *found.value, op.kind == Op::Kind::Escaped);
        if (found.helper) {
            throw TemplateError(page_->files[op.file].name, op.line,
                                "helper " + detail::in_quotes(op.text) + " " + std::string(kLambdaAsVariable) + "{{#" +
                                    op.text + "}}…{{/" + op.text + "}}");
        }
    }

    void section(const Op& op) {
        const Found found = lookup(op);
        if (found.helper) return call_helper(op);
        if (!found.value || is_false(*found.value)) return;
        if (found.value->is_array()) {
            for (const auto& item : *found.value) render_body(op, &item);
        } else {
            render_body(op, found.value);
        }
    }

    void inverted(const Op& op) {
        const Found found = lookup(op);
        if (found.helper || (found.value && !is_false(*found.value))) return;
        render_body(op, found.value);
    }

    // The section's body once, with value (when there is one) as the newest item.
    void render_body(const Op& op, const nlohmann::json* value) {
        line_.had_section = true;
        if (stack_.capacity() == 0) stack_.reserve(8);  // one allocation for the usual nesting
        if (value) stack_.push_back(value);
        render(op.body);
        if (value) stack_.pop_back();
        line_.had_section = true;
    }

    void call_helper(const Op& op) {
        const Render render = [this, &op](const std::string& text) { return render_text(op, text); };
        *out_ += names_.has_helper(op.text) ? names_.call_helper(op.text, op.body_text, render)
                                            : detail::call_builtin_helper(op.text, op.body_text, render);
    }

    // What a helper's render function gives: the section's body with the current data (or other
    // text, compiled for the occasion), on lines of its own.
    std::string render_text(const Op& op, const std::string& text) {
        std::string rendered;
        if (text == op.body_text) {
            render_into(rendered, op.body, *page_);
            return rendered;
        }
        if (text.find("{{") == std::string::npos) return text;
        Page page;
        page.files.push_back({page_->files[op.file].name, {}, nullptr});
        page.pieces.push_back({0, 0, op.line});
        page.text = text;
        const auto nodes = detail::parse_flat(page.text, [&](std::size_t offset) {
            auto [file, line] = page.origin(offset);
            return std::pair{page.files[file].name, line};
        });
        page.ops = detail::compile(nodes, page);
        render_into(rendered, page.ops, page);
        return rendered;
    }

    void render_into(std::string& target, const std::vector<Op>& ops, const Page& page) {
        const auto saved = std::tuple{out_, line_, page_};
        out_ = &target;
        line_ = Line{target.size()};
        page_ = &page;
        render(ops);
        end_line();
        std::tie(out_, line_, page_) = saved;
    }

    // The module's helper gets what the section rendered; its result goes into the page.
    void module(const Op& op) {
        const std::size_t start = out_->size();
        line_.pinned = true;
        render(op.body);
        line_.pinned = true;
        std::string content = out_->substr(start);
        out_->resize(start);
        static const Render as_is = [](const std::string& html) { return html; };
        *out_ += names_.call_helper(op.text, content, as_is);
    }

    // A partial that includes itself, rendered with the current data as deep as it goes.
    void partial(const Op& op) {
        const auto& file = page_->files[op.file].name;
        if (depth_ == max_include_depth) {
            throw TemplateError(file, op.line,
                                "partial " + detail::in_quotes(op.text) + " nested more than " +
                                    std::to_string(max_include_depth) + " levels deep");
        }
        const auto included = detail::page(loader_, op.text, detail::Role::Partial, detail::Site{file, op.line});
        check_modules(*included);
        ++depth_;
        std::string& out = *out_;
        render_into(out, included->ops, *included);
        --depth_;
    }

    // A {{#module:Name}} section with no such helper is a mistake, not an empty section.
    void check_modules(const Page& page) const {
        for (const auto& module : page.modules) {
            if (names_.has_helper(module.name)) continue;
            throw TemplateError(page.files[module.file].name, module.line,
                                "unknown UI module " + detail::in_quotes(module.name.substr(7)));
        }
    }

    detail::LoaderImpl& loader_;
    const Context& context_;
    const Namespace& names_;
    std::string* out_;
    const Page* page_ = nullptr;
    Line line_;
    std::vector<const nlohmann::json*> stack_;  // the section values, outermost first
    int depth_ = 0;
};

}  // namespace

std::string Loader::render(std::string_view name, const Context& context, const Namespace& names) const {
    if (const auto* object = context.object(); object && !object->is_object() && !object->is_null()) {
        throw std::invalid_argument("template context must be a JSON object, not " + std::string(object->type_name()));
    }
    const auto page = detail::requested_page(*impl_, name);
    std::string html;
    html.reserve(page->last_size.load(std::memory_order_relaxed));
    Renderer(*impl_, context, names, html).render(*page);
    page->last_size.store(html.size(), std::memory_order_relaxed);
    return html;
}

std::string Loader::render(std::string_view name, const Context& context, const Helpers& helpers) const {
    return render(name, context, HelperMap(helpers));
}

}  // namespace tornado::template_
