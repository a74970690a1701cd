// Judges the bytes a long-poll client has received: is the HTTP/1.1 response complete yet, and
// is it the expected 200 with {"inventoryCount": "N"}?
#pragma once

#include <string_view>

enum class AnswerState { incomplete, expected, wrong };

// The response must be "HTTP/1.1 200", framed by Content-Length (a long-poll answer is written
// at once), with a body equal to expected_body once the body's blanks are ignored.
AnswerState judge_answer(std::string_view received, std::string_view expected_body);
