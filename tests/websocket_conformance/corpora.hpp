// Realistic, compressible payloads for categories 12 and 13. Autobahn uses real files (a JSON
// document, a bitmap, Goethe's Faust, an HTML page, a PDF); these are made up here, of the
// same sizes and kinds, from a fixed seed, so that every run sends the same octets.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace conformance {

class Corpus {
public:
    Corpus(std::string data, bool counted_in_characters);
    // Message `index` of `length` units (characters of UTF-8 text, or octets), taken from the
    // corpus cyclically, so that consecutive messages are consecutive windows.
    std::string window(std::size_t index, std::size_t length) const;

private:
    std::size_t units() const { return starts_.empty() ? data_.size() : starts_.size() - 1; }
    std::size_t offset(std::size_t unit) const { return starts_.empty() ? unit : starts_[unit]; }

    std::string data_;
    std::vector<std::size_t> starts_;  // where each character starts, then data_.size(); empty for octets
};

enum class CorpusKind { json, bitmap, verse, html, document };

// Made once, on first use.
const Corpus& corpus(CorpusKind kind);

}  // namespace conformance
