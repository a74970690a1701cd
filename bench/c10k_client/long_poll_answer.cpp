#include "long_poll_answer.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <string>

namespace {

bool equal_ignoring_case(std::string_view a, std::string_view b) {
    return std::ranges::equal(a, b, [](char x, char y) { return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y)); });
}

std::string_view trim(std::string_view text) {
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
    return text;
}

// The Content-Length header's value, or -1 when absent or not a number.
long content_length(std::string_view head) {
    std::size_t line_start = head.find("\r\n");
    while (line_start != std::string_view::npos) {
        line_start += 2;
        std::size_t line_end = head.find("\r\n", line_start);
        std::string_view line = head.substr(line_start, line_end == std::string_view::npos ? std::string_view::npos : line_end - line_start);
        std::size_t colon = line.find(':');
        if (colon != std::string_view::npos && equal_ignoring_case(trim(line.substr(0, colon)), "content-length")) {
            std::string_view value = trim(line.substr(colon + 1));
            long length = -1;
            auto [end, error] = std::from_chars(value.data(), value.data() + value.size(), length);
            return error == std::errc() && end == value.data() + value.size() ? length : -1;
        }
        line_start = line_end;
    }
    return -1;
}

}  // namespace

AnswerState judge_answer(std::string_view received, std::string_view expected_body) {
    std::size_t head_end = received.find("\r\n\r\n");
    if (head_end == std::string_view::npos) return AnswerState::incomplete;
    std::string_view head = received.substr(0, head_end);
    long length = content_length(head);
    if (length < 0) return AnswerState::wrong;
    std::string_view body = received.substr(head_end + 4);
    if (body.size() < static_cast<std::size_t>(length)) return AnswerState::incomplete;
    if (!head.starts_with("HTTP/1.1 200 ") || body.size() != static_cast<std::size_t>(length)) return AnswerState::wrong;
    std::string compact;
    std::ranges::copy_if(body, std::back_inserter(compact), [](char c) { return !std::isspace(static_cast<unsigned char>(c)); });
    return compact == expected_body ? AnswerState::expected : AnswerState::wrong;
}
