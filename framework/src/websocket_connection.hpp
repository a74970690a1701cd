// One WebSocket connection, either side: reads frames and hands messages to its delegate (the
// handler, or the client's queue), writes frames through a bounded queue, answers pings, sends
// pings on a timer, and runs the close handshake. Private.
#pragma once

#include "websocket_deflate.hpp"
#include "websocket_frame.hpp"
#include "websocket_transport.hpp"
#include "tornado/ioloop.hpp"
#include "tornado/websocket.hpp"

#include <asio/awaitable.hpp>
#include <asio/steady_timer.hpp>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace tornado::websocket::detail {

// What the connection tells its owner.
class ConnectionDelegate {
public:
    // A message; the next is read once the returned coroutine completes.
    virtual asio::awaitable<void> on_message(Message message) = 0;
    virtual void on_ping(std::string_view payload) = 0;
    virtual void on_pong(std::string_view payload) = 0;
    // The connection is closed: the last call, made once.
    virtual void on_closed() = 0;

protected:
    ~ConnectionDelegate() = default;
};

class Connection : public std::enable_shared_from_this<Connection> {
public:
    // How long the peer has to answer our close frame, then to end the stream.
    static constexpr auto close_timeout = std::chrono::seconds(5);
    static constexpr std::size_t default_write_limit = 16 * 1024 * 1024;

    Connection(std::unique_ptr<Transport> transport, bool is_server, std::size_t max_message_size, std::string peer);
    ~Connection();
    Connection(const Connection&) = delete;
    Connection& operator=(const Connection&) = delete;

    // permessage-deflate was negotiated: messages go out compressed, and compressed ones are
    // inflated (within the message limit) before the delegate sees them.
    void enable_deflate(std::unique_ptr<PerMessageDeflate> deflate);
    // Pings every interval; a peer whose pong is older than timeout is cut off.
    void start_pinging(ioloop::Duration interval, ioloop::Duration timeout);
    // Handles buffered (bytes that came with the handshake), then reads until the connection is
    // closed; then calls delegate.on_closed(). The delegate must outlive the coroutine.
    asio::awaitable<void> run(ConnectionDelegate& delegate, std::string buffered);

    // Queues a message; false (nothing queued) once a close frame was sent or the connection is
    // closed.
    bool write_message(std::string_view data, bool binary);
    // Completes once the unsent bytes are at most the low-water mark; throws
    // WebSocketClosedError when the message was not queued or the connection closes first.
    static asio::awaitable<void> wait_for_room(std::shared_ptr<Connection> self, bool queued);
    void ping(std::string_view payload);
    // Starts the close handshake (nothing once started).
    void close(std::optional<std::uint16_t> code, std::string_view reason);
    // Fails the connection (RFC 6455 section 7.1.7): our close frame with code, input
    // discarded, then the end of the stream.
    void fail(std::uint16_t code, std::string_view reason);
    // Closes the stream at once, without a handshake.
    void abort();
    void set_write_buffer_limit(std::size_t bytes, OverflowPolicy policy);

    std::optional<std::uint16_t> close_code() const { return close_code_; }
    const std::string& close_reason() const { return close_reason_; }
    bool closed() const { return closed_; }

private:
    struct Outgoing {
        std::string bytes;
        bool droppable;  // a whole data frame not begun: the overflow policy may drop it
    };

    void handle_control(FrameReader::Event event, ConnectionDelegate& delegate);
    // The message as the delegate gets it (inflated when compressed); nullopt after failing
    // the connection for it.
    std::optional<Message> take_message();
    void on_peer_close();
    void send_close(std::optional<std::uint16_t> code, std::string_view reason);
    void send_frame(Opcode opcode, bool rsv1, std::string_view payload, bool droppable);
    void enqueue(std::string_view head, std::string_view payload, bool droppable);
    bool make_room(std::size_t size);
    void write_queued();
    void on_flushed();
    void wake_room_waiters();
    std::size_t low_water() const;
    void start_close_timer();
    void schedule_ping();
    void periodic_ping();

    std::unique_ptr<Transport> transport_;
    const bool is_server_;
    std::string peer_;  // for the log
    const std::size_t max_message_size_;
    FrameReader reader_;
    std::unique_ptr<PerMessageDeflate> deflate_;
    std::unique_ptr<MaskKeys> mask_keys_;  // a client's

    // Input left over when a message was handed on (the thread's buffer is not ours to keep).
    std::string pending_;
    bool input_done_ = false;  // a close or a violation arrived: the rest is discarded

    // Writing: writing_ is with the transport; queued_ from queued_head_ on waits behind it.
    std::vector<Outgoing> writing_;
    std::vector<Outgoing> queued_;
    std::size_t queued_head_ = 0;
    std::size_t unsent_bytes_ = 0;  // of writing_ and queued_
    bool write_in_progress_ = false;
    std::size_t write_limit_ = default_write_limit;
    OverflowPolicy overflow_policy_ = OverflowPolicy::close;
    std::unique_ptr<asio::steady_timer> room_;  // cancelled to wake wait_for_room

    bool close_sent_ = false;
    bool close_received_ = false;
    bool finishing_ = false;  // the stream ends once our close frame is out
    bool shut_down_ = false;
    bool closed_ = false;
    std::optional<std::uint16_t> close_code_;
    std::string close_reason_;
    std::unique_ptr<asio::steady_timer> close_timer_;

    std::unique_ptr<asio::steady_timer> ping_timer_;
    ioloop::Duration ping_interval_{};
    ioloop::Duration ping_timeout_{};
    std::chrono::steady_clock::time_point last_ping_;
    std::chrono::steady_clock::time_point last_pong_;
};

}  // namespace tornado::websocket::detail
