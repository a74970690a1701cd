// What a response's status code says about its body. Private to the library.
#pragma once

namespace tornado::detail {

// 1xx, 204 and 304 responses never carry content, whatever their headers say (RFC 9110 §6.4.1).
constexpr bool is_bodyless_status(int status_code) {
    return (status_code >= 100 && status_code < 200) || status_code == 204 || status_code == 304;
}

}  // namespace tornado::detail
