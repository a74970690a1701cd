#include "case.hpp"

#include <algorithm>
#include <limits>

namespace conformance {

namespace {

std::string codes_text(const std::vector<std::uint16_t>& codes) {
    std::string out;
    for (const auto code : codes) out += (out.empty() ? "" : " or ") + std::to_string(code);
    return out;
}

// How the connection ended, in a few words.
std::string close_summary(const Session& session) {
    std::string out;
    if (session.server_close) {
        const auto& close = *session.server_close;
        out = close.before_ours ? "server closed with " : "server answered close ";
        out += close.code ? std::to_string(*close.code) : "(no code)";
    } else if (session.eof) {
        out = "server dropped TCP without a close frame";
    } else {
        out = "no close frame from the server";
    }
    if (session.server_close) out += session.dropped_by_us ? ", client dropped TCP" : ", then closed TCP";
    return out;
}

// Empty when the connection ended as the case requires; else what went wrong.
std::string close_problem(const Case& test, const Session& session, bool server_timed_out) {
    const CloseExpectation& expected = test.close;
    if (expected.closer == CloseExpectation::client) {
        if (session.server_close && session.server_close->before_ours)
            return "the server started the close (" + close_summary(session) + "), the client should have";
        if (session.eof_before_close) return "the server dropped TCP before any close frame";
    } else if (server_timed_out) {
        return "the server did not fail the connection within the case's time";
    }
    if (session.server_close) {
        const auto& code = session.server_close->code;
        if (code && std::find(expected.codes.begin(), expected.codes.end(), *code) == expected.codes.end())
            return "wrong close code " + std::to_string(*code) + ", expected " + codes_text(expected.codes);
    } else if (expected.require_clean) {
        return "no clean close: " + close_summary(session);
    } else if (!expected.drop_allowed) {
        return "the server dropped TCP without the close frame " + codes_text(expected.codes) +
               " RFC 6455 section 7.1.7 asks for";
    }
    if (session.dropped_by_us) return "the server did not close TCP within 1 s of the closing handshake";
    return {};
}

}  // namespace

const char* status_name(Status status) {
    switch (status) {
        case Status::pass: return "PASS";
        case Status::non_strict: return "NON-STRICT";
        case Status::informational: return "INFO";
        case Status::unimplemented: return "UNIMPLEMENTED";
        case Status::fail: break;
    }
    return "FAIL";
}

Result run_case(const Case& test, asio::io_context& io, const Url& url) {
    std::unique_ptr<Session> session;
    try {
        session = std::make_unique<Session>(io, url, test.offers);
    } catch (const std::exception& error) {
        return {Status::fail, std::string("handshake: ") + error.what()};
    }
    if (!test.offers.empty() && !session->deflate()) {
        session->close_normally();
        session->finish_closing();
        return {Status::unimplemented, "the server declined permessage-deflate"};
    }
    try {
        test.script(*session);
    } catch (const std::exception& error) {
        session->fail(std::string("client: ") + error.what());
    }
    bool server_timed_out = false;
    if (test.close.closer == CloseExpectation::client) {
        session->wait_for_events(test.ok.size(), test.timeout);
        session->close_normally();
    } else {
        session->wait_for_events(std::numeric_limits<std::size_t>::max(), test.timeout);
        server_timed_out = !session->server_close && !session->eof && !session->failure;
        if (server_timed_out) session->drop();
    }
    session->finish_closing();

    if (session->failure) return {Status::fail, *session->failure};
    if (test.informational)
        return {Status::informational, "events " + describe(session->events) + "; " + close_summary(*session)};
    Status status = Status::fail;
    if (session->events == test.ok) {
        status = session->negotiation_shortfall().empty() ? Status::pass : Status::non_strict;
    } else if (std::find(test.non_strict.begin(), test.non_strict.end(), session->events) != test.non_strict.end()) {
        status = Status::non_strict;
    } else {
        return {Status::fail, "expected " + describe(test.ok) + ", got " + describe(session->events)};
    }
    const std::string events = !session->negotiation_shortfall().empty() ? "tolerated: " + session->negotiation_shortfall()
                               : status == Status::pass                     ? "events as expected"
                                                                            : "tolerated events " + describe(session->events);
    if (const auto problem = close_problem(test, *session, server_timed_out); !problem.empty())
        return {Status::fail, events + ", but " + problem};
    return {status, events + "; " + close_summary(*session)};
}

Case echo_case(const Options& options, std::string id, std::string description, std::vector<FrameSpec> frames,
               Event message, double timeout, SendMode mode) {
    Case test{.id = std::move(id), .description = std::move(description), .timeout = timeout};
    if (options.max_message_size > 0 && message.payload.size() > options.max_message_size) {
        test.description += " (over --max-message-size: close 1009 expected)";
        test.close = server_fails(1009);
    } else {
        test.ok = {std::move(message)};
    }
    test.script = [frames = std::move(frames), mode](Session& session) { session.send(frames, mode); };
    return test;
}

std::vector<FrameSpec> fragment(const std::string& message, bool binary, std::size_t frame_size) {
    if (frame_size == 0) frame_size = std::max<std::size_t>(message.size(), 1);
    std::vector<FrameSpec> frames;
    for (std::size_t offset = 0; offset == 0 || offset < message.size(); offset += frame_size) {
        frames.push_back({.opcode = offset > 0 ? opcode::continuation : binary ? opcode::binary : opcode::text,
                          .payload = message.substr(offset, frame_size),
                          .fin = offset + frame_size >= message.size()});
    }
    return frames;
}

bool check_echo(Session& session, const Event& expected, double seconds) {
    const auto kind = [](const Event& event) {
        return std::string(event.kind == Event::text ? "text" : "binary") + "[" + std::to_string(event.payload.size()) + "]";
    };
    const auto echo = session.take_message(seconds);
    if (!echo) {
        if (!session.failure)
            session.fail("no echo of " + kind(expected) + " within " + std::to_string(static_cast<int>(seconds)) + " s (" +
                         close_summary(session) + ")");
        return false;
    }
    if (*echo == expected) return true;
    if (echo->kind != expected.kind || echo->payload.size() != expected.payload.size()) {
        session.fail("echo is " + kind(*echo) + ", expected " + kind(expected));
    } else {
        const auto differ = std::mismatch(echo->payload.begin(), echo->payload.end(), expected.payload.begin());
        session.fail("echo of " + kind(expected) + " differs from octet " + std::to_string(differ.first - echo->payload.begin()));
    }
    return false;
}

std::vector<Case> all_cases(const Options& options) {
    std::vector<Case> cases;
    add_framing_cases(cases, options);
    add_fragmentation_cases(cases, options);
    add_utf8_cases(cases, options);
    add_close_cases(cases, options);
    add_limits_cases(cases, options);
    add_deflate_cases(cases, options);
    return cases;
}

}  // namespace conformance
