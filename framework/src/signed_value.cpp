// Signed values in Tornado's formats (web.py's create_signed_value and decode_signed_value), so
// that Python Tornado and this library can read each other's signed cookies.
#include "base64.hpp"
#include "text_util.hpp"
#include "tornado/log.hpp"
#include "tornado/web.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <charconv>
#include <stdexcept>

namespace tornado::web {

namespace {
using Clock = std::chrono::system_clock;

// How far ahead of our clock a timestamp may be (Tornado's allowance for version 1).
constexpr double future_allowance_seconds = 31 * 86400.0;

std::string hmac_hex(const EVP_MD* digest, std::string_view key, std::string_view message) {
    unsigned char mac[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    // A failure must not yield an empty signature, which an empty one passed in would match.
    if (!HMAC(digest, key.data(), static_cast<int>(key.size()), reinterpret_cast<const unsigned char*>(message.data()),
              message.size(), mac, &length) ||
        length == 0) {
        throw std::runtime_error("HMAC failed");
    }
    return tornado::detail::hex_encode({mac, length});
}

bool same_signature(std::string_view passed, std::string_view expected) {
    return passed.size() == expected.size() && CRYPTO_memcmp(passed.data(), expected.data(), passed.size()) == 0;
}

// A non-negative decimal number of at most 18 digits (what Tornado's int() reads in the fields
// it parses; a field outside that could never have been signed).
std::optional<long long> parse_decimal(std::string_view text) {
    if (text.empty() || text.size() > 18) return std::nullopt;
    long long number = 0;
    auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), number);
    if (error != std::errc() || end != text.data() + text.size() || number < 0) return std::nullopt;
    return number;
}

double seconds_since_epoch(Clock::time_point now) {
    return std::chrono::duration<double>(now.time_since_epoch()).count();
}

// Whether a timestamp is within [now - max_age_days, now + the allowance]; logs when not.
bool is_fresh(long long timestamp, double max_age_days, Clock::time_point now, std::string_view name) {
    auto seconds = seconds_since_epoch(now);
    if (static_cast<double>(timestamp) < seconds - max_age_days * 86400) {
        log::gen_log.warning("Expired signed value for " + std::string(name));
        return false;
    }
    if (static_cast<double>(timestamp) > seconds + future_allowance_seconds) {
        log::gen_log.warning("Signed value for " + std::string(name) + " has a timestamp in the future; possible tampering");
        return false;
    }
    return true;
}

// Tornado's _get_version: a leading 1-999 followed by '|'; anything else is version 1, whose
// values begin with base64 (which a number of 4 or more digits can be).
int signed_value_version(std::string_view value) {
    std::size_t digits = 0;
    while (digits < value.size() && value[digits] >= '0' && value[digits] <= '9') ++digits;
    if (digits == 0 || digits > 3 || value[0] == '0' || digits == value.size() || value[digits] != '|') return 1;
    return std::stoi(std::string(value.substr(0, digits)));
}

std::optional<std::string> decode_v1(const std::string& secret, std::string_view name, std::string_view value,
                                     double max_age_days, Clock::time_point now) {
    auto first = value.find('|');
    auto second = first == std::string_view::npos ? first : value.find('|', first + 1);
    if (second == std::string_view::npos || value.find('|', second + 1) != std::string_view::npos) return std::nullopt;
    auto encoded = value.substr(0, first);
    auto timestamp_text = value.substr(first + 1, second - first - 1);
    auto passed = value.substr(second + 1);
    // Version 1 signs the parts with no delimiter between them (see the leading-zero check).
    auto expected = hmac_hex(EVP_sha1(), secret, std::string(name) + std::string(encoded) + std::string(timestamp_text));
    if (!same_signature(passed, expected)) {
        log::gen_log.warning("Invalid signature in the signed value for " + std::string(name));
        return std::nullopt;
    }
    auto timestamp = parse_decimal(timestamp_text);
    if (!timestamp || !is_fresh(*timestamp, max_age_days, now, name)) return std::nullopt;
    // Digits moved from the end of the value to the timestamp keep the signature: a timestamp
    // so made starts with 0 (or lies in the future, refused above).
    if (timestamp_text.front() == '0') {
        log::gen_log.warning("Tampered signed value for " + std::string(name));
        return std::nullopt;
    }
    return tornado::detail::base64_decode(encoded);
}

// One "<length>:<bytes>|" field of a version 2 value, taken off the front of rest.
std::optional<std::string_view> consume_field(std::string_view& rest) {
    auto colon = rest.find(':');
    if (colon == std::string_view::npos) return std::nullopt;
    auto length = parse_decimal(rest.substr(0, colon));
    rest.remove_prefix(colon + 1);
    if (!length || static_cast<unsigned long long>(*length) >= rest.size() ||
        rest[static_cast<std::size_t>(*length)] != '|') {
        return std::nullopt;
    }
    auto field = rest.substr(0, static_cast<std::size_t>(*length));
    rest.remove_prefix(field.size() + 1);
    return field;
}

std::optional<std::string> decode_v2(const CookieSecret& secret, std::string_view name, std::string_view value,
                                     double max_age_days, Clock::time_point now) {
    auto rest = value.substr(2);  // "2|"
    auto key_version_text = consume_field(rest);
    auto timestamp_text = key_version_text ? consume_field(rest) : std::nullopt;
    auto name_field = timestamp_text ? consume_field(rest) : std::nullopt;
    auto value_field = name_field ? consume_field(rest) : std::nullopt;
    if (!value_field) return std::nullopt;
    auto key_version = parse_decimal(*key_version_text);
    auto timestamp = parse_decimal(*timestamp_text);
    if (!key_version || !timestamp) return std::nullopt;
    auto passed = rest;
    auto signed_part = value.substr(0, value.size() - passed.size());

    const std::string* key = std::get_if<std::string>(&secret);
    if (auto* keys = std::get_if<std::map<int, std::string>>(&secret)) {
        auto found = *key_version <= 999999 ? keys->find(static_cast<int>(*key_version)) : keys->end();
        if (found == keys->end()) return std::nullopt;  // a key we do not have (any more)
        key = &found->second;
    }
    if (!same_signature(passed, hmac_hex(EVP_sha256(), *key, signed_part))) {
        log::gen_log.warning("Invalid signature in the signed value for " + std::string(name));
        return std::nullopt;
    }
    if (*name_field != name || !is_fresh(*timestamp, max_age_days, now, name)) return std::nullopt;
    return tornado::detail::base64_decode(*value_field);
}

std::string length_prefixed(std::string_view field) { return std::to_string(field.size()) + ":" + std::string(field); }
}  // namespace

std::string create_signed_value(const CookieSecret& secret, std::string_view name, std::string_view value, int version,
                                std::optional<int> key_version, Clock::time_point now) {
    auto timestamp = std::to_string(std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count());
    auto encoded = tornado::detail::base64_encode(value);
    if (version == 1) {
        auto* key = std::get_if<std::string>(&secret);
        if (!key) throw std::invalid_argument("Signed values of version 1 take a single secret, not keys by version");
        return encoded + "|" + timestamp + "|" +
               hmac_hex(EVP_sha1(), *key, std::string(name) + encoded + timestamp);
    }
    if (version != 2) throw std::invalid_argument("Unsupported signed value version " + std::to_string(version));
    auto to_sign = "2|" + length_prefixed(std::to_string(key_version.value_or(0))) + "|" + length_prefixed(timestamp) +
                   "|" + length_prefixed(name) + "|" + length_prefixed(encoded) + "|";
    const std::string* key = std::get_if<std::string>(&secret);
    if (auto* keys = std::get_if<std::map<int, std::string>>(&secret)) {
        if (!key_version) throw std::invalid_argument("A key_version must be given with secrets by key version");
        auto found = keys->find(*key_version);
        if (found == keys->end()) throw std::invalid_argument("No secret for key version " + std::to_string(*key_version));
        key = &found->second;
    }
    return to_sign + hmac_hex(EVP_sha256(), *key, to_sign);
}

std::optional<std::string> decode_signed_value(const CookieSecret& secret, std::string_view name,
                                               std::string_view signed_value, double max_age_days, int min_version,
                                               Clock::time_point now) {
    if (min_version > 2) throw std::invalid_argument("Unsupported min_version " + std::to_string(min_version));
    if (signed_value.empty()) return std::nullopt;
    int version = signed_value_version(signed_value);
    if (version < min_version) return std::nullopt;
    if (version == 1) {
        auto* key = std::get_if<std::string>(&secret);
        return key ? decode_v1(*key, name, signed_value, max_age_days, now) : std::nullopt;
    }
    if (version == 2) return decode_v2(secret, name, signed_value, max_age_days, now);
    return std::nullopt;
}

}  // namespace tornado::web
