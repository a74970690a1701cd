// chapters/02-forms/poemmaker over real sockets: the form, the poem, escaping, UTF-8.
#include "sample.hpp"

#include <catch2/catch.hpp>

using tornado::testing::form_post;
using tornado::testing::ServerProcess;

namespace {
ServerProcess start_poemmaker() { return ServerProcess(sample_path("02-forms", "poemmaker")); }
}  // namespace

TEST_CASE("poemmaker shows the form with its four inputs") {
    auto app = start_poemmaker();
    auto page = app.fetch("/");
    CHECK(page.code == 200);
    CHECK_THAT(page.body, Catch::Contains("<title>Poem Maker Pro</title>"));
    CHECK_THAT(page.body, Catch::Contains(R"(<form method="post" action="/poem">)"));
    for (auto name : {"noun1", "noun2", "verb", "noun3"}) {
        CHECK_THAT(page.body, Catch::Contains(std::string(R"(name=")") + name + '"'));
    }
}

TEST_CASE("poemmaker fills the words into the poem") {
    auto app = start_poemmaker();
    auto poem = app.fetch("/poem", form_post("noun1=roads&noun2=wood&verb=made&noun3=difference"));
    CHECK(poem.code == 200);
    CHECK_THAT(poem.body, Catch::Contains("Two roads diverged in a wood, and I&mdash;<br>"));
    CHECK_THAT(poem.body, Catch::Contains("And that has made all the difference."));
}

TEST_CASE("poemmaker escapes every value and keeps UTF-8") {
    auto app = start_poemmaker();
    auto poem = app.fetch("/poem", form_post("noun1=%3Cscript%3Ealert(1)%3C%2Fscript%3E&noun2=%22quoted%22+%26+%27single%27"
                                             "&verb=%E8%B5%B0&noun3=%E4%B8%8D%E5%90%8C"));
    CHECK(poem.code == 200);
    CHECK_THAT(poem.body, Catch::Contains("Two &lt;script&gt;alert(1)&lt;/script&gt; diverged"));
    CHECK_THAT(poem.body, !Catch::Contains("<script>"));
    CHECK_THAT(poem.body, Catch::Contains("in a &quot;quoted&quot; &amp; &#39;single&#39;, and I"));
    CHECK_THAT(poem.body, Catch::Contains("And that has 走 all the 不同."));
}

TEST_CASE("poemmaker answers 400 for a missing word and 405 for GET /poem") {
    auto app = start_poemmaker();
    auto missing = app.fetch("/poem", form_post("noun1=a&noun2=b&verb=c"));
    CHECK(missing.code == 400);
    CHECK(missing.body == "<html><title>400: Bad Request</title><body>400: Bad Request</body></html>");
    CHECK_THAT(app.output(), Catch::Contains("400 POST /poem (127.0.0.1): Missing argument noun3"));
    CHECK(app.fetch("/poem").code == 405);
}
