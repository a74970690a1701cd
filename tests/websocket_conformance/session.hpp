// One case's connection as the harness drives it: the frames a case sends, the events the server's
// frames make (messages, pings, pongs, markers), and the state of the closing handshake.
#pragma once

#include "connection.hpp"
#include "deflate.hpp"

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace conformance {

struct Event {
    enum Kind { text, binary, ping, pong, marker } kind;
    std::string payload;  // a marker's name for markers
    bool operator==(const Event&) const = default;
};

// "text[18] "fragment1fragment2"": what a report line shows of an event list.
std::string describe(const std::vector<Event>& events);

// How a case sends frames: all in one write, each frame in its own write ("sync"), and/or every
// write cut into pieces of `chop` octets.
struct SendMode {
    bool frame_by_frame = false;
    std::size_t chop = 0;
};

struct ServerClose {
    std::optional<std::uint16_t> code;  // none: an empty close frame
    std::string reason;
    bool before_ours = false;  // sent before the client's close frame (the server started closing)
};

class Session {
public:
    Session(asio::io_context& io, const Url& url, const std::vector<DeflateOffer>& offers);

    // --- what a case's script calls ---
    // Sends frames (skipped once the server has closed, as a client would stop).
    void send(const std::vector<FrameSpec>& frames, SendMode mode = {});
    void send(const FrameSpec& frame, SendMode mode = {}) { send(std::vector{frame}, mode); }
    // Writes octets as they are (a frame cut where a case wants it), unless the server is gone.
    void send_bytes(std::string_view bytes);
    // Sends a close frame with this raw payload (the code's two octets and the reason, or
    // anything else a case wants to try), unless a close went out already or the server closed
    // TCP; the server's answer is what the case judges.
    void send_close_payload(const std::string& payload);
    // Sends a data message compressed with the agreed permessage-deflate, in frames of
    // `fragment_size` octets of compressed data (0: one frame).
    void send_compressed(std::string_view message, bool binary, std::size_t fragment_size);
    // Waits `seconds`, handling whatever the server sends meanwhile.
    void pause(double seconds);
    // Records a marker event when the server has not closed yet (Autobahn's "timeout A").
    void mark(const std::string& name);
    // Waits for the next message event and takes it off the list (nullopt: none within `seconds`
    // or the connection ended).
    std::optional<Event> take_message(double seconds);
    // Ends the case early with this reason (a script that judges on its own, e.g. 9.7, 12, 13).
    void fail(std::string reason) { if (!failure) failure = std::move(reason); }

    bool server_gone() const { return server_close.has_value() || eof || write_failed_ || failure.has_value(); }
    const std::optional<DeflateAgreement>& deflate() const { return agreement_; }
    // How the server's permessage-deflate answer fell short of the offer it accepted ("": not).
    const std::string& negotiation_shortfall() const { return negotiation_shortfall_; }

    // --- what the harness calls after the script ---
    // Reads until `count` events have arrived, the server closes or sends its close frame, or
    // `seconds` pass.
    void wait_for_events(std::size_t count, double seconds);
    // Starts the closing handshake with 1000 (when neither side has yet).
    void close_normally();
    // Finishes the closing handshake (the server's close is answered as soon as it arrives):
    // waits up to a second for the server's close, then for it to close TCP; drops the
    // connection when it does not.
    void finish_closing();
    void drop();

    std::vector<Event> events;
    std::optional<ServerClose> server_close;
    bool client_close_sent = false;
    bool eof = false;            // the server closed TCP (or reset it)
    bool eof_before_close = false;  // ... before any closing handshake
    bool dropped_by_us = false;
    std::optional<std::string> failure;  // the server broke the protocol, or a script's check failed

private:
    void read_until(const std::function<bool()>& done, Clock::time_point deadline);
    void handle(ReceivedFrame frame);

    Connection connection_;
    bool write_failed_ = false;  // the server stopped reading; what it sent may still be read
    std::optional<DeflateAgreement> agreement_;
    std::string negotiation_shortfall_;
    std::unique_ptr<MessageDeflater> deflater_;
    std::unique_ptr<MessageInflater> inflater_;
    bool in_message_ = false;
    bool message_compressed_ = false;
    std::uint8_t message_opcode_ = 0;
    std::string message_;
};

}  // namespace conformance
