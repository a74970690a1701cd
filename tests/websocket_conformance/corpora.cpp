#include "corpora.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <map>

namespace conformance {

namespace {

// A fixed xorshift generator: the same numbers on every platform and library.
class Random {
public:
    std::uint32_t next() {
        state_ ^= state_ << 13;
        state_ ^= state_ >> 7;
        state_ ^= state_ << 17;
        return static_cast<std::uint32_t>(state_ >> 11);
    }
    std::size_t below(std::size_t bound) { return next() % bound; }
    template <class T, std::size_t N>
    const T& pick(const std::array<T, N>& items) { return items[below(N)]; }

private:
    std::uint64_t state_ = 0x9e3779b97f4a7c15ull;
};

const std::array<const char*, 12> names = {"Anna", "Jürgen", "Zoë", "Mateo", "Søren", "Chloé",
                                           "Ivan", "Aiko", "Björn", "Lucía", "Noah", "Émile"};
const std::array<const char*, 10> cities = {"Zürich", "Kraków", "São Paulo", "Berlin", "Москва",
                                            "Reykjavík", "Toronto", "東京", "Lyon", "Montréal"};
const std::array<const char*, 16> words = {"über", "Nacht", "Geist", "schön", "Traum", "Licht", "Hölle", "Wärme",
                                           "müde", "Herz", "Welt", "Himmel", "Erde", "Stunde", "Sinn", "Glück"};

std::string make_json(Random& random, std::size_t size) {
    std::string out = "[\n";
    for (int id = 0; out.size() < size; ++id) {
        out += "  {\"id\": " + std::to_string(id) + ", \"name\": \"" + random.pick(names) + "\", \"city\": \"" +
               random.pick(cities) + "\", \"score\": " + std::to_string(random.below(10000) / 100.0) +
               ", \"active\": " + (random.below(2) ? "true" : "false") + ", \"tags\": [\"" + random.pick(words) +
               "\", \"" + random.pick(words) + "\"]},\n";
    }
    return out + "  {}\n]\n";
}

std::string make_bitmap(Random& random) {
    constexpr int side = 512;
    std::string out = "BM";
    out.resize(54 + 1024, '\0');  // header and greyscale palette, mostly zeros as in a real file
    for (int level = 0; level < 256; ++level)
        for (int channel = 0; channel < 3; ++channel) out[54 + level * 4 + channel] = static_cast<char>(level);
    for (int y = 0; y < side; ++y)
        for (int x = 0; x < side; ++x)
            out.push_back(static_cast<char>(((x * x + y * y) >> 11) + ((x ^ y) & 0x1f) + random.below(8)));
    return out;
}

std::string make_verse(Random& random, std::size_t size) {
    std::string out;
    while (out.size() < size) {
        const std::size_t line_words = 4 + random.below(5);
        for (std::size_t i = 0; i < line_words; ++i) out += std::string(i ? " " : "") + random.pick(words);
        out += random.below(4) == 0 ? ".\n\n" : ",\n";
    }
    return out;
}

std::string make_html(Random& random, std::size_t size) {
    std::string out = "<!DOCTYPE html>\n<html><head><title>Seite</title></head><body>\n";
    for (int row = 0; out.size() < size; ++row) {
        out += "<div class=\"row\" id=\"r" + std::to_string(row) + "\"><p>" + random.pick(words) + " " + random.pick(words) +
               " in " + random.pick(cities) + "</p><a href=\"/page/" + std::to_string(random.below(1000)) + "\">" +
               random.pick(names) + "</a></div>\n";
    }
    return out + "</body></html>\n";
}

// Half text structure, half incompressible stream data, as in a PDF with compressed streams.
std::string make_document(Random& random, std::size_t size) {
    std::string out = "%PDF-1.4\n";
    for (int object = 1; out.size() < size; ++object) {
        const std::size_t length = 512 + random.below(4096);
        out += std::to_string(object) + " 0 obj\n<< /Length " + std::to_string(length) + " /Filter /FlateDecode >>\nstream\n";
        for (std::size_t i = 0; i < length; ++i) out.push_back(static_cast<char>(random.next()));
        out += "\nendstream\nendobj\n";
    }
    return out;
}

}  // namespace

Corpus::Corpus(std::string data, bool counted_in_characters) : data_(std::move(data)) {
    if (!counted_in_characters) return;
    for (std::size_t i = 0; i < data_.size(); ++i)
        if ((static_cast<unsigned char>(data_[i]) & 0xc0) != 0x80) starts_.push_back(i);
    starts_.push_back(data_.size());
}

std::string Corpus::window(std::size_t index, std::size_t length) const {
    std::string out;
    std::size_t unit = (index * length) % units();
    for (std::size_t left = length; left > 0; unit = 0) {
        const std::size_t take = std::min(left, units() - unit);
        out.append(data_, offset(unit), offset(unit + take) - offset(unit));
        left -= take;
    }
    return out;
}

const Corpus& corpus(CorpusKind kind) {
    static std::map<CorpusKind, Corpus> made;
    if (const auto found = made.find(kind); found != made.end()) return found->second;
    Random random;
    switch (kind) {
        case CorpusKind::json: return made.emplace(kind, Corpus(make_json(random, 194056), true)).first->second;
        case CorpusKind::bitmap: return made.emplace(kind, Corpus(make_bitmap(random), false)).first->second;
        case CorpusKind::verse: return made.emplace(kind, Corpus(make_verse(random, 222218), false)).first->second;
        case CorpusKind::html: return made.emplace(kind, Corpus(make_html(random, 263647), true)).first->second;
        case CorpusKind::document: break;
    }
    return made.emplace(kind, Corpus(make_document(random, 1042328), false)).first->second;
}

}  // namespace conformance
