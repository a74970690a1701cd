// Categories 9 (big messages, many fragments, many small messages) and 10 (a message the client
// fragments itself). The payloads are made when a case runs, not when the table is built.
#include "case.hpp"

namespace conformance {

namespace {

constexpr std::size_t KiB = 1024, MiB = 1024 * 1024;

std::string repeat(std::string_view pattern, std::size_t size) {
    std::string out;
    out.reserve(size + pattern.size());
    while (out.size() < size) out += pattern;
    out.resize(size);
    return out;
}

std::string size_text(std::size_t size) {
    return size >= MiB ? std::to_string(size / MiB) + " MiB" : size >= KiB ? std::to_string(size / KiB) + " KiB"
                                                                         : std::to_string(size) + " octets";
}

// One message of `size` octets from `make`, sent in frames of `frame_size` (0: one frame) and
// writes of `chop` octets, echoed within `timeout` (or refused with 1009 past the size limit).
Case big_echo(const Options& options, std::string id, std::string what, std::size_t size, bool binary,
              std::function<std::string()> make, std::size_t frame_size, std::size_t chop, double timeout) {
    Case test{.id = std::move(id), .description = std::move(what), .timeout = timeout};
    if (options.max_message_size > 0 && size > options.max_message_size) {
        test.description += " (over --max-message-size: close 1009 expected)";
        test.close = server_fails(1009);
        test.script = [=](Session& s) { s.send(fragment(make(), binary, frame_size), {.chop = chop}); };
        return test;
    }
    test.script = [=](Session& s) {
        const std::string message = make();
        s.send(fragment(message, binary, frame_size), {.chop = chop});
        check_echo(s, {binary ? Event::binary : Event::text, message}, timeout);
    };
    return test;
}

// 9.7 / 9.8: 1000 messages, each sent once the previous one's echo is back.
Case round_trips(std::string id, std::size_t size, bool binary, double timeout) {
    return {.id = std::move(id),
            .description = "1000 " + std::string(binary ? "binary" : "text") + " messages of " + size_text(size) + ", one at a time",
            .script = [=](Session& s) {
                const std::string message(size, binary ? '\xfe' : '*');
                const auto deadline = Clock::now() + std::chrono::duration<double>(timeout);
                for (int i = 0; i < 1000; ++i) {
                    s.send(binary ? binary_frame(message) : text_frame(message));
                    const double left = std::chrono::duration<double>(deadline - Clock::now()).count();
                    if (!check_echo(s, {binary ? Event::binary : Event::text, message}, std::max(left, 0.0))) return;
                }
            },
            .timeout = timeout};
}

}  // namespace

void add_limits_cases(std::vector<Case>& cases, const Options& options) {
    const std::size_t single_sizes[] = {64 * KiB, 256 * KiB, 1 * MiB, 4 * MiB, 8 * MiB, 16 * MiB};
    const double text_timeouts[] = {10, 10, 100, 100, 100, 100}, binary_timeouts[] = {10, 10, 10, 10, 100, 100};
    for (int i = 0; i < 6; ++i) {
        const std::size_t size = single_sizes[i];
        cases.push_back(big_echo(options, "9.1." + std::to_string(i + 1), "text message of " + size_text(size) + " in one frame",
                                 size, false, [size] { return repeat("BAsd7&jh23", size); }, 0, 0, text_timeouts[i]));
    }
    for (int i = 0; i < 6; ++i) {
        const std::size_t size = single_sizes[i];
        cases.push_back(big_echo(options, "9.2." + std::to_string(i + 1), "binary message of " + size_text(size) + " in one frame",
                                 size, true, [size] { return repeat(std::string("\x00\xfe\x23\xfa\xf0", 5), size); }, 0, 0,
                                 binary_timeouts[i]));
    }
    const std::size_t frame_sizes[] = {64, 256, 1 * KiB, 4 * KiB, 16 * KiB, 64 * KiB, 256 * KiB, 1 * MiB, 4 * MiB};
    for (int binary = 0; binary < 2; ++binary) {
        for (int i = 0; i < 9; ++i) {
            cases.push_back(big_echo(options, std::string(binary ? "9.4." : "9.3.") + std::to_string(i + 1),
                                     std::string(binary ? "binary" : "text") + " message of 4 MiB in frames of " +
                                         size_text(frame_sizes[i]),
                                     4 * MiB, binary, [binary] { return std::string(4 * MiB, binary ? '\xfe' : '*'); },
                                     frame_sizes[i], 0, 100));
        }
    }
    const std::size_t chops[] = {64, 128, 256, 512, 1024, 2048};
    for (int binary = 0; binary < 2; ++binary) {
        for (int i = 0; i < 6; ++i) {
            cases.push_back(big_echo(options, std::string(binary ? "9.6." : "9.5.") + std::to_string(i + 1),
                                     std::string(binary ? "binary" : "text") + " message of 1 MiB in one frame, written " +
                                         std::to_string(chops[i]) + " octets at a time",
                                     1 * MiB, binary, [binary] { return std::string(1 * MiB, binary ? '\xfe' : '*'); }, 0,
                                     chops[i], 1000));
        }
    }
    const std::size_t small_sizes[] = {0, 16, 64, 256, 1024, 4096};
    const double small_timeouts[] = {60, 60, 60, 120, 240, 480};
    for (int binary = 0; binary < 2; ++binary)
        for (int i = 0; i < 6; ++i)
            cases.push_back(round_trips(std::string(binary ? "9.8." : "9.7.") + std::to_string(i + 1), small_sizes[i], binary,
                                        small_timeouts[i]));

    cases.push_back(big_echo(options, "10.1.1", "text message of 64 KiB in frames of 1300 octets", 64 * KiB, false,
                             [] { return std::string(64 * KiB, '*'); }, 1300, 0, 10));
}

}  // namespace conformance
