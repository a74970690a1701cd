#include "session.hpp"

#include <thread>

namespace conformance {

namespace {

// Autobahn gives the server a second for each step of the closing handshake.
constexpr double close_step_seconds = 1.0;
// A message the server echoes is at most 16 MiB (9.1.6); inflating far beyond means a bomb.
constexpr std::size_t max_inflated_size = 64u << 20;

Clock::time_point after(double seconds) {
    return Clock::now() + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(seconds));
}

std::string shorten(const std::string& payload) {
    constexpr std::size_t shown = 24;
    std::string out;
    for (std::size_t i = 0; i < payload.size() && i < shown; ++i) {
        const auto c = static_cast<unsigned char>(payload[i]);
        if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') {
            out.push_back(static_cast<char>(c));
        } else {
            static constexpr char hex[] = "0123456789abcdef";
            out += "\\x";
            out.push_back(hex[c >> 4]);
            out.push_back(hex[c & 15]);
        }
    }
    return out + (payload.size() > shown ? "…" : "");
}

}  // namespace

std::string describe(const std::vector<Event>& events) {
    static constexpr const char* names[] = {"text", "binary", "ping", "pong", "marker"};
    constexpr std::size_t shown = 4;
    std::string out = "[";
    for (std::size_t i = 0; i < events.size() && i < shown; ++i) {
        if (i > 0) out += ", ";
        const Event& event = events[i];
        if (event.kind == Event::marker) {
            out += "marker " + event.payload;
        } else {
            out += std::string(names[event.kind]) + "[" + std::to_string(event.payload.size()) + "] \"" +
                   shorten(event.payload) + "\"";
        }
    }
    if (events.size() > shown) out += ", … " + std::to_string(events.size()) + " events in all";
    return out + "]";
}

Session::Session(asio::io_context& io, const Url& url, const std::vector<DeflateOffer>& offers)
    : connection_(io, url, offers.empty() ? std::string() : offer_header(offers)) {
    if (offers.empty()) {
        if (!connection_.extensions().empty())
            throw std::runtime_error("the server accepted an extension nobody offered: " + connection_.extensions());
        return;
    }
    const auto answer = check_answer(connection_.extensions(), offers);
    if (answer) {
        agreement_ = answer->agreement;
        negotiation_shortfall_ = answer->shortfall;
        deflater_ = std::make_unique<MessageDeflater>(agreement_->client_max_window_bits,
                                                      agreement_->client_no_context_takeover);
        inflater_ = std::make_unique<MessageInflater>(agreement_->server_max_window_bits,
                                                      agreement_->server_no_context_takeover);
    }
}

void Session::send(const std::vector<FrameSpec>& frames, SendMode mode) {
    if (!mode.frame_by_frame) {
        std::string bytes;
        for (const auto& frame : frames) bytes += encode_frame(frame);
        if (!server_gone() && !connection_.write(bytes, mode.chop)) write_failed_ = true;
        return;
    }
    for (const auto& frame : frames) {
        if (server_gone()) return;
        if (!connection_.write(encode_frame(frame), mode.chop)) write_failed_ = true;
        // Autobahn's "sync" mode flushes each frame on its own; a moment apart keeps them apart.
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
}

void Session::send_bytes(std::string_view bytes) {
    if (!server_gone() && !connection_.write(bytes)) write_failed_ = true;
}

void Session::send_close_payload(const std::string& payload) {
    if (client_close_sent || eof || write_failed_ || dropped_by_us) return;
    if (!connection_.write(encode_frame({.opcode = opcode::close, .payload = payload}))) write_failed_ = true;
    client_close_sent = true;
}

void Session::send_compressed(std::string_view message, bool binary, std::size_t fragment_size) {
    const std::string compressed = deflater_->compress(message);
    std::vector<FrameSpec> frames;
    const std::size_t size = fragment_size == 0 ? std::max<std::size_t>(compressed.size(), 1) : fragment_size;
    for (std::size_t offset = 0; offset == 0 || offset < compressed.size(); offset += size) {
        frames.push_back(FrameSpec{.opcode = offset == 0 ? (binary ? opcode::binary : opcode::text) : opcode::continuation,
                                   .payload = compressed.substr(offset, size),
                                   .fin = offset + size >= compressed.size(),
                                   .rsv = offset == 0 ? rsv1 : std::uint8_t{0}});
    }
    send(frames);
}

void Session::pause(double seconds) {
    read_until([] { return false; }, after(seconds));
}

void Session::mark(const std::string& name) {
    if (!server_gone()) events.push_back({Event::marker, name});
}

std::optional<Event> Session::take_message(double seconds) {
    const auto has_message = [this] {
        for (const auto& event : events)
            if (event.kind == Event::text || event.kind == Event::binary) return true;
        return false;
    };
    read_until(has_message, after(seconds));
    for (auto it = events.begin(); it != events.end(); ++it) {
        if (it->kind == Event::text || it->kind == Event::binary) {
            Event event = std::move(*it);
            events.erase(it);
            return event;
        }
    }
    return std::nullopt;
}

void Session::wait_for_events(std::size_t count, double seconds) {
    read_until([&] { return events.size() >= count || server_close.has_value(); }, after(seconds));
}

void Session::close_normally() {
    if (!client_close_sent && !server_gone()) send_close_payload(std::string("\x03\xe8", 2));
}

void Session::finish_closing() {
    if (failure) return drop();
    if (client_close_sent && !server_close && !eof)
        read_until([this] { return server_close.has_value(); }, after(close_step_seconds));
    if (!eof) read_until([] { return false; }, after(close_step_seconds));
    if (!eof) drop();
}

void Session::drop() {
    if (!eof && !dropped_by_us) {
        dropped_by_us = true;
        connection_.drop();
    }
}

void Session::read_until(const std::function<bool()>& done, Clock::time_point deadline) {
    while (true) {
        // Frames already buffered first: the handshake's read may have brought some.
        try {
            while (!failure) {
                auto frame = connection_.frames().next();
                if (!frame) break;
                handle(std::move(*frame));
            }
        } catch (const std::exception& error) {
            fail(error.what());
        }
        if (eof || dropped_by_us || failure || done()) return;
        const auto result = connection_.read(deadline);
        if (result == Connection::ReadResult::timeout) return;
        if (result == Connection::ReadResult::eof) {
            eof = true;
            eof_before_close = !server_close && !client_close_sent;
        }
    }
}

void Session::handle(ReceivedFrame frame) {
    if (server_close) return fail("the server sent a frame after its close frame");
    if (frame.masked) return fail("the server masked a frame (RFC 6455 section 5.1 forbids it)");
    const bool data_start = frame.opcode == opcode::text || frame.opcode == opcode::binary;
    const bool compressed = frame.rsv == rsv1 && data_start && agreement_;
    if (frame.rsv != 0 && !compressed)
        return fail("the server set RSV bits " + std::to_string(frame.rsv) + " it had not negotiated");
    if (frame.opcode >= 8) {
        if (!frame.fin || frame.payload.size() > 125) return fail("the server sent a fragmented or oversized control frame");
        if (frame.opcode == opcode::close) {
            if (frame.payload.size() == 1) return fail("the server's close frame has a 1-octet payload");
            ServerClose close{.before_ours = !client_close_sent};
            if (frame.payload.size() >= 2) {
                close.code = static_cast<std::uint16_t>((static_cast<unsigned char>(frame.payload[0]) << 8) |
                                                        static_cast<unsigned char>(frame.payload[1]));
                close.reason = frame.payload.substr(2);
            }
            server_close = std::move(close);
            // Answer at once with the server's code (or an empty close), as Autobahn does.
            send_close_payload(frame.payload.substr(0, 2));
        } else if (frame.opcode == opcode::ping) {
            events.push_back({Event::ping, frame.payload});
            if (!client_close_sent) send(FrameSpec{.opcode = opcode::pong, .payload = frame.payload});
        } else if (frame.opcode == opcode::pong) {
            events.push_back({Event::pong, std::move(frame.payload)});
        } else {
            fail("the server sent reserved opcode " + std::to_string(frame.opcode));
        }
        return;
    }
    if (data_start) {
        if (in_message_) return fail("the server started a message inside another");
        in_message_ = true;
        message_compressed_ = compressed;
        message_opcode_ = frame.opcode;
        message_ = std::move(frame.payload);
    } else if (frame.opcode == opcode::continuation) {
        if (!in_message_) return fail("the server sent a continuation frame with no message open");
        message_ += frame.payload;
    } else {
        return fail("the server sent reserved opcode " + std::to_string(frame.opcode));
    }
    if (!frame.fin) return;
    in_message_ = false;
    if (message_compressed_) message_ = inflater_->inflate(message_, max_inflated_size);
    events.push_back({message_opcode_ == opcode::text ? Event::text : Event::binary, std::move(message_)});
    message_.clear();
}

}  // namespace conformance
