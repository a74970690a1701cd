// Category 5: fragmented messages, control frames between fragments, and fragments out of place.
#include "case.hpp"

namespace conformance {

namespace {

const SendMode write_modes[] = {{}, {.frame_by_frame = true}, {.chop = 1}};
const char* const mode_names[] = {"in one write", "frame by frame", "one octet at a time"};

Case fails_1002(std::string id, std::string what, std::vector<FrameSpec> frames, SendMode mode = {}) {
    return {.id = std::move(id), .description = std::move(what),
            .script = [frames = std::move(frames), mode](Session& s) { s.send(frames, mode); },
            .close = server_fails(1002)};
}

// 5.19 / 5.20: a message in five fragments, a ping after the second and after the fourth, and a
// one-second pause in between: the first pong must come back before the message is complete.
Case pause_mid_message(std::string id, SendMode mode) {
    return {.id = std::move(id),
            .description = std::string("text in 5 fragments with 2 pings and a 1 s pause inside, ") +
                           (mode.frame_by_frame ? "frame by frame" : "each part in one write"),
            .script = [mode](Session& s) {
                s.send({text_frame("fragment1", false), continuation_frame("fragment2", false), ping_frame("pongme 1!")}, mode);
                s.pause(1.0);
                s.send({continuation_frame("fragment3", false), continuation_frame("fragment4", false),
                        ping_frame("pongme 2!"), continuation_frame("fragment5")},
                       mode);
            },
            .ok = {pong_event("pongme 1!"), pong_event("pongme 2!"), text_message("fragment1fragment2fragment3fragment4fragment5")}};
}

}  // namespace

void add_fragmentation_cases(std::vector<Case>& cases, const Options&) {
    cases.push_back(fails_1002("5.1", "ping in two fragments: fail 1002",
                               {{.opcode = opcode::ping, .payload = "fragment1", .fin = false}, continuation_frame("fragment2")}));
    cases.push_back(fails_1002("5.2", "pong in two fragments: fail 1002",
                               {{.opcode = opcode::pong, .payload = "fragment1", .fin = false}, continuation_frame("fragment2")}));
    for (int i = 0; i < 3; ++i) {
        cases.push_back({.id = "5." + std::to_string(3 + i),
                         .description = std::string("text in two fragments, ") + mode_names[i],
                         .script = [mode = write_modes[i]](Session& s) {
                             s.send({text_frame("fragment1", false), continuation_frame("fragment2")}, mode);
                         },
                         .ok = {text_message("fragment1fragment2")}});
    }
    for (int i = 0; i < 3; ++i) {
        cases.push_back({.id = "5." + std::to_string(6 + i),
                         .description = std::string("text in two fragments with a ping between, ") + mode_names[i] +
                                        ": the pong comes first",
                         .script = [mode = write_modes[i]](Session& s) {
                             s.send({text_frame("fragment1", false), ping_frame("ping payload"), continuation_frame("fragment2")}, mode);
                         },
                         .ok = {pong_event("ping payload"), text_message("fragment1fragment2")}});
    }
    for (int i = 0; i < 3; ++i) {
        cases.push_back(fails_1002("5." + std::to_string(9 + i),
                                   std::string("final continuation with no message to continue, then text, ") + mode_names[i],
                                   {continuation_frame("non-continuation payload"), text_frame("Hello, world!")}, write_modes[i]));
    }
    for (int i = 0; i < 3; ++i) {
        cases.push_back(fails_1002("5." + std::to_string(12 + i),
                                   std::string("non-final continuation with no message to continue, then text, ") + mode_names[i],
                                   {continuation_frame("non-continuation payload", false), text_frame("Hello, world!")},
                                   write_modes[i]));
    }
    cases.push_back({.id = "5.15", .description = "a whole fragmented text, then a continuation and a final text out of place",
                     .script = [](Session& s) {
                         s.send({text_frame("fragment1", false), continuation_frame("fragment2"),
                                 continuation_frame("fragment3", false), text_frame("fragment4")});
                     },
                     .ok = {text_message("fragment1fragment2")}, .non_strict = {std::vector<Event>{}}, .close = server_fails(1002)});
    const auto twice = [](std::vector<FrameSpec> frames) {
        const auto copy = frames;
        frames.insert(frames.end(), copy.begin(), copy.end());
        return frames;
    };
    cases.push_back(fails_1002("5.16", "twice: non-final continuation first, then text, continuation",
                               twice({continuation_frame("fragment1", false), text_frame("fragment2", false),
                                      continuation_frame("fragment3")})));
    cases.push_back(fails_1002("5.17", "twice: final continuation first, then text, continuation",
                               twice({continuation_frame("fragment1"), text_frame("fragment2", false),
                                      continuation_frame("fragment3")})));
    cases.push_back(fails_1002("5.18", "text fragment followed by a text frame instead of a continuation",
                               {text_frame("fragment1", false), text_frame("fragment2")}));
    cases.push_back(pause_mid_message("5.19", {}));
    cases.push_back(pause_mid_message("5.20", {.frame_by_frame = true}));
}

}  // namespace conformance
