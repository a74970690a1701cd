// tornado::web — RequestHandler (one object per request with get()/post()/… methods) and
// Application (routes and settings). Counterpart of tornado/web.py, in its order: the handler,
// the application and its settings, the errors, StaticFileHandler, UIModule, then routes.
#pragma once

#include "httpserver.hpp"
#include "httputil.hpp"
#include "template.hpp"

#include <asio/awaitable.hpp>
#include <asio/cancellation_signal.hpp>
#include <nlohmann/json.hpp>

#include <any>
#include <chrono>
#include <cstdint>
#include <exception>
#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

namespace tornado::websocket {
class WebSocketHandler;
}

namespace tornado::web {

class Application;
class UIModule;
class URLSpec;
struct Settings;

namespace detail {
class GzipStream;
class StaticVersions;
class HandlerFactory;
template <class Handler, class... InitArgs>
class HandlerFactoryFor;
}  // namespace detail

// The attributes of a cookie set_cookie sends (Tornado's set_cookie keyword arguments), in the
// order Tornado lists them. A field left empty or unset leaves its attribute out.
struct CookieOptions {
    std::string domain;
    std::optional<std::chrono::system_clock::time_point> expires;
    std::string path = "/";
    std::optional<double> expires_days;  // used when expires is unset; neither: a session cookie
    std::optional<long long> max_age;    // seconds
    bool httponly = false;
    bool secure = false;
    std::string samesite;  // "Strict", "Lax" or "None"
};

// A cookie secret: one key, or keys by version for key rotation (Tornado's cookie_secret as a
// str or as a dict {key_version: secret}).
using CookieSecret = std::variant<std::string, std::map<int, std::string>>;

// Signs and timestamps value (any bytes) so that it cannot be forged, in Tornado's formats:
// version 2 (the default), "2|1:<key version>|<n>:<timestamp>|<n>:<name>|<n>:<base64 value>|"
// followed by the hex HMAC-SHA256 of all that; version 1, "<base64 value>|<timestamp>|<hex
// HMAC-SHA1>". A secret map needs key_version, the key that signs (version 2 only). Throws
// std::invalid_argument for an unknown version or key version.
std::string create_signed_value(const CookieSecret& secret, std::string_view name, std::string_view value,
                                int version = 2, std::optional<int> key_version = std::nullopt,
                                std::chrono::system_clock::time_point now = std::chrono::system_clock::now());
// The value signed in signed_value, or nothing when it is not a valid signature of a value of
// this name (compared in constant time), or older than max_age_days, or made more than 31 days
// in the future (a check Tornado makes for version 1 only), or of a version below min_version
// (1 or 2; more throws std::invalid_argument, as Tornado's ValueError).
std::optional<std::string> decode_signed_value(
    const CookieSecret& secret, std::string_view name, std::string_view signed_value, double max_age_days = 31,
    int min_version = 1, std::chrono::system_clock::time_point now = std::chrono::system_clock::now());

// The handler of one request. A handler class declares the HTTP methods it answers, each a plain
// function or a coroutine: void get(), asio::awaitable<void> post(std::string id), … (delete_
// for DELETE), one parameter per group of its route. A request runs: the XSRF check (for
// POST/PUT/PATCH/DELETE when settings().xsrf_cookies), get_current_user when it is a
// coroutine, prepare(), the method, then finish() unless the handler finished already.
class RequestHandler : public std::enable_shared_from_this<RequestHandler> {
public:
    RequestHandler();
    virtual ~RequestHandler();
    RequestHandler(const RequestHandler&) = delete;
    RequestHandler& operator=(const RequestHandler&) = delete;

    // --- Entry points ---
    // prepare and get_current_user may be coroutines, so they are found the way the HTTP methods
    // are: declare `void prepare()` or `asio::awaitable<void> prepare()` in your class (no
    // `override`). These two are the defaults.
    // Called before the HTTP method; may finish the request itself.
    void prepare() {}
    // The user of this request (Tornado's current_user may be any object: here JSON, a name or
    // a record; null means nobody). Declare `nlohmann::json get_current_user()`, computed on the
    // first current_user(), or `asio::awaitable<nlohmann::json> get_current_user()` to load the
    // user from a database: a coroutine cannot run inside an accessor, so that one is awaited
    // once per request before prepare().
    nlohmann::json get_current_user() { return nullptr; }
    // Called after the response is sent (for cleanup and logging).
    virtual void on_finish() {}
    // Called when the client goes away before the response is finished. The coroutine the
    // handler is awaiting in is cancelled then: its co_await throws asio::system_error
    // (operation_aborted), which ends the request without an error page.
    virtual void on_connection_close() {}
    // Sets headers every response of this handler carries (also error responses).
    virtual void set_default_headers() {}
    // Writes the error page. error is the exception that caused it, if any.
    virtual void write_error(int status_code, std::exception_ptr error);

    // --- Input ---
    httputil::HTTPServerRequest& request() const { return *request_; }
    Application& application() const { return *application_; }
    const Settings& settings() const;
    // The route's captures: path_args when its pattern has no named groups, else path_kwargs
    // only (Tornado's rule). The HTTP method receives the same values as its parameters.
    const std::vector<std::string>& path_args() const { return path_args_; }
    const std::vector<std::pair<std::string, std::string>>& path_kwargs() const { return path_kwargs_; }

    // The last value of the argument (query or body), stripped; throws MissingArgumentError if
    // absent. (No strip flag here: get_argument("x", "") must pick the default overload.)
    std::string get_argument(std::string_view name) const;
    std::string get_argument(std::string_view name, std::string_view default_value, bool strip = true) const;
    std::vector<std::string> get_arguments(std::string_view name, bool strip = true) const;
    // A numeric argument: get_argument("width", 40). A value that is not a number -> 400.
    template <class Number>
        requires std::is_arithmetic_v<Number> && (!std::is_same_v<Number, bool>)
    Number get_argument(std::string_view name, Number default_value) const;
    std::string get_query_argument(std::string_view name) const;
    std::string get_query_argument(std::string_view name, std::string_view default_value, bool strip = true) const;
    std::vector<std::string> get_query_arguments(std::string_view name, bool strip = true) const;
    std::string get_body_argument(std::string_view name) const;
    std::string get_body_argument(std::string_view name, std::string_view default_value, bool strip = true) const;
    std::vector<std::string> get_body_arguments(std::string_view name, bool strip = true) const;

    // --- Output ---
    void set_status(int status_code, std::string_view reason = {});
    int get_status() const { return status_code_; }
    void set_header(std::string_view name, std::string_view value);
    template <class Number>
        requires std::is_arithmetic_v<Number>
    void set_header(std::string_view name, Number value) { set_header(name, std::string_view(std::to_string(value))); }
    void add_header(std::string_view name, std::string_view value);
    void clear_header(std::string_view name);
    const httputil::HTTPHeaders& response_headers() const {
        add_default_headers();
        return headers_;
    }
    // Resets status, headers and the unflushed body to their defaults.
    void clear();

    // Appends to the response body. A JSON object is written as JSON with its content type.
    void write(std::string_view chunk);
    void write(const std::string& chunk) { write(std::string_view(chunk)); }
    void write(const char* chunk) { write(std::string_view(chunk)); }
    void write(const nlohmann::json& object);
    // Sends what was written so far (headers first, then chunked body on HTTP/1.1).
    void flush();
    // Completes once what was flushed has been written to the socket, or the client left:
    // `flush(); co_await flushed();` is Tornado's `await self.flush()`.
    asio::awaitable<void> flushed();
    // Completes the response; called automatically after the HTTP method unless done already.
    void finish();
    void finish(std::string_view chunk);
    bool finished() const { return finished_; }

    // Renders a template from settings().template_path with context and finishes the response
    // with it. The context names the page's values, render("books.html", {{"title", "Books"},
    // {"books", books}}), or is a JSON object; a JSON lvalue such as books is read where it is,
    // a temporary is moved in (template_::Context). Templates also see {{request.path}} and
    // friends, {{current_user}}, and the helpers {{#static_url}}css/a.css{{/static_url}},
    // {{#reverse_url}}name arg…{{/reverse_url}} and {{#module:Name}}…{{/module:Name}}.
    void render(std::string_view template_name, const template_::Context& context = {});
    std::string render_string(std::string_view template_name, const template_::Context& context = {}) const;
    // Helpers of this handler's own, which its templates can call besides the ones above
    // (Tornado's get_template_namespace); none by default.
    virtual template_::Helpers get_template_helpers() const { return {}; }

    // Redirects with 302, or 301 when permanent.
    void redirect(std::string_view url, bool permanent = false);
    // Clears the response and writes an error page through write_error.
    void send_error(int status_code = 500, std::exception_ptr error = nullptr);

    // --- Cookies ---
    // The cookies of the request, by name, parsed from its Cookie header on first use as
    // browsers send them (Tornado's parse_cookie: quoted values unquoted, \ooo escapes
    // included); a pair whose name Python's http.cookies refuses is left out, as in Tornado.
    const std::map<std::string, std::string, std::less<>>& cookies() const;
    // The request's value of the cookie, or nothing (or default_value) when it has none.
    // Cookies set in this response are not seen.
    std::optional<std::string> get_cookie(std::string_view name) const;
    std::string get_cookie(std::string_view name, std::string_view default_value) const;
    // Adds a Set-Cookie header (sent with the headers; a second call for the same name replaces
    // the first). A value outside the cookie-safe characters goes in double quotes with
    // Python's http.cookies escapes. Throws std::invalid_argument for a name http.cookies
    // refuses, for a space or control character in the name or value (Tornado's ValueError),
    // and for an attribute that would break the header.
    void set_cookie(std::string_view name, std::string_view value, const CookieOptions& options = {});
    // Tells the browser to drop the cookie: an empty value that expired a year ago, Max-Age=0.
    // Path and domain must be the ones the cookie was set with; the other options are ignored.
    void clear_cookie(std::string_view name, const CookieOptions& options = {});
    // clear_cookie for every cookie of the request.
    void clear_all_cookies(const CookieOptions& options = {});

    // A cookie signed with the cookie_secret setting (create_signed_value), so that it cannot
    // be forged: signed, not encrypted, so the visitor can read it. expires_days replaces
    // options.expires_days (unset: a session cookie). Throws std::logic_error without a secret.
    void set_signed_cookie(std::string_view name, std::string_view value, std::optional<double> expires_days = 30,
                           CookieOptions options = {});
    // The value of a cookie set by set_signed_cookie, or nothing when it is absent, forged,
    // expired (older than max_age_days) or of a version below min_version.
    std::optional<std::string> get_signed_cookie(std::string_view name, double max_age_days = 31,
                                                 int min_version = 1) const;
    // The book's names (Tornado's before 6.3) for the two above.
    void set_secure_cookie(std::string_view name, std::string_view value, std::optional<double> expires_days = 30,
                           CookieOptions options = {}) {
        set_signed_cookie(name, value, expires_days, std::move(options));
    }
    std::optional<std::string> get_secure_cookie(std::string_view name, double max_age_days = 31,
                                                 int min_version = 1) const {
        return get_signed_cookie(name, max_age_days, min_version);
    }

    // --- Other ---
    // The value get_current_user gave for this request (see above), or the one set.
    const nlohmann::json& current_user() const;
    void set_current_user(nlohmann::json user) { current_user_ = std::move(user); }
    // Tornado's @authenticated, written as the first line of an HTTP method: `authenticated();`.
    // Without a current_user (null, false, 0 or empty, as Python reads `not self.current_user`)
    // a GET or HEAD is redirected to get_login_url() with ?next=<this request's URI> (the full
    // URL when the login URL is absolute; nothing added when it has a query already), and any
    // other method gets 403. Either way the method ends there: authenticated() throws.
    void authenticated();
    // The login_url setting; throws std::logic_error when it is unset. Override to compute it.
    virtual std::string get_login_url() const;
    // Where a login form sends the visitor back to: the `next` argument when it is a path on
    // this site ("/cart?item=3"), else default_url. Tornado's samples redirect to
    // get_argument("next") as it comes, which lets a link to the login page send a visitor on to
    // any site (an open redirect); this never names another host: not "https://evil.example",
    // "//evil.example", "/\evil.example" (browsers read "\" as "/"), nor one hidden behind
    // blanks or control characters that browsers drop.
    std::string get_next_url(std::string_view default_url = "/") const;
    // Called for POST, PUT, PATCH and DELETE when settings().xsrf_cookies is on. The _xsrf
    // token comes with cookies (chapter 6); until then no request can carry a valid one, so
    // this answers 403 as Tornado does: "'_xsrf' argument missing from POST" without a token.
    virtual void check_xsrf_cookie();
    // The URL of a file under settings().static_path: static_url_prefix + path, plus "?v=" and
    // the file's content hash, so the URL changes when the file does and may be cached forever.
    std::string static_url(std::string_view path, bool include_version = true) const;
    std::string reverse_url(std::string_view name, const std::vector<std::string>& args = {}) const;
    // Takes the connection over from HTTP, the way a WebSocket does after its handshake: sends
    // the response as it stands (a 101 Switching Protocols, say) and finishes it, then yields
    // the socket once that has gone out, with any bytes the client sent after the request.
    // HTTP ends at the call: the connection is neither closed nor read by the server any more.
    // The response's headers are gone once sent (a WebSocket holds none of them).
    asio::awaitable<httputil::DetachedConnection> detach();

private:
    friend class Application;
    template <class Handler, class... InitArgs>
    friend class detail::HandlerFactoryFor;
    friend class websocket::WebSocketHandler;  // calls open() with the captures, through factory_

    void attach(Application& application, std::shared_ptr<httputil::HTTPServerRequest> request,
                const detail::HandlerFactory* factory);
    void execute(std::vector<std::string> path_args, std::vector<std::pair<std::string, std::string>> path_kwargs);
    // The i-th value the route captured (the HTTP method's i-th argument).
    const std::string& capture(std::size_t i) const { return path_kwargs_.empty() ? path_args_[i] : path_kwargs_[i].second; }
    void run_coroutine(asio::awaitable<void> coroutine);
    void on_coroutine_done(std::exception_ptr error);
    void on_client_gone();
    void handle_request_exception(std::exception_ptr error);
    // The last resort when the response cannot be finished the usual way: a bare 500 page if
    // nothing was sent yet, else the end of what was sent, so the connection never waits.
    void end_response_anyway();
    std::string allowed_methods() const;
    void send_buffer(bool finishing);
    // What templates see besides their context: {{request}}, {{current_user}}, the helpers.
    class TemplateNamespace;
    void write_with_module_resources(std::string_view html);
    void start_gzip_if_wanted(bool finishing);
    std::vector<std::string> decoded_arguments(const httputil::Arguments& from, std::string_view name,
                                               bool strip) const;

    Application* application_ = nullptr;
    std::shared_ptr<httputil::HTTPServerRequest> request_;
    const detail::HandlerFactory* factory_ = nullptr;
    std::vector<std::string> path_args_;
    std::vector<std::pair<std::string, std::string>> path_kwargs_;
    mutable std::optional<nlohmann::json> current_user_;
    mutable std::optional<std::map<std::string, std::string, std::less<>>> cookies_;  // parsed on first use
    std::vector<std::pair<std::string, std::string>> new_cookies_;  // name, Set-Cookie value
    // The cookie_secret or cookie_secrets setting; throws std::logic_error when neither is set.
    CookieSecret configured_cookie_secret() const;

    // Server, Content-Type and Date go in when the headers are first touched or sent, so a
    // request that waits (a long poll) holds none of them meanwhile.
    void add_default_headers() const;

    int status_code_ = 200;
    std::string reason_;
    mutable httputil::HTTPHeaders headers_;
    mutable bool default_headers_pending_ = false;
    std::string write_buffer_;
    bool headers_written_ = false;
    bool finished_ = false;
    std::unique_ptr<detail::GzipStream> gzip_;  // set while the response is gzip-compressed
    mutable std::vector<const UIModule*> active_modules_;  // used by this response, in order

    // While a coroutine runs the request: emitted (terminal) when the client goes away.
    asio::cancellation_signal cancel_coroutine_;
    bool coroutine_running_ = false;
    bool client_gone_ = false;
};

// Application settings (Tornado's settings dict). Write the ones you need in either form:
//   web::Settings settings;                           // any order
//   settings.template_path = "templates";
//   settings.debug = true;
// or as designated initializers, {.template_path = "templates", .debug = true}, whose fields
// C++ wants in declaration order — the order below, which is the book's.
struct Settings {
    template_::SearchPath template_path;  // where render() finds its templates: a folder, or {several}
    std::string static_path;         // when set, files under it are served at static_url_prefix
    std::string static_url_prefix = "/static/";
    std::map<std::string, std::shared_ptr<UIModule>> ui_modules;  // name used in templates -> module
    // The key signed cookies are signed with (chapter 6): cookie_secret, or for key rotation
    // cookie_secrets, the keys by version ({0: old, 1: new}), which then replace cookie_secret;
    // key_version names the one that signs new cookies, and all of them verify.
    std::string cookie_secret;
    std::map<int, std::string> cookie_secrets;
    std::optional<int> key_version;
    bool xsrf_cookies = false;       // POST/PUT/PATCH/DELETE must carry the _xsrf token (chapter 6)
    CookieOptions xsrf_cookie_kwargs;  // how the _xsrf cookie is set
    std::string login_url;           // where a visitor without a current_user is sent (chapter 6)
    bool debug = false;              // error pages show the exception; templates reload when edited
    std::optional<bool> serve_traceback;  // error pages show the exception; unset: as debug
    bool compress_response = false;  // gzip responses for clients that accept it
    // WebSocket connections (chapter 5): unset interval, no pings; unset timeout, the larger of
    // three intervals and 30 s.
    std::optional<std::chrono::steady_clock::duration> websocket_ping_interval;
    std::optional<std::chrono::steady_clock::duration> websocket_ping_timeout;
    std::size_t websocket_max_message_size = 10 * 1024 * 1024;
    // For servers made without options of their own: HTTPServer(app), app.listen(port).
    httpserver::HTTPServerOptions server_options;
    // The application's own settings, by name: settings.set("db_url", "…") and, in a handler,
    // settings().get<std::string>("db_url").
    std::map<std::string, std::any, std::less<>> values;

    // Stores value under name (text as std::string); returns *this, so calls can be chained.
    template <class T>
    Settings& set(std::string name, T value);
    // The value stored under name. Throws std::out_of_range when there is none, and
    // std::invalid_argument when it has another type than T.
    template <class T>
    const T& get(std::string_view name) const;
};

// Routes requests to handlers and holds the settings. It may be moved (make_app() returns one)
// until it serves: an HTTPServer keeps a reference to it, so from listen() or
// HTTPServer(app) on it must stay where it is.
class Application : public httpserver::RequestDelegate {
public:
    explicit Application(std::vector<URLSpec> handlers, Settings settings = {});
    ~Application() override;
    Application(Application&&) noexcept;
    Application& operator=(Application&&) noexcept;

    // Creates an HTTPServer for this application listening on port; returns it. Port 0 picks
    // a free port (HTTPServer::listen's result has it). Without options, settings().server_options.
    httpserver::HTTPServer& listen(std::uint16_t port, const std::string& address = "");
    httpserver::HTTPServer& listen(std::uint16_t port, const std::string& address,
                                   httpserver::HTTPServerOptions options);
    std::uint16_t listen_port() const { return listen_port_; }
    // The loader for settings().template_path, created on first use (reloading in debug mode).
    const template_::Loader& template_loader() const;

    // The path of the route named name, with args filled into its groups. Throws
    // std::out_of_range for an unknown name.
    std::string reverse_url(std::string_view name, const std::vector<std::string>& args = {}) const;
    const Settings& settings() const { return settings_; }

    // Writes the access-log line for a finished request; override to log elsewhere.
    virtual void log_request(const RequestHandler& handler) const;

    void handle_request(std::shared_ptr<httputil::HTTPServerRequest> request) override;
    httpserver::HTTPServerOptions server_options() const override { return settings_.server_options; }

private:
    friend class RequestHandler;
    friend class StaticFileHandler;

    // Answers through a plain RequestHandler when no handler of the route can take the request
    // (none matches, or creating one threw).
    void answer_with_error(std::shared_ptr<httputil::HTTPServerRequest> request, std::exception_ptr error);
    // The version for static_url(relative): the file's content hash (Tornado's static
    // version), or, while a large file is being hashed, one made of its size and mtime.
    std::optional<std::string> static_url_version(std::string_view relative);

    std::vector<URLSpec> handlers_;
    Settings settings_;
    mutable std::optional<template_::Loader> template_loader_;
    std::shared_ptr<detail::StaticVersions> static_versions_;  // remembered hashes, per file
    std::vector<std::unique_ptr<httpserver::HTTPServer>> servers_;
    std::uint16_t listen_port_ = 0;
};

// An HTTP error a handler raises; write_error turns it into the error page. log_message goes
// to the log (the page shows it only with serve_traceback); reason replaces the standard
// reason phrase.
class HTTPError : public std::runtime_error {
public:
    explicit HTTPError(int status_code = 500, std::string log_message = {}, std::string reason = {});
    int status_code() const { return status_code_; }
    const std::string& log_message() const { return log_message_; }
    const std::string& reason() const { return reason_; }

private:
    int status_code_;
    std::string log_message_;
    std::string reason_;
};

// Ends the request where it is thrown (prepare, an HTTP method, anything they call) without an
// error page (Tornado's Finish): the response is finished as it stands, with chunk appended,
// unless the handler finished it already.
class Finish : public std::exception {
public:
    explicit Finish(std::string chunk = {}) : chunk_(std::move(chunk)) {}
    const char* what() const noexcept override { return "tornado::web::Finish"; }
    const std::string& chunk() const { return chunk_; }

private:
    std::string chunk_;
};

// Raised by get_argument when a required argument is absent: 400 "Missing argument NAME".
class MissingArgumentError : public HTTPError {
public:
    explicit MissingArgumentError(std::string arg_name);
    const std::string& arg_name() const { return arg_name_; }

private:
    std::string arg_name_;
};

// Serves the files under a directory (Tornado's StaticFileHandler):
//   web::url<web::StaticFileHandler>(R"(/static/(.*))", "/srv/static")
// with Etag/Last-Modified and 304s, single byte ranges, ten-year caching for versioned (?v=)
// URLs, and default_filename for directories. Nothing outside the directory is ever served.
class StaticFileHandler : public RequestHandler {
public:
    static constexpr int CACHE_MAX_AGE = 86400 * 365 * 10;  // seconds, for versioned URLs

    void initialize(std::string root, std::string default_filename = "");
    asio::awaitable<void> get(std::string path) { return serve(std::move(path), true); }
    asio::awaitable<void> head(std::string path) { return serve(std::move(path), false); }

private:
    asio::awaitable<void> serve(std::string path, bool include_body);
    // The real path of the file to serve; nullopt after redirecting a directory to its URL
    // with a trailing slash. Throws HTTPError 403 for anything outside root.
    std::optional<std::string> locate(const std::string& path);

    std::string root_;
    std::string default_filename_;
};

// A reusable piece of a page (Tornado's UIModule). A template uses one by wrapping the partial
// that draws it, {{#module:Book}}{{>modules/book}}{{/module:Book}}: the partial renders with the data at that
// point, and render() puts the module's CSS and JavaScript into the page, once per module.
class UIModule {
public:
    virtual ~UIModule() = default;
    // The module's HTML, given what its section rendered; override to wrap or replace it.
    virtual std::string render(const RequestHandler&, const std::string& html) { return html; }
    // Files under static_path (or absolute URLs) linked in <head> / before </body>.
    virtual std::vector<std::string> css_files() const { return {}; }
    virtual std::vector<std::string> javascript_files() const { return {}; }
    // Inline CSS and JavaScript, and raw HTML for the end of <head> and of <body>.
    virtual std::string embedded_css() const { return {}; }
    virtual std::string embedded_javascript() const { return {}; }
    virtual std::string html_head() const { return {}; }
    virtual std::string html_body() const { return {}; }
};

// One route: a regular expression matched against the whole path, its handler class, the
// arguments for the handler's initialize(), and an optional name for reverse_url. Patterns use
// Python's syntax, (?P<name>…) groups included, matched in linear time (RE2): backreferences and
// lookaround are not supported, and an invalid pattern throws std::invalid_argument, as does a
// handler whose methods do not take as many arguments as the pattern captures.
class URLSpec {
public:
    URLSpec(std::string pattern, std::shared_ptr<const detail::HandlerFactory> factory);
    URLSpec&& named(std::string name) && {
        name_ = std::move(name);
        return std::move(*this);
    }
    const std::string& name() const { return name_; }
    const std::string& pattern() const { return pattern_; }

    // Fills path_args, or path_kwargs when the pattern has named groups, when the path matches.
    bool match(std::string_view path, std::vector<std::string>& path_args,
               std::vector<std::pair<std::string, std::string>>& path_kwargs) const;
    // The path for these arguments, each url-escaped into its group.
    std::string reverse(const std::vector<std::string>& args) const;
    const detail::HandlerFactory& factory() const { return *factory_; }

private:
    // Throws std::invalid_argument when a method of the handler does not take the captures.
    void check_handler_arity() const;

    std::string pattern_;
    std::string name_;
    struct CompiledPattern;                          // RE2's compiled form, kept out of this header
    std::shared_ptr<const CompiledPattern> regex_;  // null for a literal pattern (compared as a string)
    std::size_t group_count_ = 0;
    std::vector<std::string> group_names_;      // "" for positional groups
    bool has_named_groups_ = false;
    std::vector<std::string> reverse_pieces_;   // the literal text between groups
    std::shared_ptr<const detail::HandlerFactory> factory_;
};

// The route for Handler, as Tornado's url(pattern, Handler, kwargs); args go to initialize().
// A Handler whose HTTP methods the framework cannot call (private, overloaded, const, …) does
// not compile, with a message saying why.
template <class Handler, class... InitArgs>
URLSpec url(std::string pattern, InitArgs&&... args);

// --- definitions of the templates and inline functions above ---

inline const Settings& RequestHandler::settings() const { return application_->settings(); }

namespace detail {
// Parses a whole argument value as a number; nullopt when it is not one.
std::optional<long long> parse_integer(std::string_view text);
std::optional<double> parse_floating(std::string_view text);
}  // namespace detail

template <class Number>
    requires std::is_arithmetic_v<Number> && (!std::is_same_v<Number, bool>)
Number RequestHandler::get_argument(std::string_view name, Number default_value) const {
    auto values = get_arguments(name);
    if (values.empty()) return default_value;
    const auto& text = values.back();
    if constexpr (std::is_integral_v<Number>) {
        auto parsed = detail::parse_integer(text);
        if (parsed && std::in_range<Number>(*parsed)) return static_cast<Number>(*parsed);
        throw HTTPError(400, "Invalid argument " + std::string(name) + ": '" + text + "' is not an integer");
    } else {
        if (auto parsed = detail::parse_floating(text)) return static_cast<Number>(*parsed);
        throw HTTPError(400, "Invalid argument " + std::string(name) + ": '" + text + "' is not a number");
    }
}

template <class T>
Settings& Settings::set(std::string name, T value) {
    if constexpr (std::is_convertible_v<T, std::string_view> && !std::is_same_v<T, std::string>) {
        values.insert_or_assign(std::move(name), std::string(std::string_view(value)));
    } else {
        values.insert_or_assign(std::move(name), std::move(value));
    }
    return *this;
}

template <class T>
const T& Settings::get(std::string_view name) const {
    auto found = values.find(name);
    if (found == values.end()) throw std::out_of_range("settings: no value named " + std::string(name));
    if (const T* value = std::any_cast<T>(&found->second)) return *value;
    throw std::invalid_argument("settings: the value " + std::string(name) + " has another type than the one asked for");
}

}  // namespace tornado::web

#include "detail/handler_factory.hpp"  // url<H>: how H's methods are found, checked and called
