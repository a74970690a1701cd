// A port of CPython's textwrap.TextWrapper with its default options. The text is decoded to
// code points so that widths count characters and no UTF-8 sequence is ever split. Chunks are
// views into the decoded text, so breaking a long word moves a view instead of copying the
// rest of the word: the whole wrap takes time linear in the text (CPython's copies do not).
#include "tornado/textwrap.hpp"

#include "utf8.hpp"

#include <locale.h>
#include <wctype.h>

#include <algorithm>
#include <iterator>
#include <stdexcept>
#include <utility>

namespace tornado::textwrap {

namespace {

using Text = std::u32string;
using Chunk = std::u32string_view;  // a piece of the munged text, which outlives every chunk
using Chunks = std::vector<Chunk>;

constexpr std::size_t kTabSize = 8;

// One code point decoded from the front of bytes, and its length in bytes. A byte that does not
// start a well-formed sequence decodes alone to U+DC80..U+DCFF, as Python's surrogateescape does,
// so append_encoded() restores the input byte for byte.
std::pair<char32_t, std::size_t> decode_one(std::string_view bytes) {
    if (auto decoded = detail::decode_utf8(bytes)) return *decoded;
    return {0xDC00 + static_cast<unsigned char>(bytes[0]), 1};
}

Text decode(std::string_view bytes) {
    Text text;
    text.reserve(bytes.size());
    while (!bytes.empty()) {
        const auto [code_point, length] = decode_one(bytes);
        text += code_point;
        bytes.remove_prefix(length);
    }
    return text;
}

void append_encoded(std::string& out, std::u32string_view text) {
    for (const char32_t c : text) {
        if (c >= 0xDC80 && c <= 0xDCFF) {
            out += static_cast<char>(c - 0xDC00);  // an invalid input byte, passed through
        } else {
            detail::append_utf8(out, c);
        }
    }
}

// textwrap's own whitespace: ASCII only, so that e.g. U+00A0 stays non-breaking.
bool is_whitespace(char32_t c) { return c == ' ' || (c >= '\t' && c <= '\r'); }

// Python's str.isspace, which decides whether a chunk is blank (chunk.strip() == '').
bool is_python_space(char32_t c) {
    return is_whitespace(c) || (c >= 0x1C && c <= 0x1F) || c == 0x85 || c == 0xA0 || c == 0x1680 ||
           (c >= 0x2000 && c <= 0x200A) || c == 0x2028 || c == 0x2029 || c == 0x202F || c == 0x205F ||
           c == 0x3000;
}

// Python's \d: the Unicode decimal digits (Unicode 14, as in Python 3.11), which come in runs of
// ten starting at these zeros.
constexpr char32_t kDecimalZeros[] = {
    0x660,   0x6F0,   0x7C0,   0x966,   0x9E6,   0xA66,   0xAE6,   0xB66,   0xBE6,   0xC66,   0xCE6,
    0xD66,   0xDE6,   0xE50,   0xED0,   0xF20,   0x1040,  0x1090,  0x17E0,  0x1810,  0x1946,  0x19D0,
    0x1A80,  0x1A90,  0x1B50,  0x1BB0,  0x1C40,  0x1C50,  0xA620,  0xA8D0,  0xA900,  0xA9D0,  0xA9F0,
    0xAA50,  0xABF0,  0xFF10,  0x104A0, 0x10D30, 0x11066, 0x110F0, 0x11136, 0x111D0, 0x112F0, 0x11450,
    0x114D0, 0x11650, 0x116C0, 0x11730, 0x118E0, 0x11950, 0x11C50, 0x11D50, 0x11DA0, 0x16A60, 0x16AC0,
    0x16B50, 0x1D7CE, 0x1D7D8, 0x1D7E2, 0x1D7EC, 0x1D7F6, 0x1E140, 0x1E2F0, 0x1E950, 0x1FBF0};

bool is_decimal(char32_t c) {
    if (c < 0x80) return c >= '0' && c <= '9';
    return std::any_of(std::begin(kDecimalZeros), std::end(kDecimalZeros),
                       [c](char32_t zero) { return c >= zero && c < zero + 10; });
}

// Python's \w: letters and digits of any script, and '_'. Beyond ASCII the classes come from
// glibc's Unicode tables (C.UTF-8), which agree with Python's for letters and decimal digits but
// count spacing combining marks as word characters and some numeric symbols (U+00B2) as not.
bool is_word(char32_t c) {
    if (c < 0x80) return is_decimal(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
    static const locale_t unicode = newlocale(LC_CTYPE_MASK, "C.UTF-8", locale_t{});
    return is_decimal(c) || (unicode != locale_t{} && iswalnum_l(static_cast<wint_t>(c), unicode));
}

// wordsep_re's "letter", [^\d\W].
bool is_letter(char32_t c) { return is_word(c) && !is_decimal(c); }

// wordsep_re's "word_punct", [\w!"'&.,?].
bool is_word_punct(char32_t c) {
    return is_word(c) || c == '!' || c == '"' || c == '\'' || c == '&' || c == '.' || c == ',' || c == '?';
}

bool is_blank(Chunk chunk) {
    for (const char32_t c : chunk) {
        if (!is_python_space(c)) return false;
    }
    return true;
}

// expandtabs(8), then every whitespace character becomes a space.
Text munge_whitespace(const Text& text) {
    Text out;
    out.reserve(text.size());
    std::size_t column = 0;
    for (const char32_t c : text) {
        if (c == '\t') {
            const std::size_t spaces = kTabSize - column % kTabSize;
            out.append(spaces, U' ');
            column += spaces;
        } else {
            out += is_whitespace(c) ? U' ' : c;
            column = (c == '\n' || c == '\r') ? 0 : column + 1;
        }
    }
    return out;
}

// The code point at i, or 0 (which no class below accepts) past the end.
char32_t at(const Text& text, std::size_t i) { return i < text.size() ? text[i] : 0; }

// Whether a "--" run of two or more hyphens followed by a word character starts at pos.
bool em_dash_at(const Text& text, std::size_t pos) {
    if (at(text, pos) != '-' || at(text, pos + 1) != '-') return false;
    std::size_t end = pos + 2;
    while (at(text, end) == '-') ++end;
    return is_word(at(text, end));
}

// Whether a word may break after the hyphen at pos: wordsep_re's
// -(?:(?<=lt{2}-)|(?<=lt-lt-))(?=lt-?lt), which breaks "well-known" but not "-b" or "x-1".
bool breakable_hyphen_at(const Text& text, std::size_t pos) {
    const bool letters_before = pos >= 2 && is_letter(text[pos - 2]) && is_letter(text[pos - 1]);
    const bool hyphenated_letter_before =
        pos >= 3 && is_letter(text[pos - 3]) && text[pos - 2] == '-' && is_letter(text[pos - 1]);
    const bool letters_after =
        is_letter(at(text, pos + 1)) &&
        (is_letter(at(text, pos + 2)) || (at(text, pos + 2) == '-' && is_letter(at(text, pos + 3))));
    return (letters_before || hyphenated_letter_before) && letters_after;
}

// The length of the chunk that wordsep_re matches at pos: a whitespace run, an em-dash between
// words, or a word up to a breakable hyphen (included), whitespace, the end, or an em-dash.
std::size_t chunk_length(const Text& text, std::size_t pos) {
    if (is_whitespace(text[pos])) {
        std::size_t end = pos + 1;
        while (end < text.size() && is_whitespace(text[end])) ++end;
        return end - pos;
    }
    if (pos > 0 && is_word_punct(text[pos - 1]) && em_dash_at(text, pos)) {
        std::size_t end = pos + 2;
        while (at(text, end) == '-') ++end;
        return end - pos;
    }
    for (std::size_t end = pos + 1;; ++end) {
        if (at(text, end) == '-' && breakable_hyphen_at(text, end)) return end + 1 - pos;
        if (end == text.size() || is_whitespace(text[end])) return end - pos;
        if (is_word_punct(text[end - 1]) && em_dash_at(text, end)) return end - pos;
    }
}

Chunks split_chunks(const Text& text) {
    Chunks chunks;
    for (std::size_t pos = 0; pos < text.size();) {
        const std::size_t length = chunk_length(text, pos);
        chunks.push_back(Chunk(text).substr(pos, length));
        pos += length;
    }
    return chunks;
}

// Where each chunk's last character that is not a Python space ends (at the chunk's start when
// it has none): what is left of a chunk after a break is blank when it starts there or later.
// Found once per chunk, so that no line rescans the rest of a long chunk.
std::vector<const char32_t*> visible_ends(const Chunks& chunks) {
    std::vector<const char32_t*> ends;
    ends.reserve(chunks.size());
    for (const Chunk chunk : chunks) {
        const auto last = std::find_if(chunk.rbegin(), chunk.rend(), [](char32_t c) { return !is_python_space(c); });
        ends.push_back(chunk.data() + (chunk.rend() - last));
    }
    return ends;
}

// Moves the head of a chunk too long for any line onto the line: as much as fits in space_left,
// or up to the last hyphen that fits when something other than hyphens precedes it. Looks at
// no more than space_left code points, so a long word costs time linear in its length.
void break_long_word(Chunk& chunk, Chunks& line, std::size_t space_left) {
    std::size_t end = space_left;
    const std::size_t hyphen = space_left == 0 ? Chunk::npos : chunk.rfind(U'-', space_left - 1);
    if (hyphen != Chunk::npos && hyphen > 0 && chunk.substr(0, hyphen).find_first_not_of(U'-') != Chunk::npos) {
        end = hyphen + 1;
    }
    line.push_back(chunk.substr(0, end));
    chunk.remove_prefix(end);
}

}  // namespace

std::vector<std::string> wrap(std::string_view text, int signed_width) {
    // Signed, so that a negative width from user input is refused rather than wrapped around.
    if (signed_width < 1) throw std::invalid_argument("invalid width " + std::to_string(signed_width) + " (must be > 0)");
    const auto width = static_cast<std::size_t>(signed_width);
    const Text munged = munge_whitespace(decode(text));
    Chunks chunks = split_chunks(munged);
    const std::vector<const char32_t*> visible_end = visible_ends(chunks);
    std::vector<std::string> lines;
    Chunks line;  // the chunks of the line being filled, reused for every line
    std::size_t next = 0;
    while (next < chunks.size()) {
        // Whitespace is dropped at the start of every line but the first.
        if (!lines.empty() && chunks[next].data() >= visible_end[next]) ++next;

        line.clear();
        std::size_t line_length = 0;
        while (next < chunks.size() && line_length + chunks[next].size() <= width) {
            line_length += chunks[next].size();
            line.push_back(chunks[next++]);
        }
        if (next < chunks.size() && chunks[next].size() > width) {
            break_long_word(chunks[next], line, width - line_length);
        }
        if (!line.empty() && is_blank(line.back())) line.pop_back();

        if (!line.empty()) {
            std::string& encoded = lines.emplace_back();
            for (const Chunk chunk : line) append_encoded(encoded, chunk);
        }
    }
    return lines;
}

std::string fill(std::string_view text, int width) {
    const std::vector<std::string> lines = wrap(text, width);
    std::string filled;
    for (std::size_t i = 0; i < lines.size(); ++i) {
        if (i > 0) filled += '\n';
        filled += lines[i];
    }
    return filled;
}

}  // namespace tornado::textwrap
