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
#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>

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
using Helper =
    std::function<std::string(const std::string& text, const std::function<std::string(const std::string&)>& render)>;
using Helpers = std::map<std::string, Helper, std::less<>>;

// Every template also has these helpers, which render their text and then escape it:
// xhtml_escape, url_escape, json_encode (a JSON string, safe inside <script>), linkify
// (HTML-escaped, with http:// and https:// URLs turned into links; {{#linkify:ref=website}}…
// {{/linkify:ref=website}} adds Tornado's extra_params, here ref=website, to each <a> tag), and
// format_date (seconds since the epoch as locale::format_date writes them: "July 9, 2011 at 9:47 pm").

// Includes nested deeper than this (a partial that includes itself) are an error.
inline constexpr int max_include_depth = 100;

// Loads templates from files under root and renders them. A file is read and prepared once;
// with autoreload (debug mode) a template whose files changed on disk is prepared again.
class Loader {
public:
    explicit Loader(std::string root, bool autoreload = false);
    ~Loader();
    Loader(Loader&&) noexcept;
    Loader& operator=(Loader&&) noexcept;

    // The page for template name with context's values (a JSON object; null means none): the
    // whole page, or TemplateError. Numbers print as JSON writes them, booleans only decide
    // sections. helpers are visible in the page, its layouts and its partials.
    std::string render(std::string_view name, const nlohmann::json& context, const Helpers& helpers = {}) const;

    const std::string& root() const;

private:
    std::unique_ptr<detail::LoaderImpl> impl_;
};

}  // namespace tornado::template_
