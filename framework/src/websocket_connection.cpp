#include "websocket_connection.hpp"

#include "exception_logging.hpp"
#include "tornado/log.hpp"

#include <asio/redirect_error.hpp>
#include <asio/use_awaitable.hpp>

#include <algorithm>
#include <array>
#include <span>
#include <stdexcept>

namespace tornado::websocket::detail {

using Clock = std::chrono::steady_clock;

Connection::Connection(std::unique_ptr<Transport> transport, bool is_server, std::size_t max_message_size,
                       std::string peer)
    : transport_(std::move(transport)), is_server_(is_server), peer_(std::move(peer)),
      max_message_size_(max_message_size), reader_(is_server, max_message_size) {
    if (!is_server_) mask_keys_ = std::make_unique<MaskKeys>();
}

Connection::~Connection() = default;

void Connection::enable_deflate(std::unique_ptr<PerMessageDeflate> deflate) {
    deflate_ = std::move(deflate);
    reader_.allow_compression();
}

// --- reading ---

asio::awaitable<void> Connection::run(ConnectionDelegate& delegate, std::string buffered) {
    auto self = shared_from_this();
    pending_ = std::move(buffered);
    while (!closed_) {
        std::string held;  // the leftover input being parsed, when there is some
        std::string_view input;
        if (!pending_.empty()) {
            held = std::move(pending_);
            pending_.clear();
            input = held;
        } else {
            std::error_code error;
            input = co_await transport_->read(error);
            if (error || closed_) break;  // the end of the stream, a reset, or abort()
        }
        while (!input.empty() && !closed_) {
            if (input_done_) break;  // after a close or a violation, input is only drained
            auto event = reader_.next(input);
            if (event == FrameReader::Event::need_more) break;
            if (event != FrameReader::Event::message) {
                handle_control(event, delegate);
                continue;
            }
            auto message = take_message();
            if (!message) continue;
            // The rest of the input waits in our own buffer while the delegate works.
            if (!input.empty()) pending_.assign(input);
            input = {};
            std::exception_ptr error;
            try {
                co_await delegate.on_message(std::move(*message));
            } catch (const WebSocketClosedError&) {
                // Written to a connection that closed meanwhile: nobody is left to tell.
            } catch (...) {
                error = std::current_exception();
            }
            if (error) {
                tornado::detail::log_exception("WebSocket on_message", error);
                fail(close_internal_error, "internal error");
            }
        }
    }
    abort();
    try {
        delegate.on_closed();
    } catch (...) {
        tornado::detail::log_exception("WebSocket on_close", std::current_exception());
    }
}

std::optional<Message> Connection::take_message() {
    Message message{reader_.take_message(), reader_.message_binary()};
    if (!reader_.message_compressed()) return message;
    std::string inflated;
    const char* problem = nullptr;
    std::uint16_t code = close_invalid_data;
    try {
        if (!deflate_->decompress(message.data, max_message_size_, inflated)) {
            problem = "message too big";
            code = close_message_too_big;
        }
    } catch (const std::runtime_error&) {
        problem = "invalid compressed data";
    }
    if (!problem && !message.binary) {
        Utf8Validator utf8;
        if (!utf8.feed(inflated) || !utf8.complete()) problem = "invalid UTF-8 in a text message";
    }
    if (problem) {
        log::gen_log.warning("WebSocket protocol error from " + peer_ + ": " + problem);
        fail(code, problem);
        return std::nullopt;
    }
    message.data = std::move(inflated);
    return message;
}

void Connection::handle_control(FrameReader::Event event, ConnectionDelegate& delegate) {
    try {
        switch (event) {
            case FrameReader::Event::ping:
                if (!close_sent_) send_frame(Opcode::pong, false, reader_.control_payload(), false);
                delegate.on_ping(reader_.control_payload());
                break;
            case FrameReader::Event::pong:
                last_pong_ = Clock::now();
                delegate.on_pong(reader_.control_payload());
                break;
            case FrameReader::Event::close: on_peer_close(); break;
            case FrameReader::Event::violation:
                log::gen_log.warning("WebSocket protocol error from " + peer_ + ": " + reader_.error_reason());
                fail(reader_.error_code(), reader_.error_reason());
                break;
            default: break;
        }
    } catch (...) {
        tornado::detail::log_exception("WebSocket on_ping/on_pong", std::current_exception());
    }
}

void Connection::on_peer_close() {
    close_received_ = true;
    input_done_ = true;
    close_code_ = reader_.close_code();
    close_reason_ = reader_.close_reason();
    // The answer repeats the peer's code (RFC 6455 section 5.5.1); none when it gave none.
    if (!close_sent_) send_close(close_code_, {});
    finishing_ = true;
    start_close_timer();
    if (!write_in_progress_ && queued_head_ == queued_.size()) on_flushed();
}

void Connection::fail(std::uint16_t code, std::string_view reason) {
    input_done_ = true;
    if (!close_sent_) send_close(code, reason);
    finishing_ = true;
    start_close_timer();
    if (!write_in_progress_ && queued_head_ == queued_.size()) on_flushed();
}

// --- the close handshake ---

void Connection::close(std::optional<std::uint16_t> code, std::string_view reason) {
    if (close_sent_ || closed_) return;
    if (code && !valid_close_code(*code)) throw std::invalid_argument("close: " + std::to_string(*code) + " is not a close code one may send");
    send_close(code, reason);
    start_close_timer();
}

void Connection::send_close(std::optional<std::uint16_t> code, std::string_view reason) {
    send_frame(Opcode::close, false, close_payload(code, reason), false);
    close_sent_ = true;
}

void Connection::start_close_timer() {
    if (close_timer_ || closed_) return;
    close_timer_ = std::make_unique<asio::steady_timer>(transport_->executor(), close_timeout);
    close_timer_->async_wait([weak = weak_from_this()](std::error_code error) {
        auto self = weak.lock();
        if (error || !self || self->closed_) return;
        log::gen_log.info("WebSocket peer " + self->peer_ + " did not finish the close handshake in time");
        self->abort();
    });
}

void Connection::abort() {
    if (closed_) return;
    closed_ = true;
    transport_->close();
    if (close_timer_) close_timer_->cancel();
    if (ping_timer_) ping_timer_->cancel();
    // writing_ stays until its write completes (cancelled now): the transport still points at it.
    queued_.clear();
    queued_head_ = 0;
    unsent_bytes_ = 0;
    wake_room_waiters();
}

// --- pings ---

void Connection::ping(std::string_view payload) {
    if (payload.size() > 125) throw std::invalid_argument("ping: a ping's payload is at most 125 bytes");
    if (close_sent_ || closed_) throw WebSocketClosedError("ping on a closed WebSocket");
    send_frame(Opcode::ping, false, payload, false);
}

void Connection::start_pinging(ioloop::Duration interval, ioloop::Duration timeout) {
    if (interval <= ioloop::Duration::zero()) return;
    ping_interval_ = interval;
    ping_timeout_ = timeout;
    last_ping_ = last_pong_ = Clock::now();
    ping_timer_ = std::make_unique<asio::steady_timer>(transport_->executor());
    schedule_ping();
}

void Connection::schedule_ping() {
    ping_timer_->expires_after(ping_interval_);
    ping_timer_->async_wait([weak = weak_from_this()](std::error_code error) {
        auto self = weak.lock();
        if (!error && self) self->periodic_ping();
    });
}

void Connection::periodic_ping() {
    if (closed_ || close_sent_) return;
    auto now = Clock::now();
    // As Tornado: only when pings went out on time (a stalled loop is not the peer's fault).
    if (now - last_ping_ < 2 * ping_interval_ && now - last_pong_ > ping_timeout_) {
        log::gen_log.info("WebSocket peer " + peer_ + " did not answer pings: closing");
        return abort();
    }
    send_frame(Opcode::ping, false, {}, false);
    last_ping_ = now;
    schedule_ping();
}

// --- writing ---

bool Connection::write_message(std::string_view data, bool binary) {
    if (close_sent_ || closed_) return false;
    const auto opcode = binary ? Opcode::binary : Opcode::text;
    if (!deflate_) {
        send_frame(opcode, false, data, true);
        return true;
    }
    // Compressed into the thread's buffer, which send_frame copies what it keeps of.
    thread_local std::string compressed;
    compressed.clear();
    deflate_->compress(data, compressed);
    send_frame(opcode, true, compressed, true);
    if (compressed.capacity() > 1024 * 1024) std::string().swap(compressed);  // one huge message is not kept
    return true;
}

void Connection::send_frame(Opcode opcode, bool rsv1, std::string_view payload, bool droppable) {
    std::array<char, 14> header;
    if (is_server_) {
        auto size = write_frame_header(header, opcode, rsv1, payload.size());
        return enqueue({header.data(), size}, payload, droppable);
    }
    // A client masks with a fresh key: the payload is copied to be masked.
    auto key = mask_keys_->next();
    auto size = write_frame_header(header, opcode, rsv1, payload.size(), key.data());
    std::string frame;
    frame.reserve(size + payload.size());
    frame.append(header.data(), size).append(payload);
    apply_mask(frame.data() + size, payload.size(), key, 0);
    enqueue(frame, {}, droppable);
}

void Connection::enqueue(std::string_view head, std::string_view payload, bool droppable) {
    if (closed_) return;
    const auto total = head.size() + payload.size();
    const bool idle = !write_in_progress_ && queued_head_ == queued_.size();
    if (droppable && !idle && !make_room(total)) return;
    std::size_t sent = 0;
    if (idle) {
        // Nothing waits: the socket takes what it can at once, which is usually everything.
        std::array<asio::const_buffer, 2> buffers{asio::buffer(head), asio::buffer(payload)};
        std::error_code error;
        sent = transport_->write_now(std::span<const asio::const_buffer>(buffers), error);
        if (error) return abort();
        if (sent == total) return on_flushed();
    }
    Outgoing rest{std::string(), droppable && sent == 0};
    rest.bytes.reserve(total - sent);
    auto skipped = std::min(sent, head.size());
    rest.bytes.append(head.substr(skipped));
    rest.bytes.append(payload.substr(sent - skipped));
    unsent_bytes_ += rest.bytes.size();
    queued_.push_back(std::move(rest));
    if (!write_in_progress_) write_queued();
}

// Applies the overflow policy when size more bytes would pass the limit; false when the new
// message is not to be queued.
bool Connection::make_room(std::size_t size) {
    if (unsent_bytes_ + size <= write_limit_) return true;
    switch (overflow_policy_) {
        case OverflowPolicy::drop: return false;
        case OverflowPolicy::keep_latest: {
            auto kept = queued_.begin() + static_cast<std::ptrdiff_t>(queued_head_);
            for (auto it = kept; it != queued_.end(); ++it) {
                if (it->droppable) {
                    unsent_bytes_ -= it->bytes.size();
                } else {
                    if (kept != it) *kept = std::move(*it);
                    ++kept;
                }
            }
            queued_.erase(kept, queued_.end());
            return true;
        }
        case OverflowPolicy::close: break;
    }
    log::gen_log.warning("WebSocket peer " + peer_ + " reads too slowly: over " + std::to_string(write_limit_) +
                         " bytes unsent, closing");
    abort();
    return false;
}

void Connection::write_queued() {
    // A batch of frames in one gathered write; the rest stays droppable behind it.
    constexpr std::size_t batch_bytes = 256 * 1024;
    std::size_t batch = 0;
    writing_.clear();
    while (queued_head_ < queued_.size() && batch < batch_bytes) {
        batch += queued_[queued_head_].bytes.size();
        writing_.push_back(std::move(queued_[queued_head_++]));
    }
    if (queued_head_ == queued_.size()) {
        queued_.clear();
        queued_head_ = 0;
    } else if (queued_head_ > queued_.size() / 2) {
        queued_.erase(queued_.begin(), queued_.begin() + static_cast<std::ptrdiff_t>(queued_head_));
        queued_head_ = 0;
    }
    std::vector<asio::const_buffer> buffers;
    buffers.reserve(writing_.size());
    for (const auto& piece : writing_) buffers.emplace_back(asio::buffer(piece.bytes));
    write_in_progress_ = true;
    transport_->write(std::move(buffers), [self = shared_from_this(), batch](std::error_code error) {
        self->write_in_progress_ = false;
        self->writing_.clear();
        if (self->closed_) return;
        if (error) return self->abort();
        self->unsent_bytes_ -= batch;
        if (self->unsent_bytes_ <= self->low_water()) self->wake_room_waiters();
        if (self->queued_head_ < self->queued_.size()) return self->write_queued();
        self->on_flushed();
    });
}

// Everything queued is written.
void Connection::on_flushed() {
    if (finishing_ && close_sent_ && !shut_down_) {
        // The server ends the stream first (RFC 6455 section 7.1.1) and then reads until the
        // client ends its side, or the close timer cuts it off.
        shut_down_ = true;
        if (is_server_) transport_->shutdown_send();
    }
}

std::size_t Connection::low_water() const { return std::min<std::size_t>(64 * 1024, write_limit_); }

void Connection::wake_room_waiters() {
    if (room_) room_->cancel();
}

asio::awaitable<void> Connection::wait_for_room(std::shared_ptr<Connection> self, bool queued) {
    if (!queued) throw WebSocketClosedError("write_message on a closed WebSocket");
    while (!self->closed_ && self->unsent_bytes_ > self->low_water()) {
        if (!self->room_) {
            self->room_ = std::make_unique<asio::steady_timer>(self->transport_->executor(), Clock::time_point::max());
        }
        std::error_code woken;
        co_await self->room_->async_wait(asio::redirect_error(asio::use_awaitable, woken));
    }
    if (self->closed_) throw WebSocketClosedError("WebSocket closed before the message was sent");
}

void Connection::set_write_buffer_limit(std::size_t bytes, OverflowPolicy policy) {
    write_limit_ = bytes;
    overflow_policy_ = policy;
}

}  // namespace tornado::websocket::detail
