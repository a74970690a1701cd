// The --cases filter: comma-separated patterns, each an id ("5.1"), a prefix ("1.*", "6.4.*",
// "*"), or an inclusive range ("5.1-5.10", "6.5-6.9": ends compared number by number).
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace conformance {

class CaseFilter {
public:
    // Throws std::invalid_argument naming a pattern it cannot read.
    explicit CaseFilter(std::string_view patterns);
    bool matches(std::string_view id) const;

private:
    struct Pattern {
        std::vector<int> low, high;  // a range; an id is low == high; a prefix: is_prefix
        bool is_prefix = false;
    };
    std::vector<Pattern> patterns_;
};

}  // namespace conformance
