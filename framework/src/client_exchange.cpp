#include "client_exchange.hpp"

#include "client_deadline.hpp"
#include "client_request.hpp"
#include "gzip_decoder.hpp"
#include "http_response_parser.hpp"

#include <asio/this_coro.hpp>

#include <charconv>
#include <exception>
#include <optional>
#include <sstream>

namespace tornado::httpclient::detail {

namespace {

std::string seconds(std::chrono::duration<double> duration) {
    std::ostringstream text;
    text << duration.count() << " s";
    return text.str();
}

std::string pool_key(const ClientURL& url, const HTTPRequest& request) {
    if (!url.tls()) return url.origin();
    // A connection whose certificate was not checked (or checked against other CAs) serves
    // only requests asking for the same.
    return url.origin() + (request.validate_cert ? " verified by " + (request.ca_certs.empty() ? "system" : request.ca_certs)
                                                 : " unverified");
}

// Where the body goes: decompressed when asked and gzip-encoded, counted against
// max_body_size, then to the streaming callback or into body.
class BodySink {
public:
    explicit BodySink(const HTTPRequest& request) : request_(request) {}

    std::string headers_complete(const HTTPResponse& response) {
        if (callback_error) return "the header_callback threw";
        if (const auto* length = response.headers.find("Content-Length")) {
            std::size_t declared = 0;
            auto [end, error] = std::from_chars(length->data(), length->data() + length->size(), declared);
            if (error == std::errc::result_out_of_range || (error == std::errc{} && declared > request_.max_body_size)) {
                return too_large();
            }
        }
        if (request_.decompress_response && response.headers.get("Content-Encoding") == "gzip") {
            decoder_.emplace();
        }
        return {};
    }

    std::string chunk(std::string_view data) {
        if (!decoder_) return deliver(data);
        return decoder_->decompress(data, [this](std::string_view piece) { return deliver(piece); });
    }

    // Hands a header line to the header_callback; what it throws waits for headers_complete.
    void header_line(std::string_view line) {
        if (callback_error) return;
        try {
            request_.header_callback(line);
        } catch (...) {
            callback_error = std::current_exception();
        }
    }

    bool decompressed() const { return decoder_.has_value(); }
    std::string body;
    // Thrown by the header or streaming callback (caught here: llhttp's C frames are between
    // them and exchange, which rethrows it).
    std::exception_ptr callback_error;

private:
    std::string too_large() const {
        return "the response body is larger than max_body_size (" + std::to_string(request_.max_body_size) + " bytes)";
    }
    std::string deliver(std::string_view data) {
        received_ += data.size();
        if (received_ > request_.max_body_size) return too_large();
        if (!request_.streaming_callback) {
            body.append(data);
            return {};
        }
        try {
            request_.streaming_callback(data);
        } catch (...) {
            callback_error = std::current_exception();
            return "the streaming_callback threw";
        }
        return {};
    }

    const HTTPRequest& request_;
    std::optional<GzipDecoder> decoder_;
    std::size_t received_ = 0;
};

// What came of one attempt: the response, or nothing when a kept-alive connection turned out
// closed before any answer and the request may go again on a fresh one.
asio::awaitable<std::optional<HTTPResponse>> attempt(ConnectionPool& pool, std::shared_ptr<asio::ssl::context> tls,
                                                     const HTTPRequest& request, const ClientURL& url,
                                                     std::string_view head, bool may_reuse) {
    auto executor = co_await asio::this_coro::executor;
    auto key = pool_key(url, request);
    auto where = url.host_header();
    auto started = std::chrono::steady_clock::now();
    std::unique_ptr<ClientConnection> connection = may_reuse ? pool.take(key) : nullptr;
    Deadline request_deadline(executor, request.request_timeout, [&] {
        if (connection) connection->close();
    });
    auto request_timeout_error = [&] {
        return HTTPRequestTimeoutError("Timeout during request: no complete answer from " + where + " within " +
                                       "request_timeout (" + seconds(request.request_timeout) + ")");
    };

    if (!connection) {
        connection = std::make_unique<ClientConnection>(executor, key, tls);
        Deadline connect_deadline(executor, request.connect_timeout, [&] { connection->close(); });
        std::optional<std::system_error> failure;
        try {
            co_await connection->connect(url, request.validate_cert);
        } catch (const std::system_error& e) {
            failure = e;
        }
        if (connect_deadline.expired()) {
            throw HTTPConnectTimeoutError("Timeout while connecting to " + where + ": no connection within " +
                                          "connect_timeout (" + seconds(request.connect_timeout) + ")");
        }
        if (request_deadline.expired()) throw request_timeout_error();
        if (failure) throw HTTPNetworkError("cannot connect to " + where + ": " + failure->what());
    }

    BodySink sink(request);
    ResponseHooks hooks{
        .header_line = request.header_callback ? [&](std::string_view line) { sink.header_line(line); }
                                               : std::function<void(std::string_view)>(),
        .headers_complete = [&](const HTTPResponse& response) { return sink.headers_complete(response); },
        .body = [&](std::string_view data) { return sink.chunk(data); },
    };
    ResponseParser parser(request.method == "HEAD", std::move(hooks));
    std::error_code error;
    std::string request_bytes = std::string(head) + request.body;
    co_await connection->write(request_bytes, error);
    bool answered = false;  // a byte of the response arrived
    bool leftover = false;  // bytes after the response: the connection cannot be reused
    char buffer[16 * 1024];
    while (!error && !parser.complete() && !parser.failed()) {
        auto length = co_await connection->read_some(asio::buffer(buffer), error);
        if (length > 0) answered = true;
        auto consumed = parser.feed(std::string_view(buffer, length));
        leftover = consumed < length && parser.complete();
    }
    if (sink.callback_error) std::rethrow_exception(sink.callback_error);
    if (request_deadline.expired()) throw request_timeout_error();
    if (error && !answered && connection->reused && is_idempotent(request.method)) co_return std::nullopt;
    if (error == asio::error::eof) parser.finish_on_eof();
    if (parser.failed()) throw HTTPNetworkError(parser.response().error + " (from " + where + ")");
    if (!parser.complete()) throw HTTPNetworkError("connection to " + where + " failed: " + error.message());

    auto response = std::move(parser.response());
    response.body = std::move(sink.body);
    if (sink.decompressed()) {
        // As Tornado: the body is no longer encoded, and the header says what was undone.
        response.headers.set("X-Consumed-Content-Encoding", response.headers.get("Content-Encoding"));
        response.headers.remove("Content-Encoding");
    }
    response.request_time = std::chrono::steady_clock::now() - started;
    if (parser.keep_alive() && !leftover && !error) pool.put(std::move(connection));
    else connection->close();
    co_return response;
}

}  // namespace

asio::awaitable<HTTPResponse> exchange(ConnectionPool& pool, std::shared_ptr<asio::ssl::context> tls,
                                       const HTTPRequest& request, const ClientURL& url) {
    auto head = request_head(request, url);
    if (auto response = co_await attempt(pool, tls, request, url, head, true)) co_return std::move(*response);
    // The kept-alive connection was closed by the server: once more on a new connection.
    co_return std::move(*co_await attempt(pool, tls, request, url, head, false));
}

}  // namespace tornado::httpclient::detail
