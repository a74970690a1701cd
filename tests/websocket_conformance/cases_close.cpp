// Category 7: the closing handshake. The client closes (validly or not); the server answers with
// one close frame of an allowed code, processes nothing after the client's close, then closes TCP.
#include "case.hpp"

namespace conformance {

namespace {

std::string close_payload(std::uint16_t code, const std::string& reason = {}) {
    return std::string{static_cast<char>(code >> 8), static_cast<char>(code & 0xff)} + reason;
}

Case close_case(std::string id, std::string what, std::function<void(Session&)> script, CloseExpectation close) {
    return {.id = std::move(id), .description = std::move(what), .script = std::move(script), .close = std::move(close)};
}

// The server must answer a close it cannot accept with 1002 (or drop the connection, which the
// case's own expectation allows).
CloseExpectation protocol_error(std::vector<std::uint16_t> codes = {1002}) {
    return {.closer = CloseExpectation::client, .codes = std::move(codes), .require_clean = false, .drop_allowed = true};
}

void send_close(Session& s, const std::string& payload) { s.send_close_payload(payload); }

}  // namespace

void add_close_cases(std::vector<Case>& cases, const Options&) {
    cases.push_back({.id = "7.1.1", .description = "text echoed, then a normal close",
                     .script = [](Session& s) { s.send(text_frame("Hello World!")); },
                     .ok = {text_message("Hello World!")}});
    cases.push_back(close_case("7.1.2", "close, then a second close: the second is ignored",
                               [](Session& s) {
                                   send_close(s, close_payload(1000));
                                   s.send(FrameSpec{.opcode = opcode::close});
                               },
                               client_closes()));
    cases.push_back(close_case("7.1.3", "close, then a ping: no pong after the close",
                               [](Session& s) {
                                   send_close(s, close_payload(1000));
                                   s.send(ping_frame());
                               },
                               client_closes()));
    cases.push_back(close_case("7.1.4", "close, then a text: no echo after the close",
                               [](Session& s) {
                                   send_close(s, close_payload(1000));
                                   s.send(text_frame("Hello World!"));
                               },
                               client_closes()));
    cases.push_back(close_case("7.1.5", "text fragment, close, final fragment: nothing echoed",
                               [](Session& s) {
                                   s.send(text_frame("fragment1", false));
                                   send_close(s, close_payload(1000));
                                   s.send(continuation_frame("fragment2"));
                               },
                               client_closes()));
    cases.push_back({.id = "7.1.6", .description = "256 KiB text, a short text, close, ping in one burst (informational)",
                     .script = [](Session& s) {
                         std::string big;
                         while (big.size() < 256 * 1024) big += "BAsd7&jh23";
                         big.resize(256 * 1024);
                         const std::string bytes = encode_frame(text_frame(big)) + encode_frame(text_frame("Hello World!")) +
                                                   encode_frame({.opcode = opcode::close, .payload = close_payload(1000)}) +
                                                   encode_frame(ping_frame());
                         s.send_bytes(bytes);
                         s.client_close_sent = true;
                     },
                     .timeout = 5, .informational = true});
    cases.push_back(close_case("7.3.1", "close without a code", [](Session& s) { send_close(s, ""); }, client_closes()));
    cases.push_back(close_case("7.3.2", "close with a 1-octet payload: 1002", [](Session& s) { send_close(s, "a"); },
                               protocol_error()));
    cases.push_back(close_case("7.3.3", "close 1000 without a reason", [](Session& s) { send_close(s, close_payload(1000)); },
                               client_closes()));
    cases.push_back(close_case("7.3.4", "close 1000 with a reason",
                               [](Session& s) { send_close(s, close_payload(1000, "Hello World!")); }, client_closes()));
    cases.push_back(close_case("7.3.5", "close 1000 with a 123-octet reason (125 octets in all)",
                               [](Session& s) { send_close(s, close_payload(1000, std::string(123, '*'))); }, client_closes()));
    cases.push_back(close_case("7.3.6", "close with a 126-octet payload (over the control limit): 1002",
                               [](Session& s) { send_close(s, close_payload(1000, std::string(124, '*'))); },
                               protocol_error()));
    cases.push_back(close_case("7.5.1", "close 1000 with a reason that is not UTF-8: 1007 or 1002",
                               [](Session& s) {
                                   send_close(s, close_payload(1000, "\xce\xba\xe1\xbd\xb9\xcf\x83\xce\xbc\xce\xb5\xed\xa0\x80"
                                                                     "edited"));
                               },
                               protocol_error({1002, 1007})));
    int number = 1;
    for (const std::uint16_t code : {1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 3000, 3999, 4000, 4999}) {
        CloseExpectation echoed = client_closes();
        if (code != 1000) echoed.codes.push_back(code);
        cases.push_back(close_case("7.7." + std::to_string(number++), "close with valid code " + std::to_string(code),
                                   [code](Session& s) { send_close(s, close_payload(code)); }, echoed));
    }
    number = 1;
    for (const std::uint16_t code : {0, 999, 1004, 1005, 1006, 1016, 1100, 2000, 2999}) {
        cases.push_back(close_case("7.9." + std::to_string(number++), "close with invalid code " + std::to_string(code) + ": 1002",
                                   [code](Session& s) { send_close(s, close_payload(code)); }, protocol_error()));
    }
    number = 1;
    for (const std::uint16_t code : {5000, 65535}) {
        Case test = close_case("7.13." + std::to_string(number++),
                               "close with code " + std::to_string(code) + " (meaning undefined: informational)",
                               [code](Session& s) { send_close(s, close_payload(code)); }, client_closes());
        test.informational = true;
        cases.push_back(std::move(test));
    }
}

}  // namespace conformance
