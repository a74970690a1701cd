// RequestHandler::render: templates with the helpers and values every page can use.
#include "tornado/escape.hpp"
#include "tornado/web.hpp"

#include <sstream>

namespace tornado::web {

namespace {
std::string trimmed(const std::string& text) {
    auto first = text.find_first_not_of(" \t\r\n");
    if (first == std::string::npos) return {};
    return text.substr(first, text.find_last_not_of(" \t\r\n") - first + 1);
}

// What templates see as {{request.path}} and friends.
nlohmann::json describe_request(const httputil::HTTPServerRequest& request) {
    return {{"method", request.method},       {"uri", request.uri},   {"path", request.path},
            {"query", request.query},         {"host", request.host}, {"remote_ip", request.remote_ip},
            {"protocol", request.protocol}};
}
}  // namespace

const template_::Loader& Application::template_loader() const {
    if (!template_loader_) template_loader_.emplace(settings_.template_path, settings_.debug);
    return *template_loader_;
}

template_::Helpers RequestHandler::get_template_helpers() const {
    return {
        {"static_url",
         [this](const std::string& text, const auto& render) {
             return escape::xhtml_escape(static_url(trimmed(render(text))));
         }},
        {"reverse_url",
         [this](const std::string& text, const auto& render) {
             // {{#reverse_url}}story {{id}}{{/reverse_url}}: the route's name, then its arguments.
             std::istringstream words(render(text));
             std::string name;
             words >> name;
             std::vector<std::string> args;
             for (std::string arg; words >> arg;) args.push_back(escape::xhtml_unescape(arg));
             return escape::xhtml_escape(reverse_url(name, args));
         }},
    };
}

std::string RequestHandler::render_string(std::string_view template_name, const nlohmann::json& context) const {
    nlohmann::json page = context.is_null() ? nlohmann::json::object() : context;
    if (!page.contains("request")) page["request"] = describe_request(*request_);
    return application_->template_loader().render(template_name, page, get_template_helpers());
}

void RequestHandler::render(std::string_view template_name, const nlohmann::json& context) {
    // The whole page is rendered before anything is written: an error never leaves half a page.
    finish(render_string(template_name, context));
}

}  // namespace tornado::web
