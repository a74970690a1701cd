// HTTP/1.1 on llhttp. A connection reads only while it has no request in the handler's hands,
// so pipelined requests are answered in order; idle connections hold no read buffer.
#include "http1_connection.hpp"
#include "http_status.hpp"
#include "text_util.hpp"

#include "tornado/detail/recycling_allocator.hpp"
#include "tornado/log.hpp"

#include <asio/post.hpp>
#include <asio/redirect_error.hpp>
#include <asio/use_awaitable.hpp>
#include <asio/write.hpp>

#include <algorithm>
#include <array>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <span>
#include <utility>

#include <sys/socket.h>

namespace tornado::httpserver {

namespace {
using Clock = std::chrono::steady_clock;

// Every connection of the thread reads into this one buffer and parses from it at once.
std::array<char, 64 * 1024>& read_buffer() {
    thread_local std::array<char, 64 * 1024> buffer;
    return buffer;
}

// Every connection of the thread builds its response heads here: the head leaves with its body
// in one gathered write, and only what the socket did not take is copied into the queue.
std::string& head_buffer() {
    thread_local std::string buffer;
    if (buffer.capacity() > 16 * 1024) std::string().swap(buffer);  // one huge head is not kept
    buffer.clear();
    return buffer;
}

HTTP1Connection& connection_of(llhttp_t* parser) { return *static_cast<HTTP1Connection*>(parser->data); }

std::string error_page(int status_code, std::string_view reason) {
    auto title = std::to_string(status_code) + ": " + std::string(reason);
    return "<html><title>" + title + "</title><body>" + title + "</body></html>";
}

std::optional<std::uint64_t> parse_length(std::string_view text) {
    std::uint64_t length = 0;
    auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), length);
    if (error != std::errc() || end != text.data() + text.size()) return std::nullopt;
    return length;
}

void append_number(std::string& out, std::size_t value, int base = 10) {
    char digits[24];
    auto result = std::to_chars(digits, digits + sizeof digits, value, base);
    out.append(digits, result.ptr);
}
}  // namespace

HTTP1Connection::HTTP1Connection(std::shared_ptr<HTTPServer::State> server, Socket socket)
    : server_(std::move(server)), socket_(std::move(socket)) {
    std::error_code ignored;
    auto endpoint = socket_.remote_endpoint(ignored);
    remote_ip_ = ignored ? "0.0.0.0" : endpoint.address().to_string();
    socket_.non_blocking(true, ignored);
    socket_.set_option(asio::ip::tcp::no_delay(true), ignored);
    llhttp_init(&parser_, HTTP_REQUEST, &parser_settings());
    parser_.data = this;
    next_connection_ = server_->first_connection;
    if (next_connection_) next_connection_->previous_connection_ = this;
    server_->first_connection = this;
    ++server_->connection_count;
}

HTTP1Connection::~HTTP1Connection() { leave_server(); }

void HTTP1Connection::leave_server() {
    if (!std::exchange(in_server_, false)) return;
    if (previous_connection_) previous_connection_->next_connection_ = next_connection_;
    else server_->first_connection = next_connection_;
    if (next_connection_) next_connection_->previous_connection_ = previous_connection_;
    --server_->connection_count;
}

const llhttp_settings_t& HTTP1Connection::parser_settings() {
    static const llhttp_settings_t settings = [] {
        llhttp_settings_t s;
        llhttp_settings_init(&s);
        s.on_message_begin = &HTTP1Connection::on_message_begin;
        s.on_method = &HTTP1Connection::on_method;
        s.on_url = &HTTP1Connection::on_url;
        s.on_version = &HTTP1Connection::on_version;
        s.on_header_field = &HTTP1Connection::on_header_field;
        s.on_header_value = &HTTP1Connection::on_header_value;
        s.on_headers_complete = &HTTP1Connection::on_headers_complete;
        s.on_body = &HTTP1Connection::on_body;
        s.on_message_complete = &HTTP1Connection::on_message_complete;
        return s;
    }();
    return settings;
}

void HTTP1Connection::start() {
    // A new connection owes its first request head within header_timeout of the connect.
    phase_ = Phase::headers;
    set_deadline(server_->options.header_timeout);
    wait_readable();
}

void HTTP1Connection::set_deadline(Clock::duration timeout) { deadline_ = Clock::now() + timeout; }

void HTTP1Connection::close_if_expired(Clock::time_point now) {
    // A request in the handler's hands (a long poll) is never cut off.
    if (phase_ == Phase::handling || now < deadline_) return;
    if (phase_ == Phase::body) log::gen_log.info("Timeout reading body from " + remote_ip_);
    if (phase_ == Phase::headers && request_) log::gen_log.info("Timeout reading request head from " + remote_ip_);
    close();
}

void HTTP1Connection::close() {
    if (closed_) return;
    closed_ = true;
    std::error_code ignored;
    socket_.close(ignored);
    leave_server();
    queued_.clear();
    wake_drain();
    // Told from the loop, not from inside whatever closed the connection.
    if (close_callback_) asio::post(server_->context, std::exchange(close_callback_, nullptr));
}

void HTTP1Connection::set_close_callback(std::function<void()> callback) { close_callback_ = std::move(callback); }

// --- reading ---

void HTTP1Connection::wait_readable() {
    if (read_wait_pending_) return;
    read_wait_pending_ = true;
    auto self = shared_from_this();
    if (phase_ == Phase::handling || phase_ == Phase::lingering) {
        socket_.async_wait(asio::ip::tcp::socket::wait_read, [self](std::error_code error) {
            self->read_wait_pending_ = false;
            self->on_readable(error);
        });
        return;
    }
    // Waiting for request bytes, the wait is a small read: Asio re-arms epoll with a system call
    // for every bare wait, but not for a read, which saves one system call per request.
    socket_.async_receive(asio::buffer(first_bytes_), [self](std::error_code error, std::size_t length) {
        self->read_wait_pending_ = false;
        self->on_received(error, length);
    });
}

// While a handler works on a request, the socket is only watched for the client leaving: any
// bytes that arrive (a pipelined request) stay in the kernel until the response is done.
void HTTP1Connection::check_peer_still_there() {
    char byte;
    auto received = ::recv(socket_.native_handle(), &byte, 1, MSG_PEEK);
    if (received == 0 || (received < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)) return close();
    if (received < 0) wait_readable();
}

void HTTP1Connection::on_readable(std::error_code error) {
    if (closed_) return;
    if (error) return close();
    if (phase_ == Phase::handling) return check_peer_still_there();
    auto& buffer = read_buffer();
    std::size_t length = socket_.read_some(asio::buffer(buffer), error);
    if (error == asio::error::would_block) return wait_readable();
    if (error) {
        // EOF or reset. A request cut off mid-way gets no answer: nobody is left to read it.
        return close();
    }
    handle_input(buffer.data(), length);
}

void HTTP1Connection::on_received(std::error_code error, std::size_t length) {
    if (closed_) return;
    if (error) return close();  // EOF or reset, as in on_readable
    auto& buffer = read_buffer();
    std::memcpy(buffer.data(), first_bytes_.data(), length);
    if (length == first_bytes_.size()) {
        // More may be waiting. A failure here shows again, and closes, at the next read.
        std::error_code ignored;
        length += socket_.read_some(asio::buffer(buffer.data() + length, buffer.size() - length), ignored);
    }
    handle_input(buffer.data(), length);
}

void HTTP1Connection::handle_input(const char* data, std::size_t length) {
    if (phase_ == Phase::lingering) return wait_readable();  // discard what a refused client still sends
    std::size_t left = process(data, length);
    if (left > 0) unparsed_.assign(data + length - left, left);
    if (!closed_ && !close_after_writes_ && left == 0) wait_readable();
}

// Parses input until it is used up or a request is with the handler (answered later, or its
// response still being written). Returns how many bytes at the end are left for later.
std::size_t HTTP1Connection::process(const char* data, std::size_t length) {
    processing_ = true;
    std::size_t left = 0;
    while (length > 0 && !closed_ && !close_after_writes_) {
        input_begin_ = data;
        llhttp_errno_t status = llhttp_execute(&parser_, data, length);
        if (status == HPE_OK) {
            input_position_ += length;
            break;
        }
        if (status != HPE_PAUSED && status != HPE_PAUSED_UPGRADE) {
            auto refusal = std::exchange(refusal_, nullptr);
            if (!refusal) {
                refusal = std::make_unique<Refusal>(
                    Refusal{400, std::string("Malformed HTTP request: ") + llhttp_errno_name(status)});
            }
            reject(refusal->status_code, refusal->reason);
            break;
        }
        // A request is complete; the parser stopped right after it.
        const char* stop = llhttp_get_error_pos(&parser_);
        auto parsed = static_cast<std::size_t>(stop - data);
        input_position_ += parsed;
        length -= parsed;
        data = stop;
        dispatch();
        if (phase_ == Phase::handling) {
            left = length;
            break;
        }
    }
    processing_ = false;
    return left;
}

std::uint64_t HTTP1Connection::stream_position(const char* at) const {
    return input_position_ + static_cast<std::uint64_t>(at - input_begin_);
}

void HTTP1Connection::drop_unparsed() {
    std::string().swap(unparsed_);  // frees the buffer: an idle connection holds none
    unparsed_offset_ = 0;
}

void HTTP1Connection::dispatch() {
    phase_ = Phase::handling;
    auto request = std::move(request_);
    request->connection = shared_from_this();
    try {
        server_->callback(std::move(request));
    } catch (const std::exception& e) {
        log::app_log.error(std::string("Uncaught exception in request callback: ") + e.what());
        if (phase_ == Phase::handling) close();
    } catch (...) {
        // Not a std::exception (a `throw 42;`): the connection must not wait for an answer either.
        log::app_log.error("Uncaught exception in request callback, not derived from std::exception");
        if (phase_ == Phase::handling) close();
    }
}

// --- llhttp callbacks ---

int HTTP1Connection::on_message_begin(llhttp_t* parser) {
    auto& self = connection_of(parser);
    // After a keep-alive response the idle wait ends here: the head is timed from its first byte.
    if (self.phase_ == Phase::idle) self.set_deadline(self.server_->options.header_timeout);
    self.phase_ = Phase::headers;
    self.url_started_ = false;
    self.version_started_ = false;
    self.request_ = std::allocate_shared<httputil::HTTPServerRequest>(
        tornado::detail::RecyclingAllocator<httputil::HTTPServerRequest>());
    self.header_bytes_ = 0;
    self.in_header_value_ = false;
    self.header_name_.clear();
    self.header_value_.clear();
    return 0;
}

// Remembers why the request is refused; process() answers once llhttp has returned the error.
int HTTP1Connection::refuse(Refusal refusal) {
    refusal_ = std::make_unique<Refusal>(std::move(refusal));
    return -1;
}

bool HTTP1Connection::count_header_bytes(std::size_t length) {
    header_bytes_ += length;
    if (header_bytes_ <= server_->options.max_header_size) return true;
    refuse({431, "Header block larger than " + std::to_string(server_->options.max_header_size) + " bytes"});
    return false;
}

int HTTP1Connection::on_method(llhttp_t* parser, const char* at, std::size_t length) {
    auto& self = connection_of(parser);
    self.method_end_ = self.stream_position(at) + length;
    return 0;
}

// RFC 9112 §3: method, target and version are separated by exactly one space each.
int HTTP1Connection::on_url(llhttp_t* parser, const char* at, std::size_t length) {
    auto& self = connection_of(parser);
    auto& uri = self.request_->uri;
    const auto max_url_size = self.server_->options.max_url_size;
    if (uri.size() + length > max_url_size) {
        return self.refuse({414, "Request-target longer than " + std::to_string(max_url_size) + " bytes"});
    }
    if (!self.count_header_bytes(length)) return -1;
    auto position = self.stream_position(at);
    if (!self.url_started_ && position != self.method_end_ + 1) {
        return self.refuse({400, "More than one space after the method"});
    }
    self.url_started_ = true;
    self.url_end_ = position + length;
    uri.append(at, length);
    return 0;
}

int HTTP1Connection::on_version(llhttp_t* parser, const char* at, std::size_t /*length*/) {
    auto& self = connection_of(parser);
    constexpr std::uint64_t separator = std::string_view(" HTTP/").size();  // llhttp reports "1.1"
    if (!self.version_started_ && self.stream_position(at) != self.url_end_ + separator) {
        return self.refuse({400, "More than one space before the HTTP version"});
    }
    self.version_started_ = true;
    return 0;
}

void HTTP1Connection::store_header() {
    // llhttp skips the whitespace before a value but keeps the whitespace after it, which is
    // not part of the value either (RFC 7230 3.2).
    header_value_.erase(header_value_.find_last_not_of(" \t") + 1);
    if (!header_name_.empty()) request_->headers.add(header_name_, header_value_);
    header_name_.clear();
    header_value_.clear();
}

int HTTP1Connection::on_header_field(llhttp_t* parser, const char* at, std::size_t length) {
    auto& self = connection_of(parser);
    if (!self.count_header_bytes(length)) return -1;
    // llhttp lets "Name : value" through; RFC 7230 3.2.4 says a server must refuse it (400).
    if (std::string_view(at, length).find(' ') != std::string_view::npos) {
        return self.refuse({400, "Whitespace between a header name and its colon"});
    }
    if (self.in_header_value_) {
        self.store_header();
        self.in_header_value_ = false;
    }
    self.header_name_.append(at, length);
    return 0;
}

int HTTP1Connection::on_header_value(llhttp_t* parser, const char* at, std::size_t length) {
    auto& self = connection_of(parser);
    if (!self.count_header_bytes(length)) return -1;
    // llhttp accepts ": value" (RFC 9110 §5.1: a field name is at least one character).
    if (!self.in_header_value_ && self.header_name_.empty()) return self.refuse({400, "Empty header name"});
    self.in_header_value_ = true;
    self.header_value_.append(at, length);
    return 0;
}

int HTTP1Connection::on_headers_complete(llhttp_t* parser) {
    auto& self = connection_of(parser);
    auto& request = *self.request_;
    const auto& options = self.server_->options;
    self.store_header();

    // llhttp reads a line without a version as HTTP/0.9, and accepts HTTP/2.0.
    if (parser->http_major != 1) return self.refuse({400, "Request line without an HTTP/1.x version"});
    bool http_1_1 = parser->http_minor == 1;
    auto refusal = check_host(request.headers, http_1_1);
    if (!refusal) refusal = check_transfer_encoding(request.headers, http_1_1);
    if (refusal) return self.refuse(std::move(*refusal));

    request.method = llhttp_method_name(static_cast<llhttp_method_t>(parser->method));
    request.version = http_1_1 ? "HTTP/1.1" : "HTTP/1.0";
    request.remote_ip = self.remote_ip_;
    if (options.xheaders) self.apply_xheaders();
    request.parse_uri_and_host();

    self.request_http_1_1_ = http_1_1;
    self.request_is_head_ = request.method == "HEAD";
    // After an Upgrade or CONNECT request the bytes are not HTTP any more (llhttp would report
    // them as HPE_PAUSED_UPGRADE): answer it, then close, since no protocol switch is supported.
    self.request_keep_alive_ = !options.no_keep_alive && llhttp_should_keep_alive(parser) && !parser->upgrade;

    bool has_length = parser->flags & F_CONTENT_LENGTH;
    bool chunked = parser->flags & F_CHUNKED;
    if (has_length && parser->content_length > options.max_body_size) {
        return self.refuse({413, "Content-Length " + std::to_string(parser->content_length) +
                                     " exceeds max_body_size " + std::to_string(options.max_body_size)});
    }
    bool body_follows = chunked || (has_length && parser->content_length > 0);
    if (body_follows) {
        if (has_length) request.body.reserve(std::min<std::uint64_t>(parser->content_length, 1 << 20));
        auto* expect = request.headers.find("Expect");
        if (self.request_http_1_1_ && expect && httputil::iequals(*expect, "100-continue")) {
            self.send({"HTTP/1.1 100 (Continue)\r\n\r\n"});
        }
        self.phase_ = Phase::body;
        self.set_deadline(options.body_timeout);
    }
    return 0;
}

void HTTP1Connection::apply_xheaders() {
    auto& request = *request_;
    // The client's address as the nearest proxy saw it: X-Real-Ip, else the last hop of
    // X-Forwarded-For. Only a well-formed address is trusted.
    std::string candidate = request.headers.get("X-Real-Ip");
    if (candidate.empty()) {
        std::string forwarded = request.headers.get("X-Forwarded-For");
        auto comma = forwarded.rfind(',');
        candidate = forwarded.substr(comma == std::string::npos ? 0 : comma + 1);
    }
    candidate = tornado::detail::trim(candidate, tornado::detail::http_whitespace);
    std::error_code invalid;
    asio::ip::make_address(candidate, invalid);
    if (!candidate.empty() && !invalid) request.remote_ip = candidate;

    std::string scheme = request.headers.get("X-Scheme", request.headers.get("X-Forwarded-Proto"));
    auto comma = scheme.rfind(',');
    if (comma != std::string::npos) scheme = scheme.substr(comma + 1);
    scheme = tornado::detail::trim(scheme, tornado::detail::http_whitespace);
    if (scheme == "http" || scheme == "https") request.protocol = scheme;
}

int HTTP1Connection::on_body(llhttp_t* parser, const char* at, std::size_t length) {
    auto& self = connection_of(parser);
    auto& body = self.request_->body;
    if (body.size() + length > self.server_->options.max_body_size) {
        return self.refuse({413, "Body exceeds max_body_size " + std::to_string(self.server_->options.max_body_size)});
    }
    body.append(at, length);
    return 0;
}

int HTTP1Connection::on_message_complete(llhttp_t* /*parser*/) {
    return HPE_PAUSED;  // process() hands the request over once llhttp has returned
}

// --- answering ---

void HTTP1Connection::reject(int status_code, std::string_view why) {
    log::gen_log.warning(std::to_string(status_code) + " from " + remote_ip_ + ": " + std::string(why));
    auto reason = httputil::reason_phrase(status_code);
    auto body = error_page(status_code, reason);
    std::string response = "HTTP/1.1 " + std::to_string(status_code) + " " + std::string(reason) +
                           "\r\nContent-Type: text/html; charset=UTF-8\r\nConnection: close\r\nContent-Length: " +
                           std::to_string(body.size()) + "\r\n\r\n" + body;
    request_.reset();
    send({response});
    close_after_writes();
}

void HTTP1Connection::write_headers(int status_code, std::string_view reason, const httputil::HTTPHeaders& headers,
                                    std::string_view chunk, bool finishing) {
    if (closed_ || close_after_writes_) return;
    bool bodyless_status = tornado::detail::is_bodyless_status(status_code);
    const std::string* length = headers.find("Content-Length");
    response_chunked_ = !finishing && request_http_1_1_ && !length && !bodyless_status && !request_is_head_;
    // Without a length or chunking, only closing the connection marks the end of the body.
    keep_alive_ = request_keep_alive_ && (finishing || length || response_chunked_ || bodyless_status);
    content_remaining_.reset();
    if (length && !bodyless_status && !request_is_head_) content_remaining_ = parse_length(*length);
    if (!within_content_length(chunk.size())) return;

    auto& head = head_buffer();
    head += "HTTP/1.1 ";  // the version the server speaks, whatever the request's (RFC 9110 §6.2)
    append_number(head, static_cast<std::size_t>(status_code));
    head += ' ';
    head += reason;
    head += "\r\n";
    for (const auto& [name, value] : headers) {
        head += name;
        head += ": ";
        head += value;
        head += "\r\n";
    }
    if (response_chunked_) head += "Transfer-Encoding: chunked\r\n";
    if (!request_http_1_1_ && keep_alive_) head += "Connection: keep-alive\r\n";
    if (request_http_1_1_ && !keep_alive_ && !headers.contains("Connection")) head += "Connection: close\r\n";
    head += "\r\n";
    // Headers and body leave in one send: one syscall and, for small answers, one segment.
    send_with_body(head, chunk);
    if (finishing) finish();
}

// Counts body bytes against the response's Content-Length. A body that breaks it ends the
// connection: the client could not tell where this response stops (Tornado's HTTPOutputError).
bool HTTP1Connection::within_content_length(std::size_t size) {
    if (!content_remaining_) return true;
    if (size <= *content_remaining_) {
        *content_remaining_ -= size;
        return true;
    }
    log::gen_log.error("Tried to write more data than Content-Length");
    close_after_writes();
    return false;
}

void HTTP1Connection::send_with_body(std::string& head, std::string_view chunk) {
    if (request_is_head_) chunk = {};
    if (!response_chunked_ || chunk.empty()) return send({head, chunk});
    append_number(head, chunk.size(), 16);
    head += "\r\n";
    send({head, chunk, "\r\n"});
}

void HTTP1Connection::write(std::string_view chunk) {
    if (closed_ || close_after_writes_ || !within_content_length(chunk.size())) return;
    send_with_body(head_buffer(), chunk);
}

void HTTP1Connection::finish() {
    if (closed_ || close_after_writes_) return;
    if (content_remaining_ && *content_remaining_ > 0) {
        log::gen_log.error("Tried to write " + std::to_string(*content_remaining_) + " bytes less than Content-Length");
        return close_after_writes();
    }
    if (response_chunked_) send({"0\r\n\r\n"});
    on_response_complete();
}

void HTTP1Connection::on_response_complete() {
    close_callback_ = nullptr;  // the handler is done; a later close is nobody's concern
    if (detached_) return;      // the socket is the handler's
    if (!keep_alive_) return close_after_writes();
    // Like Tornado, read the next request only once this response is written: a client that
    // reads nothing cannot pile answers up in memory, and a slow download is not idle.
    if (write_in_progress_) {
        next_request_after_writes_ = true;
        return;
    }
    start_next_request();
}

void HTTP1Connection::start_next_request() {
    phase_ = Phase::idle;
    set_deadline(server_->options.idle_connection_timeout);
    llhttp_resume(&parser_);
    if (processing_) return;  // process() goes on with the input that follows
    // The handler answered later than the request arrived: resume outside its call stack.
    asio::post(server_->context, [self = shared_from_this()] { self->continue_after_response(); });
}

void HTTP1Connection::continue_after_response() {
    if (closed_ || phase_ == Phase::handling) return;
    if (unparsed_offset_ < unparsed_.size()) {
        // Consumed by offset: many small pipelined requests cost one copy, not one each.
        std::size_t left = process(unparsed_.data() + unparsed_offset_, unparsed_.size() - unparsed_offset_);
        unparsed_offset_ = unparsed_.size() - left;
        if (left == 0) drop_unparsed();
    }
    if (!closed_ && phase_ != Phase::handling && !close_after_writes_) wait_readable();
}

// --- writing ---

asio::awaitable<void> HTTP1Connection::drain() {
    auto self = shared_from_this();  // the connection outlives the wait
    while (!closed_ && (write_in_progress_ || !queued_.empty())) {
        if (!drained_) drained_ = std::make_unique<asio::steady_timer>(server_->context, Clock::time_point::max());
        std::error_code woken;
        co_await drained_->async_wait(asio::redirect_error(asio::use_awaitable, woken));
    }
}

// --- handing over ---

asio::awaitable<httputil::DetachedConnection> HTTP1Connection::detach() {
    detached_ = true;  // now, before the caller finishes the response
    return hand_over();
}

asio::awaitable<httputil::DetachedConnection> HTTP1Connection::hand_over() {
    auto self = shared_from_this();
    // Out of the call stack that may be parsing the request: the bytes past it are then stored.
    co_await asio::post(socket_.get_executor(), asio::use_awaitable);
    co_await drain();
    if (closed_) throw asio::system_error(asio::error::operation_aborted, "client left before detach");
    // The wait for the peer leaving ends (with closed_ set, it is ignored); the socket goes.
    std::error_code ignored;
    socket_.cancel(ignored);
    closed_ = true;
    httputil::DetachedConnection detached{std::move(socket_), unparsed_.substr(unparsed_offset_)};
    // Done with HTTP: no timeouts, no close_all_connections, no close callback.
    leave_server();
    drop_unparsed();
    co_return detached;
}

void HTTP1Connection::send(std::initializer_list<std::string_view> pieces) {
    if (closed_) return;
    std::size_t total = 0;
    for (auto piece : pieces) total += piece.size();
    std::size_t sent = 0;
    if (!write_in_progress_ && queued_.empty()) {
        // Nothing is waiting: the socket (non-blocking) takes what it can right away, which for
        // most responses is everything, with no copy and no asynchronous operation.
        std::array<asio::const_buffer, 3> buffers;
        std::size_t count = 0;
        for (auto piece : pieces) buffers[count++] = asio::buffer(piece);
        std::error_code error;
        sent = socket_.write_some(std::span(buffers.data(), count), error);
        if (error && error != asio::error::would_block && error != asio::error::try_again) return close();
    }
    if (sent == total) return;
    std::string rest;
    rest.reserve(total - sent);
    for (auto piece : pieces) {
        auto skipped = std::min(sent, piece.size());
        rest.append(piece.substr(skipped));
        sent -= skipped;
    }
    queued_.push_back(std::move(rest));
    if (!write_in_progress_) write_queued();
}

void HTTP1Connection::write_queued() {
    write_in_progress_ = true;
    writing_.swap(queued_);
    std::vector<asio::const_buffer> buffers;
    buffers.reserve(writing_.size());
    for (const auto& piece : writing_) buffers.emplace_back(asio::buffer(piece));
    asio::async_write(socket_, buffers, [self = shared_from_this()](std::error_code error, std::size_t) {
        self->writing_.clear();
        self->write_in_progress_ = false;
        if (self->closed_) return;
        if (error) return self->close();
        if (!self->queued_.empty()) return self->write_queued();
        self->wake_drain();
        if (self->close_after_writes_) return self->linger();
        if (self->next_request_after_writes_) {
            self->next_request_after_writes_ = false;
            self->start_next_request();
            self->continue_after_response();  // no handler is on the stack here
        }
    });
}

void HTTP1Connection::wake_drain() {
    if (drained_) drained_->cancel();
}

void HTTP1Connection::close_after_writes() {
    if (close_after_writes_) return;
    close_after_writes_ = true;
    if (!write_in_progress_ && queued_.empty()) linger();
}

// Half-closes and reads for a short while before closing: closing a socket with unread input
// would reset the connection and could destroy the response before the client reads it.
void HTTP1Connection::linger() {
    if (closed_) return;
    std::error_code ignored;
    socket_.shutdown(asio::ip::tcp::socket::shutdown_send, ignored);
    phase_ = Phase::lingering;
    set_deadline(std::chrono::seconds(2));
    wait_readable();
}

}  // namespace tornado::httpserver
