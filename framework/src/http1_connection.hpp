// One HTTP/1.1 connection: llhttp parsing, limits, keep-alive, pipelining, response framing.
// Private to the library.
#pragma once

#include "request_head_rules.hpp"
#include "tornado/httpserver.hpp"
#include "tornado/httputil.hpp"

#include <llhttp.h>

#include <asio/ip/tcp.hpp>
#include <asio/steady_timer.hpp>

#include <array>
#include <chrono>
#include <functional>
#include <initializer_list>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace tornado::httpserver {

class HTTP1Connection;

// A listening socket, and its own timer for retrying after a failed accept (out of descriptors).
struct Listener {
    explicit Listener(asio::io_context& context) : acceptor(context), accept_retry_timer(context) {}

    asio::ip::tcp::acceptor acceptor;
    asio::steady_timer accept_retry_timer;
};

struct HTTPServer::State {
    State(asio::io_context& context, RequestCallback callback, HTTPServerOptions options);

    asio::io_context& context;
    RequestCallback callback;
    HTTPServerOptions options;
    std::vector<std::unique_ptr<Listener>> listeners;
    // Every open connection, for timeouts and close, linked through the connections themselves.
    HTTP1Connection* first_connection = nullptr;
    std::size_t connection_count = 0;
    asio::steady_timer sweep_timer;
    bool sweeping = false;
};

// The socket bound to the loop's own executor type: smaller than asio::ip::tcp::socket, whose
// type-erased executor every pending operation would copy too.
using Socket = asio::basic_stream_socket<asio::ip::tcp, asio::io_context::executor_type>;

class HTTP1Connection final : public httputil::HTTPConnection,
                              public std::enable_shared_from_this<HTTP1Connection> {
public:
    HTTP1Connection(std::shared_ptr<HTTPServer::State> server, Socket socket);
    ~HTTP1Connection() override;

    void start();
    void close();
    // Closes the connection when its current deadline passed; called by the server's sweep.
    void close_if_expired(std::chrono::steady_clock::time_point now);
    HTTP1Connection* next_connection() const { return next_connection_; }

    void write_headers(int status_code, std::string_view reason, const httputil::HTTPHeaders& headers,
                       std::string_view chunk, bool finishing) override;
    void write(std::string_view chunk) override;
    void finish() override;
    asio::awaitable<void> drain() override;
    bool closed() const override { return closed_; }
    void set_close_callback(std::function<void()> callback) override;
    asio::any_io_executor executor() override { return socket_.get_executor(); }
    asio::awaitable<httputil::DetachedConnection> detach() override;

private:
    enum class Phase { idle, headers, body, handling, lingering };

    void wait_readable();
    void check_peer_still_there();
    void on_readable(std::error_code error);
    void on_received(std::error_code error, std::size_t length);
    void handle_input(const char* data, std::size_t length);
    std::size_t process(const char* data, std::size_t length);
    std::uint64_t stream_position(const char* at) const;
    void drop_unparsed();
    void dispatch();
    void on_response_complete();
    void start_next_request();
    void continue_after_response();
    void reject(int status_code, std::string_view why);
    void set_deadline(std::chrono::steady_clock::duration timeout);
    void leave_server();

    // Sends head (which may be empty, and is appended to) with one piece of body, framed as a
    // chunk when the response is chunked.
    void send_with_body(std::string& head, std::string_view chunk);
    bool within_content_length(std::size_t size);
    void send(std::initializer_list<std::string_view> pieces);
    void write_queued();
    void close_after_writes();
    void wake_drain();
    void linger();
    asio::awaitable<httputil::DetachedConnection> hand_over();

    // llhttp callbacks
    static int on_message_begin(llhttp_t* parser);
    static int on_method(llhttp_t* parser, const char* at, std::size_t length);
    static int on_url(llhttp_t* parser, const char* at, std::size_t length);
    static int on_version(llhttp_t* parser, const char* at, std::size_t length);
    static int on_header_field(llhttp_t* parser, const char* at, std::size_t length);
    static int on_header_value(llhttp_t* parser, const char* at, std::size_t length);
    static int on_headers_complete(llhttp_t* parser);
    static int on_body(llhttp_t* parser, const char* at, std::size_t length);
    static int on_message_complete(llhttp_t* parser);
    static const llhttp_settings_t& parser_settings();
    int refuse(Refusal refusal);
    bool count_header_bytes(std::size_t length);
    void store_header();
    void apply_xheaders();

    std::shared_ptr<HTTPServer::State> server_;
    // Links in the server's list while in it (from construction until closed or detached).
    bool in_server_ = true;
    HTTP1Connection* previous_connection_ = nullptr;
    HTTP1Connection* next_connection_ = nullptr;
    Socket socket_;
    std::string remote_ip_;
    llhttp_t parser_;

    Phase phase_ = Phase::idle;
    std::chrono::steady_clock::time_point deadline_;
    std::shared_ptr<httputil::HTTPServerRequest> request_;  // the one being parsed
    std::string header_name_;
    std::string header_value_;
    bool in_header_value_ = false;
    std::size_t header_bytes_ = 0;
    std::unique_ptr<Refusal> refusal_;  // set by a callback that refuses the request (400, 413, …)
    // Where the parts of the request line lie in the byte stream, to find doubled spaces
    // (llhttp skips them): positions count every byte given to the parser.
    std::uint64_t input_position_ = 0;      // of input_begin_
    const char* input_begin_ = nullptr;     // the input llhttp is parsing now
    std::uint64_t method_end_ = 0;
    std::uint64_t url_end_ = 0;
    bool url_started_ = false;
    bool version_started_ = false;
    // The first bytes of the next request land here (see wait_readable); the rest of what the
    // socket holds is read into the thread's buffer beside them. Small, since every open
    // connection holds it: a request line with a Host header fits, a browser's request takes
    // one more read.
    std::array<char, 128> first_bytes_;
    // Input read past the request being handled (pipelining), consumed from unparsed_offset_ on.
    std::string unparsed_;
    std::size_t unparsed_offset_ = 0;
    bool processing_ = false;  // inside process(): a finished response must not re-enter it

    // The response being written.
    bool request_keep_alive_ = false;
    bool request_is_head_ = false;
    bool request_http_1_1_ = false;
    bool response_chunked_ = false;
    bool keep_alive_ = false;
    std::optional<std::uint64_t> content_remaining_;  // body bytes the Content-Length still promises

    std::vector<std::string> queued_;
    std::vector<std::string> writing_;
    bool write_in_progress_ = false;
    // Made by the first drain() that waits; never expires, cancelled to wake it when writes are done.
    std::unique_ptr<asio::steady_timer> drained_;
    bool close_after_writes_ = false;
    bool next_request_after_writes_ = false;  // the response is complete but not yet written
    bool closed_ = false;
    bool detached_ = false;  // HTTP ended with detach(): the response's end leaves the socket alone
    bool read_wait_pending_ = false;
    std::function<void()> close_callback_;  // the handler's on_connection_close, while it works
};

}  // namespace tornado::httpserver
