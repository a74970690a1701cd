// permessage-deflate (framework/src/websocket_deflate.hpp, private): RFC 7692's own example
// bytes, round trips with and without context takeover, the negotiation of offers and answers,
// and the bound on what a message may inflate to.
#include "websocket_deflate.hpp"

#include <catch2/catch.hpp>

#include <cstdint>
#include <random>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

using Catch::Matchers::Contains;
using tornado::websocket::detail::accept_offer;
using tornado::websocket::detail::accept_response;
using tornado::websocket::detail::client_offer;
using tornado::websocket::detail::DeflateParameters;
using tornado::websocket::detail::PerMessageDeflate;

namespace {

std::string from_hex(std::vector<int> bytes) {
    std::string text;
    for (int byte : bytes) text += static_cast<char>(byte);
    return text;
}

std::string compressed(PerMessageDeflate& deflate, std::string_view message) {
    std::string payload;
    deflate.compress(message, payload);
    return payload;
}

std::string inflated(PerMessageDeflate& deflate, std::string_view payload) {
    std::string message;
    REQUIRE(deflate.decompress(payload, 64 * 1024 * 1024, message));
    return message;
}

std::string random_bytes(std::size_t size, std::uint32_t seed) {
    std::mt19937 generator(seed);
    std::string bytes(size, '\0');
    for (auto& byte : bytes) byte = static_cast<char>(generator() & 0xff);
    return bytes;
}

// Text that compresses well: words from a small vocabulary in a random order.
std::string repetitive_text(std::size_t size, std::uint32_t seed) {
    const char* words[] = {"tornado ", "websocket ", "deflate ", "message ", "window ", "frame "};
    std::mt19937 generator(seed);
    std::string text;
    while (text.size() < size) text += words[generator() % 6];
    text.resize(size);
    return text;
}

const std::string hello = "Hello";
const std::string rfc_hello = from_hex({0xf2, 0x48, 0xcd, 0xc9, 0xc9, 0x07, 0x00});  // RFC 7692 7.2.3.1
const std::string rfc_hello_again = from_hex({0xf2, 0x00, 0x11, 0x00, 0x00});        // 7.2.3.2

constexpr bool server = true;
constexpr bool client = false;

}  // namespace

TEST_CASE("Hello compresses to RFC 7692's bytes, and again to a reference to the first", "[websocket_deflate]") {
    PerMessageDeflate sender({}, server, 6, 8);
    CHECK(compressed(sender, hello) == rfc_hello);
    CHECK(compressed(sender, hello) == rfc_hello_again);

    DeflateParameters no_takeover;
    no_takeover.server_no_context_takeover = true;
    PerMessageDeflate forgetful_sender(no_takeover, server, 6, 8);
    CHECK(compressed(forgetful_sender, hello) == rfc_hello);
    CHECK(compressed(forgetful_sender, hello) == rfc_hello);
}

TEST_CASE("RFC 7692's example payloads inflate to Hello", "[websocket_deflate]") {
    PerMessageDeflate receiver({}, client, 6, 8);
    CHECK(inflated(receiver, rfc_hello) == hello);
    CHECK(inflated(receiver, rfc_hello_again) == hello);  // refers back into the first message
    // 7.2.3.3: a stored (uncompressed) block.
    CHECK(inflated(receiver, from_hex({0x00, 0x05, 0x00, 0xfa, 0xff, 0x48, 0x65, 0x6c, 0x6c, 0x6f, 0x00})) == hello);
    // 7.2.3.5: two blocks in one message.
    const auto two_blocks = from_hex({0xf2, 0x48, 0x05, 0x00, 0x00, 0x00, 0xff, 0xff, 0xca, 0xc9, 0xc9, 0x07, 0x00});
    CHECK(inflated(receiver, two_blocks) == hello);
}

TEST_CASE("A message flushed with BFINAL set keeps the window for the messages after it", "[websocket_deflate]") {
    // 7.2.3.4: Hello in a final block, then the empty stored block the sender appends.
    const auto final_hello = from_hex({0xf3, 0x48, 0xcd, 0xc9, 0xc9, 0x07, 0x00, 0x00});
    PerMessageDeflate receiver({}, server, 6, 8);
    CHECK(inflated(receiver, final_hello) == hello);
    CHECK(inflated(receiver, rfc_hello_again) == hello);
    CHECK(inflated(receiver, rfc_hello) == hello);
    // A payload that ends with its final block (no stored block after it) is whole too.
    CHECK(inflated(receiver, final_hello.substr(0, 7)) == hello);
    CHECK(inflated(receiver, rfc_hello_again) == hello);
}

TEST_CASE("Messages round-trip in both directions with and without context takeover", "[websocket_deflate]") {
    auto [server_no_takeover, client_no_takeover] =
        GENERATE(std::pair{false, false}, std::pair{true, false}, std::pair{false, true}, std::pair{true, true});
    DeflateParameters parameters{server_no_takeover, client_no_takeover, 15, 15};
    PerMessageDeflate server_side(parameters, server, 6, 8);
    PerMessageDeflate client_side(parameters, client, 6, 8);
    std::vector<std::string> messages = {repetitive_text(2000, 1), random_bytes(3000, 2), "",
                                         repetitive_text(2000, 1), repetitive_text(100000, 3), "x",
                                         random_bytes(200000, 4), ""};
    for (const auto& message : messages) {
        CHECK(inflated(client_side, compressed(server_side, message)) == message);
        CHECK(inflated(server_side, compressed(client_side, message)) == message);
    }
}

TEST_CASE("Context takeover makes a repeated message small, and without it each message stands alone",
          "[websocket_deflate]") {
    const auto message = random_bytes(1000, 5);
    PerMessageDeflate remembering({}, client, 6, 8);
    auto first = compressed(remembering, message);
    auto second = compressed(remembering, message);
    CHECK(first.size() > 1000);  // random bytes do not shrink on their own
    CHECK(second.size() < 20);   // but all of the second is one reference back into the first

    DeflateParameters no_takeover;
    no_takeover.client_no_context_takeover = true;
    PerMessageDeflate forgetful(no_takeover, client, 6, 8);
    CHECK(compressed(forgetful, message) == first);
    CHECK(compressed(forgetful, message) == first);
}

TEST_CASE("A receiver without context takeover refuses a message that refers back", "[websocket_deflate]") {
    DeflateParameters no_takeover;
    no_takeover.client_no_context_takeover = true;
    PerMessageDeflate receiver(no_takeover, server, 6, 8);
    CHECK(inflated(receiver, rfc_hello) == hello);
    std::string out;
    CHECK_THROWS_WITH(receiver.decompress(rfc_hello_again, 1000, out), Contains("invalid distance too far back"));
}

TEST_CASE("Every negotiated window size round-trips, 8 bits included", "[websocket_deflate]") {
    int bits = GENERATE(range(8, 16));
    DeflateParameters parameters{false, false, bits, bits};
    PerMessageDeflate server_side(parameters, server, 9, 9);
    PerMessageDeflate client_side(parameters, client, 1, 1);
    // Repeats 100 and 300 bytes apart: zlib compresses with a 512-byte window where 8 bits were
    // agreed, and the receiver's 256-byte window must still hold every distance it uses.
    auto near = random_bytes(100, 6);
    auto far = random_bytes(300, 7);
    std::string message;
    for (int i = 0; i < 20; ++i) message += near + near + far + far;
    for (int round = 0; round < 3; ++round) {
        CHECK(inflated(client_side, compressed(server_side, message)) == message);
        CHECK(inflated(server_side, compressed(client_side, message)) == message);
    }
}

TEST_CASE("Every window size compresses messages of every length up to 3,000 bytes at the default options",
          "[websocket_deflate]") {
    // Small windows make zlib's output bound small: the compressor once gave deflate exactly the
    // room a sync flush filled, and looped writing flush markers (Autobahn's case 13.3.1).
    int bits = GENERATE(range(8, 16));
    DeflateParameters parameters{false, false, bits, bits};
    PerMessageDeflate server_side(parameters, server, 6, 8);
    PerMessageDeflate client_side(parameters, client, 6, 8);
    auto text = repetitive_text(3000, 8) + random_bytes(3000, 9);
    for (std::size_t length = 1; length <= 3000; length += 37) {
        auto message = text.substr(text.size() / 2 - length / 2, length);
        REQUIRE(inflated(client_side, compressed(server_side, message)) == message);
    }
}

TEST_CASE("An empty message compresses to one byte", "[websocket_deflate]") {
    PerMessageDeflate sender({}, server, 6, 8);
    PerMessageDeflate receiver({}, client, 6, 8);
    for (const std::string message : {"", "", "abc", "", "abc"}) {
        auto payload = compressed(sender, message);
        if (message.empty()) CHECK(payload == std::string(1, '\0'));
        CHECK(inflated(receiver, payload) == message);
    }
}

TEST_CASE("compress appends to what out holds", "[websocket_deflate]") {
    PerMessageDeflate sender({}, server, 6, 8);
    std::string out = "header";
    sender.compress(hello, out);
    CHECK(out == "header" + rfc_hello);
}

TEST_CASE("A compression bomb stops at the size limit", "[websocket_deflate]") {
    PerMessageDeflate sender({}, client, 9, 9);
    const auto bomb = compressed(sender, std::string(10 * 1000 * 1000, '\0'));
    REQUIRE(bomb.size() < 20 * 1000);

    const std::size_t limit = 1024 * 1024;
    PerMessageDeflate receiver({}, server, 6, 8);
    std::string out = "kept";
    CHECK_FALSE(receiver.decompress(bomb, limit, out));
    CHECK(out.size() == 4 + limit);
    CHECK(out.substr(0, 4) == "kept");
    CHECK(out.find_first_not_of('\0', 4) == std::string::npos);
    // What the string allocated grew with what it holds, never towards the 10 MB.
    CHECK(out.capacity() <= 2 * (4 + limit));
}

TEST_CASE("A message of exactly the limit inflates, and one byte more does not", "[websocket_deflate]") {
    const std::size_t limit = 100000;
    PerMessageDeflate sender({}, client, 6, 8);
    PerMessageDeflate receiver({}, server, 6, 8);
    const auto message = repetitive_text(limit, 8);
    std::string out;
    CHECK(receiver.decompress(compressed(sender, message), limit, out));
    CHECK(out == message);
    out.clear();
    CHECK_FALSE(receiver.decompress(compressed(sender, message + "!"), limit, out));
    CHECK(out == message);
}

TEST_CASE("Corrupt compressed data throws", "[websocket_deflate]") {
    auto payload = GENERATE(from_hex({0x07, 0x00}),                    // block type 11 is reserved
                            from_hex({0x00, 0x05, 0x00, 0x00, 0x00}),  // stored length without its complement
                            from_hex({0x03, 0x00, 0x03, 0x00}));       // two final blocks in one message
    PerMessageDeflate receiver({}, server, 6, 8);
    std::string out;
    CHECK_THROWS_WITH(receiver.decompress(payload, 1000, out), Contains("invalid compressed data"));
}

TEST_CASE("zlib options out of range are refused", "[websocket_deflate]") {
    CHECK_THROWS_AS(PerMessageDeflate({}, server, 10, 8), std::invalid_argument);
    CHECK_THROWS_AS(PerMessageDeflate({}, server, -2, 8), std::invalid_argument);
    CHECK_THROWS_WITH(PerMessageDeflate({}, server, 6, 0), Contains("mem_level 0"));
    CHECK_NOTHROW(PerMessageDeflate({}, server, -1, 9));
}

TEST_CASE("accept_offer takes the first acceptable offer and answers as RFC 7692 says", "[websocket_deflate]") {
    struct Row {
        std::string offers;
        DeflateParameters parameters;
        std::string response;
    };
    auto row = GENERATE(
        Row{"permessage-deflate", {}, "permessage-deflate"},
        // Without a value the client only says it understands the parameter: nothing to answer.
        Row{"permessage-deflate; client_max_window_bits", {}, "permessage-deflate"},
        Row{"permessage-deflate; client_max_window_bits=10",
            {false, false, 15, 10},
            "permessage-deflate; client_max_window_bits=10"},
        Row{"permessage-deflate;client_no_context_takeover;server_max_window_bits=8;server_no_context_takeover",
            {true, true, 8, 15},
            "permessage-deflate; server_no_context_takeover; client_no_context_takeover; server_max_window_bits=8"},
        Row{"permessage-deflate; server_max_window_bits=15", {}, "permessage-deflate; server_max_window_bits=15"},
        Row{"permessage-deflate; server_max_window_bits=\"12\"",
            {false, false, 12, 15},
            "permessage-deflate; server_max_window_bits=12"},
        Row{"  permessage-deflate ;  client_max_window_bits = 9 ",
            {false, false, 15, 9},
            "permessage-deflate; client_max_window_bits=9"},
        // Several offers: the first acceptable one wins.
        Row{"permessage-deflate; server_max_window_bits=7, permessage-deflate; client_no_context_takeover",
            {false, true, 15, 15},
            "permessage-deflate; client_no_context_takeover"},
        Row{"x-webkit-deflate-frame, permessage-deflate; unknown, permessage-deflate; server_max_window_bits=9",
            {false, false, 9, 15},
            "permessage-deflate; server_max_window_bits=9"},
        // A comma inside a quoted string does not end an offer: x-other's value holds no offer.
        Row{"x-other; note=\", permessage-deflate; server_no_context_takeover, \", permessage-deflate",
            {},
            "permessage-deflate"},
        Row{", ,permessage-deflate,", {}, "permessage-deflate"});
    auto accepted = accept_offer(row.offers);
    INFO(row.offers);
    REQUIRE(accepted);
    CHECK(accepted->first == row.parameters);
    CHECK(accepted->second == row.response);
}

TEST_CASE("accept_offer refuses offers it cannot honour exactly", "[websocket_deflate]") {
    auto offers = GENERATE(as<std::string>{}, "", " , ", "x-webkit-deflate-frame", "permessage-deflate-x",
                           "permessage deflate", "permessage-deflate;", "permessage-deflate; ; client_max_window_bits",
                           "permessage-deflate; unknown",
                           "permessage-deflate; server_no_context_takeover; server_no_context_takeover",
                           "permessage-deflate; client_max_window_bits; client_max_window_bits=10",
                           "permessage-deflate; server_no_context_takeover=1",
                           "permessage-deflate; server_max_window_bits",
                           "permessage-deflate; server_max_window_bits=7",
                           "permessage-deflate; server_max_window_bits=16",
                           "permessage-deflate; server_max_window_bits=08",
                           "permessage-deflate; client_max_window_bits=abc",
                           "permessage-deflate; client_max_window_bits=",
                           "permessage-deflate; client_max_window_bits=\"10",
                           "permessage-deflate; client_max_window_bits=\"1 0\"");
    INFO(offers);
    CHECK_FALSE(accept_offer(offers));
}

TEST_CASE("The client's offer is one the server accepts", "[websocket_deflate]") {
    CHECK(client_offer() == "permessage-deflate; client_max_window_bits");
    auto accepted = accept_offer(client_offer());
    REQUIRE(accepted);
    CHECK(accept_response(accepted->second) == accepted->first);
}

TEST_CASE("accept_response reads the server's answer", "[websocket_deflate]") {
    CHECK(accept_response("permessage-deflate") == DeflateParameters{});
    CHECK(accept_response("permessage-deflate; server_no_context_takeover; client_max_window_bits=9") ==
          DeflateParameters{true, false, 15, 9});
    CHECK(accept_response("permessage-deflate;client_no_context_takeover;server_max_window_bits=\"10\"") ==
          DeflateParameters{false, true, 10, 15});
}

TEST_CASE("accept_response refuses an answer that does not fit the offer", "[websocket_deflate]") {
    const std::pair<std::string, std::string> answers_and_reasons[] = {
        {"", "expected exactly one extension"},
        {"x-custom", "extension x-custom was not offered"},
        {"permessage-deflate, permessage-deflate", "expected exactly one extension"},
        {"permessage-deflate, x-custom", "expected exactly one extension"},
        {"permessage-deflate; client_max_window_bits", "client_max_window_bits needs a value"},
        {"permessage-deflate; server_max_window_bits=16", "server_max_window_bits=16 is not a number of bits"},
        {"permessage-deflate; server_no_context_takeover; server_no_context_takeover",
         "repeated parameter server_no_context_takeover"},
        {"permessage-deflate; mystery=1", "unknown parameter mystery"},
        {"permessage-deflate; client_max_window_bits=\"9", "malformed"},
    };
    for (const auto& [answer, why] : answers_and_reasons) {
        INFO(answer);
        CHECK_THROWS_AS(accept_response(answer), std::invalid_argument);
        CHECK_THROWS_WITH(accept_response(answer), Contains(why));
    }
}

TEST_CASE("Parameters from a negotiation carry messages both ways", "[websocket_deflate]") {
    auto accepted = accept_offer(
        "permessage-deflate; client_max_window_bits=9; server_max_window_bits=10; client_no_context_takeover");
    REQUIRE(accepted);
    auto client_parameters = accept_response(accepted->second);
    CHECK(client_parameters == accepted->first);
    PerMessageDeflate server_side(accepted->first, server, 6, 8);
    PerMessageDeflate client_side(client_parameters, client, 6, 8);
    for (std::uint32_t seed = 10; seed < 14; ++seed) {
        const auto message = repetitive_text(5000, seed);
        CHECK(inflated(client_side, compressed(server_side, message)) == message);
        CHECK(inflated(server_side, compressed(client_side, message)) == message);
    }
}
