// RequestHandler: running the HTTP method, reading arguments, building and sending the response.
#include "http_status.hpp"
#include "response_encoding.hpp"
#include "text_util.hpp"
#include "tornado/database.hpp"
#include "tornado/escape.hpp"
#include "tornado/httputil.hpp"
#include "tornado/log.hpp"
#include "tornado/web.hpp"

#include <asio/bind_cancellation_slot.hpp>
#include <asio/co_spawn.hpp>

#include <cxxabi.h>

#include <charconv>
#include <chrono>
#include <cstdlib>
#include <ctime>

namespace tornado::web {

namespace {
// The Date header changes once a second; format it once a second.
const std::string& current_http_date() {
    thread_local std::time_t cached_second = 0;
    thread_local std::string cached;
    auto now = std::chrono::system_clock::now();
    auto second = std::chrono::system_clock::to_time_t(now);
    if (second != cached_second) {
        cached_second = second;
        cached = httputil::format_timestamp(now);
    }
    return cached;
}

// The name of the exception being handled: "std::runtime_error", or "int" for a `throw 42;`.
std::string current_exception_type() {
    int status = 0;
    auto* type = abi::__cxa_current_exception_type();
    char* name = type ? abi::__cxa_demangle(type->name(), nullptr, nullptr, &status) : nullptr;
    std::string text = name && status == 0 ? name : "unknown exception";
    std::free(name);
    return text;
}

// "std::runtime_error: boom" for the log and the traceback page; an HTTPError reads as in
// Tornado: "tornado::web::MissingArgumentError: HTTP 400: Bad Request (Missing argument text)".
std::string describe(std::exception_ptr error) {
    try {
        std::rethrow_exception(error);
    } catch (const HTTPError& e) {
        auto reason = e.reason().empty() ? std::string(httputil::reason_phrase(e.status_code())) : e.reason();
        auto detail = e.log_message().empty() ? std::string() : " (" + e.log_message() + ")";
        return current_exception_type() + ": HTTP " + std::to_string(e.status_code()) + ": " + reason + detail;
    } catch (const std::exception& e) {
        return current_exception_type() + ": " + e.what();
    } catch (...) {
        return current_exception_type() + " (not derived from std::exception)";
    }
}

// Tornado's default error page; the last resort for a response that failed mid-way uses it too.
std::string error_page(int status_code, std::string_view reason) {
    auto title = escape::xhtml_escape(std::to_string(status_code) + ": " + std::string(reason));
    return "<html><title>" + title + "</title><body>" + title + "</body></html>";
}

using tornado::detail::is_bodyless_status;
using tornado::detail::trim;

void check_header_value(std::string_view value) {
    // A CR or LF would let a value inject headers of its own.
    if (value.find_first_of("\r\n") != std::string_view::npos) {
        throw std::invalid_argument("Unsafe header value: " + std::string(value));
    }
}

// The body buffer of the thread's last finished handler, for the next handler to write into.
// A large one is not kept.
struct SpareBodyBuffer {
    std::string buffer;
    ~SpareBodyBuffer();
};
thread_local bool spare_body_buffer_gone = false;  // handlers destroyed later free their own
SpareBodyBuffer::~SpareBodyBuffer() { spare_body_buffer_gone = true; }

std::string* spare_body_buffer() {
    if (spare_body_buffer_gone) return nullptr;
    thread_local SpareBodyBuffer spare;
    return &spare.buffer;
}
constexpr std::size_t spare_body_buffer_limit = 64 * 1024;
}  // namespace

RequestHandler::RequestHandler() = default;

RequestHandler::~RequestHandler() {
    auto* spare = spare_body_buffer();
    if (spare && write_buffer_.capacity() <= spare_body_buffer_limit && write_buffer_.capacity() > spare->capacity()) {
        write_buffer_.clear();
        spare->swap(write_buffer_);
    }
}

void RequestHandler::attach(Application& application, std::shared_ptr<httputil::HTTPServerRequest> request,
                            const detail::HandlerFactory* factory) {
    if (auto* spare = spare_body_buffer(); spare && write_buffer_.capacity() < spare->capacity()) {
        write_buffer_.swap(*spare);
        write_buffer_.clear();
    }
    application_ = &application;
    request_ = std::move(request);
    factory_ = factory;
    clear();
}

// --- running the request ---

void RequestHandler::execute(std::vector<std::string> path_args,
                             std::vector<std::pair<std::string, std::string>> path_kwargs) {
    try {
        auto method = detail::parse_method(request_->method);
        if (!method || !factory_->arity[static_cast<std::size_t>(*method)]) throw HTTPError(405);
        for (auto& arg : path_args) arg = escape::url_unescape(arg, false);
        for (auto& [name, value] : path_kwargs) value = escape::url_unescape(value, false);
        path_args_ = std::move(path_args);
        path_kwargs_ = std::move(path_kwargs);
        for (std::size_t i = 0; i < path_args_.size() + path_kwargs_.size(); ++i) {
            if (!escape::is_valid_utf8(capture(i))) throw HTTPError(400, "Invalid unicode in the URL path");
        }
        try {
            request_->parse_body();
        } catch (const std::invalid_argument& e) {
            throw HTTPError(400, std::string("Malformed request body: ") + e.what());
        }
        if (settings().xsrf_cookies && *method != detail::Method::GET && *method != detail::Method::HEAD &&
            *method != detail::Method::OPTIONS) {
            check_xsrf_cookie();
        }
        if (auto rest = factory_->run(*this, *method)) return run_coroutine(std::move(*rest));
        if (!finished_) finish();
    } catch (...) {
        handle_request_exception(std::current_exception());
    }
}

// The rest of the request runs on the connection's executor, cancelled if the client leaves.
void RequestHandler::run_coroutine(asio::awaitable<void> coroutine) {
    auto& connection = *request_->connection;
    connection.set_close_callback([weak = weak_from_this()] {
        if (auto self = weak.lock()) self->on_client_gone();
    });
    coroutine_running_ = true;
    asio::co_spawn(connection.executor(), std::move(coroutine),
                   asio::bind_cancellation_slot(cancel_coroutine_.slot(),
                                                [self = shared_from_this()](std::exception_ptr error) {
                                                    self->on_coroutine_done(error);
                                                }));
}

void RequestHandler::on_coroutine_done(std::exception_ptr error) {
    coroutine_running_ = false;
    cancel_coroutine_.slot().clear();
    try {
        if (error) std::rethrow_exception(error);
        if (!finished_) finish();
    } catch (...) {
        handle_request_exception(std::current_exception());
    }
}

void RequestHandler::on_client_gone() {
    if (finished_) return;
    client_gone_ = true;
    try {
        on_connection_close();
    } catch (...) {
        log::app_log.error("Exception in on_connection_close: " + describe(std::current_exception()));
    }
    if (coroutine_running_) cancel_coroutine_.emit(asio::cancellation_type::terminal);
}

// Tornado's _handle_request_exception: Finish finishes; any other error is logged once (an
// HTTPError only when it has a log_message, as a warning; a database::UnavailableError as a
// warning too, answered 503), then answered with the error page unless a response already
// went out or nobody is left to read one.
void RequestHandler::handle_request_exception(std::exception_ptr error) {
    int status = 500;
    std::string summary = request_->method + " " + request_->uri + " (" + request_->remote_ip + ")";
    try {
        std::rethrow_exception(error);
    } catch (const Finish& finish_now) {
        try {
            if (!finished_) finish(finish_now.chunk());
            return;
        } catch (...) {
            return handle_request_exception(std::current_exception());  // not a Finish: no loop
        }
    } catch (const HTTPError& e) {
        status = e.status_code();
        if (!e.log_message().empty()) {
            log::app_log.warning(std::to_string(status) + " " + summary + ": " + e.log_message());
        }
    } catch (const database::UnavailableError& e) {
        // The database cannot serve now (no free connection, locked, unreachable) but may in a
        // moment: 503, as if the handler had raised HTTPError(503) with the database's message.
        status = 503;
        log::app_log.warning("503 " + summary + ": " + e.what());
    } catch (const std::system_error& e) {
        if (client_gone_) {
            // What the cancellation does when the client leaves: expected, so no error.
            log::gen_log.debug("Client left during " + summary + ": " + e.what());
        } else {
            log::app_log.error("Uncaught exception " + summary + "\n" + describe(error));
        }
    } catch (...) {
        log::app_log.error("Uncaught exception " + summary + "\n" + describe(error));
    }
    if (finished_) return;
    if (client_gone_) {
        // Nothing can reach the client; the request just ends.
        finished_ = true;
        request_->mark_finished();
        return;
    }
    try {
        send_error(status, error);
    } catch (...) {
        // The page could not be made: set_default_headers threw, or the reason was unsafe.
        log::app_log.error("Exception while sending the error page: " + describe(std::current_exception()));
        end_response_anyway();
    }
}

void RequestHandler::end_response_anyway() {
    if (finished_) return;
    finished_ = true;
    request_->mark_finished();
    auto& connection = *request_->connection;
    if (headers_written_) {
        // Ends the body; a body short of its Content-Length closes the connection instead.
        connection.finish();
        return;
    }
    headers_written_ = true;
    status_code_ = 500;
    auto page = error_page(status_code_, httputil::reason_phrase(status_code_));
    httputil::HTTPHeaders headers;
    headers.set("Content-Type", "text/html; charset=UTF-8");
    headers.set("Content-Length", std::to_string(page.size()));
    connection.write_headers(status_code_, httputil::reason_phrase(status_code_), headers, page, true);
}

std::string RequestHandler::allowed_methods() const {
    std::string allowed;
    if (!factory_) return allowed;
    for (std::size_t m = 0; m < detail::method_names.size(); ++m) {
        if (!factory_->arity[m]) continue;
        if (!allowed.empty()) allowed += ", ";
        allowed += detail::method_names[m];
    }
    return allowed;
}

// --- input ---

namespace {
// An argument's value as handlers see it. Invalid UTF-8 is refused (400); control characters
// become spaces, as in Tornado.
std::string decoded_argument(const std::string& raw, std::string_view name, bool strip) {
    if (!escape::is_valid_utf8(raw)) throw HTTPError(400, "Invalid unicode in argument " + std::string(name));
    std::string value = raw;
    for (auto& c : value) {
        if ((c >= 0 && c <= 0x08) || (c >= 0x0e && c <= 0x1f)) c = ' ';
    }
    if (strip) {  // after the replacement, as in Tornado: a leading control character goes too
        auto first = value.find_first_not_of(tornado::detail::ascii_whitespace);
        if (first == std::string::npos) return {};
        value.erase(value.find_last_not_of(tornado::detail::ascii_whitespace) + 1);
        value.erase(0, first);
    }
    return value;
}

// The last value of an argument, or default_value; every value is checked, as get_arguments does.
std::string last_decoded_argument(const httputil::Arguments& from, std::string_view name,
                                  std::string_view default_value, bool strip) {
    auto found = from.find(std::string(name));
    if (found == from.end() || found->second.empty()) return std::string(default_value);
    const auto& values = found->second;
    for (std::size_t i = 0; i + 1 < values.size(); ++i) {
        if (!escape::is_valid_utf8(values[i])) throw HTTPError(400, "Invalid unicode in argument " + std::string(name));
    }
    return decoded_argument(values.back(), name, strip);
}
}  // namespace

std::vector<std::string> RequestHandler::decoded_arguments(const httputil::Arguments& from, std::string_view name,
                                                           bool strip) const {
    std::vector<std::string> values;
    auto found = from.find(std::string(name));
    if (found == from.end()) return values;
    for (const auto& raw : found->second) values.push_back(decoded_argument(raw, name, strip));
    return values;
}

namespace {
std::string last_or_missing(const std::vector<std::string>& values, std::string_view name) {
    if (values.empty()) throw MissingArgumentError(std::string(name));
    return values.back();
}
}  // namespace

std::string RequestHandler::get_argument(std::string_view name) const { return last_or_missing(get_arguments(name), name); }

std::string RequestHandler::get_argument(std::string_view name, std::string_view default_value, bool strip) const {
    return last_decoded_argument(request_->arguments, name, default_value, strip);
}

std::vector<std::string> RequestHandler::get_arguments(std::string_view name, bool strip) const {
    return decoded_arguments(request_->arguments, name, strip);
}

std::string RequestHandler::get_query_argument(std::string_view name) const {
    return last_or_missing(get_query_arguments(name), name);
}

std::string RequestHandler::get_query_argument(std::string_view name, std::string_view default_value,
                                               bool strip) const {
    return last_decoded_argument(request_->query_arguments, name, default_value, strip);
}

std::vector<std::string> RequestHandler::get_query_arguments(std::string_view name, bool strip) const {
    return decoded_arguments(request_->query_arguments, name, strip);
}

std::string RequestHandler::get_body_argument(std::string_view name) const {
    return last_or_missing(get_body_arguments(name), name);
}

std::string RequestHandler::get_body_argument(std::string_view name, std::string_view default_value,
                                              bool strip) const {
    return last_decoded_argument(request_->body_arguments, name, default_value, strip);
}

std::vector<std::string> RequestHandler::get_body_arguments(std::string_view name, bool strip) const {
    return decoded_arguments(request_->body_arguments, name, strip);
}

namespace detail {
std::optional<long long> parse_integer(std::string_view text) {
    long long value = 0;
    auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (error != std::errc() || end != text.data() + text.size() || text.empty()) return std::nullopt;
    return value;
}

std::optional<double> parse_floating(std::string_view text) {
    double value = 0;
    auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (error != std::errc() || end != text.data() + text.size() || text.empty()) return std::nullopt;
    return value;
}
}  // namespace detail

// --- output ---

void RequestHandler::clear() {
    headers_.clear();
    default_headers_pending_ = true;
    set_default_headers();
    write_buffer_.clear();
    status_code_ = 200;
    reason_.clear();
}

void RequestHandler::add_default_headers() const {
    if (!default_headers_pending_) return;
    default_headers_pending_ = false;
    headers_.set("Server", "TornadoServer/6.2 (tornado-cpp)");
    headers_.set("Content-Type", "text/html; charset=UTF-8");
    headers_.set("Date", current_http_date());
}

void RequestHandler::set_status(int status_code, std::string_view reason) {
    if (status_code < 100 || status_code > 999) throw std::invalid_argument("invalid status code " + std::to_string(status_code));
    // The reason goes into the status line: a CR or LF would start headers of its own.
    if (reason.find_first_of("\r\n") != std::string_view::npos) {
        throw std::invalid_argument("Unsafe reason phrase: " + std::string(reason));
    }
    status_code_ = status_code;
    reason_ = reason;
}

void RequestHandler::set_header(std::string_view name, std::string_view value) {
    check_header_value(value);
    add_default_headers();
    headers_.set(name, value);
}

void RequestHandler::add_header(std::string_view name, std::string_view value) {
    check_header_value(value);
    add_default_headers();
    headers_.add(name, value);
}

void RequestHandler::clear_header(std::string_view name) {
    add_default_headers();
    headers_.remove(name);
}

void RequestHandler::write(std::string_view chunk) {
    if (finished_) throw std::logic_error("Cannot write() after finish()");
    write_buffer_.append(chunk);
}

void RequestHandler::write(const nlohmann::json& object) {
    if (finished_) throw std::logic_error("Cannot write() after finish()");
    write_buffer_ += escape::json_encode(object);
    set_header("Content-Type", "application/json; charset=UTF-8");
}

void RequestHandler::flush() {
    if (finished_) throw std::logic_error("Cannot flush() after finish()");
    send_buffer(false);
}

namespace {
asio::awaitable<void> nothing_to_flush() { co_return; }
}  // namespace

asio::awaitable<void> RequestHandler::flushed() {
    // A WebSocketHandler lets the HTTP connection go once it has taken the socket over.
    if (!request_->connection) return nothing_to_flush();
    return request_->connection->drain();
}

void RequestHandler::finish(std::string_view chunk) {
    write(chunk);
    finish();
}

void RequestHandler::finish() {
    if (finished_) throw std::logic_error("finish() called twice");
    if (!headers_written_) {
        add_default_headers();
        bool get_or_head = request_->method == "GET" || request_->method == "HEAD";
        if (status_code_ == 200 && get_or_head && !headers_.contains("Etag")) {
            headers_.set("Etag", detail::Etag(write_buffer_).view());
            if (auto* if_none_match = request_->headers.find("If-None-Match");
                if_none_match && detail::etag_matches(*if_none_match, *headers_.find("Etag"))) {
                set_status(304);
            }
        }
        if (is_bodyless_status(status_code_)) {
            write_buffer_.clear();
            headers_.remove("Content-Length");
            if (status_code_ == 304) {
                for (auto name : {"Content-Encoding", "Content-Language", "Content-Type"}) headers_.remove(name);
            }
        }
    }
    send_buffer(true);
    finished_ = true;
    request_->mark_finished();
    // The response is out: what goes wrong from here on is logged, and changes nothing for the client.
    try {
        on_finish();
    } catch (...) {
        log::app_log.error("Exception in on_finish: " + describe(std::current_exception()));
    }
    try {
        application_->log_request(*this);
    } catch (...) {
        log::app_log.error("Exception in log_request: " + describe(std::current_exception()));
    }
}

void RequestHandler::start_gzip_if_wanted(bool finishing) {
    // A 206's Content-Range counts uncompressed bytes, so partial answers stay as they are.
    if (!settings().compress_response || is_bodyless_status(status_code_) || status_code_ == 206) return;
    auto content_type = headers_.get("Content-Type");
    if (!detail::is_compressible_type(content_type)) return;
    headers_.add("Vary", "Accept-Encoding");
    // Tiny complete bodies grow when compressed (Tornado's threshold).
    if (finishing && write_buffer_.size() < 1024) return;
    if (headers_.contains("Content-Encoding") || !detail::accepts_gzip(request_->headers.get("Accept-Encoding"))) return;
    gzip_ = std::make_unique<detail::GzipStream>();
    headers_.set("Content-Encoding", "gzip");
    headers_.remove("Content-Length");
}

void RequestHandler::send_buffer(bool finishing) {
    auto& connection = *request_->connection;
    if (!headers_written_) {
        add_default_headers();
        for (const auto& [name, set_cookie] : new_cookies_) headers_.add("Set-Cookie", set_cookie);
        start_gzip_if_wanted(finishing);
    }
    std::string compressed;
    if (gzip_) compressed = gzip_->compress(write_buffer_, finishing);
    std::string_view chunk = gzip_ ? std::string_view(compressed) : std::string_view(write_buffer_);
    if (!headers_written_) {
        headers_written_ = true;
        if (finishing && !headers_.contains("Content-Length") && !is_bodyless_status(status_code_)) {
            char length[24];
            auto end = std::to_chars(length, length + sizeof length, chunk.size()).ptr;
            headers_.set("Content-Length", std::string_view(length, static_cast<std::size_t>(end - length)));
        }
        auto reason = reason_.empty() ? httputil::reason_phrase(status_code_) : std::string_view(reason_);
        connection.write_headers(status_code_, reason, headers_, chunk, finishing);
    } else {
        connection.write(chunk);
        if (finishing) connection.finish();
    }
    write_buffer_.clear();  // the connection has sent or copied the chunk
}

void RequestHandler::redirect(std::string_view url, bool permanent) {
    if (headers_written_) throw std::logic_error("Cannot redirect after headers have been written");
    set_status(permanent ? 301 : 302);
    set_header("Location", url);
    finish();
}

void RequestHandler::send_error(int status_code, std::exception_ptr error) {
    if (headers_written_) {
        log::gen_log.error("Cannot send error response after headers written");
        if (!finished_) finish();
        return;
    }
    clear();
    std::string reason;
    if (error) {
        try {
            std::rethrow_exception(error);
        } catch (const HTTPError& e) {
            reason = e.reason();
        } catch (...) {
        }
    }
    set_status(status_code, reason);
    if (status_code == 405) set_header("Allow", allowed_methods());
    try {
        write_error(status_code, error);
    } catch (...) {
        log::app_log.error("Uncaught exception in write_error: " + describe(std::current_exception()));
    }
    if (!finished_) finish();
}

void RequestHandler::write_error(int status_code, std::exception_ptr error) {
    std::string reason = reason_.empty() ? std::string(httputil::reason_phrase(status_code)) : reason_;
    // Details stay in the log; only serve_traceback (debug's default) puts them on the page.
    if (settings().serve_traceback.value_or(settings().debug) && error) {
        set_header("Content-Type", "text/plain; charset=UTF-8");
        finish(std::to_string(status_code) + ": " + reason + "\n\n" + describe(error) + "\n");
        return;
    }
    finish(error_page(status_code, reason));
}

// --- other ---

const nlohmann::json& RequestHandler::current_user() const {
    if (!current_user_) {
        // The getter is the handler class's own (found by the factory) and need not be const;
        // handlers are never const objects.
        auto& self = const_cast<RequestHandler&>(*this);
        current_user_ = factory_ ? factory_->current_user(self) : nlohmann::json();
    }
    return *current_user_;
}

void RequestHandler::check_xsrf_cookie() {
    bool has_token = !get_argument("_xsrf", "").empty() || request_->headers.contains("X-Xsrftoken") ||
                     request_->headers.contains("X-Csrftoken");
    if (!has_token) throw HTTPError(403, "'_xsrf' argument missing from POST");
    // No _xsrf cookie has been issued (cookies come in chapter 6), so no token can match one.
    throw HTTPError(403, "XSRF cookie does not match POST argument");
}

asio::awaitable<httputil::DetachedConnection> RequestHandler::detach() {
    // A finished response has already told the connection to close or to read the next request.
    if (finished_) throw std::logic_error("detach() after finish(): detach() finishes the response itself");
    auto handed_over = request_->connection->detach();  // HTTP ends here, before finish() below
    finish();
    headers_ = httputil::HTTPHeaders();  // sent: a long-lived connection need not keep them
    return handed_over;
}

std::string RequestHandler::reverse_url(std::string_view name, const std::vector<std::string>& args) const {
    return application_->reverse_url(name, args);
}

}  // namespace tornado::web
