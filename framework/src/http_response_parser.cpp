#include "http_response_parser.hpp"
#include "http_status.hpp"

namespace tornado::httpclient::detail {

namespace {
ResponseParser& parser_of(llhttp_t* parser) { return *static_cast<ResponseParser*>(parser->data); }

// A response head larger than this fails (as Tornado's max_header_size): a server cannot make
// the client hold an endless header.
constexpr std::size_t max_head_bytes = 64 * 1024;
}  // namespace

ResponseParser::ResponseParser(bool head_request, ResponseHooks hooks)
    : head_request_(head_request), hooks_(std::move(hooks)) {
    llhttp_init(&parser_, HTTP_RESPONSE, &settings());
    parser_.data = this;
}

const llhttp_settings_t& ResponseParser::settings() {
    static const llhttp_settings_t settings = [] {
        llhttp_settings_t s;
        llhttp_settings_init(&s);
        s.on_status = [](llhttp_t* p, const char* at, std::size_t length) {
            auto& self = parser_of(p);
            if (!self.count_head_bytes(length)) return -1;
            self.response_.reason.append(at, length);
            return 0;
        };
        s.on_header_field = [](llhttp_t* p, const char* at, std::size_t length) {
            auto& self = parser_of(p);
            if (!self.count_head_bytes(length)) return -1;
            if (self.in_value_) self.store_header();
            self.in_value_ = false;
            self.header_name_.append(at, length);
            return 0;
        };
        s.on_header_value = [](llhttp_t* p, const char* at, std::size_t length) {
            auto& self = parser_of(p);
            if (!self.count_head_bytes(length)) return -1;
            self.in_value_ = true;
            self.header_value_.append(at, length);
            return 0;
        };
        s.on_headers_complete = [](llhttp_t* p) {
            auto& self = parser_of(p);
            self.store_header();
            self.response_.code = p->status_code;
            bool interim = p->status_code >= 100 && p->status_code < 200 && p->status_code != 101;
            if (!interim) {
                self.report_header_lines();
                if (self.hooks_.headers_complete) {
                    self.stop_reason_ = self.hooks_.headers_complete(self.response_);
                    if (!self.stop_reason_.empty()) return -1;
                }
            }
            // 1 tells llhttp that this response has no body: an answer to HEAD, or a status that
            // never has one (llhttp would wait for the bytes of a Content-Length on a 204 or 304).
            return self.head_request_ || tornado::detail::is_bodyless_status(p->status_code) ? 1 : 0;
        };
        s.on_body = [](llhttp_t* p, const char* at, std::size_t length) {
            auto& self = parser_of(p);
            if (!self.hooks_.body) {
                self.response_.body.append(at, length);
                return 0;
            }
            self.stop_reason_ = self.hooks_.body(std::string_view(at, length));
            return self.stop_reason_.empty() ? 0 : -1;
        };
        s.on_message_complete = [](llhttp_t* p) {
            auto& self = parser_of(p);
            // An interim answer such as 100 Continue; a 101 is final: the protocol changes after it.
            if (p->status_code >= 100 && p->status_code < 200 && p->status_code != 101) {
                self.response_ = HTTPResponse{};
                self.head_bytes_ = 0;
                return 0;
            }
            self.complete_ = true;
            self.keep_alive_ = llhttp_should_keep_alive(p) != 0;
            return static_cast<int>(HPE_PAUSED);
        };
        return s;
    }();
    return settings;
}

void ResponseParser::store_header() {
    if (!header_name_.empty()) response_.headers.add(header_name_, header_value_);
    header_name_.clear();
    header_value_.clear();
}

bool ResponseParser::count_head_bytes(std::size_t length) {
    head_bytes_ += length;
    if (head_bytes_ <= max_head_bytes) return true;
    stop_reason_ = "the response head is larger than " + std::to_string(max_head_bytes / 1024) + " KiB";
    return false;
}

void ResponseParser::report_header_lines() {
    if (!hooks_.header_line) return;
    hooks_.header_line("HTTP/" + std::to_string(parser_.http_major) + "." + std::to_string(parser_.http_minor) + " " +
                       std::to_string(parser_.status_code) + " " + response_.reason + "\r\n");
    for (const auto& [name, value] : response_.headers) hooks_.header_line(name + ": " + value + "\r\n");
    hooks_.header_line("\r\n");
}

std::size_t ResponseParser::feed(std::string_view data) {
    if (complete_ || failed_) return 0;
    auto status = llhttp_execute(&parser_, data.data(), data.size());
    if (status == HPE_OK) return data.size();
    if (status == HPE_PAUSED) return static_cast<std::size_t>(llhttp_get_error_pos(&parser_) - data.data());
    fail(stop_reason_.empty() ? std::string("malformed response: ") + llhttp_errno_name(status) : stop_reason_);
    return 0;
}

void ResponseParser::finish_on_eof() {
    if (complete_ || failed_) return;
    llhttp_finish(&parser_);  // ends a close-delimited body through on_message_complete
    if (!complete_) fail("connection closed before the response was complete");
}

void ResponseParser::fail(std::string error) {
    failed_ = true;
    response_.code = 599;
    response_.error = std::move(error);
}

}  // namespace tornado::httpclient::detail
