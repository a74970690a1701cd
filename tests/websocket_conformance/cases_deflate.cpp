// Categories 12 and 13: permessage-deflate (RFC 7692). Each case negotiates the extension with the
// offers of its sub-category, then sends compressed messages one at a time (the next once the
// previous echo is back, inflated and compared), unfragmented or cut into frames after compression.
#include "case.hpp"
#include "corpora.hpp"

namespace conformance {

namespace {

struct Row {
    std::size_t length;      // characters of text, or octets
    std::size_t frame_size;  // of compressed data per frame; 0: one frame
    double seconds;          // for all the case's round trips
};

// The same 18 rows in every sub-category of 12 and 13.
const Row rows[] = {{16, 0, 60},          {64, 0, 60},          {256, 0, 120},         {1024, 0, 240},
                    {4096, 0, 480},       {8192, 0, 480},       {16384, 0, 480},       {32768, 0, 480},
                    {65536, 0, 480},      {131072, 0, 480},     {8192, 256, 480},      {16384, 256, 480},
                    {32768, 256, 480},    {65536, 256, 480},    {131072, 256, 480},    {131072, 1024, 480},
                    {131072, 4096, 480},  {131072, 32768, 480}};

void add_sub_category(std::vector<Case>& cases, const Options& options, const std::string& prefix, const std::string& what,
                      CorpusKind kind, bool binary, const std::vector<DeflateOffer>& offers) {
    int number = 1;
    for (const Row& row : rows) {
        const int count = options.deflate_messages;
        cases.push_back({.id = prefix + std::to_string(number++),
                         .description = std::to_string(count) + " compressed " + what + " messages of " +
                                        std::to_string(row.length) + (binary ? " octets" : " characters") +
                                        (row.frame_size ? ", in frames of " + std::to_string(row.frame_size) + " octets" : ""),
                         .script = [=](Session& s) {
                             const Corpus& source = corpus(kind);
                             const auto deadline = Clock::now() + std::chrono::duration<double>(row.seconds);
                             for (int i = 0; i < count; ++i) {
                                 const std::string message = source.window(i, row.length);
                                 s.send_compressed(message, binary, row.frame_size);
                                 const double left = std::chrono::duration<double>(deadline - Clock::now()).count();
                                 if (!check_echo(s, {binary ? Event::binary : Event::text, message}, std::max(left, 0.0))) return;
                             }
                         },
                         .timeout = row.seconds,
                         .offers = offers});
    }
}

}  // namespace

void add_deflate_cases(std::vector<Case>& cases, const Options& options) {
    const std::vector<DeflateOffer> plain = {{}};
    add_sub_category(cases, options, "12.1.", "JSON text", CorpusKind::json, false, plain);
    add_sub_category(cases, options, "12.2.", "bitmap", CorpusKind::bitmap, true, plain);
    add_sub_category(cases, options, "12.3.", "German verse (as binary)", CorpusKind::verse, true, plain);
    add_sub_category(cases, options, "12.4.", "HTML text", CorpusKind::html, false, plain);
    add_sub_category(cases, options, "12.5.", "PDF-like", CorpusKind::document, true, plain);

    const std::vector<std::pair<std::string, std::vector<DeflateOffer>>> parameters = {
        {"offer: plain", plain},
        {"offer: server_no_context_takeover", {{.server_no_context_takeover = true}}},
        {"offer: server_max_window_bits=9", {{.server_max_window_bits = 9}}},
        {"offer: server_max_window_bits=15", {{.server_max_window_bits = 15}}},
        {"offer: server_no_context_takeover, server_max_window_bits=9", {{true, 9}}},
        {"offer: server_no_context_takeover, server_max_window_bits=15", {{true, 15}}},
        {"three offers: (no context takeover, window 9), (no context takeover), plain", {{true, 9}, {true, {}}, {}}},
    };
    int number = 1;
    for (const auto& [title, offers] : parameters)
        add_sub_category(cases, options, "13." + std::to_string(number++) + ".", "JSON text (" + title + ")",
                         CorpusKind::json, false, offers);
}

}  // namespace conformance
