// RequestHandler::authenticated and get_login_url: Tornado's @authenticated decorator and the
// login_url setting it sends visitors to; get_next_url, where a login sends them back.
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

// A path on this site: "/" not followed by a second "/", and no byte anywhere that a browser
// would drop or read as a slash (so that "/\t/evil.example" cannot become "//evil.example").
bool is_local_path(std::string_view url) {
    if (url.empty() || url[0] != '/') return false;
    if (url.size() > 1 && url[1] == '/') return false;
    return std::none_of(url.begin(), url.end(), [](char c) {
        auto byte = static_cast<unsigned char>(c);
        return byte <= 0x20 || byte == 0x7f || c == '\\';
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

std::string RequestHandler::get_next_url(std::string_view default_url) const {
    auto next = get_argument("next", "");
    return is_local_path(next) ? next : std::string(default_url);
}

std::string RequestHandler::get_login_url() const {
    if (settings().login_url.empty()) {
        throw std::logic_error("You must define the 'login_url' setting in your application to use authenticated()");
    }
    return settings().login_url;
}

}  // namespace tornado::web
