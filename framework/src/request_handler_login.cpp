// RequestHandler::authenticated and get_login_url: Tornado's @authenticated decorator and the
// login_url setting it sends visitors to.
#include "tornado/escape.hpp"
#include "tornado/web.hpp"

#include <algorithm>
#include <cctype>
#include <stdexcept>

namespace tornado::web {

namespace {
// Python's truth value of the user: `not self.current_user` in Tornado.
bool is_someone(const nlohmann::json& user) {
    if (user.is_null()) return false;
    if (user.is_boolean()) return user.get<bool>();
    if (user.is_number()) return user != 0;
    if (user.is_string()) return !user.get_ref<const std::string&>().empty();
    return !user.empty();  // an array or an object
}

// Whether url starts with a scheme ("https:"), as Python's urlsplit(url).scheme finds one.
bool has_scheme(std::string_view url) {
    auto colon = url.find(':');
    if (colon == std::string_view::npos || colon == 0 || !std::isalpha(static_cast<unsigned char>(url[0]))) return false;
    return std::all_of(url.begin(), url.begin() + static_cast<std::ptrdiff_t>(colon), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || c == '+' || c == '-' || c == '.';
    });
}
}  // namespace

void RequestHandler::authenticated() {
    if (is_someone(current_user())) return;
    const auto& method = request().method;
    if (method != "GET" && method != "HEAD") throw HTTPError(403);
    auto url = get_login_url();
    if (url.find('?') == std::string::npos) {
        // An absolute login URL is on another site, which needs the whole address to come back.
        auto next = has_scheme(url) ? request().full_url() : request().uri;
        url += "?next=" + escape::url_escape(next);
    }
    redirect(url);
    throw Finish();
}

std::string RequestHandler::get_login_url() const {
    if (settings().login_url.empty()) {
        throw std::logic_error("You must define the 'login_url' setting in your application to use authenticated()");
    }
    return settings().login_url;
}

}  // namespace tornado::web
