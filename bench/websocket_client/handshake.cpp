#include "handshake.hpp"

#include <openssl/evp.h>
#include <openssl/rand.h>

#include <algorithm>
#include <cctype>
#include <stdexcept>

namespace wsbench {

namespace {

std::string base64(const unsigned char* data, std::size_t size) {
    std::string out(4 * ((size + 2) / 3) + 1, '\0');
    const int written = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()), data, static_cast<int>(size));
    out.resize(static_cast<std::size_t>(written));
    return out;
}

std::string_view trim(std::string_view text) {
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
    return text;
}

bool equal_ignoring_case(std::string_view a, std::string_view b) {
    return std::ranges::equal(a, b, [](char x, char y) {
        return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
    });
}

// Whether a comma-separated header value lists token (Connection: keep-alive, Upgrade).
bool lists_token(std::string_view value, std::string_view token) {
    while (!value.empty()) {
        const std::size_t comma = value.find(',');
        if (equal_ignoring_case(trim(value.substr(0, comma)), token)) return true;
        if (comma == std::string_view::npos) break;
        value.remove_prefix(comma + 1);
    }
    return false;
}

constexpr std::size_t max_answer_head = 8192;

}  // namespace

HandshakeRequest make_handshake_request(std::string_view host, std::string_view path, bool offer_deflate) {
    unsigned char nonce[16];
    if (RAND_bytes(nonce, sizeof nonce) != 1) throw std::runtime_error("RAND_bytes failed");
    HandshakeRequest request{.key = base64(nonce, sizeof nonce), .text = {}};
    request.text.append("GET ").append(path).append(" HTTP/1.1\r\nHost: ").append(host);
    request.text.append("\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: ");
    request.text.append(request.key).append("\r\n");
    if (offer_deflate) request.text.append("Sec-WebSocket-Extensions: permessage-deflate\r\n");
    request.text.append("\r\n");
    return request;
}

std::string accept_value(std::string_view key) {
    const std::string input = std::string(key) + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int size = 0;
    if (!EVP_Digest(input.data(), input.size(), digest, &size, EVP_sha1(), nullptr)) throw std::runtime_error("SHA-1 failed");
    return base64(digest, size);
}

HandshakeAnswer check_handshake_answer(std::string_view received, std::string_view key) {
    using Status = HandshakeAnswer::Status;
    const std::size_t end = received.find("\r\n\r\n");
    if (end == std::string_view::npos) {
        if (received.size() > max_answer_head) return {.status = Status::rejected, .reason = "answer head over 8 KiB"};
        return {};
    }
    const std::string_view head = received.substr(0, end + 2);  // every line ends in \r\n
    std::size_t line_end = head.find("\r\n");
    const std::string_view status_line = head.substr(0, line_end);
    if (!status_line.starts_with("HTTP/1.1 101")) {
        return {.status = Status::rejected, .reason = "answer '" + std::string(status_line) + "'"};
    }
    bool upgrade = false, connection = false, accepted = false;
    HandshakeAnswer answer{.status = Status::accepted, .size = end + 4};
    const std::string expected_accept = accept_value(key);
    for (std::size_t start = line_end + 2; start < head.size(); start = line_end + 2) {
        line_end = head.find("\r\n", start);
        const std::string_view line = head.substr(start, line_end - start);
        const std::size_t colon = line.find(':');
        if (colon == std::string_view::npos) continue;
        const std::string_view name = trim(line.substr(0, colon));
        const std::string_view value = trim(line.substr(colon + 1));
        if (equal_ignoring_case(name, "upgrade")) upgrade = equal_ignoring_case(value, "websocket");
        else if (equal_ignoring_case(name, "connection")) connection = lists_token(value, "upgrade");
        else if (equal_ignoring_case(name, "sec-websocket-accept")) accepted = value == expected_accept;
        else if (equal_ignoring_case(name, "sec-websocket-extensions")) {
            if (answer.extensions) answer.extensions->append(", ");
            else answer.extensions.emplace();
            answer.extensions->append(value);
        }
    }
    if (!upgrade || !connection || !accepted) {
        return {.status = Status::rejected,
                .reason = !upgrade ? "no Upgrade: websocket" : !connection ? "no Connection: Upgrade" : "wrong Sec-WebSocket-Accept"};
    }
    return answer;
}

}  // namespace wsbench
