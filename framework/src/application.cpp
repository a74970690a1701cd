// Application: finds the route for each request, creates its handler and runs it.
#include "static_versions.hpp"
#include "text_util.hpp"
#include "tornado/log.hpp"
#include "tornado/web.hpp"

#include <charconv>
#include <iterator>

namespace tornado::web {

namespace {
using tornado::detail::regex_escape;

// Tornado's routes for static_path, ahead of the application's own: everything under
// static_url_prefix, and the two files browsers and crawlers ask for at the root.
std::vector<URLSpec> static_routes(const Settings& settings) {
    std::vector<URLSpec> routes;
    routes.push_back(url<StaticFileHandler>(regex_escape(settings.static_url_prefix) + "(.*)", settings.static_path));
    routes.push_back(url<StaticFileHandler>(R"(/(favicon\.ico))", settings.static_path));
    routes.push_back(url<StaticFileHandler>(R"(/(robots\.txt))", settings.static_path));
    return routes;
}
}  // namespace

Application::Application(std::vector<URLSpec> handlers, Settings settings)
    : handlers_(std::move(handlers)),
      settings_(std::move(settings)),
      static_versions_(std::make_shared<detail::StaticVersions>(!settings_.debug)) {
    if (settings_.static_path.empty()) return;
    auto routes = static_routes(settings_);
    handlers_.insert(handlers_.begin(), std::make_move_iterator(routes.begin()), std::make_move_iterator(routes.end()));
}

Application::~Application() = default;
Application::Application(Application&&) noexcept = default;
Application& Application::operator=(Application&&) noexcept = default;

httpserver::HTTPServer& Application::listen(std::uint16_t port, const std::string& address) {
    return listen(port, address, settings_.server_options);
}

httpserver::HTTPServer& Application::listen(std::uint16_t port, const std::string& address,
                                            httpserver::HTTPServerOptions options) {
    auto server = std::make_unique<httpserver::HTTPServer>(*this, options);
    listen_port_ = server->listen(port, address);
    servers_.push_back(std::move(server));
    return *servers_.back();
}

std::string Application::reverse_url(std::string_view name, const std::vector<std::string>& args) const {
    for (const auto& spec : handlers_) {
        if (spec.name() == name) return spec.reverse(args);
    }
    throw std::out_of_range("reverse_url: no route named " + std::string(name));
}

void Application::handle_request(std::shared_ptr<httputil::HTTPServerRequest> request) {
    std::vector<std::string> path_args;
    std::vector<std::pair<std::string, std::string>> path_kwargs;
    for (const auto& spec : handlers_) {
        if (!spec.match(request->path, path_args, path_kwargs)) continue;
        std::shared_ptr<RequestHandler> handler;
        try {
            handler = spec.factory().create();                // runs initialize()
            handler->attach(*this, request, &spec.factory());  // runs set_default_headers()
        } catch (...) {
            return answer_with_error(std::move(request), std::current_exception());
        }
        handler->execute(std::move(path_args), std::move(path_kwargs));
        return;
    }
    // Tornado's default handler raises HTTPError(404), so with serve_traceback the page says so.
    answer_with_error(std::move(request), std::make_exception_ptr(HTTPError(404)));
}

void Application::answer_with_error(std::shared_ptr<httputil::HTTPServerRequest> request, std::exception_ptr error) {
    auto plain = std::make_shared<RequestHandler>();
    plain->attach(*this, std::move(request), nullptr);
    plain->handle_request_exception(error);
}

void Application::log_request(const RequestHandler& handler) const {
    int status = handler.get_status();
    auto level = status < 400 ? log::Level::info : status < 500 ? log::Level::warning : log::Level::error;
    if (!log::enabled(level)) return;
    const auto& request = handler.request();
    // "200 GET / (127.0.0.1) 0.42ms", built in a reused buffer: this runs for every request.
    thread_local std::string line;
    line.clear();
    char number[32];
    line.append(number, std::to_chars(number, number + sizeof number, status).ptr);
    line += ' ';
    line += request.method;
    line += ' ';
    line += request.uri;
    line += " (";
    line += request.remote_ip;
    line += ") ";
    line.append(number, std::to_chars(number, number + sizeof number, request.request_time() * 1000.0,
                                      std::chars_format::fixed, 2).ptr);
    line += "ms";
    log::access_log.write(level, line);
    if (line.capacity() > 4096) std::string().swap(line);  // a huge URI is not kept
}

}  // namespace tornado::web
