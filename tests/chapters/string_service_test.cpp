// chapters/01-hello/string_service: /reverse/<word> and /wrap with textwrap.fill semantics.
#include "sample.hpp"

#include <tornado/escape.hpp>

#include <catch2/catch.hpp>

using tornado::testing::form_post;
using tornado::testing::ServerProcess;

namespace {
std::string wrap(ServerProcess& app, const std::string& text, const std::string& width = "") {
    std::string body = "text=" + tornado::escape::url_escape(text);
    if (!width.empty()) body += "&width=" + width;
    return app.fetch("/wrap", form_post(body)).body;
}
}  // namespace

TEST_CASE("string_service reverses a word") {
    ServerProcess app(sample_path("01-hello", "string_service"));
    CHECK(app.fetch("/reverse/stressed").body == "desserts");
    CHECK(app.fetch("/reverse/slipup").body == "pupils");
    CHECK(app.fetch("/reverse/a").body == "a");
}

TEST_CASE("string_service answers 404 when /reverse/ does not match a word") {
    ServerProcess app(sample_path("01-hello", "string_service"));
    CHECK(app.fetch("/reverse/a-b").code == 404);
    CHECK(app.fetch("/reverse/").code == 404);
    CHECK(app.fetch("/reverse/a/b").code == 404);
}

TEST_CASE("string_service survives a 60,000-letter word and answers the next request") {
    ServerProcess app(sample_path("01-hello", "string_service"));
    const std::string word(60'000, 'a');
    auto response = app.fetch("/reverse/" + word + "b");
    // The reversed word, or 414 where the server caps the request target below this length.
    if (response.code != 414) {
        CHECK(response.code == 200);
        CHECK(response.body == "b" + word);
    }
    CHECK(app.running());
    CHECK(app.fetch("/reverse/stressed").body == "desserts");
}

TEST_CASE("string_service wraps text at the given width") {
    ServerProcess app(sample_path("01-hello", "string_service"));
    const std::string sentence = "I am the very model of a modern major general";
    CHECK(wrap(app, sentence, "15") == "I am the very\nmodel of a\nmodern major\ngeneral");
    CHECK(wrap(app, sentence) == "I am the very model of a modern major\ngeneral");
    // Whitespace at a line break is dropped; long words are broken.
    CHECK(wrap(app, "a  b   c", "3") == "a\nb\nc");
    CHECK(wrap(app, "a  b   c", "4") == "a  b\nc");
    CHECK(wrap(app, "abcdefghij", "4") == "abcd\nefgh\nij");
    CHECK(wrap(app, "ab cd", "1") == "a\nb\nc\nd");
    // Width counts characters, not bytes.
    CHECK(wrap(app, "你好 世界 再见", "5") == "你好 世界\n再见");
}

TEST_CASE("string_service's error cases: missing text 400, bad width 400, zero width 500") {
    ServerProcess app(sample_path("01-hello", "string_service"));
    auto missing = app.fetch("/wrap", form_post("width=10"));
    CHECK(missing.code == 400);
    // Tornado's page; the missing argument is named in the log.
    CHECK(missing.body == "<html><title>400: Bad Request</title><body>400: Bad Request</body></html>");
    CHECK_THAT(app.output(), Catch::Contains("400 POST /wrap (127.0.0.1): Missing argument text"));
    CHECK(app.fetch("/wrap", form_post("text=hello&width=wide")).code == 400);
    // textwrap.fill raises for width 0, so the handler's exception becomes a 500, as in Python.
    CHECK(app.fetch("/wrap", form_post("text=hello&width=0")).code == 500);
    CHECK(app.fetch("/wrap", form_post("text=hello&width=-3")).code == 500);
    CHECK(app.fetch("/wrap").code == 405);
    CHECK(app.fetch("/reverse/ok").body == "ko");
}
