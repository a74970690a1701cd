#include "tornado/escape.hpp"

#include <catch2/catch.hpp>

#include <string>

using namespace std::string_literals;
namespace escape = tornado::escape;

TEST_CASE("xhtml_escape escapes the five HTML metacharacters", "[escape]") {
    CHECK(escape::xhtml_escape(R"(<a href="x?a=1&b='2'">)") ==
          "&lt;a href=&quot;x?a=1&amp;b=&#39;2&#39;&quot;&gt;");
    CHECK(escape::xhtml_escape("plain 你好") == "plain 你好");
    CHECK(escape::xhtml_escape("").empty());
}

TEST_CASE("xhtml_unescape reverses xhtml_escape", "[escape]") {
    const std::string text = R"(<p class="a">Tom & 'Jerry'</p>)";
    CHECK(escape::xhtml_unescape(escape::xhtml_escape(text)) == text);
    CHECK(escape::xhtml_unescape("&amp;lt;") == "&lt;");
}

TEST_CASE("xhtml_unescape decodes numeric character references", "[escape]") {
    CHECK(escape::xhtml_unescape("&#39;&#x27;&#X41;&#20320;&#x597D;") == "''A你好");
}

TEST_CASE("xhtml_unescape keeps what is not a known reference", "[escape]") {
    CHECK(escape::xhtml_unescape("a & b; c") == "a & b; c");
    CHECK(escape::xhtml_unescape("&amp") == "&amp");
    CHECK(escape::xhtml_unescape("&bogus;") == "&bogus;");
    CHECK(escape::xhtml_unescape("&#xZZ;&#;&#x;") == "&#xZZ;&#;&#x;");
    CHECK(escape::xhtml_unescape("&#x110000;&#xD800;") == "&#x110000;&#xD800;");
    CHECK(escape::xhtml_unescape("&&lt;") == "&<");
    CHECK(escape::xhtml_unescape("trailing &") == "trailing &");
}

TEST_CASE("url_escape keeps only unreserved characters", "[escape]") {
    CHECK(escape::url_escape("a b&c=d/é~") == "a+b%26c%3Dd%2F%C3%A9~");
    CHECK(escape::url_escape("a b+c", false) == "a%20b%2Bc");
    CHECK(escape::url_escape("AZaz09-_.~") == "AZaz09-_.~");
    CHECK(escape::url_escape("\0\xff"s) == "%00%FF");
    CHECK(escape::url_escape("").empty());
}

TEST_CASE("url_unescape decodes escapes and plus signs", "[escape]") {
    CHECK(escape::url_unescape("a+b%2B%2b") == "a b++");
    CHECK(escape::url_unescape("a+b%2B", false) == "a+b+");
    CHECK(escape::url_unescape("%E4%BD%A0%e5%a5%bd") == "你好");
    CHECK(escape::url_unescape("%00x") == "\0x"s);
}

TEST_CASE("url_unescape keeps malformed escapes", "[escape]") {
    CHECK(escape::url_unescape("%zz%4%") == "%zz%4%");
    CHECK(escape::url_unescape("100%") == "100%");
    CHECK(escape::url_unescape("%4g%%41") == "%4g%A");
}

TEST_CASE("url_escape and url_unescape round trip every byte", "[escape]") {
    std::string all_bytes;
    for (int byte = 0; byte < 256; ++byte) all_bytes += static_cast<char>(byte);
    CHECK(escape::url_unescape(escape::url_escape(all_bytes)) == all_bytes);
    CHECK(escape::url_unescape(escape::url_escape(all_bytes, false), false) == all_bytes);
}

TEST_CASE("json_encode escapes closing tags", "[escape]") {
    CHECK(escape::json_encode(nlohmann::json{{"a", "</script>"}}) == R"({"a":"<\/script>"})");
    CHECK(escape::json_encode(nlohmann::json::array({1, "x", nullptr})) == R"([1,"x",null])");
    CHECK(escape::json_encode("a<b") == R"("a<b")");
}

TEST_CASE("json_decode parses JSON and rejects malformed input", "[escape]") {
    const nlohmann::json value = escape::json_decode(R"({"name": "你好", "list": [1, 2.5, true]})");
    CHECK(value["name"] == "你好");
    CHECK(value["list"][1] == 2.5);
    CHECK(escape::json_decode(escape::json_encode({{"a", "</b>"}}))["a"] == "</b>");
    CHECK_THROWS_AS(escape::json_decode("{\"a\": }"), nlohmann::json::parse_error);
    CHECK_THROWS_AS(escape::json_decode(""), nlohmann::json::parse_error);
}

TEST_CASE("is_valid_utf8 accepts well-formed text", "[escape]") {
    CHECK(escape::is_valid_utf8(""));
    CHECK(escape::is_valid_utf8("ascii \0 nul"s));
    CHECK(escape::is_valid_utf8("héllo 你好 😀"));
    CHECK(escape::is_valid_utf8("\xf4\x8f\xbf\xbf"));  // U+10FFFF
    CHECK(escape::is_valid_utf8("\xed\x9f\xbf"));      // U+D7FF
}

TEST_CASE("is_valid_utf8 rejects malformed text", "[escape]") {
    CHECK_FALSE(escape::is_valid_utf8("\x80"));              // lone continuation byte
    CHECK_FALSE(escape::is_valid_utf8("\xc3"));              // truncated
    CHECK_FALSE(escape::is_valid_utf8("\xe4\xbd"));          // truncated
    CHECK_FALSE(escape::is_valid_utf8("\xc3("));             // bad continuation
    CHECK_FALSE(escape::is_valid_utf8("\xc0\xaf"));          // overlong '/'
    CHECK_FALSE(escape::is_valid_utf8("\xe0\x80\xaf"));      // overlong '/'
    CHECK_FALSE(escape::is_valid_utf8("\xf0\x80\x80\xaf"));  // overlong '/'
    CHECK_FALSE(escape::is_valid_utf8("\xed\xa0\x80"));      // surrogate U+D800
    CHECK_FALSE(escape::is_valid_utf8("\xed\xbf\xbf"));      // surrogate U+DFFF
    CHECK_FALSE(escape::is_valid_utf8("\xf4\x90\x80\x80"));  // U+110000
    CHECK_FALSE(escape::is_valid_utf8("\xf8\x88\x80\x80\x80"));
    CHECK_FALSE(escape::is_valid_utf8("\xff"));
}

TEST_CASE("linkify escapes text and links http(s) URLs") {
    using tornado::escape::linkify;
    CHECK(linkify("see http://example.com/a?b=1&c=2.") ==
          R"(see <a href="http://example.com/a?b=1&amp;c=2">http://example.com/a?b=1&amp;c=2</a>.)");
    CHECK(linkify("<b>https://x.org</b>") == R"(&lt;b&gt;<a href="https://x.org">https://x.org</a>&lt;/b&gt;)");
    CHECK(linkify("(http://x.org/wiki/A_(b))") == R"html((<a href="http://x.org/wiki/A_(b)">http://x.org/wiki/A_(b)</a>))html");
    CHECK(linkify("no links, javascript:alert(1)") == "no links, javascript:alert(1)");
    CHECK(linkify("xhttp://not.a.link") == "xhttp://not.a.link");
}

TEST_CASE("linkify writes extra_params into each link's tag, as Tornado does") {
    using tornado::escape::linkify;
    // What Python's tornado.escape.linkify(text, extra_params='ref=website') returns.
    CHECK(linkify("https://facebook.com/burtsbooks", "ref=website") ==
          R"(<a href="https://facebook.com/burtsbooks" ref=website>https://facebook.com/burtsbooks</a>)");
    CHECK(linkify("http://a.org and http://b.org", "  rel=\"nofollow\" ") ==
          R"(<a href="http://a.org" rel="nofollow">http://a.org</a> and <a href="http://b.org" rel="nofollow">http://b.org</a>)");
    CHECK(linkify("no link here", "ref=website") == "no link here");
    CHECK(linkify("http://a.org", "   ") == R"(<a href="http://a.org">http://a.org</a>)");
}
