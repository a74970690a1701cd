#include "tornado/httputil.hpp"

#include "text_util.hpp"
#include "tornado/escape.hpp"

#include <algorithm>
#include <cstdio>
#include <ctime>
#include <stdexcept>
#include <utility>

namespace tornado::httputil {

namespace {

using detail::http_whitespace;
using detail::trim;

char ascii_lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + ('a' - 'A')) : c; }
char ascii_upper(char c) { return (c >= 'a' && c <= 'z') ? static_cast<char>(c - ('a' - 'A')) : c; }

// The media type of a Content-Type value: "multipart/form-data; boundary=x" -> "multipart/form-data".
std::string_view media_type(std::string_view content_type) {
    return trim(content_type.substr(0, content_type.find(';')), http_whitespace);
}

// The raw value of a "; name=value" parameter of a Content-Type value; empty when absent.
std::string_view content_type_parameter(std::string_view content_type, std::string_view name) {
    std::size_t pos = content_type.find(';');
    while (pos != std::string_view::npos) {
        const std::size_t next = content_type.find(';', pos + 1);
        const std::string_view field = trim(content_type.substr(pos + 1, next - pos - 1), http_whitespace);
        const std::size_t equals = field.find('=');
        if (equals != std::string_view::npos && iequals(trim(field.substr(0, equals), http_whitespace), name)) {
            return trim(field.substr(equals + 1), http_whitespace);
        }
        pos = next;
    }
    return {};
}

// Tornado's split_host_and_port, keeping only the host: "Example.com:8000" -> "example.com",
// "[::1]:8000" -> "::1".
std::string host_without_port(std::string_view host) {
    std::string_view name = host;
    if (host.starts_with('[')) {
        const std::size_t close = host.find(']');
        if (close != std::string_view::npos) name = host.substr(1, close - 1);
    } else if (std::count(host.begin(), host.end(), ':') == 1) {
        const std::size_t colon = host.find(':');
        const std::string_view port = host.substr(colon + 1);
        const bool numeric_port =
            !port.empty() && std::all_of(port.begin(), port.end(), [](char c) { return c >= '0' && c <= '9'; });
        if (colon > 0 && numeric_port) name = host.substr(0, colon);
    }
    return detail::ascii_lowercase(name);
}

}  // namespace

bool iequals(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        if (ascii_lower(a[i]) != ascii_lower(b[i])) return false;
    }
    return true;
}

namespace {
void normalize_in_place(std::string& name) {
    bool word_start = true;
    for (char& c : name) {
        c = word_start ? ascii_upper(c) : ascii_lower(c);
        word_start = c == '-';
    }
}

// Field vectors of destroyed headers, with their strings' memory, for the next headers on the
// thread. Bounded: a few vectors of a few slots, none holding a long string.
constexpr std::size_t spare_vectors = 16;
constexpr std::size_t spare_slots = 32;
constexpr std::size_t spare_string_capacity = 256;

struct SpareFields {
    std::vector<std::vector<HTTPHeaders::Field>> vectors;
    ~SpareFields();
};

thread_local bool spares_gone = false;  // headers destroyed after the store free their memory
SpareFields::~SpareFields() { spares_gone = true; }

SpareFields* spare_fields() {
    if (spares_gone) return nullptr;
    thread_local SpareFields spares;
    return &spares;
}

void donate(std::vector<HTTPHeaders::Field>& fields) {
    auto* spares = spare_fields();
    if (!spares || fields.empty() || fields.capacity() > spare_slots || spares->vectors.size() >= spare_vectors) return;
    for (auto& [name, value] : fields) {
        if (name.capacity() > spare_string_capacity) std::string().swap(name);
        if (value.capacity() > spare_string_capacity) std::string().swap(value);
    }
    spares->vectors.push_back(std::move(fields));
}
}  // namespace

std::string normalize_header_name(std::string_view name) {
    std::string normalized(name);
    normalize_in_place(normalized);
    return normalized;
}

HTTPHeaders::HTTPHeaders(std::initializer_list<std::pair<std::string, std::string>> pairs) {
    for (const auto& [name, value] : pairs) add(name, value);
}

HTTPHeaders::HTTPHeaders(const HTTPHeaders& other) : fields_(other.begin(), other.end()), used_(other.used_) {}

HTTPHeaders::HTTPHeaders(HTTPHeaders&& other) noexcept
    : fields_(std::move(other.fields_)), used_(std::exchange(other.used_, 0)) {}

HTTPHeaders& HTTPHeaders::operator=(const HTTPHeaders& other) {
    if (this == &other) return *this;
    clear();
    for (const auto& [name, value] : other) add(name, value);
    return *this;
}

HTTPHeaders& HTTPHeaders::operator=(HTTPHeaders&& other) noexcept {
    if (this == &other) return *this;
    donate(fields_);
    fields_ = std::move(other.fields_);
    used_ = std::exchange(other.used_, 0);
    return *this;
}

HTTPHeaders::~HTTPHeaders() { donate(fields_); }

HTTPHeaders::Field& HTTPHeaders::next_slot() {
    if (used_ == fields_.size()) {
        auto* spares = fields_.empty() ? spare_fields() : nullptr;
        if (spares && !spares->vectors.empty()) {
            fields_ = std::move(spares->vectors.back());
            spares->vectors.pop_back();
        } else {
            fields_.emplace_back();
        }
    }
    return fields_[used_++];
}

void HTTPHeaders::add(std::string_view name, std::string_view value) {
    auto& [slot_name, slot_value] = next_slot();
    slot_name.assign(name);
    normalize_in_place(slot_name);
    slot_value.assign(value);
}

void HTTPHeaders::set(std::string_view name, std::string_view value) {
    for (std::size_t i = 0; i < used_; ++i) {
        if (!iequals(fields_[i].first, name)) continue;
        fields_[i].second.assign(value);
        remove_from(i + 1, name);
        return;
    }
    add(name, value);
}

void HTTPHeaders::remove(std::string_view name) { remove_from(0, name); }

// Removes the fields named name from position first on, keeping the others in order; the
// removed ones become spare slots.
void HTTPHeaders::remove_from(std::size_t first, std::string_view name) {
    std::size_t kept = first;
    for (std::size_t i = first; i < used_; ++i) {
        if (iequals(fields_[i].first, name)) continue;
        if (i != kept) std::swap(fields_[i], fields_[kept]);
        ++kept;
    }
    used_ = kept;
}

bool HTTPHeaders::contains(std::string_view name) const { return find(name) != nullptr; }

std::string HTTPHeaders::get(std::string_view name, std::string_view default_value) const {
    const std::string* value = find(name);
    return std::string(value ? std::string_view(*value) : default_value);
}

const std::string* HTTPHeaders::find(std::string_view name) const {
    for (const auto& field : *this) {
        if (iequals(field.first, name)) return &field.second;
    }
    return nullptr;
}

std::vector<std::string> HTTPHeaders::get_list(std::string_view name) const {
    std::vector<std::string> values;
    for (const auto& field : *this) {
        if (iequals(field.first, name)) values.push_back(field.second);
    }
    return values;
}

void parse_qs(std::string_view query, Arguments& into) {
    while (!query.empty()) {
        const std::size_t ampersand = query.find('&');
        const std::string_view piece = query.substr(0, ampersand);
        query = ampersand == std::string_view::npos ? std::string_view{} : query.substr(ampersand + 1);
        if (piece.empty()) continue;
        const std::size_t equals = piece.find('=');
        const std::string_view name = piece.substr(0, equals);
        const std::string_view value = equals == std::string_view::npos ? std::string_view{} : piece.substr(equals + 1);
        into[escape::url_unescape(name)].push_back(escape::url_unescape(value));
    }
}

void parse_body_arguments(std::string_view content_type, std::string_view body, Arguments& arguments,
                          Files& files) {
    const std::string_view type = media_type(content_type);
    if (iequals(type, "application/x-www-form-urlencoded")) {
        parse_qs(body, arguments);
    } else if (iequals(type, "multipart/form-data")) {
        const std::string_view boundary = content_type_parameter(content_type, "boundary");
        if (boundary.empty()) throw std::invalid_argument("multipart/form-data without boundary");
        parse_multipart_form_data(boundary, body, arguments, files);
    }
}

std::string_view reason_phrase(int status_code) {
    switch (status_code) {
        case 100: return "Continue";
        case 101: return "Switching Protocols";
        case 102: return "Processing";
        case 103: return "Early Hints";
        case 200: return "OK";
        case 201: return "Created";
        case 202: return "Accepted";
        case 203: return "Non-Authoritative Information";
        case 204: return "No Content";
        case 205: return "Reset Content";
        case 206: return "Partial Content";
        case 207: return "Multi-Status";
        case 208: return "Already Reported";
        case 226: return "IM Used";
        case 300: return "Multiple Choices";
        case 301: return "Moved Permanently";
        case 302: return "Found";
        case 303: return "See Other";
        case 304: return "Not Modified";
        case 305: return "Use Proxy";
        case 307: return "Temporary Redirect";
        case 308: return "Permanent Redirect";
        case 400: return "Bad Request";
        case 401: return "Unauthorized";
        case 402: return "Payment Required";
        case 403: return "Forbidden";
        case 404: return "Not Found";
        case 405: return "Method Not Allowed";
        case 406: return "Not Acceptable";
        case 407: return "Proxy Authentication Required";
        case 408: return "Request Timeout";
        case 409: return "Conflict";
        case 410: return "Gone";
        case 411: return "Length Required";
        case 412: return "Precondition Failed";
        case 413: return "Request Entity Too Large";
        case 414: return "Request-URI Too Long";
        case 415: return "Unsupported Media Type";
        case 416: return "Requested Range Not Satisfiable";
        case 417: return "Expectation Failed";
        case 418: return "I'm a Teapot";
        case 421: return "Misdirected Request";
        case 422: return "Unprocessable Entity";
        case 423: return "Locked";
        case 424: return "Failed Dependency";
        case 425: return "Too Early";
        case 426: return "Upgrade Required";
        case 428: return "Precondition Required";
        case 429: return "Too Many Requests";
        case 431: return "Request Header Fields Too Large";
        case 451: return "Unavailable For Legal Reasons";
        case 500: return "Internal Server Error";
        case 501: return "Not Implemented";
        case 502: return "Bad Gateway";
        case 503: return "Service Unavailable";
        case 504: return "Gateway Timeout";
        case 505: return "HTTP Version Not Supported";
        case 506: return "Variant Also Negotiates";
        case 507: return "Insufficient Storage";
        case 508: return "Loop Detected";
        case 510: return "Not Extended";
        case 511: return "Network Authentication Required";
        default: return "Unknown";
    }
}

std::string format_timestamp(std::chrono::system_clock::time_point when) {
    static constexpr const char* kWeekdays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
    static constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                              "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    const std::time_t seconds = std::chrono::floor<std::chrono::seconds>(when.time_since_epoch()).count();
    std::tm utc{};
    gmtime_r(&seconds, &utc);
    char buffer[64];
    std::snprintf(buffer, sizeof buffer, "%s, %02d %s %04d %02d:%02d:%02d GMT", kWeekdays[utc.tm_wday], utc.tm_mday,
                  kMonths[utc.tm_mon], utc.tm_year + 1900, utc.tm_hour, utc.tm_min, utc.tm_sec);
    return buffer;
}

void HTTPServerRequest::parse_uri_and_host() {
    const std::size_t question = uri.find('?');
    path = uri.substr(0, question);
    query = question == std::string::npos ? std::string{} : uri.substr(question + 1);
    query_arguments.clear();
    parse_qs(query, query_arguments);
    arguments = query_arguments;
    host = headers.get("Host");
    if (host.empty()) host = "127.0.0.1";
    host_name = host_without_port(host);
}

void HTTPServerRequest::parse_body() {
    parse_body_arguments(headers.get("Content-Type"), body, body_arguments, files);
    for (const auto& [name, values] : body_arguments) {
        auto& all_values = arguments[name];
        all_values.insert(all_values.end(), values.begin(), values.end());
    }
}

double HTTPServerRequest::request_time() const {
    const auto end = finish_time_.value_or(std::chrono::steady_clock::now());
    return std::chrono::duration<double>(end - start_time).count();
}

}  // namespace tornado::httputil
