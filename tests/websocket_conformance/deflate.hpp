// The conformance client's own minimal permessage-deflate (RFC 7692): the offers cases 12 and 13
// send, the strict check of the server's answer, and one message at a time through zlib.
#pragma once

#include <zlib.h>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace conformance {

// One offer: what the client asks of the server. Every offer also says the client accepts
// client_no_context_takeover and client_max_window_bits, as Autobahn's do.
struct DeflateOffer {
    bool server_no_context_takeover = false;
    std::optional<int> server_max_window_bits;
};

// The Sec-WebSocket-Extensions value for offers in order of preference.
std::string offer_header(const std::vector<DeflateOffer>& offers);

struct DeflateAgreement {
    bool server_no_context_takeover = false;
    bool client_no_context_takeover = false;
    int server_max_window_bits = 15;
    int client_max_window_bits = 15;
};

struct CheckedAnswer {
    DeflateAgreement agreement;
    // Empty when the answer accepts an offer as RFC 7692 says; else how it falls short in a way
    // clients tolerate (the client then relies only on what the server did agree to).
    std::string shortfall;
};

// The server's Sec-WebSocket-Extensions value checked against the offers: nullopt when it
// declined (no permessage-deflate in it); throws std::runtime_error naming the fault when the
// answer is not a valid acceptance of one of the offers (RFC 7692 section 7.1).
std::optional<CheckedAnswer> check_answer(std::string_view answer, const std::vector<DeflateOffer>& offers);

// Compresses this client's messages (the trailing 00 00 ff ff removed, section 7.2.1).
class MessageDeflater {
public:
    MessageDeflater(int window_bits, bool no_context_takeover);
    ~MessageDeflater();
    MessageDeflater(const MessageDeflater&) = delete;
    MessageDeflater& operator=(const MessageDeflater&) = delete;
    std::string compress(std::string_view message);

private:
    z_stream stream_{};
    bool no_context_takeover_;
};

// Inflates the server's messages with the window it agreed to, forgetting the previous messages
// when it agreed to server_no_context_takeover, so that a server breaking either promise
// produces data this side cannot inflate.
class MessageInflater {
public:
    MessageInflater(int window_bits, bool no_context_takeover);
    ~MessageInflater();
    MessageInflater(const MessageInflater&) = delete;
    MessageInflater& operator=(const MessageInflater&) = delete;
    // Throws std::runtime_error on corrupt data or when the message inflates beyond max_size.
    std::string inflate(std::string_view payload, std::size_t max_size);

private:
    z_stream stream_{};
    bool no_context_takeover_;
};

}  // namespace conformance
