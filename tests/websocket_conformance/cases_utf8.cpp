// Category 6: UTF-8 in text messages. Valid text is echoed; invalid text fails the connection
// with 1007, and as soon as the offending octet arrives (6.4.x measure that).
// The vectors follow Markus Kuhn's UTF-8 decoder stress test, as Autobahn's 6.5-6.23 do.
#include "case.hpp"

namespace conformance {

namespace {

const std::string kosme = "\xce\xba\xe1\xbd\xb9\xcf\x83\xce\xbc\xce\xb5";  // κόσμε
const std::string hello_utf8 = "Hello-\xc2\xb5@\xc3\x9f\xc3\xb6\xc3\xa4\xc3\xbc\xc3\xa0\xc3\xa1-UTF-8!!";

std::string encode(char32_t code_point) {
    std::string out;
    if (code_point < 0x80) {
        out.push_back(static_cast<char>(code_point));
    } else if (code_point < 0x800) {
        out.push_back(static_cast<char>(0xc0 | (code_point >> 6)));
        out.push_back(static_cast<char>(0x80 | (code_point & 0x3f)));
    } else if (code_point < 0x10000) {
        out.push_back(static_cast<char>(0xe0 | (code_point >> 12)));
        out.push_back(static_cast<char>(0x80 | ((code_point >> 6) & 0x3f)));
        out.push_back(static_cast<char>(0x80 | (code_point & 0x3f)));
    } else {
        out.push_back(static_cast<char>(0xf0 | (code_point >> 18)));
        out.push_back(static_cast<char>(0x80 | ((code_point >> 12) & 0x3f)));
        out.push_back(static_cast<char>(0x80 | ((code_point >> 6) & 0x3f)));
        out.push_back(static_cast<char>(0x80 | (code_point & 0x3f)));
    }
    return out;
}

std::vector<FrameSpec> one_frame_per_octet(const std::string& payload) {
    std::vector<FrameSpec> frames;
    for (std::size_t i = 0; i < payload.size(); ++i)
        frames.push_back({.opcode = i == 0 ? opcode::text : opcode::continuation, .payload = payload.substr(i, 1),
                          .fin = i + 1 == payload.size()});
    return frames;
}

Case valid(std::string id, std::string what, std::vector<FrameSpec> frames, std::string message) {
    return {.id = std::move(id), .description = std::move(what),
            .script = [frames = std::move(frames)](Session& s) { s.send(frames); }, .ok = {text_message(std::move(message))}};
}

Case invalid(std::string id, std::string what, std::vector<FrameSpec> frames, double timeout) {
    return {.id = std::move(id), .description = std::move(what),
            .script = [frames = std::move(frames)](Session& s) { s.send(frames); }, .close = server_fails(1007),
            .timeout = timeout};
}

// 6.4.x: the message goes out in three parts a second apart; the server must fail within a
// second of the part holding the first invalid octet (marker A only), NON-STRICT when it fails
// after the whole message (markers A and B).
Case fail_fast(std::string id, std::string what, std::function<void(Session&, int part)> send_part) {
    return {.id = std::move(id), .description = std::move(what),
            .script = [send_part](Session& s) {
                send_part(s, 0);
                s.pause(1.0);
                s.mark("A");
                send_part(s, 1);
                s.pause(1.0);
                s.mark("B");
                send_part(s, 2);
            },
            .ok = {marker_event("A")}, .non_strict = {{marker_event("A"), marker_event("B")}},
            .close = server_fails(1007)};
}

void add_handwritten(std::vector<Case>& cases) {
    cases.push_back(valid("6.1.1", "empty text message", {text_frame("")}, ""));
    cases.push_back(valid("6.1.2", "empty text in three empty fragments",
                          {text_frame("", false), continuation_frame("", false), continuation_frame("")}, ""));
    cases.push_back(valid("6.1.3", "text in three fragments, only the middle one non-empty",
                          {text_frame("", false), continuation_frame("middle frame payload", false), continuation_frame("")},
                          "middle frame payload"));
    cases.push_back(valid("6.2.1", "valid UTF-8 in one frame", {text_frame(hello_utf8)}, hello_utf8));
    cases.push_back(valid("6.2.2", "valid UTF-8 in two fragments split between code points",
                          {text_frame(hello_utf8.substr(0, 15), false), continuation_frame(hello_utf8.substr(15))}, hello_utf8));
    cases.push_back(valid("6.2.3", "valid UTF-8, one frame per octet (splitting code points)", one_frame_per_octet(hello_utf8),
                          hello_utf8));
    cases.push_back(valid("6.2.4", "κόσμε, one frame per octet", one_frame_per_octet(kosme), kosme));
    const std::string surrogate = kosme + "\xed\xa0\x80" + "edited";
    cases.push_back(invalid("6.3.1", "UTF-16 surrogate inside a text frame: fail 1007", {text_frame(surrogate)}, 1));
    cases.push_back(invalid("6.3.2", "UTF-16 surrogate, one frame per octet: fail 1007", one_frame_per_octet(surrogate), 1));

    const std::string beyond = "\xf4\x90\x80\x80";  // U+110000, past the last code point
    cases.push_back(fail_fast("6.4.1", "fragments κόσμε / F4 90 80 80 / edited, 1 s apart: fail 1007 fast",
                              [=](Session& s, int part) {
                                  s.send(part == 0   ? text_frame(kosme, false)
                                         : part == 1 ? continuation_frame(beyond, false)
                                                     : continuation_frame("edited"));
                              }));
    cases.push_back(fail_fast("6.4.2", "fragments κόσμε F4 / 90 / 80 80 edited, 1 s apart: fail 1007 fast",
                              [=](Session& s, int part) {
                                  s.send(part == 0   ? text_frame(kosme + "\xf4", false)
                                         : part == 1 ? continuation_frame("\x90", false)
                                                     : continuation_frame("\x80\x80" "edited"));
                              }));
    // 6.4.3 and 6.4.4: one frame whose payload arrives in three TCP writes a second apart.
    const std::string whole = encode_frame(text_frame(kosme + beyond + "edited"));
    const std::size_t header = whole.size() - 21;
    const auto cut_at = [whole](std::size_t first, std::size_t second) {
        return [=](Session& s, int part) {
            s.send_bytes(part == 0 ? whole.substr(0, first) : part == 1 ? whole.substr(first, second - first) : whole.substr(second));
        };
    };
    cases.push_back(fail_fast("6.4.3", "one frame written in 3 parts 1 s apart (κόσμε / F4 90 80 80 / edited): fail 1007 fast",
                              cut_at(header + 11, header + 15)));
    cases.push_back(fail_fast("6.4.4", "one frame written in 3 parts 1 s apart (κόσμε F4 / 90 / 80 80 edited): fail 1007 fast",
                              cut_at(header + 12, header + 13)));
}

struct Vector {
    std::string octets;
    bool valid;
};

std::vector<std::pair<std::string, std::vector<Vector>>> generated_vectors() {
    std::vector<std::pair<std::string, std::vector<Vector>>> groups;
    groups.push_back({"some valid UTF-8 sequences",
                      {{kosme, true}, {"hello$world", true}, {"hello\xc2\xa2world", true},
                       {"hello\xe2\x82\xacworld", true}, {"hello\xf0\xa4\xad\xa2world", true}}});
    std::vector<Vector> prefixes;
    for (std::size_t length = 1; length <= kosme.size(); ++length)
        prefixes.push_back({kosme.substr(0, length), length == 2 || length == 5 || length == 7 || length == 9 || length == 11});
    groups.push_back({"prefixes of κόσμε", prefixes});
    groups.push_back({"first sequence of each length",
                      {{std::string(1, '\0'), true}, {"\xc2\x80", true}, {"\xe0\xa0\x80", true}, {"\xf0\x90\x80\x80", true}}});
    groups.push_back({"first 5- and 6-octet sequences", {{"\xf8\x88\x80\x80\x80", false}, {"\xfc\x84\x80\x80\x80\x80", false}}});
    groups.push_back({"last sequence of each length",
                      {{"\x7f", true}, {"\xdf\xbf", true}, {"\xef\xbf\xbf", true}, {"\xf4\x8f\xbf\xbf", true}}});
    groups.push_back({"last 4-, 5- and 6-octet sequences (beyond U+10FFFF)",
                      {{"\xf7\xbf\xbf\xbf", false}, {"\xfb\xbf\xbf\xbf\xbf", false}, {"\xfd\xbf\xbf\xbf\xbf\xbf", false}}});
    groups.push_back({"other boundaries",
                      {{"\xed\x9f\xbf", true}, {"\xee\x80\x80", true}, {"\xef\xbf\xbd", true}, {"\xf4\x8f\xbf\xbf", true},
                       {"\xf4\x90\x80\x80", false}}});
    std::string all_continuations;
    for (int octet = 0x80; octet <= 0xbe; ++octet) all_continuations.push_back(static_cast<char>(octet));
    groups.push_back({"unexpected continuation octets",
                      {{"\x80", false}, {"\xbf", false}, {"\x80\xbf", false}, {"\x80\xbf\x80", false},
                       {"\x80\xbf\x80\xbf", false}, {"\x80\xbf\x80\xbf\x80", false}, {"\x80\xbf\x80\xbf\x80\xbf", false},
                       {all_continuations, false}}});
    std::vector<Vector> lonely;
    for (const auto& [first, last] : std::initializer_list<std::pair<int, int>>{{0xc0, 0xdf}, {0xe0, 0xef}, {0xf0, 0xf7}, {0xf8, 0xfb}, {0xfc, 0xfd}}) {
        std::string octets;
        for (int octet = first; octet < last; ++octet) {
            octets.push_back(static_cast<char>(octet));
            octets.push_back(' ');
        }
        lonely.push_back({octets, false});
    }
    groups.push_back({"lonely start octets, each followed by a space", lonely});
    const std::vector<std::string> truncated = {"\xc0", "\xe0\x80", "\xf0\x80\x80", "\xf8\x80\x80\x80", "\xfc\x80\x80\x80\x80",
                                                "\xdf", "\xef\xbf", "\xf7\xbf\xbf", "\xfb\xbf\xbf\xbf", "\xfd\xbf\xbf\xbf\xbf"};
    std::vector<Vector> missing_last;
    std::string concatenated;
    for (const auto& octets : truncated) {
        missing_last.push_back({octets, false});
        concatenated += octets;
    }
    groups.push_back({"sequences missing their last continuation octet", missing_last});
    groups.push_back({"the ten sequences above, concatenated", {{concatenated, false}}});
    groups.push_back({"impossible octets", {{"\xfe", false}, {"\xff", false}, {"\xfe\xfe\xff\xff", false}}});
    groups.push_back({"overlong '/'",
                      {{"\xc0\xaf", false}, {"\xe0\x80\xaf", false}, {"\xf0\x80\x80\xaf", false},
                       {"\xf8\x80\x80\x80\xaf", false}, {"\xfc\x80\x80\x80\x80\xaf", false}}});
    groups.push_back({"largest overlong sequences",
                      {{"\xc1\xbf", false}, {"\xe0\x9f\xbf", false}, {"\xf0\x8f\xbf\xbf", false},
                       {"\xf8\x87\xbf\xbf\xbf", false}, {"\xfc\x83\xbf\xbf\xbf\xbf", false}}});
    groups.push_back({"overlong NUL",
                      {{"\xc0\x80", false}, {"\xe0\x80\x80", false}, {"\xf0\x80\x80\x80", false},
                       {"\xf8\x80\x80\x80\x80", false}, {"\xfc\x80\x80\x80\x80\x80", false}}});
    const std::vector<std::string> high = {"\xed\xa0\x80", "\xed\xad\xbf", "\xed\xae\x80", "\xed\xaf\xbf"};
    const std::vector<std::string> low = {"\xed\xb0\x80", "\xed\xbf\xbf"};
    std::vector<Vector> single;
    for (const auto& octets : high) single.push_back({octets, false});
    for (const auto& octets : {"\xed\xb0\x80", "\xed\xbe\x80", "\xed\xbf\xbf"}) single.push_back({octets, false});
    groups.push_back({"single UTF-16 surrogates", single});
    std::vector<Vector> paired;
    for (const auto& first : high)
        for (const auto& second : low) paired.push_back({first + second, false});
    groups.push_back({"paired UTF-16 surrogates", paired});
    std::vector<Vector> noncharacters = {{encode(0xfffe), true}, {encode(0xffff), true}};
    for (char32_t plane = 1; plane <= 16; ++plane) {
        noncharacters.push_back({encode(plane << 16 | 0xfffe), true});
        noncharacters.push_back({encode(plane << 16 | 0xffff), true});
    }
    groups.push_back({"noncharacters (valid UTF-8)", noncharacters});
    std::vector<Vector> specials;
    for (char32_t code_point = 0xfff9; code_point <= 0xffff; ++code_point) specials.push_back({encode(code_point), true});
    groups.push_back({"Unicode specials (valid UTF-8)", specials});
    return groups;
}

}  // namespace

void add_utf8_cases(std::vector<Case>& cases, const Options&) {
    add_handwritten(cases);
    int group_number = 5;
    for (const auto& [title, vectors] : generated_vectors()) {
        int number = 1;
        for (const auto& vector : vectors) {
            const std::string id = "6." + std::to_string(group_number) + "." + std::to_string(number++);
            const std::string what = title + ": " + std::to_string(vector.octets.size()) + " octets";
            cases.push_back(vector.valid ? valid(id, what + ", echoed", {text_frame(vector.octets)}, vector.octets)
                                         : invalid(id, what + ": fail 1007", {text_frame(vector.octets)}, 0.5));
        }
        ++group_number;
    }
}

}  // namespace conformance
