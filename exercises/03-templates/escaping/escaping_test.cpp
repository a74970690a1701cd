// exercises/03-templates/escaping: what visitors write reaches the page as text, in HTML, in an
// attribute and in a script; the site's own welcome stays HTML.
#include "exercise_test.hpp"

#include <tornado/escape.hpp>

#include <sstream>
#include <string>

using Catch::Contains;
using tornado::testing::form_post;

namespace {
// The first line of the page that starts with start (after its indentation) and holds needle,
// without the indentation; "" when there is none.
std::string line_of(const std::string& page, const std::string& start, const std::string& needle) {
    std::istringstream lines(page);
    for (std::string line; std::getline(lines, line);) {
        line.erase(0, line.find_first_not_of(' '));
        if (line.starts_with(start) && line.find(needle) != std::string::npos) return line;
    }
    return "";
}

// Signs the guestbook as a browser's form would.
tornado::testing::FetchOptions sign(const std::string& name, const std::string& message) {
    using tornado::escape::url_escape;
    return form_post("name=" + url_escape(name) + "&message=" + url_escape(message));
}
}  // namespace

TEST_CASE_METHOD(ExerciseTest, "a posted script message is shown as text and never as a tag") {
    auto posted = fetch("/", sign("Mallory", "<script>alert(1)</script>"));
    CHECK(posted.code == 302);
    CHECK(posted.headers.get("Location") == "/");
    auto entry = line_of(fetch("/").body, "<li", "Mallory");
    INFO("{{message}} escapes < and >, so the browser shows the tag instead of running it");
    CHECK_THAT(entry, Contains(R"(<span class="message">&lt;script&gt;alert(1)&lt;/script&gt;</span>)"));
    CHECK_THAT(entry, !Contains("<script>"));
}

TEST_CASE_METHOD(ExerciseTest, "a double quote in a name cannot break out of the title attribute") {
    fetch("/", sign(R"(Eve" onmouseover="alert(3))", "Hello!"));
    auto entry = line_of(fetch("/").body, "<li", "Hello!");
    INFO("a raw \" ends title=\"…\" and the rest of the name becomes an attribute of its own. "
         "{{name}} escapes \" as &quot;");
    CHECK_THAT(entry, Contains(R"html(title="Signed by Eve&quot; onmouseover=&quot;alert(3)")html"));
    CHECK_THAT(entry, !Contains(R"(onmouseover="alert(3))"));
}

TEST_CASE_METHOD(ExerciseTest, "a name can neither close the script block nor end its string early") {
    fetch("/", sign("</script><script>alert(2)</script>", "Hi!"));
    auto page = fetch("/").body;
    auto script_line = line_of(page, "var latest", "");
    {
        INFO("the browser ends a script at the first </script>, even inside a string. HTML escaping is no "
             "use in a script (&lt; stays four characters there): json_encode writes a JavaScript string, "
             "quotes included, with <\\/ for </");
        CHECK(script_line == R"(var latest = "<\/script><script>alert(2)<\/script>";)");
        CHECK(count(page, "</script>") == 1);
    }
    fetch("/", sign(R"(Bob"; alert(4); ")", "Hi again!"));
    script_line = line_of(fetch("/").body, "var latest", "");
    {
        INFO("inside the JavaScript string, a \" of the name is written \\\"");
        CHECK(script_line == R"(var latest = "Bob\"; alert(4); \"";)");
    }
}

TEST_CASE_METHOD(ExerciseTest, "the trusted welcome stays HTML while the guests' text is escaped") {
    auto page = fetch("/").body;
    auto welcome = line_of(page, R"(<div class="welcome">)", "");
    auto entry = line_of(page, "<li", "Bob");
    {
        INFO("the welcome is HTML the site wrote itself, printed raw with {{{welcome}}}");
        CHECK(welcome ==
              R"(<div class="welcome"><p>Welcome to the guestbook of <em>Burt's Books</em>! Say hello.</p></div>)");
    }
    {
        INFO("Bob's message is a guest's text, so its <b> is shown, not applied");
        CHECK_THAT(entry, Contains(R"(<span class="message">Is there a &lt;b&gt;C++&lt;/b&gt; edition?</span>)"));
    }
}
