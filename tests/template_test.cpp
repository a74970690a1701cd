#include "tornado/escape.hpp"
#include "tornado/template.hpp"

#include <catch2/catch.hpp>

#include <stdlib.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>
#include <stdexcept>
#include <string>
#include <vector>

using nlohmann::json;
using tornado::template_::Helpers;
using tornado::template_::Loader;
using tornado::template_::TemplateError;
namespace fs = std::filesystem;

namespace {

// A temporary template directory, removed at the end of the test.
class TemplateDir {
public:
    TemplateDir() {
        std::string pattern = (fs::temp_directory_path() / "tornado-template-XXXXXX").string();
        if (!mkdtemp(pattern.data())) throw std::runtime_error("mkdtemp failed");
        root_ = pattern;
    }
    ~TemplateDir() { fs::remove_all(root_); }
    TemplateDir(const TemplateDir&) = delete;
    TemplateDir& operator=(const TemplateDir&) = delete;

    const std::string& root() const { return root_; }

    void write(const std::string& name, const std::string& text) const {
        const fs::path path = fs::path(root_) / name;
        fs::create_directories(path.parent_path());
        std::ofstream(path, std::ios::binary) << text;
    }

    // Rewrites a file and moves its modification time on, so that even a file system with
    // coarse timestamps sees the change.
    void rewrite(const std::string& name, const std::string& text) const {
        const fs::path path = fs::path(root_) / name;
        const auto before = fs::last_write_time(path);
        write(name, text);
        fs::last_write_time(path, before + std::chrono::seconds(2));
    }

private:
    std::string root_;
};

// The TemplateError that rendering name throws.
TemplateError error_of(const Loader& loader, std::string_view name, const json& context = json::object(),
                       const Helpers& helpers = {}) {
    try {
        loader.render(name, context, helpers);
    } catch (const TemplateError& error) {
        return error;
    }
    throw std::runtime_error("expected a TemplateError from " + std::string(name));
}

std::string upper(std::string text) {
    std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return std::toupper(c); });
    return text;
}

const Helpers kHelpers{
    {"static_url", [](const std::string& path, const auto&) { return "/static/" + path + "?v=abc"; }},
    {"upper", [](const std::string& text, const auto& render) { return upper(render(text)); }},
};

}  // namespace

TEST_CASE("variables are replaced and escaped, triple braces and & are raw", "[template]") {
    TemplateDir dir;
    dir.write("hello.html", "Hello, {{name}}! {{{name}}} {{& name}} [{{missing}}]");
    Loader loader(dir.root());
    CHECK(loader.render("hello.html", {{"name", "Tom"}}) == "Hello, Tom! Tom Tom []");
    CHECK(loader.render("hello.html", {{"name", R"(<b>"Tom" & 'Jerry'</b>)"}}) ==
          R"(Hello, &lt;b&gt;&quot;Tom&quot; &amp; &#39;Jerry&#39;&lt;/b&gt;! )"
          R"(<b>"Tom" & 'Jerry'</b> <b>"Tom" & 'Jerry'</b> [])");
}

TEST_CASE("a null context means no values, a context that is not an object is refused", "[template]") {
    TemplateDir dir;
    dir.write("plain.html", "plain {{x}}");
    Loader loader(dir.root());
    CHECK(loader.render("plain.html", nullptr) == "plain ");
    CHECK_THROWS_AS(loader.render("plain.html", json::array()), std::invalid_argument);
}

TEST_CASE("dotted names reach into objects", "[template]") {
    TemplateDir dir;
    dir.write("book.html", "{{book.title}} by {{book.author.name}}");
    Loader loader(dir.root());
    CHECK(loader.render("book.html", {{"book", {{"title", "Dune"}, {"author", {{"name", "Herbert"}}}}}}) ==
          "Dune by Herbert");
}

TEST_CASE("a dotted name is walked only from where its first name is found (Mustache's broken chain)", "[template]") {
    TemplateDir dir;
    dir.write("chain.html", "{{#a}}[{{b.c}}]{{/a}} [{{a.b.c}}]");
    Loader loader(dir.root());
    // Inside {{#a}}, b is a's: its missing c is not looked for in the outer b.
    CHECK(loader.render("chain.html", {{"a", {{"b", json::object()}}}, {"b", {{"c", "outer"}}}}) == "[] []");
    CHECK(loader.render("chain.html", {{"a", {{"x", 1}}}, {"b", {{"c", "outer"}}}}) == "[outer] []");
}

TEST_CASE("sections loop over lists of objects, inverted sections render for empty ones", "[template]") {
    TemplateDir dir;
    dir.write("books.html",
              "<ul>\n"
              "{{#books}}\n"
              "  <li>{{title}} by {{author}}</li>\n"
              "{{/books}}\n"
              "{{^books}}\n"
              "  <li>No books</li>\n"
              "{{/books}}\n"
              "</ul>\n");
    Loader loader(dir.root());
    const json books = {
        {"books", {{{"title", "Dune"}, {"author", "Herbert"}}, {{"title", "Emma"}, {"author", "Austen"}}}}};
    CHECK(loader.render("books.html", books) == "<ul>\n  <li>Dune by Herbert</li>\n  <li>Emma by Austen</li>\n</ul>\n");
    CHECK(loader.render("books.html", {{"books", json::array()}}) == "<ul>\n  <li>No books</li>\n</ul>\n");
    CHECK(loader.render("books.html", json::object()) == "<ul>\n  <li>No books</li>\n</ul>\n");
}

TEST_CASE("lists of strings render with {{.}}", "[template]") {
    TemplateDir dir;
    dir.write("tags.html", "{{#tags}}[{{.}}]{{/tags}}");
    Loader loader(dir.root());
    CHECK(loader.render("tags.html", {{"tags", {"a", "<b>"}}}) == "[a][&lt;b&gt;]");
}

TEST_CASE("numbers print as JSON writes them, booleans, null and \"\" only decide sections", "[template]") {
    TemplateDir dir;
    dir.write("values.html", "{{n}} {{negative}} {{big}} {{price}} {{whole}} [{{yes}}{{no}}{{nothing}}{{empty}}]");
    dir.write("truth.html",
              "{{#yes}}yes{{/yes}}{{^no}} no{{/no}}{{^nothing}} null{{/nothing}}{{^empty}} empty{{/empty}}"
              "{{#zero}} zero={{zero}}{{/zero}}");
    Loader loader(dir.root());
    const json values = {
        {"n", 42},     {"negative", -7}, {"big", 18446744073709551615u}, {"price", 3.25}, {"whole", 2.0},
        {"yes", true}, {"no", false},    {"nothing", nullptr},           {"empty", ""},   {"zero", 0}};
    CHECK(loader.render("values.html", values) == "42 -7 18446744073709551615 3.25 2.0 []");
    CHECK(loader.render("truth.html", values) == "yes no null empty zero=0");
}

TEST_CASE("comments vanish, and so do lines holding only a comment", "[template]") {
    TemplateDir dir;
    dir.write("comments.html", "a{{! inline }}b\n  {{! a whole line }}\nc\n");
    Loader loader(dir.root());
    CHECK(loader.render("comments.html", json::object()) == "ab\nc\n");
}

TEST_CASE("a section tag alone on its line takes the line with it, also with CRLF", "[template]") {
    TemplateDir dir;
    dir.write("crlf.html", "<p>\r\n  {{#a}}\r\nx\r\n  {{/a}}\r\n</p>");
    Loader loader(dir.root());
    CHECK(loader.render("crlf.html", {{"a", true}}) == "<p>\r\nx\r\n</p>");
    CHECK(loader.render("crlf.html", {{"a", false}}) == "<p>\r\n</p>");
}

TEST_CASE("inheritance three levels deep keeps defaults and takes the nearest override", "[template]") {
    TemplateDir dir;
    dir.write("base.html",
              "<title>{{$title}}Burt's Books{{/title}}</title>\n"
              "<body>\n"
              "{{$body}}\n"
              "  <p>Nothing here.</p>\n"
              "{{/body}}\n"
              "<footer>{{$footer}}(c) Burt{{/footer}}</footer>\n"
              "</body>\n");
    dir.write("section.html",
              "{{<base}}\n"
              "This text is outside the blocks, so it is ignored.\n"
              "{{$body}}\n"
              "  <div class=\"section\">\n"
              "  {{$content}}Section default{{/content}}\n"
              "  </div>\n"
              "{{/body}}\n"
              "{{$footer}}Section footer{{/footer}}\n"
              "{{/base}}\n");
    dir.write("page.html",
              "{{<section}}\n"
              "{{$title}}Recommended{{/title}}\n"
              "{{$content}}<p>{{count}} books</p>{{/content}}\n"
              "{{/section}}\n");
    Loader loader(dir.root());

    CHECK(loader.render("base.html", json::object()) ==
          "<title>Burt's Books</title>\n<body>\n  <p>Nothing here.</p>\n<footer>(c) Burt</footer>\n</body>\n");
    CHECK(loader.render("section.html", json::object()) ==
          "<title>Burt's Books</title>\n<body>\n  <div class=\"section\">\n  Section default\n  </div>\n"
          "<footer>Section footer</footer>\n</body>\n");
    CHECK(loader.render("page", {{"count", 3}}) ==
          "<title>Recommended</title>\n<body>\n  <div class=\"section\">\n  <p>3 books</p>\n  </div>\n"
          "<footer>Section footer</footer>\n</body>\n");
}

TEST_CASE("an override block may hold sections, partials and its parent's default of itself", "[template]") {
    TemplateDir dir;
    dir.write("layout.html", "<main>{{$body}}empty{{/body}}</main>");
    dir.write("modules/book.html", "<b>{{title}}</b>");
    dir.write("list.html",
              "{{<layout}}{{$body}}"
              "{{#books}}{{>modules/book.html}};{{/books}}{{^books}}none{{/books}}"
              "{{/body}}{{/layout}}");
    Loader loader(dir.root());
    CHECK(loader.render("list.html", {{"books", {{{"title", "A&B"}}, {{"title", "C"}}}}}) ==
          "<main><b>A&amp;B</b>;<b>C</b>;</main>");
    CHECK(loader.render("list.html", json::object()) == "<main>none</main>");
}

TEST_CASE("a block inside a section of the layout is overridden wherever it sits", "[template]") {
    TemplateDir dir;
    dir.write("layout.html", "{{#user}}Hi {{$greeting}}{{name}}{{/greeting}}!{{/user}}{{^user}}Sign in{{/user}}");
    dir.write("page.html", "{{<layout}}{{$greeting}}dear {{name}}{{/greeting}}{{/layout}}");
    Loader loader(dir.root());
    CHECK(loader.render("page.html", {{"user", {{"name", "Ann"}}}}) == "Hi dear Ann!");
    CHECK(loader.render("page.html", json::object()) == "Sign in");
}

TEST_CASE("partials see the current data, .html may be left out", "[template]") {
    TemplateDir dir;
    dir.write("modules/book.html", "<li>{{title}}</li>\n");
    dir.write("books.html",
              "<ul>\n"
              "{{#books}}\n"
              "  {{>modules/book}}\n"
              "{{/books}}\n"
              "</ul>\n");
    Loader loader(dir.root());
    CHECK(loader.render("books.html", {{"books", {{{"title", "Dune"}}, {{"title", "Emma"}}}}}) ==
          "<ul>\n  <li>Dune</li>\n  <li>Emma</li>\n</ul>\n");
}

namespace {

json tree_node(const std::string& name, int depth, int width) {
    json node = {{"name", name}, {"sub", false}};
    if (depth == 0) return node;
    json items = json::array();
    for (int i = 0; i < width; ++i) items.push_back(tree_node(name + "<" + std::to_string(i) + ">", depth - 1, width));
    node["sub"] = {{"items", items}};
    return node;
}

std::string expected_tree(const json& node) {
    std::string html = "<li>" + tornado::escape::xhtml_escape(node["name"].get<std::string>());
    if (node["sub"].is_object()) {
        html += "<ul>";
        for (const auto& item : node["sub"]["items"]) html += expected_tree(item);
        html += "</ul>";
    }
    return html + "</li>";
}

}  // namespace

TEST_CASE("a partial that includes itself renders a tree", "[template]") {
    TemplateDir dir;
    dir.write("tree.html", "<li>{{name}}{{#sub}}<ul>{{#items}}{{>tree}}{{/items}}</ul>{{/sub}}</li>");
    dir.write("page.html", "<ul>{{#root}}{{>tree}}{{/root}}</ul>");
    Loader loader(dir.root());

    const json small = tree_node("r", 3, 2);
    CHECK(loader.render("page.html", {{"root", small}}) == "<ul>" + expected_tree(small) + "</ul>");
    CHECK(loader.render("tree.html", small) == expected_tree(small));

    const json deep = tree_node("d", tornado::template_::max_include_depth - 1, 1);
    CHECK(loader.render("tree.html", deep) == expected_tree(deep));
}

TEST_CASE("endless recursion through partials is an error, not a stack overflow", "[template]") {
    TemplateDir dir;
    dir.write("loop.html", "x\n{{>loop}}");
    dir.write("ping.html", "{{>pong}}");
    dir.write("pong.html", "{{#always}}{{>ping}}{{/always}}");
    Loader loader(dir.root());

    auto error = error_of(loader, "loop.html");
    CHECK(error.name() == "loop.html");
    CHECK(error.line() == 2);
    CHECK(std::string(error.what()) == "loop.html:2: partial \"loop.html\" nested more than 100 levels deep");

    error = error_of(loader, "ping.html", {{"always", true}});
    CHECK(error.name() == "pong.html");
    CHECK(error.line() == 1);
    CHECK(loader.render("ping.html", json::object()).empty());
}

TEST_CASE("helpers get the section's text and can render it, they reach parents and partials", "[template]") {
    TemplateDir dir;
    dir.write("layout.html", "<link href=\"{{#static_url}}css/style.css{{/static_url}}\">{{$body}}{{/body}}");
    dir.write("modules/name.html", "{{#upper}}{{name}}{{/upper}}");
    dir.write("page.html",
              "{{<layout}}{{$body}}Hi {{>modules/name}}! {{#upper}}a<{{{name}}}>{{/upper}}{{/body}}{{/layout}}");
    Loader loader(dir.root());
    CHECK(loader.render("page.html", {{"name", "<bob>"}}, kHelpers) ==
          "<link href=\"/static/css/style.css?v=abc\">Hi &LT;BOB&GT;! A<<BOB>>");
}

TEST_CASE("a context value shadows a helper of the same name", "[template]") {
    TemplateDir dir;
    dir.write("page.html", "{{upper}} {{#upper}}x{{/upper}}");
    Loader loader(dir.root());
    CHECK(loader.render("page.html", {{"upper", "U"}}, kHelpers) == "U x");
}

TEST_CASE("an unknown helper is a section with a false value", "[template]") {
    TemplateDir dir;
    dir.write("page.html", "[{{#nonesuch}}hidden{{/nonesuch}}]");
    Loader loader(dir.root());
    CHECK(loader.render("page.html", json::object()) == "[]");
}

TEST_CASE("built-in helpers render their text then escape it", "[template]") {
    TemplateDir dir;
    dir.write("escapes.html",
              "{{#xhtml_escape}}{{{html}}}{{/xhtml_escape}}|"
              "{{#url_escape}}{{{query}}}{{/url_escape}}|"
              "<script>var s = {{#json_encode}}{{{script}}}{{/json_encode}};</script>");
    dir.write("comment.html", "<p>{{#linkify}}{{{comment}}}{{/linkify}}</p>");
    Loader loader(dir.root());
    const json values = {{"html", "<i>&</i>"}, {"query", "a b&c=d/é"}, {"script", "</script>\"x\""}};
    CHECK(loader.render("escapes.html", values) ==
          "&lt;i&gt;&amp;&lt;/i&gt;|a+b%26c%3Dd%2F%C3%A9|<script>var s = \"<\\/script>\\\"x\\\"\";</script>");
    CHECK(loader.render("comment.html", {{"comment", "See http://example.com/a?b=1&c=2. <b>Or</b> https://x.org"}}) ==
          "<p>See <a href=\"http://example.com/a?b=1&amp;c=2\">http://example.com/a?b=1&amp;c=2</a>. "
          "&lt;b&gt;Or&lt;/b&gt; <a href=\"https://x.org\">https://x.org</a></p>");
    CHECK(
        loader.render("comment.html", {{"comment", "(https://en.wikipedia.org/wiki/Foo_(bar)) xhttp://no http://"}}) ==
        "<p>(<a href=\"https://en.wikipedia.org/wiki/Foo_(bar)\">https://en.wikipedia.org/wiki/Foo_(bar)</a>) "
        "xhttp://no http://</p>");
    CHECK(loader.render("comment.html", {{"comment", "'http://a.com/x' \"https://b.com\""}}) ==
          "<p>&#39;<a href=\"http://a.com/x\">http://a.com/x</a>&#39; "
          "&quot;<a href=\"https://b.com\">https://b.com</a>&quot;</p>");
}

TEST_CASE("linkify:<params> passes Tornado's extra_params, in pages and partials", "[template]") {
    TemplateDir dir;
    dir.write("footer.html", "{{#linkify:ref=website}}Follow {{{url}}}{{/linkify:ref=website}}");
    dir.write("page.html", "<p>{{>footer}}</p><p>{{#linkify:class=\"x\"}}<b>{{{url}}}</b>{{/linkify:class=\"x\"}}</p>");
    Loader loader(dir.root());
    CHECK(loader.render("page.html", {{"url", "https://facebook.com/burtsbooks"}}) ==
          "<p>Follow <a href=\"https://facebook.com/burtsbooks\" ref=website>https://facebook.com/burtsbooks</a></p>"
          "<p>&lt;b&gt;<a href=\"https://facebook.com/burtsbooks\" class=\"x\">https://facebook.com/burtsbooks</a>"
          "&lt;/b&gt;</p>");
}

TEST_CASE("format_date writes seconds since the epoch as a date", "[template]") {
    TemplateDir dir;
    dir.write("page.html", "Added: {{#format_date}}{{date_added}}{{/format_date}}");
    Loader loader(dir.root());
    // Years ago, so the full form (tornado.locale's en_US format_date(1310248056, relative=False)).
    CHECK(loader.render("page.html", {{"date_added", 1310248056}}) == "Added: July 9, 2011 at 9:47 pm");
    CHECK_THROWS_WITH(loader.render("page.html", {{"date_added", "last week"}}),
                      Catch::Contains("format_date needs seconds since the epoch"));
}

TEST_CASE("without autoreload a template is read once", "[template]") {
    TemplateDir dir;
    dir.write("page.html", "old {{x}}");
    Loader loader(dir.root());
    CHECK(loader.render("page.html", {{"x", 1}}) == "old 1");
    dir.rewrite("page.html", "new {{x}}");
    CHECK(loader.render("page.html", {{"x", 2}}) == "old 2");
    CHECK(Loader(dir.root()).render("page.html", {{"x", 3}}) == "new 3");
}

TEST_CASE("with autoreload a changed page, layout or partial is read again", "[template]") {
    TemplateDir dir;
    dir.write("layout.html", "[{{$body}}{{/body}}]");
    dir.write("part.html", "part1");
    dir.write("page.html", "{{<layout}}{{$body}}page1 {{>part}}{{/body}}{{/layout}}");
    Loader loader(dir.root(), true);
    CHECK(loader.render("page.html", json::object()) == "[page1 part1]");
    dir.rewrite("page.html", "{{<layout}}{{$body}}page2 {{>part}}{{/body}}{{/layout}}");
    CHECK(loader.render("page.html", json::object()) == "[page2 part1]");
    dir.rewrite("layout.html", "<{{$body}}{{/body}}>");
    CHECK(loader.render("page.html", json::object()) == "<page2 part1>");
    dir.rewrite("part.html", "part2");
    CHECK(loader.render("page.html", json::object()) == "<page2 part2>");

    dir.rewrite("part.html", "{{#broken}}");
    CHECK(error_of(loader, "page.html").what() == std::string("part.html:1: unclosed section \"broken\""));
    dir.rewrite("part.html", "fixed");
    CHECK(loader.render("page.html", json::object()) == "<page2 fixed>");
    fs::remove(fs::path(dir.root()) / "part.html");
    CHECK(error_of(loader, "page.html").what() == std::string("page.html:1: partial \"part.html\" not found"));
}

TEST_CASE("several folders are searched in order for pages, layouts and partials", "[template]") {
    TemplateDir own;
    TemplateDir shared;
    shared.write("layout.html", "<main>{{$body}}{{/body}}</main>");
    shared.write("page.html", "{{<layout}}{{$body}}{{>modules/item}} {{>modules/price}}{{/body}}{{/layout}}");
    shared.write("modules/item.html", "item {{name}}");
    shared.write("modules/price.html", "shared price");
    own.write("modules/price.html", "own price {{price}}");  // replaces the shared partial
    Loader loader({own.root(), shared.root()});
    CHECK(loader.render("page.html", {{"name", "<b>"}, {"price", 3}}) == "<main>item &lt;b&gt; own price 3</main>");
    CHECK(Loader({shared.root(), own.root()}).render("page.html", {{"name", "x"}}) == "<main>item x shared price</main>");
    CHECK(error_of(loader, "nope.html").what() ==
          "nope.html: template not found in \"" + own.root() + "\", \"" + shared.root() + "\"");
}

TEST_CASE("with autoreload a file that appears in an earlier folder takes over", "[template]") {
    TemplateDir own;
    TemplateDir shared;
    shared.write("page.html", "shared {{>part}}");
    shared.write("part.html", "part");
    Loader loader({own.root(), shared.root()}, true);
    CHECK(loader.render("page.html", json::object()) == "shared part");
    own.write("part.html", "own part");
    CHECK(loader.render("page.html", json::object()) == "shared own part");
    fs::remove(fs::path(own.root()) / "part.html");
    CHECK(loader.render("page.html", json::object()) == "shared part");
}

TEST_CASE("syntax errors name the file and line", "[template]") {
    TemplateDir dir;
    std::string eleven_lines;
    for (int i = 1; i <= 11; ++i) eleven_lines += "<p>line " + std::to_string(i) + "</p>\n";
    dir.write("book.html", eleven_lines + "{{#books}}\n<li>{{title}}</li>\n");
    dir.write("mismatched.html", "{{#a}}\n{{#b}}\n{{/a}}\n");
    dir.write("stray.html", "{{! comment }}\n\n{{/x}}");
    dir.write("tag.html", "ok\n{{name\n");
    dir.write("block.html", "{{$title}}\nTitle\n");
    dir.write("parent.html", "\n{{<layout}}{{$title}}x{{/title}}");
    dir.write("delimiters.html", "{{=<% %>=}}");
    dir.write("nameless.html", "{{#}}{{/}}");
    Loader loader(dir.root());

    const auto book = error_of(loader, "book.html");
    CHECK(book.name() == "book.html");
    CHECK(book.line() == 12);
    CHECK(book.what() == std::string("book.html:12: unclosed section \"books\""));
    CHECK(error_of(loader, "mismatched.html").what() ==
          std::string("mismatched.html:3: mismatched \"{{/a}}\": section \"b\" from line 2 is still open"));
    CHECK(error_of(loader, "stray.html").what() == std::string("stray.html:3: \"{{/x}}\" closes no open section"));
    CHECK(error_of(loader, "tag.html").what() == std::string("tag.html:2: unclosed tag \"{{name\""));
    CHECK(error_of(loader, "block.html").what() == std::string("block.html:1: unclosed block \"title\""));
    CHECK(error_of(loader, "parent.html").what() == std::string("parent.html:2: unclosed parent \"layout\""));
    CHECK(error_of(loader, "delimiters.html").what() ==
          std::string("delimiters.html:1: set-delimiter tags are not supported"));
    CHECK(error_of(loader, "nameless.html").what() == std::string("nameless.html:1: tag {{#}} has no name"));
}

TEST_CASE("an error in a layout names the layout, with lines counted in its own file", "[template]") {
    TemplateDir dir;
    dir.write("base.html", "{{! standalone }}\n{{$a}}\n\n{{/a}}\n{{#open}}\n");
    dir.write("page.html", "{{<base}}{{$a}}x{{/a}}{{/base}}");
    Loader loader(dir.root());
    const auto error = error_of(loader, "page.html");
    CHECK(error.name() == "base.html");
    CHECK(error.line() == 5);
}

TEST_CASE("missing files, parents and partials are errors naming where they were wanted", "[template]") {
    TemplateDir dir;
    dir.write("orphan.html", "{{<nowhere}}{{/nowhere}}");
    dir.write("page.html", "one\ntwo\n{{>sidebar}}");
    Loader loader(dir.root());

    const auto missing = error_of(loader, "nope.html");
    CHECK(missing.name() == "nope.html");
    CHECK(missing.line() == 0);
    CHECK(missing.what() == "nope.html: template not found in \"" + dir.root() + "\"");
    CHECK(error_of(loader, "orphan.html").what() ==
          std::string("orphan.html:1: parent template \"nowhere.html\" not found"));
    CHECK(error_of(loader, "page.html").what() == std::string("page.html:3: partial \"sidebar.html\" not found"));
}

TEST_CASE("a layout that extends itself, directly or not, is an error", "[template]") {
    TemplateDir dir;
    dir.write("a.html", "{{<b}}{{/b}}");
    dir.write("b.html", "\n{{<a}}{{/a}}");
    Loader loader(dir.root());
    CHECK(error_of(loader, "a.html").what() == std::string("b.html:2: inheritance loop: a.html -> b.html -> a.html"));
}

TEST_CASE("names that leave the template directory are refused", "[template]") {
    TemplateDir dir;
    dir.write("secret.html", "secret");
    dir.write("pages/page.html", "{{>../secret.html}}");
    Loader loader(dir.root() + "/pages");
    for (std::string name : {"../secret.html", "/etc/passwd", "a/../../secret.html", "", "a//b.html", "./page.html"}) {
        const auto error = error_of(loader, name);
        CHECK(error.name() == name);
        CHECK(std::string(error.what()).find("bad template name") != std::string::npos);
    }
    const auto error = error_of(loader, "page.html");
    CHECK(error.what() ==
          std::string(
              "page.html:1: bad template name \"../secret.html\": use a relative path inside the template directory"));
}

TEST_CASE("a helper used as a variable is an error naming the tag, the page still renders after", "[template]") {
    TemplateDir dir;
    dir.write("page.html", "{{#flag}}\nurl:\n{{static_url}}{{/flag}}");
    Loader loader(dir.root());
    const auto error = error_of(loader, "page.html", {{"flag", true}}, kHelpers);
    CHECK(error.name() == "page.html");
    CHECK(error.line() == 3);
    CHECK(std::string(error.what()).starts_with("page.html:3: helper \"static_url\" used as a variable"));
    CHECK(loader.render("page.html", {{"flag", true}}) == "url:\n");
}

TEST_CASE("a helper's exception passes through and leaves the loader usable", "[template]") {
    TemplateDir dir;
    dir.write("page.html", "a{{#fail}}x{{/fail}}b");
    Loader loader(dir.root());
    const Helpers failing{
        {"fail", [](const std::string&, const auto&) -> std::string { throw std::domain_error("no"); }}};
    CHECK_THROWS_AS(loader.render("page.html", json::object(), failing), std::domain_error);
    CHECK(loader.render("page.html", json::object()) == "ab");
}

TEST_CASE("text from different files that forms a broken tag is reported where it starts", "[template]") {
    TemplateDir dir;
    dir.write("open.html", "\n{");
    dir.write("page.html", "{{>open}}{{x}}");
    Loader loader(dir.root());
    const auto error = error_of(loader, "page.html");
    CHECK(error.name() == "open.html");
    CHECK(error.line() == 2);
}

TEST_CASE("a large template with a large context renders completely", "[template]") {
    TemplateDir dir;
    std::string big = "{{<layout}}\n{{$body}}\n";
    for (int i = 0; i < 2000; ++i)
        big += "<p>{{#section" + std::to_string(i % 7) + "}}{{title}}{{/section" + std::to_string(i % 7) + "}}</p>\n";
    big += "{{#books}}{{>row}}{{/books}}{{/body}}{{/layout}}";
    dir.write("big.html", big);
    dir.write("layout.html", "<html>{{$body}}{{/body}}</html>");
    dir.write("row.html", "<tr><td>{{id}}</td><td>{{title}}</td><td>{{#tags}}{{.}},{{/tags}}</td></tr>\n");

    json books = json::array();
    std::string rows;
    for (int i = 0; i < 5000; ++i) {
        books.push_back({{"id", i}, {"title", "Book <" + std::to_string(i) + ">"}, {"tags", {"a", "b"}}});
        rows +=
            "<tr><td>" + std::to_string(i) + "</td><td>Book &lt;" + std::to_string(i) + "&gt;</td><td>a,b,</td></tr>\n";
    }
    std::string paragraphs;
    for (int i = 0; i < 2000; ++i) paragraphs += i % 7 == 3 ? "<p>T</p>\n" : "<p></p>\n";

    Loader loader(dir.root());
    const json context = {{"books", books}, {"section3", true}, {"title", "T"}};
    const std::string html = loader.render("big.html", context);
    CHECK(html == "<html>" + paragraphs + rows + "</html>");
    CHECK(loader.render("big.html", context) == html);
}

TEST_CASE("a Loader can be moved", "[template]") {
    TemplateDir dir;
    dir.write("page.html", "moved");
    Loader first(dir.root());
    Loader second = std::move(first);
    CHECK(second.render("page.html", json::object()) == "moved");
    CHECK(second.path().folders() == std::vector<std::string>{dir.root()});
}

TEST_CASE("a context reads JSON lvalues where they are and moves temporaries in", "[template]") {
    const json books = {{{"title", "Dune"}}, {{"title", "Emma"}}};
    json notes = {{"text", std::string(100, 'n')}};
    const char* const notes_text = notes["text"].get_ref<const std::string&>().data();

    const tornado::template_::Context context{{"books", books}, {"notes", std::move(notes)}, {"count", 2}};
    CHECK(context.find("books") == &books);
    CHECK(context.find("notes")->at("text").get_ref<const std::string&>().data() == notes_text);
    CHECK(*context.find("count") == 2);
    CHECK(context.find("missing") == nullptr);

    const json object = {{"title", "Dune"}};
    const tornado::template_::Context whole(object);
    CHECK(whole.find("title") == &object["title"]);

    TemplateDir dir;
    dir.write("page.html", "{{count}}:{{#books}}[{{title}}]{{/books}} {{notes.text}}");
    CHECK(Loader(dir.root()).render("page.html", context) == "2:[Dune][Emma] " + std::string(100, 'n'));
}

namespace {
// A namespace with one value and one helper, counting the lookups of its value.
struct CountingNamespace : tornado::template_::Namespace {
    json site = {{"name", "Burt's"}};
    mutable int value_lookups = 0;
    const json* find_value(std::string_view name) const override {
        ++value_lookups;
        return name == "site" ? &site : nullptr;
    }
    bool has_helper(std::string_view name) const override { return name == "shout"; }
    std::string call_helper(std::string_view, const std::string& text,
                            const tornado::template_::Render& render) const override {
        return upper(render(text));
    }
};
}  // namespace

TEST_CASE("a namespace adds values and helpers behind the context", "[template]") {
    TemplateDir dir;
    dir.write("part.html", "{{site.name}}");
    dir.write("page.html", "{{#books}}{{#shout}}{{title}}{{/shout}} at {{>part}};{{/books}}{{^nonesuch}}!{{/nonesuch}}");
    Loader loader(dir.root());
    CountingNamespace names;
    CHECK(loader.render("page.html", {{"books", {{{"title", "Dune"}}}}}, names) == "DUNE at Burt&#39;s;!");
    CHECK(loader.render("page.html", {{"books", {{{"title", "Dune"}}}}, {"site", {{"name", "ours"}}}}, names) ==
          "DUNE at ours;!");
    CHECK(names.value_lookups > 0);
}

TEST_CASE("a helper may render text other than its section's", "[template]") {
    TemplateDir dir;
    dir.write("page.html", "{{#twice}}{{name}};{{/twice}}");
    const Helpers helpers{
        {"twice", [](const std::string& text, const auto& render) { return render(text + "<{{{name}}}>"); }}};
    CHECK(Loader(dir.root()).render("page.html", {{"name", "<b>"}}, helpers) == "&lt;b&gt;;<<b>>");
}

TEST_CASE("a line left blank by a section that rendered vanishes, as kainjow made it", "[template]") {
    TemplateDir dir;
    dir.write("page.html", "<p>\n  {{#items}}{{/items}}  {{#items}}{{/items}}\n</p>");
    Loader loader(dir.root());
    CHECK(loader.render("page.html", {{"items", {1}}}) == "<p>\n</p>");
    CHECK(loader.render("page.html", {{"items", json::array()}}) == "<p>\n    \n</p>");
}

TEST_CASE("a context nested 10,000 deep renders without recursing on the data", "[template]") {
    json deep = "leaf";
    for (int i = 0; i < 10'000; ++i) deep = json{{"child", std::move(deep)}};
    TemplateDir dir;
    dir.write("node.html", "<{{#child}}{{>node}}{{/child}}>");
    dir.write("page.html", "[{{child}}{{{child}}}{{child.child.child.child}}]{{#child}}{{#child}}ok{{/child}}{{/child}}");
    Loader loader(dir.root());
    const tornado::template_::Context context{{"child", deep}};
    CHECK(loader.render("page.html", context) == "[]ok");
    CHECK_THROWS_WITH(loader.render("node.html", context), Catch::Contains("nested more than 100 levels deep"));
}
