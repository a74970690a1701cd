#include "case_filter.hpp"

#include <algorithm>
#include <charconv>
#include <stdexcept>

namespace conformance {

namespace {

// "5.10" -> {5, 10}; throws on anything but dot-separated numbers.
std::vector<int> parse_id(std::string_view id, std::string_view pattern) {
    std::vector<int> numbers;
    while (true) {
        const auto dot = id.find('.');
        const std::string_view part = id.substr(0, dot);
        int value = 0;
        const auto [end, error] = std::from_chars(part.data(), part.data() + part.size(), value);
        if (part.empty() || error != std::errc() || end != part.data() + part.size())
            throw std::invalid_argument("cannot read case pattern \"" + std::string(pattern) + "\"");
        numbers.push_back(value);
        if (dot == std::string_view::npos) return numbers;
        id.remove_prefix(dot + 1);
    }
}

// Compares the id's first bound.size() numbers with the bound: -1, 0 or 1.
int compare_prefix(const std::vector<int>& id, const std::vector<int>& bound) {
    for (std::size_t i = 0; i < bound.size(); ++i) {
        if (i >= id.size()) return -1;
        if (id[i] != bound[i]) return id[i] < bound[i] ? -1 : 1;
    }
    return 0;
}

}  // namespace

CaseFilter::CaseFilter(std::string_view patterns) {
    while (!patterns.empty()) {
        const auto comma = patterns.find(',');
        const std::string_view text = patterns.substr(0, comma);
        patterns.remove_prefix(comma == std::string_view::npos ? patterns.size() : comma + 1);
        if (text.empty()) continue;
        Pattern pattern;
        if (text == "*") {
            pattern.is_prefix = true;
        } else if (text.size() > 2 && text.substr(text.size() - 2) == ".*") {
            pattern.is_prefix = true;
            pattern.low = pattern.high = parse_id(text.substr(0, text.size() - 2), text);
        } else if (const auto dash = text.find('-'); dash != std::string_view::npos) {
            pattern.low = parse_id(text.substr(0, dash), text);
            pattern.high = parse_id(text.substr(dash + 1), text);
        } else {
            pattern.low = pattern.high = parse_id(text, text);
        }
        patterns_.push_back(std::move(pattern));
    }
    if (patterns_.empty()) throw std::invalid_argument("--cases names no case");
}

bool CaseFilter::matches(std::string_view id) const {
    const std::vector<int> numbers = parse_id(id, id);
    return std::any_of(patterns_.begin(), patterns_.end(), [&](const Pattern& pattern) {
        if (pattern.is_prefix) return compare_prefix(numbers, pattern.low) == 0;
        if (pattern.low == pattern.high) return numbers == pattern.low;
        return compare_prefix(numbers, pattern.low) >= 0 && compare_prefix(numbers, pattern.high) <= 0;
    });
}

}  // namespace conformance
