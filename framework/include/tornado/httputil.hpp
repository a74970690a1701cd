// tornado::httputil — HTTP types shared by server and client: headers, the request object,
// uploaded files, argument and multipart parsing. Counterpart of tornado/httputil.py.
#pragma once

#include <asio/any_io_executor.hpp>
#include <asio/awaitable.hpp>
#include <asio/ip/tcp.hpp>

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace tornado::httputil {

// Header names compare case-insensitively and are stored in Http-Header-Case; a name may
// carry several values (add) or one (set). The memory of cleared or destroyed headers is
// reused by the next ones on the thread, so a request's headers cost no allocation each.
class HTTPHeaders {
public:
    HTTPHeaders() = default;
    HTTPHeaders(std::initializer_list<std::pair<std::string, std::string>> pairs);
    HTTPHeaders(const HTTPHeaders& other);
    HTTPHeaders(HTTPHeaders&& other) noexcept;
    HTTPHeaders& operator=(const HTTPHeaders& other);
    HTTPHeaders& operator=(HTTPHeaders&& other) noexcept;
    ~HTTPHeaders();

    void add(std::string_view name, std::string_view value);
    void set(std::string_view name, std::string_view value);  // replaces every value
    void remove(std::string_view name);
    bool contains(std::string_view name) const;
    // The first value, or default_value when absent.
    std::string get(std::string_view name, std::string_view default_value = {}) const;
    const std::string* find(std::string_view name) const;
    std::vector<std::string> get_list(std::string_view name) const;
    void clear() { used_ = 0; }
    bool empty() const { return used_ == 0; }
    std::size_t size() const { return used_; }

    using Field = std::pair<std::string, std::string>;
    std::vector<Field>::const_iterator begin() const { return fields_.begin(); }
    std::vector<Field>::const_iterator end() const { return fields_.begin() + static_cast<std::ptrdiff_t>(used_); }

private:
    Field& next_slot();
    void remove_from(std::size_t first, std::string_view name);

    // The first used_ fields are the headers; the ones after keep their strings' memory for reuse.
    std::vector<Field> fields_;
    std::size_t used_ = 0;
};

// "content-type" -> "Content-Type".
std::string normalize_header_name(std::string_view name);
bool iequals(std::string_view a, std::string_view b);

using Arguments = std::map<std::string, std::vector<std::string>>;

struct HTTPFile {
    std::string filename;
    std::string content_type;
    std::string body;
};
using Files = std::map<std::string, std::vector<HTTPFile>>;

// Appends the name=value pairs of an application/x-www-form-urlencoded string (blank values
// kept, like Tornado's parse_qs_bytes with keep_blank_values).
void parse_qs(std::string_view query, Arguments& into);

// Parses a urlencoded or multipart/form-data body into arguments and files. A malformed body
// throws std::invalid_argument with the reason.
void parse_body_arguments(std::string_view content_type, std::string_view body, Arguments& arguments,
                          Files& files);
void parse_multipart_form_data(std::string_view boundary, std::string_view body, Arguments& arguments,
                               Files& files);

// The standard reason phrase of a status code ("Not Found"), or "Unknown".
std::string_view reason_phrase(int status_code);

// An RFC 7231 date ("Thu, 26 Nov 2026 16:30:50 GMT") for a system-clock time.
std::string format_timestamp(std::chrono::system_clock::time_point when);

// A connection taken over from HTTP (HTTPConnection::detach): the socket, and the bytes the
// client sent after its request that the server had already read (they come first).
struct DetachedConnection {
    asio::ip::tcp::socket socket;
    std::string buffered;
};

// What the server needs to answer a request; implemented by the HTTP/1.1 connection.
class HTTPConnection {
public:
    virtual ~HTTPConnection() = default;
    // Where the connection's operations run; the request's coroutines run there too.
    virtual asio::any_io_executor executor() = 0;
    // Sends the status line and headers, with the first part of the body. When finishing is
    // true the body is complete; otherwise the body follows with write() and ends with finish().
    virtual void write_headers(int status_code, std::string_view reason, const HTTPHeaders& headers,
                               std::string_view chunk, bool finishing) = 0;
    virtual void write(std::string_view chunk) = 0;
    virtual void finish() = 0;
    // Completes once everything written so far has gone to the socket, or the connection
    // closed: a writer awaiting it between chunks never queues more than one chunk.
    virtual asio::awaitable<void> drain() = 0;
    // True once the peer went away or the connection was closed; writes are then dropped.
    virtual bool closed() const = 0;
    // Called (once, from the loop) if the connection closes before the response is finished.
    virtual void set_close_callback(std::function<void()> callback) = 0;
    // Hands the connection over. HTTP ends at the call: finishing the response then neither
    // closes the connection nor reads another request. The result comes once everything
    // written so far has gone out; when the client leaves first, it throws asio::system_error
    // (operation_aborted).
    virtual asio::awaitable<DetachedConnection> detach() = 0;
};

// One HTTP request as the server received it (Tornado's HTTPServerRequest).
class HTTPServerRequest {
public:
    std::string method;       // "GET"
    std::string uri;          // "/path?query"
    std::string path;         // "/path"
    std::string query;        // "query"
    std::string version;      // "HTTP/1.1"
    HTTPHeaders headers;
    std::string body;
    std::string remote_ip;
    std::string protocol = "http";
    std::string host;         // the Host header, or "127.0.0.1"
    std::string host_name;    // host without the port
    Arguments arguments;        // query and body arguments together
    Arguments query_arguments;
    Arguments body_arguments;
    Files files;
    std::shared_ptr<HTTPConnection> connection;
    std::chrono::steady_clock::time_point start_time = std::chrono::steady_clock::now();

    // Splits uri into path and query, fills host and the query arguments.
    void parse_uri_and_host();
    // Parses the body by its Content-Type into body_arguments, arguments and files.
    void parse_body();

    std::string full_url() const { return protocol + "://" + host + uri; }
    // Seconds since the request started (or until finish_time once set).
    double request_time() const;
    void mark_finished() { finish_time_ = std::chrono::steady_clock::now(); }
    bool supports_http_1_1() const { return version == "HTTP/1.1"; }

private:
    std::optional<std::chrono::steady_clock::time_point> finish_time_;
};

}  // namespace tornado::httputil
