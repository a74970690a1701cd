// tornado::web — Application (routes and settings) and RequestHandler (one object per request
// with get()/post()/… methods). Counterpart of tornado/web.py.
#pragma once

#include "httpserver.hpp"
#include "httputil.hpp"
#include "template.hpp"

#include <asio/awaitable.hpp>
#include <nlohmann/json.hpp>

#include <array>
#include <cstdint>
#include <exception>
#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

namespace tornado::web {

class Application;
class RequestHandler;

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

// Raised by get_argument when a required argument is absent: 400 "Missing argument NAME".
class MissingArgumentError : public HTTPError {
public:
    explicit MissingArgumentError(std::string arg_name);
    const std::string& arg_name() const { return arg_name_; }

private:
    std::string arg_name_;
};

// Application settings (Tornado's settings dict); later chapters add fields.
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

// Fields are in the order Tornado's examples list them, so designated initializers read
// naturally: {.template_path = …, .static_path = …, .debug = true}.
struct Settings {
    std::string template_path;       // where render() finds its templates
    std::string static_path;         // when set, files under it are served at static_url_prefix
    std::string static_url_prefix = "/static/";
    std::map<std::string, std::shared_ptr<UIModule>> ui_modules;  // name used in templates -> module
    bool debug = false;              // error pages show the exception; templates reload when edited
    std::optional<bool> serve_traceback;  // error pages show the exception; unset: as debug
    bool compress_response = false;  // gzip responses for clients that accept it
    // For servers made without options of their own: HTTPServer(app), app.listen(port).
    httpserver::HTTPServerOptions server_options;
};

enum class Method : std::uint8_t { GET, HEAD, POST, DELETE, PATCH, PUT, OPTIONS };
inline constexpr std::array<std::string_view, 7> method_names{"GET",   "HEAD", "POST",   "DELETE",
                                                              "PATCH", "PUT",  "OPTIONS"};
std::optional<Method> parse_method(std::string_view name);

namespace detail {
class GzipStream;
class StaticVersions;

// What a handler method returned: nothing (it ran to completion) or a coroutine to run.
using MethodResult = std::optional<asio::awaitable<void>>;

// Creates handlers of one class and calls their HTTP methods with the route's captures.
class HandlerFactory {
public:
    virtual ~HandlerFactory() = default;
    virtual std::shared_ptr<RequestHandler> create() const = 0;
    virtual MethodResult call(RequestHandler& handler, Method method, const std::vector<std::string>& args) const = 0;
    // How many arguments each implemented method takes; absent for an unimplemented one.
    std::array<std::optional<std::size_t>, method_names.size()> arity{};
};
}  // namespace detail

// One route: a regular expression matched against the whole path, its handler class, the
// arguments for the handler's initialize(), and an optional name for reverse_url. Patterns use
// Python's syntax, (?P<name>…) groups included, matched in linear time (RE2): backreferences and
// lookaround are not supported, and an invalid pattern throws std::invalid_argument.
class URLSpec {
public:
    URLSpec(std::string pattern, std::shared_ptr<const detail::HandlerFactory> factory);
    URLSpec&& named(std::string name) && {
        name_ = std::move(name);
        return std::move(*this);
    }
    const std::string& name() const { return name_; }
    const std::string& pattern() const { return pattern_; }

    // Fills path_args (and the named groups into path_kwargs) when the path matches.
    bool match(std::string_view path, std::vector<std::string>& path_args,
               std::vector<std::pair<std::string, std::string>>& path_kwargs) const;
    // The path for these arguments, each url-escaped into its group.
    std::string reverse(const std::vector<std::string>& args) const;
    const detail::HandlerFactory& factory() const { return *factory_; }

private:
    std::string pattern_;
    std::string name_;
    struct CompiledPattern;                          // RE2's compiled form, kept out of this header
    std::shared_ptr<const CompiledPattern> regex_;  // null for a literal pattern (compared as a string)
    std::size_t group_count_ = 0;
    std::vector<std::string> group_names_;      // "" for positional groups
    std::vector<std::string> reverse_pieces_;   // the literal text between groups
    std::shared_ptr<const detail::HandlerFactory> factory_;
};

// The route for Handler, as Tornado's url(pattern, Handler, kwargs); args go to initialize().
template <class Handler, class... InitArgs>
URLSpec url(std::string pattern, InitArgs&&... args);

class Application : public httpserver::RequestDelegate {
public:
    explicit Application(std::vector<URLSpec> handlers, Settings settings = {});
    ~Application() override;

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

class RequestHandler : public std::enable_shared_from_this<RequestHandler> {
public:
    RequestHandler();
    virtual ~RequestHandler();
    RequestHandler(const RequestHandler&) = delete;
    RequestHandler& operator=(const RequestHandler&) = delete;

    // --- Entry points (override these) ---
    // Called before the HTTP method; may finish the request itself.
    virtual void prepare() {}
    // Called after the response is sent (for cleanup and logging).
    virtual void on_finish() {}
    // Called when the client goes away before the response is finished.
    virtual void on_connection_close() {}
    // Sets headers every response of this handler carries (also error responses).
    virtual void set_default_headers() {}
    // Writes the error page. error is the exception that caused it, if any.
    virtual void write_error(int status_code, std::exception_ptr error);

    // --- Input ---
    httputil::HTTPServerRequest& request() const { return *request_; }
    Application& application() const { return *application_; }
    const Settings& settings() const { return application_->settings(); }
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
    const httputil::HTTPHeaders& response_headers() const { return headers_; }
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

    // Redirects with 302, or 301 when permanent.
    void redirect(std::string_view url, bool permanent = false);
    // Clears the response and writes an error page through write_error.
    void send_error(int status_code = 500, std::exception_ptr error = nullptr);
    std::string reverse_url(std::string_view name, const std::vector<std::string>& args = {}) const;
    // Renders a template from settings().template_path with context (a JSON object: strings,
    // numbers, lists, nested objects) and finishes the response with it.
    void render(std::string_view template_name, const nlohmann::json& context = nlohmann::json::object());
    std::string render_string(std::string_view template_name,
                              const nlohmann::json& context = nlohmann::json::object()) const;
    // The helpers every template can call ({{#static_url}}css/a.css{{/static_url}},
    // {{#reverse_url}}name arg…{{/reverse_url}}); override to add more (Tornado's
    // get_template_namespace).
    virtual template_::Helpers get_template_helpers() const;
    // The URL of a file under settings().static_path: static_url_prefix + path, plus "?v=" and
    // the file's content hash, so the URL changes when the file does and may be cached forever.
    std::string static_url(std::string_view path, bool include_version = true) const;

private:
    friend class Application;
    template <class Handler, class... InitArgs>
    friend class HandlerFactoryFor;

    void attach(Application& application, std::shared_ptr<httputil::HTTPServerRequest> request,
                const detail::HandlerFactory* factory);
    void execute(std::vector<std::string> path_args, std::vector<std::pair<std::string, std::string>> path_kwargs);
    void run_coroutine(asio::awaitable<void> coroutine);
    void handle_request_exception(std::exception_ptr error);
    // The last resort when the response cannot be finished the usual way: a bare 500 page if
    // nothing was sent yet, else the end of what was sent, so the connection never waits.
    void end_response_anyway();
    std::string allowed_methods() const;
    void send_buffer(bool finishing);
    std::string with_module_resources(std::string html) const;
    void start_gzip_if_wanted(bool finishing);
    std::vector<std::string> decoded_arguments(const httputil::Arguments& from, std::string_view name,
                                               bool strip) const;

    Application* application_ = nullptr;
    std::shared_ptr<httputil::HTTPServerRequest> request_;
    const detail::HandlerFactory* factory_ = nullptr;
    std::vector<std::string> path_args_;
    std::vector<std::pair<std::string, std::string>> path_kwargs_;

    int status_code_ = 200;
    std::string reason_;
    httputil::HTTPHeaders headers_;
    std::string write_buffer_;
    bool headers_written_ = false;
    bool finished_ = false;
    std::unique_ptr<detail::GzipStream> gzip_;  // set while the response is gzip-compressed
    mutable std::vector<const UIModule*> active_modules_;  // used by this response, in order
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

// --- templates ---

namespace detail {
// Parses a whole argument value as a number; nullopt when it is not one.
std::optional<long long> parse_integer(std::string_view text);
std::optional<double> parse_floating(std::string_view text);

template <class T>
struct MethodTraits;
template <class Handler, class Result, class... Args>
struct MethodTraits<Result (Handler::*)(Args...)> {
    using result = Result;
    static constexpr std::size_t arity = sizeof...(Args);
};

template <class Result>
inline constexpr bool is_handler_result = std::is_void_v<Result> || std::is_same_v<Result, asio::awaitable<void>>;

// Calls (handler.*method)(args[0], args[1], …) and wraps a returned coroutine.
template <class Handler, class Pointer>
MethodResult invoke_method(Handler& handler, Pointer method, const std::vector<std::string>& args) {
    using Traits = MethodTraits<std::remove_cv_t<Pointer>>;
    static_assert(is_handler_result<typename Traits::result>,
                  "a handler method returns void or asio::awaitable<void>");
    return [&]<std::size_t... I>(std::index_sequence<I...>) -> MethodResult {
        if constexpr (std::is_void_v<typename Traits::result>) {
            (handler.*method)(args[I]...);
            return std::nullopt;
        } else {
            return (handler.*method)(args[I]...);
        }
    }(std::make_index_sequence<Traits::arity>{});
}
}  // namespace detail

namespace detail {
// HandlerMethod<H, M>::pointer is H's method for verb M, when H declares one (DELETE is
// spelled delete_, since delete is a C++ keyword).
template <class H, Method M>
struct HandlerMethod {
    static constexpr bool exists = false;
};
template <class H> requires requires { &H::get; }
struct HandlerMethod<H, Method::GET> { static constexpr bool exists = true; static constexpr auto pointer = &H::get; };
template <class H> requires requires { &H::head; }
struct HandlerMethod<H, Method::HEAD> { static constexpr bool exists = true; static constexpr auto pointer = &H::head; };
template <class H> requires requires { &H::post; }
struct HandlerMethod<H, Method::POST> { static constexpr bool exists = true; static constexpr auto pointer = &H::post; };
template <class H> requires requires { &H::delete_; }
struct HandlerMethod<H, Method::DELETE> { static constexpr bool exists = true; static constexpr auto pointer = &H::delete_; };
template <class H> requires requires { &H::patch; }
struct HandlerMethod<H, Method::PATCH> { static constexpr bool exists = true; static constexpr auto pointer = &H::patch; };
template <class H> requires requires { &H::put; }
struct HandlerMethod<H, Method::PUT> { static constexpr bool exists = true; static constexpr auto pointer = &H::put; };
template <class H> requires requires { &H::options; }
struct HandlerMethod<H, Method::OPTIONS> { static constexpr bool exists = true; static constexpr auto pointer = &H::options; };
}  // namespace detail

template <class Handler, class... InitArgs>
class HandlerFactoryFor final : public detail::HandlerFactory {
    using Verbs = std::make_index_sequence<method_names.size()>;

public:
    explicit HandlerFactoryFor(InitArgs... args) : init_args_(std::move(args)...) {
        [this]<std::size_t... I>(std::index_sequence<I...>) {
            ((arity[I] = arity_of<static_cast<Method>(I)>()), ...);
        }(Verbs{});
    }

    std::shared_ptr<RequestHandler> create() const override {
        auto handler = std::make_shared<Handler>();
        if constexpr (sizeof...(InitArgs) > 0) {
            std::apply([&](const auto&... args) { handler->initialize(args...); }, init_args_);
        }
        return handler;
    }

    detail::MethodResult call(RequestHandler& base, Method method, const std::vector<std::string>& args) const override {
        auto& handler = static_cast<Handler&>(base);
        detail::MethodResult result;
        [&]<std::size_t... I>(std::index_sequence<I...>) {
            ((static_cast<std::size_t>(method) == I ? void(result = call_if<static_cast<Method>(I)>(handler, args))
                                                    : void()),
             ...);
        }(Verbs{});
        return result;
    }

private:
    template <Method M>
    static constexpr std::optional<std::size_t> arity_of() {
        if constexpr (detail::HandlerMethod<Handler, M>::exists) {
            return detail::MethodTraits<std::remove_cv_t<decltype(detail::HandlerMethod<Handler, M>::pointer)>>::arity;
        } else {
            return std::nullopt;
        }
    }
    template <Method M>
    static detail::MethodResult call_if(Handler& handler, const std::vector<std::string>& args) {
        if constexpr (detail::HandlerMethod<Handler, M>::exists) {
            return detail::invoke_method(handler, detail::HandlerMethod<Handler, M>::pointer, args);
        } else {
            return std::nullopt;  // not reached: execute() answers 405 for unimplemented methods
        }
    }

    std::tuple<InitArgs...> init_args_;
};

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

template <class Handler, class... InitArgs>
URLSpec url(std::string pattern, InitArgs&&... args) {
    static_assert(std::is_base_of_v<RequestHandler, Handler>, "a handler derives from tornado::web::RequestHandler");
    auto factory = std::make_shared<const HandlerFactoryFor<Handler, std::decay_t<InitArgs>...>>(
        std::forward<InitArgs>(args)...);
    return URLSpec(std::move(pattern), std::move(factory));
}

}  // namespace tornado::web
