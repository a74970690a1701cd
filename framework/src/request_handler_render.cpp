// RequestHandler::render: templates with the helpers and values every page can use.
#include "text_util.hpp"
#include "tornado/escape.hpp"
#include "tornado/web.hpp"

#include <algorithm>
#include <sstream>

namespace tornado::web {

namespace {
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
    template_::Helpers helpers{
        {"static_url",
         [this](const std::string& text, const auto& render) {
             return escape::xhtml_escape(static_url(tornado::detail::trim(render(text))));
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
    for (const auto& [name, module] : settings().ui_modules) {
        helpers["module:" + name] = [this, module = module.get()](const std::string& text, const auto& render) {
            if (std::find(active_modules_.begin(), active_modules_.end(), module) == active_modules_.end()) {
                active_modules_.push_back(module);
            }
            return module->render(*this, render(text));
        };
    }
    return helpers;
}

std::string RequestHandler::render_string(std::string_view template_name, const nlohmann::json& context) const {
    nlohmann::json page = context.is_null() ? nlohmann::json::object() : context;
    if (!page.contains("request")) page["request"] = describe_request(*request_);
    if (!page.contains("current_user")) page["current_user"] = current_user();
    return application_->template_loader().render(template_name, page, get_template_helpers());
}

void RequestHandler::render(std::string_view template_name, const nlohmann::json& context) {
    // The whole page is rendered before anything is written: an error never leaves half a page.
    finish(with_module_resources(render_string(template_name, context)));
}

// Puts the CSS and JavaScript of the UI modules the page used before </head> and </body>, each
// file and each module's embedded code once, as Tornado's render() does.
std::string RequestHandler::with_module_resources(std::string html) const {
    if (active_modules_.empty()) return html;
    std::vector<std::string> css_files, javascript_files;
    std::string embedded_css, embedded_javascript, html_head, html_body;
    auto add_unique = [](std::vector<std::string>& files, const std::vector<std::string>& more) {
        for (const auto& file : more) {
            if (std::find(files.begin(), files.end(), file) == files.end()) files.push_back(file);
        }
    };
    for (const UIModule* module : active_modules_) {
        add_unique(css_files, module->css_files());
        add_unique(javascript_files, module->javascript_files());
        embedded_css += module->embedded_css();
        embedded_javascript += module->embedded_javascript();
        html_head += module->html_head();
        html_body += module->html_body();
    }
    auto url_of = [this](const std::string& path) {
        bool absolute = path.starts_with('/') || path.find("://") != std::string::npos;
        return escape::xhtml_escape(absolute ? path : static_url(path));
    };

    std::string head;
    for (const auto& file : css_files) head += "<link href=\"" + url_of(file) + "\" type=\"text/css\" rel=\"stylesheet\"/>\n";
    if (!embedded_css.empty()) head += "<style type=\"text/css\">\n" + embedded_css + "\n</style>\n";
    if (!html_head.empty()) head += html_head + '\n';  // Tornado ends each addition with a line break
    std::string body;
    for (const auto& file : javascript_files) body += "<script src=\"" + url_of(file) + "\" type=\"text/javascript\"></script>\n";
    if (!embedded_javascript.empty()) {
        body += "<script type=\"text/javascript\">\n//<![CDATA[\n" + embedded_javascript + "\n//]]>\n</script>\n";
    }
    if (!html_body.empty()) body += html_body + '\n';

    if (auto end_of_head = html.find("</head>"); end_of_head != std::string::npos) {
        html.insert(end_of_head, head);
    }
    if (auto end_of_body = html.rfind("</body>"); end_of_body != std::string::npos) {
        html.insert(end_of_body, body);
    }
    return html;
}

}  // namespace tornado::web
