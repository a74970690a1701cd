// permessage-deflate negotiation (RFC 7692 section 7.1) over the Sec-WebSocket-Extensions
// grammar of RFC 6455 section 9.1: comma-separated extensions, each a token followed by
// ;-separated parameters whose values are tokens or quoted strings.
#include "websocket_deflate.hpp"
#include "text_util.hpp"

#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace tornado::websocket::detail {

namespace {

using tornado::detail::http_whitespace;
using tornado::detail::is_token;
using tornado::detail::trim;

constexpr std::string_view extension_name = "permessage-deflate";

// text cut at every separator that is not inside a quoted string (one pass, no recursion).
std::vector<std::string_view> split_outside_quotes(std::string_view text, char separator) {
    std::vector<std::string_view> pieces;
    std::size_t start = 0;
    bool quoted = false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (quoted && text[i] == '\\') {
            ++i;  // the escaped character, whatever it is
        } else if (text[i] == '"') {
            quoted = !quoted;
        } else if (!quoted && text[i] == separator) {
            pieces.push_back(text.substr(start, i - start));
            start = i + 1;
        }
    }
    pieces.push_back(text.substr(start));
    return pieces;
}

// A parameter's value: a token, or a quoted string whose unescaped content is a token (RFC 6455
// section 9.1). nullopt when it is neither.
std::optional<std::string> parameter_value(std::string_view text) {
    if (text.empty() || text.front() != '"') {
        if (!is_token(text)) return std::nullopt;
        return std::string(text);
    }
    std::string value;
    for (std::size_t i = 1; i < text.size(); ++i) {
        if (text[i] == '\\' && i + 1 < text.size()) {
            value += text[++i];
        } else if (text[i] == '"') {
            if (i + 1 != text.size() || !is_token(value)) return std::nullopt;
            return value;
        } else {
            value += text[i];
        }
    }
    return std::nullopt;  // no closing quote
}

struct Parameter {
    std::string name;
    std::optional<std::string> value;
};

struct Extension {
    std::string name;
    std::vector<Parameter> parameters;
};

// One element of the extension list, or nullopt when it does not follow the grammar.
std::optional<Extension> parse_extension(std::string_view element) {
    auto pieces = split_outside_quotes(element, ';');
    Extension extension{std::string(trim(pieces[0], http_whitespace)), {}};
    if (!is_token(extension.name)) return std::nullopt;
    for (std::size_t i = 1; i < pieces.size(); ++i) {
        auto piece = trim(pieces[i], http_whitespace);
        auto equals = piece.find('=');
        Parameter parameter{std::string(trim(piece.substr(0, equals), http_whitespace)), std::nullopt};
        if (!is_token(parameter.name)) return std::nullopt;
        if (equals != std::string_view::npos) {
            parameter.value = parameter_value(trim(piece.substr(equals + 1), http_whitespace));
            if (!parameter.value) return std::nullopt;
        }
        extension.parameters.push_back(std::move(parameter));
    }
    return extension;
}

// The non-empty elements of a Sec-WebSocket-Extensions value (the list rule allows empty ones).
std::vector<std::string_view> extension_elements(std::string_view header) {
    auto elements = split_outside_quotes(header, ',');
    std::erase_if(elements, [](std::string_view element) { return trim(element, http_whitespace).empty(); });
    return elements;
}

// A max_window_bits value: a decimal integer 8..15 without leading zeros (RFC 7692 7.1.2).
std::optional<int> window_bits(const std::string& value) {
    for (int bits = 8; bits <= 15; ++bits) {
        if (value == std::to_string(bits)) return bits;
    }
    return std::nullopt;
}

// The permessage-deflate parameters an offer or a response carries, as given.
struct Agreement {
    bool server_no_context_takeover = false;
    bool client_no_context_takeover = false;
    bool server_max_window_bits_given = false;
    bool client_max_window_bits_given = false;
    std::optional<int> server_max_window_bits;
    std::optional<int> client_max_window_bits;  // an offer may give client_max_window_bits without a value

    DeflateParameters parameters() const {
        return {server_no_context_takeover, client_no_context_takeover, server_max_window_bits.value_or(15),
                client_max_window_bits.value_or(15)};
    }
};

// Reads permessage-deflate's parameters into agreement; returns why they are not valid, or an
// empty string. Only an offer may give client_max_window_bits without a value.
std::string read_parameters(const Extension& extension, bool is_offer, Agreement& agreement) {
    for (const auto& [name, value] : extension.parameters) {
        bool server = name.starts_with("server_");
        if (name == "server_no_context_takeover" || name == "client_no_context_takeover") {
            bool& given = server ? agreement.server_no_context_takeover : agreement.client_no_context_takeover;
            if (std::exchange(given, true)) return "repeated parameter " + name;
            if (value) return name + " takes no value";
        } else if (name == "server_max_window_bits" || name == "client_max_window_bits") {
            bool& given = server ? agreement.server_max_window_bits_given : agreement.client_max_window_bits_given;
            if (std::exchange(given, true)) return "repeated parameter " + name;
            auto& bits = server ? agreement.server_max_window_bits : agreement.client_max_window_bits;
            if (value) {
                bits = window_bits(*value);
                if (!bits) return name + "=" + *value + " is not a number of bits from 8 to 15";
            } else if (server || !is_offer) {
                return name + " needs a value";
            }
        } else {
            return "unknown parameter " + name;
        }
    }
    return {};
}

// The response that accepts an offer (RFC 7692 7.1): what the client asked of the server is
// granted as asked; client_max_window_bits is echoed only with the value the client gave.
std::string response_to(const Agreement& offer) {
    std::string response(extension_name);
    if (offer.server_no_context_takeover) response += "; server_no_context_takeover";
    if (offer.client_no_context_takeover) response += "; client_no_context_takeover";
    if (auto bits = offer.server_max_window_bits) response += "; server_max_window_bits=" + std::to_string(*bits);
    if (auto bits = offer.client_max_window_bits) response += "; client_max_window_bits=" + std::to_string(*bits);
    return response;
}

}  // namespace

std::optional<std::pair<DeflateParameters, std::string>> accept_offer(std::string_view offers) {
    for (auto element : extension_elements(offers)) {
        auto extension = parse_extension(element);
        if (!extension || extension->name != extension_name) continue;
        Agreement offer;
        if (read_parameters(*extension, true, offer).empty()) return std::pair{offer.parameters(), response_to(offer)};
    }
    return std::nullopt;
}

std::string client_offer() { return std::string(extension_name) + "; client_max_window_bits"; }

DeflateParameters accept_response(std::string_view response) {
    auto refuse = [&](const std::string& why) {
        return std::invalid_argument("invalid Sec-WebSocket-Extensions response \"" + std::string(response) +
                                     "\": " + why);
    };
    auto elements = extension_elements(response);
    if (elements.size() != 1) throw refuse("expected exactly one extension, " + std::string(extension_name));
    auto extension = parse_extension(elements.front());
    if (!extension) throw refuse("malformed");
    if (extension->name != extension_name) throw refuse("extension " + extension->name + " was not offered");
    Agreement answer;
    if (auto why = read_parameters(*extension, false, answer); !why.empty()) throw refuse(why);
    return answer.parameters();
}

}  // namespace tornado::websocket::detail
