// tornado::template_ — Mustache page templates loaded from a directory, with Tornado's extras:
// autoescaping, layout inheritance, partials and helper functions. Counterpart of
// tornado/template.py (the namespace has a trailing underscore: `template` is a C++ keyword).
//
//   {{name}}  escaped (& < > " ')        {{{name}}} {{&name}}  raw
//   {{#list}}…{{/list}}  loop / if        {{^list}}…{{/list}}  else (false, null, "", [])
//   {{<layout}}{{$body}}…{{/body}}{{/layout}}   extend layout.html, overriding its block "body"
//   {{$title}}Default{{/title}}           a block (in a layout: its default content)
//   {{>modules/book}}                     include modules/book.html (it may include itself)
//   {{#static_url}}css/a.css{{/static_url}}   call a helper with the section's text
//   {{#module:Book}}…{{/module:Book}}     a UI module (the helper "module:Book"; unknown: an error)
//   {{! comment }}
//
// Names are paths relative to the loader's root; ".html" is added to a name whose last part has
// no extension. Text inside {{<parent}}…{{/parent}} but outside its blocks is ignored. A partial
// sees the current data, not the blocks of the page that includes it. A tag alone on its line
// (block, parent, comment, partial, section) takes its line break with it.
#pragma once

#include <nlohmann/json.hpp>

#include <functional>
#include <initializer_list>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

namespace tornado::template_ {

namespace detail {
class LoaderImpl;
}

// A template that cannot be loaded or rendered. what() reads "book.html:12: unclosed section
// \"books\""; line() is 0 when no line applies (a missing top-level file).
class TemplateError : public std::runtime_error {
public:
    TemplateError(std::string name, int line, std::string_view message);
    const std::string& name() const { return name_; }
    int line() const { return line_; }

private:
    std::string name_;
    int line_;
};

// A function a template calls as a section: {{#name}}text{{/name}}. It gets the section's raw
// text and a function that renders text with the current data; what it returns goes into the
// page unescaped.
using Render = std::function<std::string(const std::string&)>;
using Helper = std::function<std::string(const std::string& text, const Render& render)>;
using Helpers = std::map<std::string, Helper, std::less<>>;

// Every template also has these helpers, which render their text and then escape it:
// xhtml_escape, url_escape, json_encode (a JSON string, safe inside <script>), linkify
// (HTML-escaped, with http:// and https:// URLs turned into links; {{#linkify:ref=website}}…
// {{/linkify:ref=website}} adds Tornado's extra_params, here ref=website, to each <a> tag), and
// format_date (seconds since the epoch as locale::format_date writes them: "July 9, 2011 at 9:47 pm").

// One value of a context. A JSON lvalue is held by reference (it must outlive the render, as
// it does in `render("page.html", {{"books", books}})`); a temporary is moved in; anything
// else nlohmann::json accepts (strings, numbers, {…} lists and objects) becomes a JSON value.
class Value {
public:
    Value() = default;
    Value(const nlohmann::json& value) : referenced_(&value) {}
    Value(nlohmann::json&& value) : owned_(std::move(value)) {}
    Value(nlohmann::json::initializer_list_t init) : owned_(init) {}
    template <class T>
        requires(!std::is_same_v<std::remove_cvref_t<T>, nlohmann::json> &&
                 !std::is_same_v<std::remove_cvref_t<T>, Value> && std::is_constructible_v<nlohmann::json, T>)
    Value(T&& value) : owned_(std::forward<T>(value)) {}

    const nlohmann::json& get() const { return referenced_ ? *referenced_ : owned_; }

private:
    friend class Context;
    const nlohmann::json* referenced_ = nullptr;
    // mutable: a Context takes it out of a braced list, whose items are const.
    mutable nlohmann::json owned_;
};

// The values a page sees by name: `{{"title", "Dune"}, {"books", books}}`, or a JSON object
// (held by reference when it is an lvalue, moved in when a temporary; null means no values).
// Nothing is deep-copied.
class Context {
public:
    struct Entry {
        Entry(std::string_view name, Value value) : name(name), value(std::move(value)) {}
        std::string name;
        Value value;
    };

    Context() = default;
    Context(std::initializer_list<Entry> entries);
    Context(const nlohmann::json& object) : object_(&object) {}
    Context(nlohmann::json&& object) : owned_(std::move(object)), object_(&owned_) {}
    Context(std::nullptr_t) {}
    Context(Context&& other) noexcept;
    Context& operator=(Context&&) = delete;

    // The value called name, or null when there is none.
    const nlohmann::json* find(std::string_view name) const;
    // The JSON the context was made from (null for a list of entries).
    const nlohmann::json* object() const { return object_; }

private:
    std::vector<Entry> entries_;
    nlohmann::json owned_;
    const nlohmann::json* object_ = nullptr;
};

// What a page sees besides its context (Tornado's template namespace), asked only for the
// names the page uses: values such as the web layer's {{request}}, and helpers. A page looks
// up a name in its context first, then here, then among the built-in helpers.
class Namespace {
public:
    virtual ~Namespace() = default;
    // The value called name, or null.
    virtual const nlohmann::json* find_value(std::string_view name) const;
    virtual bool has_helper(std::string_view name) const = 0;
    // Calls the helper called name (has_helper(name) is true).
    virtual std::string call_helper(std::string_view name, const std::string& text, const Render& render) const = 0;
};

// Includes nested deeper than this (a partial that includes itself) are an error.
inline constexpr int max_include_depth = 100;

// The folders a Loader takes templates from: one, or several searched in order for each name
// (a page, layout or partial comes from the first folder that has it), so an app can reuse
// another's templates and replace some of them with its own:
//   .template_path = {source_dir() + "/templates", shared_dir + "/templates"}
class SearchPath {
public:
    // No folder given: names are paths from the working directory, as with an empty folder name.
    SearchPath() : SearchPath(std::string()) {}
    SearchPath(std::string folder) : folders_{std::move(folder)} {}
    SearchPath(const char* folder) : SearchPath(std::string(folder)) {}
    SearchPath(std::initializer_list<std::string> folders) : folders_(folders) {}
    SearchPath(std::vector<std::string> folders) : folders_(std::move(folders)) {}

    const std::vector<std::string>& folders() const { return folders_; }

private:
    std::vector<std::string> folders_;
};

// Loads templates from files under its folders and renders them. A file is read and compiled
// once; with autoreload (debug mode) a template whose files changed on disk is compiled again.
class Loader {
public:
    explicit Loader(SearchPath path, bool autoreload = false);
    ~Loader();
    Loader(Loader&&) noexcept;
    Loader& operator=(Loader&&) noexcept;

    // The page for template name with context's values (a JSON object or entries; null means
    // none): the whole page, or TemplateError. Numbers print as JSON writes them, booleans only
    // decide sections. helpers (or names) are visible in the page, its layouts and its partials.
    std::string render(std::string_view name, const Context& context, const Helpers& helpers = {}) const;
    std::string render(std::string_view name, const Context& context, const Namespace& names) const;

    const SearchPath& path() const;

private:
    std::unique_ptr<detail::LoaderImpl> impl_;
};

}  // namespace tornado::template_
