// Expected values come from CPython 3.11's textwrap.wrap / textwrap.fill.
#include "tornado/textwrap.hpp"

#include <catch2/catch.hpp>

#include <stdexcept>
#include <string>
#include <vector>

using tornado::textwrap::fill;
using tornado::textwrap::wrap;
using Lines = std::vector<std::string>;

TEST_CASE("wrap breaks between words", "[textwrap]") {
    CHECK(wrap("The quick brown fox jumps over the lazy dog", 10) ==
          Lines{"The quick", "brown fox", "jumps over", "the lazy", "dog"});
    CHECK(wrap("one two") == Lines{"one two"});
}

TEST_CASE("fill joins the lines with newlines", "[textwrap]") {
    CHECK(fill("The quick brown fox jumps over the lazy dog", 15) == "The quick brown\nfox jumps over\nthe lazy dog");
    CHECK(fill("one two", 70) == "one two");
    CHECK(fill("Hello there -- you goof-ball, use the -b option!", 8) ==
          "Hello\nthere --\nyou\ngoof-\nball,\nuse the\n-b\noption!");
}

TEST_CASE("wrap of empty or blank text gives no lines", "[textwrap]") {
    CHECK(wrap("", 10).empty());
    CHECK(wrap("  \t\n ", 10).empty());
    CHECK(fill("", 10).empty());
    CHECK(fill("   ", 10).empty());
}

TEST_CASE("wrap rejects a zero width", "[textwrap]") {
    CHECK_THROWS_WITH(wrap("text", 0), "invalid width 0 (must be > 0)");
    CHECK_THROWS_WITH(fill("text", -3), "invalid width -3 (must be > 0)");
    CHECK_THROWS_AS(fill("text", 0), std::invalid_argument);
}

TEST_CASE("wrap breaks words longer than the width", "[textwrap]") {
    CHECK(wrap("Supercalifragilisticexpialidocious is long", 10) ==
          Lines{"Supercalif", "ragilistic", "expialidoc", "ious is", "long"});
    CHECK(wrap("xxxxxxxxxxxx", 5) == Lines{"xxxxx", "xxxxx", "xx"});
    CHECK(wrap("hello world", 1) == Lines{"h", "e", "l", "l", "o", "w", "o", "r", "l", "d"});
    // Python keeps the space when the long word starts exactly at the width.
    CHECK(wrap("abcd efghijklmn", 5) == Lines{"abcd ", "efghi", "jklmn"});
}

TEST_CASE("wrap keeps inner runs of spaces and drops them at line ends", "[textwrap]") {
    CHECK(wrap("a  b   c    d", 70) == Lines{"a  b   c    d"});
    CHECK(wrap("a  b   c    d", 3) == Lines{"a", "b", "c", "d"});
}

TEST_CASE("wrap keeps leading spaces of the first line only when they fit", "[textwrap]") {
    CHECK(wrap("   leading and trailing   ", 70) == Lines{"   leading and trailing"});
    CHECK(wrap("   leading and trailing   ", 8) == Lines{"leading", "and", "trailing"});
    CHECK(wrap("          hello", 5) == Lines{"hello"});
}

TEST_CASE("wrap expands tabs and turns newlines into spaces", "[textwrap]") {
    CHECK(wrap("one\ttwo\tthree", 70) == Lines{"one     two     three"});
    CHECK(wrap("ab\tc", 70) == Lines{"ab      c"});
    CHECK(wrap("line one\nline two\r\nline three", 12) == Lines{"line one", "line two", "line three"});
    CHECK(fill("a\nb", 70) == "a b");
}

TEST_CASE("wrap breaks after hyphens inside words", "[textwrap]") {
    CHECK(wrap("a well-known self-contained example", 12) == Lines{"a well-known", "self-", "contained", "example"});
    CHECK(wrap("Look, goof-ball -- use the -b option!", 10) == Lines{"Look,", "goof-ball", "-- use the", "-b option!"});
    CHECK(wrap("e-mail x-1 A-B-C", 3) == Lines{"e-", "mai", "l", "x-1", "A-", "B-C"});
}

TEST_CASE("wrap does not break on leading hyphens or runs of hyphens", "[textwrap]") {
    CHECK(wrap("--option ---x", 4) == Lines{"--op", "tion", "---x"});
    CHECK(wrap("-----", 2) == Lines{"--", "--", "-"});
}

TEST_CASE("wrap counts code points, not bytes", "[textwrap]") {
    CHECK(wrap("你好世界 héllo wörld 你好世界你好世界", 5) ==
          Lines{"你好世界", "héllo", "wörld", "你好世界你", "好世界"});
    CHECK(wrap("你好世界 héllo", 4) == Lines{"你好世界", "héll", "o"});
    CHECK(fill("日本語", 1) == "日\n本\n語");
}

TEST_CASE("wrap treats only ASCII whitespace as breakable", "[textwrap]") {
    CHECK(wrap("non\u00a0breaking space", 10) == Lines{"non\u00a0breaki", "ng space"});
    // An ideographic space does not separate words, but a piece made only of it is blank.
    CHECK(wrap("\u3000\u3000a b", 2) == Lines{"a", "b"});
}

TEST_CASE("wrap passes invalid UTF-8 through byte for byte", "[textwrap]") {
    CHECK(wrap("ab\xff\xfe cd", 4) == Lines{"ab\xff\xfe", "cd"});
    CHECK(wrap("\xe4\xbd", 1) == Lines{"\xe4", "\xbd"});
}

TEST_CASE("wrap breaks a long word after its last hyphen that fits, unless only hyphens precede it", "[textwrap]") {
    CHECK(fill("aaaaaaa-b", 4) == "aaaa\naaa-\nb");
    CHECK(fill("aa-----bb", 3) == "aa-\n---\n-bb");
    CHECK(fill("-----aaaaa", 4) == "----\n-aaa\naa");
    CHECK(fill("ab--cdab--cdab--cd", 4) == "ab--\ncdab\n--\ncdab\n--cd");
    CHECK(fill("-----------", 2) == "--\n--\n--\n--\n--\n-");
}

TEST_CASE("wrap drops whitespace longer than the width wherever it stands", "[textwrap]") {
    CHECK(fill("         x", 1) == "x");
    CHECK(fill("x         y", 1) == "x\ny");
    // Ideographic spaces belong to the word; only a line's last piece is dropped when blank.
    CHECK(fill("x \u3000\u3000\u3000\u3000\u3000b\u3000\u3000\u3000\u3000\u3000c", 2) == "x \n\u3000b\n\u3000c");
}

namespace {
// count copies of piece joined by '\n'.
std::string lines_of(const std::string& piece, std::size_t count) {
    std::string text;
    text.reserve(count * (piece.size() + 1));
    for (std::size_t i = 0; i < count; ++i) {
        if (i > 0) text += '\n';
        text += piece;
    }
    return text;
}
}  // namespace

// Each line used to copy the rest of the word, so these took minutes; now they take time linear
// in the text. Only the output is checked (the expected values follow from Python's rules, checked
// with CPython on shorter texts of the same shape).
TEST_CASE("wrap handles a million characters: one long word, hyphens, leading spaces, many chunks", "[textwrap]") {
    constexpr std::size_t million = 1'000'000;
    CHECK(fill(std::string(million, 'a'), 1) == lines_of("a", million));
    CHECK(fill(std::string(million, '-'), 2) == lines_of("--", million / 2));
    CHECK(fill(std::string(million, ' ') + "x", 1) == "x");
    std::string ideographic_spaces;
    for (std::size_t i = 0; i < million; ++i) ideographic_spaces += "\u3000";
    CHECK(fill("x " + ideographic_spaces + "b", 1) == "x\nb");
    std::string hyphenated;
    for (std::size_t i = 0; i < million / 3; ++i) hyphenated += "ab-";
    CHECK(fill(hyphenated, 4) == lines_of("ab-", million / 3));
}
