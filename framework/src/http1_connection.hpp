// One HTTP/1.1 connection: llhttp parsing, limits, keep-alive, pipelining, response framing.
// Private to the library.
#pragma once

#include "request_head_rules.hpp"
#include "tornado/httpserver.hpp"
#include "tornado/httputil.hpp"

#include <llhttp.h>

#include <asio/ip/tcp.hpp>
#include <asio/steady_timer.hpp>

#include <chrono>
#include <functional>
#include <initializer_list>
#include <list>
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
    std::list<HTTP1Connection*> connections;  // every open connection, for timeouts and close
    asio::steady_timer sweep_timer;
    bool sweeping = false;
};

class HTTP1Connection final : public httputil::HTTPConnection,
                              public std::enable_shared_from_this<HTTP1Connection> {
public:
    HTTP1Connection(std::shared_ptr<HTTPServer::State> server, asio::ip::tcp::socket socket);
    ~HTTP1Connection() override;

    void start();
    void close();
    // Closes the connection when its current deadline passed; called by the server's sweep.
    void close_if_expired(std::chrono::steady_clock::time_point now);

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
    std::size_t process(const char* data, std::size_t length);
    std::uint64_t stream_position(const char* at) const;
    void drop_unparsed();
    void dispatch();
    void on_response_complete();
    void start_next_request();
    void continue_after_response();
    void reject(int status_code, std::string_view why);
    void set_deadline(std::chrono::steady_clock::duration timeout);

    // Sends head (which may be empty, and is appended to) with one piece of body, framed as a
    // chunk when the response is chunked.
    void send_with_body(std::string& head, std::string_view chunk);
    bool within_content_length(std::size_t size);
    void send(std::initializer_list<std::string_view> pieces);
    void write_queued();
    void close_after_writes();
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
    std::list<HTTP1Connection*>::iterator registration_;
    asio::ip::tcp::socket socket_;
    std::string remote_ip_;
    llhttp_t parser_;

    Phase phase_ = Phase::idle;
    std::chrono::steady_clock::time_point deadline_;
    std::shared_ptr<httputil::HTTPServerRequest> request_;  // the one being parsed
    std::string header_name_;
    std::string header_value_;
    bool in_header_value_ = false;
    std::size_t header_bytes_ = 0;
    std::optional<Refusal> refusal_;  // set by a callback that refuses the request (400, 413, …)
    // Where the parts of the request line lie in the byte stream, to find doubled spaces
    // (llhttp skips them): positions count every byte given to the parser.
    std::uint64_t input_position_ = 0;      // of input_begin_
    const char* input_begin_ = nullptr;     // the input llhttp is parsing now
    std::uint64_t method_end_ = 0;
    std::uint64_t url_end_ = 0;
    bool url_started_ = false;
    bool version_started_ = false;
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
    asio::steady_timer drained_;  // never expires; cancelled to wake drain() when writes are done
    bool close_after_writes_ = false;
    bool next_request_after_writes_ = false;  // the response is complete but not yet written
    bool closed_ = false;
    bool detached_ = false;  // HTTP ended with detach(): the response's end leaves the socket alone
    bool read_wait_pending_ = false;
    std::function<void()> close_callback_;  // the handler's on_connection_close, while it works
};

}  // namespace tornado::httpserver
