// RequestHandler::render: templates with the values and helpers every page can use.
#include "text_util.hpp"
#include "tornado/escape.hpp"
#include "tornado/web.hpp"

#include <algorithm>
#include <sstream>

namespace tornado::web {

namespace {
constexpr std::string_view kModulePrefix = "module:";

// text for HTML; a URL usually needs nothing, and then no copy is made.
std::string escaped(std::string text) {
    return text.find_first_of("&<>\"'") == std::string::npos ? text : escape::xhtml_escape(text);
}

// What templates see as {{request.path}} and friends.
nlohmann::json describe_request(const httputil::HTTPServerRequest& request) {
    return {{"method", request.method},       {"uri", request.uri},   {"path", request.path},
            {"query", request.query},         {"host", request.host}, {"remote_ip", request.remote_ip},
            {"protocol", request.protocol}};
}
}  // namespace

// Made for one render: answers only for the names the page uses, so a page that never says
// {{request}} never builds it, and the helpers are plain member calls.
class RequestHandler::TemplateNamespace final : public template_::Namespace {
public:
    TemplateNamespace(const RequestHandler& handler, const template_::Helpers& own_helpers)
        : handler_(handler), own_helpers_(own_helpers) {}

    const nlohmann::json* find_value(std::string_view name) const override {
        if (name == "current_user") return &handler_.current_user();
        if (name != "request") return nullptr;
        if (!request_) request_ = describe_request(*handler_.request_);
        return &*request_;
    }

    bool has_helper(std::string_view name) const override {
        return own_helpers_.contains(name) || name == "static_url" || name == "reverse_url" || module(name);
    }

    std::string call_helper(std::string_view name, const std::string& text,
                            const template_::Render& render) const override {
        if (auto own = own_helpers_.find(name); own != own_helpers_.end()) return own->second(text, render);
        if (name == "static_url") {
            return escaped(handler_.static_url(tornado::detail::trim(render(text))));
        }
        if (name == "reverse_url") return reverse_url(render(text));
        UIModule* ui_module = module(name);
        auto& active = handler_.active_modules_;
        if (std::find(active.begin(), active.end(), ui_module) == active.end()) active.push_back(ui_module);
        return ui_module->render(handler_, text);  // text is what the section rendered
    }

private:
    // The UI module a {{#module:Name}} section names, or null.
    UIModule* module(std::string_view name) const {
        if (!name.starts_with(kModulePrefix)) return nullptr;
        const auto& modules = handler_.settings().ui_modules;
        const auto found = modules.find(std::string(name.substr(kModulePrefix.size())));
        return found == modules.end() ? nullptr : found->second.get();
    }

    // {{#reverse_url}}story {{id}}{{/reverse_url}}: the route's name, then its arguments.
    std::string reverse_url(const std::string& words_text) const {
        std::istringstream words(words_text);
        std::string name;
        words >> name;
        std::vector<std::string> args;
        for (std::string arg; words >> arg;) args.push_back(escape::xhtml_unescape(arg));
        return escape::xhtml_escape(handler_.reverse_url(name, args));
    }

    const RequestHandler& handler_;
    const template_::Helpers& own_helpers_;
    mutable std::optional<nlohmann::json> request_;
};

const template_::Loader& Application::template_loader() const {
    if (!template_loader_) template_loader_.emplace(settings_.template_path, settings_.debug);
    return *template_loader_;
}

std::string RequestHandler::render_string(std::string_view template_name, const template_::Context& context) const {
    const template_::Helpers own_helpers = get_template_helpers();
    return application_->template_loader().render(template_name, context, TemplateNamespace(*this, own_helpers));
}

void RequestHandler::render(std::string_view template_name, const template_::Context& context) {
    // The whole page is rendered before anything is written: an error never leaves half a page.
    finish(with_module_resources(render_string(template_name, context)));
}

// Puts the CSS and JavaScript of the UI modules the page used before </head> and </body>, each
// file and each module's embedded code once, as Tornado's render() does.
std::string RequestHandler::with_module_resources(std::string html) const {
    if (active_modules_.empty()) return html;
    std::vector<std::string> css_files, javascript_files;
    std::string embedded_css, embedded_javascript, html_head, html_body;
    auto add_unique = [](std::vector<std::string>& files, std::vector<std::string> more) {
        for (auto& file : more) {
            if (std::find(files.begin(), files.end(), file) == files.end()) files.push_back(std::move(file));
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
        return escaped(absolute ? path : static_url(path));
    };

    std::string head;
    for (const auto& file : css_files) {
        head.append("<link href=\"").append(url_of(file)).append("\" type=\"text/css\" rel=\"stylesheet\"/>\n");
    }
    if (!embedded_css.empty()) head.append("<style type=\"text/css\">\n").append(embedded_css).append("\n</style>\n");
    if (!html_head.empty()) head.append(html_head).append("\n");  // Tornado ends each addition with a line break
    std::string body;
    for (const auto& file : javascript_files) {
        body.append("<script src=\"").append(url_of(file)).append("\" type=\"text/javascript\"></script>\n");
    }
    if (!embedded_javascript.empty()) {
        body.append("<script type=\"text/javascript\">\n//<![CDATA[\n")
            .append(embedded_javascript)
            .append("\n//]]>\n</script>\n");
    }
    if (!html_body.empty()) body.append(html_body).append("\n");

    // One new string for the page with both additions, not two insertions that each move its tail.
    const auto head_at = html.find("</head>");
    const auto body_at = html.rfind("</body>");
    std::string page;
    page.reserve(html.size() + head.size() + body.size());
    std::size_t copied = 0;
    auto insert = [&](std::size_t at, const std::string& text) {
        if (at == std::string::npos) return;
        page.append(html, copied, at - copied).append(text);
        copied = at;
    };
    const bool body_first = head_at != std::string::npos && body_at < head_at;
    insert(body_first ? body_at : head_at, body_first ? body : head);
    insert(body_first ? head_at : body_at, body_first ? head : body);
    page.append(html, copied);
    return page;
}

}  // namespace tornado::web
