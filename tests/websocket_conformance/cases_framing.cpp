// Categories 1 (framing), 2 (pings and pongs), 3 (reserved bits) and 4 (opcodes).
#include "case.hpp"

namespace conformance {

namespace {

const std::string hello = "Hello, world!";
const std::string non_utf8 = std::string("\x00\xff\xfe\xfd\xfc\xfb\x00\xff", 8);

// 1.1.x / 1.2.x: one unfragmented message of each length at the edges of the 7-, 16- and
// 64-bit length encodings.
void add_framing(std::vector<Case>& cases, const Options& options) {
    struct Row { std::size_t size; std::size_t chop; double timeout; };
    const Row rows[] = {{0, 0, 1}, {125, 0, 1}, {126, 0, 1}, {127, 0, 1}, {128, 0, 1},
                        {65535, 0, 10}, {65536, 0, 10}, {65536, 997, 10}};
    for (int binary = 0; binary < 2; ++binary) {
        int number = 1;
        for (const auto& row : rows) {
            const std::string payload(row.size, binary ? '\xfe' : '*');
            const std::string id = std::string(binary ? "1.2." : "1.1.") + std::to_string(number++);
            const std::string what = std::string(binary ? "binary" : "text") + " message of " +
                                     std::to_string(row.size) + " octets" +
                                     (row.chop ? ", written in pieces of 997 octets" : "");
            cases.push_back(echo_case(options, id, what, {binary ? binary_frame(payload) : text_frame(payload)},
                                      binary ? binary_message(payload) : text_message(payload), row.timeout,
                                      {.chop = row.chop}));
        }
    }
}

void add_pings(std::vector<Case>& cases) {
    const auto ping_case = [&](std::string id, std::string what, std::string payload, std::size_t chop, double timeout) {
        cases.push_back({.id = std::move(id), .description = std::move(what),
                         .script = [payload, chop](Session& s) { s.send(ping_frame(payload), {.chop = chop}); },
                         .ok = {pong_event(payload)}, .timeout = timeout});
    };
    ping_case("2.1", "ping without payload", "", 0, 1);
    ping_case("2.2", "ping with a text payload", hello, 0, 1);
    ping_case("2.3", "ping with a binary payload", non_utf8, 0, 1);
    ping_case("2.4", "ping with the largest control payload (125 octets)", std::string(125, '\xfe'), 0, 1);
    cases.push_back({.id = "2.5", .description = "ping with 126 octets (control frames carry at most 125): fail 1002",
                     .script = [](Session& s) { s.send(ping_frame(std::string(126, '\xfe'))); },
                     .close = server_fails(1002)});
    ping_case("2.6", "ping of 125 octets written one octet at a time", std::string(125, '\xfe'), 1, 2);
    cases.push_back({.id = "2.7", .description = "unsolicited empty pong, then close: no answer",
                     .script = [](Session& s) {
                         s.send(pong_frame());
                         s.close_normally();
                     }});
    cases.push_back({.id = "2.8", .description = "unsolicited pong with payload, then close: no answer",
                     .script = [](Session& s) {
                         s.send(pong_frame("unsolicited pong payload"));
                         s.close_normally();
                     }});
    cases.push_back({.id = "2.9", .description = "unsolicited pong, then a ping: exactly one pong",
                     .script = [](Session& s) { s.send({pong_frame("unsolicited pong payload"), ping_frame("ping payload")}); },
                     .ok = {pong_event("ping payload")}});
    for (std::size_t chop : {0, 1}) {
        std::vector<FrameSpec> pings;
        std::vector<Event> pongs;
        for (int i = 0; i < 10; ++i) {
            pings.push_back(ping_frame("payload-" + std::to_string(i)));
            pongs.push_back(pong_event("payload-" + std::to_string(i)));
        }
        cases.push_back({.id = chop ? "2.11" : "2.10",
                         .description = chop ? "10 pings written one octet at a time: 10 pongs in order"
                                             : "10 pings back to back: 10 pongs in order",
                         .script = [pings, chop](Session& s) { s.send(pings, {.chop = chop}); },
                         .ok = pongs, .timeout = 3});
    }
}

// A frame the server must reject: strict servers echo the valid message sent before it and
// never answer the ping after it; failing before the echo is NON-STRICT (Autobahn's grading).
Case violation_after_echo(std::string id, std::string what, FrameSpec bad, SendMode mode) {
    return {.id = std::move(id), .description = std::move(what),
            .script = [bad, mode](Session& s) { s.send({text_frame(hello), bad, ping_frame()}, mode); },
            .ok = {text_message(hello)}, .non_strict = {std::vector<Event>{}}, .close = server_fails(1002)};
}

Case lone_violation(std::string id, std::string what, FrameSpec bad) {
    return {.id = std::move(id), .description = std::move(what),
            .script = [bad](Session& s) { s.send(bad); }, .close = server_fails(1002)};
}

void add_reserved_bits(std::vector<Case>& cases) {
    cases.push_back(lone_violation("3.1", "text with RSV3 set (no extension negotiated): fail 1002",
                                   {.opcode = opcode::text, .payload = hello, .rsv = 1}));
    cases.push_back(violation_after_echo("3.2", "text, text with RSV2, ping in one write",
                                         {.opcode = opcode::text, .payload = hello, .rsv = 2}, {}));
    cases.push_back(violation_after_echo("3.3", "text, text with RSV2+RSV3, ping, frame by frame",
                                         {.opcode = opcode::text, .payload = hello, .rsv = 3}, {.frame_by_frame = true}));
    cases.push_back(violation_after_echo("3.4", "text, text with RSV1, ping, one octet at a time",
                                         {.opcode = opcode::text, .payload = hello, .rsv = 4}, {.chop = 1}));
    cases.push_back(lone_violation("3.5", "binary with RSV1+RSV3: fail 1002",
                                   {.opcode = opcode::binary, .payload = non_utf8, .rsv = 5}));
    cases.push_back(lone_violation("3.6", "binary with RSV1+RSV2: fail 1002",
                                   {.opcode = opcode::binary, .payload = hello, .rsv = 6}));
    cases.push_back(lone_violation("3.7", "close frame with all RSV bits: fail 1002",
                                   {.opcode = opcode::close, .payload = {}, .rsv = 7}));
}

void add_opcodes(std::vector<Case>& cases) {
    const std::string payload = "reserved opcode payload";
    const std::uint8_t base[] = {3, 11};  // reserved data opcodes 3-7, reserved control opcodes 11-15
    for (int group = 0; group < 2; ++group) {
        const std::string prefix = group == 0 ? "4.1." : "4.2.";
        const std::string kind = group == 0 ? "non-control" : "control";
        const std::uint8_t first = base[group];
        cases.push_back(lone_violation(prefix + "1", "reserved " + kind + " opcode " + std::to_string(first) + ", empty",
                                       {.opcode = first, .payload = {}}));
        cases.push_back(lone_violation(prefix + "2", "reserved " + kind + " opcode " + std::to_string(first + 1) + " with payload",
                                       {.opcode = static_cast<std::uint8_t>(first + 1), .payload = payload}));
        cases.push_back(violation_after_echo(prefix + "3", "text, reserved opcode " + std::to_string(first + 2) + ", ping",
                                             {.opcode = static_cast<std::uint8_t>(first + 2), .payload = {}}, {}));
        cases.push_back(violation_after_echo(prefix + "4", "text, reserved opcode " + std::to_string(first + 3) + " with payload, ping",
                                             {.opcode = static_cast<std::uint8_t>(first + 3), .payload = hello}, {}));
        cases.push_back(violation_after_echo(prefix + "5",
                                             "text, reserved opcode " + std::to_string(first + 4) + " with payload, ping, one octet at a time",
                                             {.opcode = static_cast<std::uint8_t>(first + 4), .payload = hello}, {.chop = 1}));
    }
}

}  // namespace

void add_framing_cases(std::vector<Case>& cases, const Options& options) {
    add_framing(cases, options);
    add_pings(cases);
    add_reserved_bits(cases);
    add_opcodes(cases);
}

}  // namespace conformance
