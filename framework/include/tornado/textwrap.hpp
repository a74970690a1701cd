// tornado::textwrap — Python's textwrap.wrap and textwrap.fill, which the book's samples use.
// Widths count Unicode code points, as Python does.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace tornado::textwrap {

// Python defaults: tabs expanded, whitespace replaced by spaces, words longer than width
// broken, breaks after hyphens allowed. Throws std::invalid_argument when width < 1.
std::vector<std::string> wrap(std::string_view text, int width = 70);
// The lines of wrap() joined by '\n', with no trailing newline.
std::string fill(std::string_view text, int width = 70);

}  // namespace tornado::textwrap
