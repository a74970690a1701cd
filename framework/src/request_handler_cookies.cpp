// RequestHandler's cookies: reading the request's, setting and clearing the response's, signed
// cookies (Tornado's get_cookie … get_signed_cookie).
#include "cookies.hpp"
#include "tornado/web.hpp"

#include <chrono>
#include <stdexcept>
#include <vector>

namespace tornado::web {

namespace {
// What clear_cookie sends: an empty value that expired a year ago, with the cookie's path and
// domain (the other options do not matter to a browser dropping it).
CookieOptions expired(const CookieOptions& options) {
    CookieOptions expired;
    expired.domain = options.domain;
    expired.path = options.path;
    expired.expires = std::chrono::system_clock::now() - std::chrono::days(365);
    expired.max_age = 0;
    return expired;
}
}  // namespace

const std::map<std::string, std::string, std::less<>>& RequestHandler::cookies() const {
    if (!cookies_) {
        auto* header = request_->headers.find("Cookie");
        cookies_ = header ? tornado::detail::parse_cookie_header(*header) : std::map<std::string, std::string, std::less<>>{};
    }
    return *cookies_;
}

std::optional<std::string> RequestHandler::get_cookie(std::string_view name) const {
    auto found = cookies().find(name);
    if (found == cookies().end()) return std::nullopt;
    return found->second;
}

std::string RequestHandler::get_cookie(std::string_view name, std::string_view default_value) const {
    return get_cookie(name).value_or(std::string(default_value));
}

void RequestHandler::set_cookie(std::string_view name, std::string_view value, const CookieOptions& options) {
    auto header = tornado::detail::format_set_cookie(name, value, options);
    // A cookie set again replaces the earlier one and moves to the end, as in Tornado.
    std::erase_if(new_cookies_, [&](const auto& cookie) { return cookie.first == name; });
    new_cookies_.emplace_back(std::string(name), std::move(header));
}

void RequestHandler::clear_cookie(std::string_view name, const CookieOptions& options) {
    set_cookie(name, "", expired(options));
}

void RequestHandler::clear_all_cookies(const CookieOptions& options) {
    // In one pass: clear_cookie for each would search the cookies set so far once per cookie of
    // the request, and a hostile request sends thousands.
    const auto& sent = cookies();
    std::erase_if(new_cookies_, [&](const auto& cookie) { return sent.contains(cookie.first); });
    const auto cleared = expired(options);
    for (const auto& [name, value] : sent) {
        new_cookies_.emplace_back(name, tornado::detail::format_set_cookie(name, "", cleared));
    }
}

CookieSecret RequestHandler::configured_cookie_secret() const {
    const auto& settings = this->settings();
    if (!settings.cookie_secrets.empty()) return settings.cookie_secrets;
    if (settings.cookie_secret.empty()) {
        throw std::logic_error("You must define the 'cookie_secret' setting in your application to use secure cookies");
    }
    return settings.cookie_secret;
}

void RequestHandler::set_signed_cookie(std::string_view name, std::string_view value,
                                       std::optional<double> expires_days, CookieOptions options) {
    auto secret = configured_cookie_secret();
    // As in Tornado, key_version counts only with keys by version; a single secret signs as key 0.
    std::optional<int> key_version;
    if (std::holds_alternative<std::map<int, std::string>>(secret)) {
        if (!settings().key_version) throw std::logic_error("The key_version setting must be set with cookie_secrets");
        key_version = settings().key_version;
    }
    options.expires_days = expires_days;
    set_cookie(name, create_signed_value(secret, name, value, 2, key_version), options);
}

std::optional<std::string> RequestHandler::get_signed_cookie(std::string_view name, double max_age_days,
                                                             int min_version) const {
    auto secret = configured_cookie_secret();
    auto value = get_cookie(name);
    if (!value) return std::nullopt;
    return decode_signed_value(secret, name, *value, max_age_days, min_version);
}

}  // namespace tornado::web
