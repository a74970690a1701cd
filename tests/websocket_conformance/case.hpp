// A conformance case: what the client sends (a script), which event lists count as OK or
// NON-STRICT, and how the connection must end, graded the way Autobahn|Testsuite grades.
#pragma once

#include "session.hpp"

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace conformance {

struct CloseExpectation {
    enum Closer { client, server } closer = client;  // who must start the closing handshake
    std::vector<std::uint16_t> codes = {1000};       // codes the server's close frame may carry
    bool require_clean = true;                       // close frames both ways, then TCP closed by the server
    // Whether the server may end the connection with no close frame at all. Autobahn accepts
    // that wherever a clean close is not required; this harness only where a case's own
    // expectation says so (7.3.2, 7.3.6, 7.5.1, 7.9.x): elsewhere RFC 6455 section 7.1.7 asks
    // for a close frame with the code saying why, and a drop is a FAIL here.
    bool drop_allowed = false;
};

// The client closes with 1000 once the expected events arrived; the server answers cleanly.
inline CloseExpectation client_closes() { return {}; }
// The server must fail the connection: a close frame with `code`, then TCP closed.
inline CloseExpectation server_fails(std::uint16_t code) {
    return {.closer = CloseExpectation::server, .codes = {code}, .require_clean = false};
}

struct Case {
    std::string id;  // "5.19"
    std::string description;
    std::function<void(Session&)> script;
    std::vector<Event> ok;                        // the events a strict server produces
    std::vector<std::vector<Event>> non_strict;   // tolerated alternatives
    CloseExpectation close;
    double timeout = 1.0;  // seconds to wait for the events / for the server to fail
    bool informational = false;  // behaviour the RFC leaves open: reported, never failed
    std::vector<DeflateOffer> offers;  // permessage-deflate offers (12, 13); empty: none
};

enum class Status { pass, non_strict, informational, unimplemented, fail };
const char* status_name(Status status);

struct Result {
    Status status = Status::fail;
    std::string why;
};

// Settings from the command line that shape the cases.
struct Options {
    // Messages larger than this expect close 1009 instead of their echo (0: no limit).
    std::size_t max_message_size = 0;
    // Round trips per case in 12 and 13 (Autobahn sends 1000; see README.md).
    int deflate_messages = 25;
};

std::vector<Case> all_cases(const Options& options);

// Runs one case against the server and grades it.
Result run_case(const Case& test, asio::io_context& io, const Url& url);

// --- helpers the case tables share ---
inline Event text_message(std::string payload) { return {Event::text, std::move(payload)}; }
inline Event binary_message(std::string payload) { return {Event::binary, std::move(payload)}; }
inline Event pong_event(std::string payload) { return {Event::pong, std::move(payload)}; }
inline Event marker_event(std::string name) { return {Event::marker, std::move(name)}; }

inline FrameSpec text_frame(std::string payload, bool fin = true) {
    return {.opcode = opcode::text, .payload = std::move(payload), .fin = fin};
}
inline FrameSpec binary_frame(std::string payload, bool fin = true) {
    return {.opcode = opcode::binary, .payload = std::move(payload), .fin = fin};
}
inline FrameSpec continuation_frame(std::string payload, bool fin = true) {
    return {.opcode = opcode::continuation, .payload = std::move(payload), .fin = fin};
}
inline FrameSpec ping_frame(std::string payload = {}) { return {.opcode = opcode::ping, .payload = std::move(payload)}; }
inline FrameSpec pong_frame(std::string payload = {}) { return {.opcode = opcode::pong, .payload = std::move(payload)}; }

// A case sending `frames` that expects `message` echoed; when the message exceeds
// options.max_message_size it expects close 1009 instead (the server refuses it).
Case echo_case(const Options& options, std::string id, std::string description, std::vector<FrameSpec> frames,
               Event message, double timeout, SendMode mode = {});

// Splits a message into frames of `frame_size` octets (0: one frame).
std::vector<FrameSpec> fragment(const std::string& message, bool binary, std::size_t frame_size);

// Takes the next message and compares it with `expected`; fails the session when it differs or
// does not come within `seconds`. False then.
bool check_echo(Session& session, const Event& expected, double seconds);

// The case tables, one file per group of categories.
void add_framing_cases(std::vector<Case>& cases, const Options& options);        // 1, 2, 3, 4
void add_fragmentation_cases(std::vector<Case>& cases, const Options& options);  // 5
void add_utf8_cases(std::vector<Case>& cases, const Options& options);           // 6
void add_close_cases(std::vector<Case>& cases, const Options& options);          // 7
void add_limits_cases(std::vector<Case>& cases, const Options& options);         // 9, 10
void add_deflate_cases(std::vector<Case>& cases, const Options& options);        // 12, 13

}  // namespace conformance
