// chapters/02-forms/alpha_munger over real sockets: replacement by first letter, unchanged
// words, the stylesheet through static_url.
#include "sample.hpp"

#include <tornado/escape.hpp>

#include <catch2/catch.hpp>

#include <regex>
#include <set>

using tornado::testing::form_post;
using tornado::testing::ServerProcess;

namespace {
ServerProcess start_munger() { return ServerProcess(sample_path("02-forms", "alpha_munger")); }

std::string munge(ServerProcess& app, const std::string& source, const std::string& change) {
    auto body = "source=" + tornado::escape::url_escape(source) + "&change=" + tornado::escape::url_escape(change);
    return app.fetch("/poem", form_post(body)).body;
}
}  // namespace

TEST_CASE("alpha_munger replaces words by source words with the same first letter") {
    auto app = start_munger();
    auto page = munge(app, "apple banana cherry", "avocado blueberry");
    CHECK_THAT(page, Catch::Contains(R"(<span class="replaced" title="avocado">apple</span>)"));
    CHECK_THAT(page, Catch::Contains(R"(<span class="replaced" title="blueberry">banana</span>)"));
}

TEST_CASE("alpha_munger keeps words without a match, marked unchanged") {
    auto app = start_munger();
    auto page = munge(app, "apple", "zebra apricot");
    CHECK_THAT(page, Catch::Contains(R"(<span class="unchanged" title="unchanged">zebra</span>)"));
    CHECK_THAT(page, Catch::Contains(R"(<span class="replaced" title="apricot">apple</span>)"));
}

TEST_CASE("alpha_munger picks among every candidate and handles lines and UTF-8") {
    auto app = start_munger();
    std::set<std::string> seen;
    for (int i = 0; i < 40 && seen.size() < 2; ++i) {
        auto page = munge(app, "sun sky", "star");
        std::smatch match;
        if (std::regex_search(page, match, std::regex(R"(title="star">(\w+)<)"))) seen.insert(match[1]);
    }
    CHECK(seen == std::set<std::string>{"sky", "sun"});
    auto page = munge(app, "été <b>", "éclair\r\n<i>");
    CHECK_THAT(page, Catch::Contains(R"(title="éclair">été</span>)"));
    CHECK_THAT(page, Catch::Contains(R"(title="&lt;i&gt;">&lt;b&gt;</span>)"));
    CHECK_THAT(page, !Catch::Contains("<b>"));
}

TEST_CASE("alpha_munger links its stylesheet through static_url and serves it") {
    auto app = start_munger();
    auto page = app.fetch("/").body;
    std::smatch match;
    REQUIRE(std::regex_search(page, match, std::regex(R"re(href="(/static/style\.css\?v=[0-9a-f]+)")re")));
    auto css = app.fetch(match[1].str());
    CHECK(css.code == 200);
    CHECK(css.headers.get("Content-Type") == "text/css");
    CHECK_THAT(css.body, Catch::Contains(".replaced"));
}
