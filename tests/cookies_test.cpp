// RequestHandler's cookies and signed cookies over real HTTP, checked byte for byte against
// Python's http.cookies and Python Tornado (/usr/bin/python3 with Debian's python3-tornado).
#include <tornado/httputil.hpp>
#include <tornado/testing.hpp>
#include <tornado/web.hpp>

#include "app_fixture.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <functional>
#include <iomanip>
#include <memory>
#include <sstream>

using namespace tornado;
using namespace std::chrono_literals;
using Clock = std::chrono::system_clock;

namespace {
// What the handler under test does with its request; each test case sets it.
std::function<void(web::RequestHandler&)> respond;

struct Responder : web::RequestHandler {
    void get() { respond(*this); }
};

struct CookieTest : AppTest {
    CookieTest() {
        routes.push_back(web::url<Responder>("/"));
        settings.cookie_secret = "the secret";
        settings.server_options.max_header_size = 256 * 1024;  // room for the 6,000-pair header
    }
    testing::HTTPResponse fetch_with_cookie(std::string cookie_header) {
        httputil::HTTPHeaders headers;
        headers.set("Cookie", std::move(cookie_header));
        return fetch("/", "GET", {}, std::move(headers));
    }
};

std::string hex(std::string_view bytes) {
    static constexpr char digits[] = "0123456789abcdef";
    std::string out;
    for (unsigned char c : bytes) {
        out += digits[c >> 4];
        out += digits[c & 15];
    }
    return out;
}

// The lines /usr/bin/python3 prints running script with args (passed hex-encoded: the script
// reads them with bytes.fromhex). The script may not contain a single quote.
std::vector<std::string> python(const std::string& script, const std::vector<std::string>& args = {}) {
    std::string command = "/usr/bin/python3 -c '" + script + "'";
    for (const auto& arg : args) command += " " + (arg.empty() ? std::string("''") : hex(arg));
    std::unique_ptr<FILE, int (*)(FILE*)> pipe(::popen(command.c_str(), "r"), ::pclose);
    REQUIRE(pipe);
    std::string output;
    char buffer[4096];
    while (auto read = std::fread(buffer, 1, sizeof buffer, pipe.get())) output.append(buffer, read);
    std::vector<std::string> lines;
    std::istringstream stream(output);
    for (std::string line; std::getline(stream, line);) lines.push_back(line);
    return lines;
}

Clock::time_point parse_http_date(const std::string& text) {
    std::tm tm{};
    std::istringstream stream(text);
    stream >> std::get_time(&tm, "%a, %d %b %Y %H:%M:%S GMT");
    REQUIRE_FALSE(stream.fail());
    return Clock::from_time_t(timegm(&tm));
}

// The value of attribute (e.g. "expires=") in a Set-Cookie header.
std::string attribute(const std::string& set_cookie, const std::string& name) {
    auto start = set_cookie.find("; " + name);
    REQUIRE(start != std::string::npos);
    start += 2 + name.size();
    return set_cookie.substr(start, set_cookie.find(';', start) - start);
}

const Clock::time_point new_year_2030 = Clock::from_time_t(1893553445);  // Wed, 02 Jan 2030 03:04:05 GMT
}  // namespace

// --- cookies ---

TEST_CASE_METHOD(CookieTest, "set_cookie writes every option as Python's http.cookies.Morsel does") {
    respond = [](web::RequestHandler& handler) {
        handler.set_cookie("all", "1",
                           {.domain = "example.com", .expires = new_year_2030, .path = "/x", .max_age = 10,
                            .httponly = true, .secure = true, .samesite = "Lax"});
        handler.set_cookie("plain", "2");
        handler.set_cookie("no_path", "3", {.path = ""});
    };
    auto response = fetch("/");
    auto expected = python(
        "from http.cookies import SimpleCookie\n"
        "from tornado.httputil import format_timestamp\n"
        "c = SimpleCookie()\n"
        "c[\"all\"] = \"1\"\n"
        "m = c[\"all\"]\n"
        "m[\"domain\"] = \"example.com\"\n"
        "m[\"expires\"] = format_timestamp(1893553445)\n"
        "m[\"path\"] = \"/x\"\n"
        "m[\"max-age\"] = 10\n"
        "m[\"httponly\"] = True\n"
        "m[\"secure\"] = True\n"
        "m[\"samesite\"] = \"Lax\"\n"
        "c[\"plain\"] = \"2\"\n"
        "c[\"plain\"][\"path\"] = \"/\"\n"
        "c[\"no_path\"] = \"3\"\n"
        "for name in (\"all\", \"plain\", \"no_path\"): print(c[name].OutputString())\n");
    CHECK(expected == std::vector<std::string>{
                          "all=1; Domain=example.com; expires=Wed, 02 Jan 2030 03:04:05 GMT; HttpOnly; Max-Age=10; "
                          "Path=/x; SameSite=Lax; Secure",
                          "plain=2; Path=/", "no_path=3"});
    CHECK(response.headers.get_list("Set-Cookie") == expected);
}

TEST_CASE_METHOD(CookieTest, "expires_days sets expires that many days from now, and expires wins over it") {
    respond = [](web::RequestHandler& handler) {
        handler.set_cookie("days", "1", {.expires_days = 2.5});
        handler.set_cookie("both", "1", {.expires = new_year_2030, .expires_days = 2});
    };
    auto before = Clock::now();
    auto cookies = fetch("/").headers.get_list("Set-Cookie");
    auto after = Clock::now();
    REQUIRE(cookies.size() == 2);
    auto expires = parse_http_date(attribute(cookies[0], "expires="));
    CHECK(expires >= std::chrono::floor<std::chrono::seconds>(before + 60h));
    CHECK(expires <= after + 60h);
    CHECK(attribute(cookies[1], "expires=") == "Wed, 02 Jan 2030 03:04:05 GMT");
}

TEST_CASE_METHOD(CookieTest, "several cookies go out as several Set-Cookie headers and a name set again is replaced") {
    respond = [](web::RequestHandler& handler) {
        handler.set_cookie("a", "1");
        handler.set_cookie("b", "2");
        handler.set_cookie("a", "3");
        handler.write("body");
    };
    auto response = fetch("/");
    CHECK(response.body == "body");
    // As Tornado: the replaced cookie moves to the end (its SimpleCookie deletes, then adds).
    CHECK(response.headers.get_list("Set-Cookie") == std::vector<std::string>{"b=2; Path=/", "a=3; Path=/"});
}

TEST_CASE_METHOD(CookieTest, "values outside the cookie-safe set are quoted byte for byte as Python quotes them") {
    const std::vector<std::string> values = {
        "plain-value.1",  "",     "a,b",          "semi;colon",     "quote\"d",        "back\\slash",
        "caf\xc3\xa9",    "\xe2\x82\xac", "(x)=[y]{z}<>?@/", "\xff\x80\x7e",   "!#$%&'*+-.^_`|~:", "=",
        "2|1:0|10:1700000000|4:user|8:YWxpY2U=|abc",
    };
    respond = [&](web::RequestHandler& handler) {
        for (std::size_t i = 0; i < values.size(); ++i) handler.set_cookie("c" + std::to_string(i), values[i], {.path = ""});
    };
    auto expected = python(
        "import sys\n"
        "from http.cookies import SimpleCookie\n"
        "for i, value in enumerate(sys.argv[1:]):\n"
        "    c = SimpleCookie()\n"
        "    c[\"c%d\" % i] = bytes.fromhex(value).decode(\"latin-1\")\n"
        "    print(c[\"c%d\" % i].OutputString().encode(\"latin-1\").hex())\n",
        values);
    REQUIRE(expected.size() == values.size());
    auto sent = fetch("/").headers.get_list("Set-Cookie");
    REQUIRE(sent.size() == values.size());
    for (std::size_t i = 0; i < values.size(); ++i) {
        INFO(sent[i]);
        CHECK(hex(sent[i]) == expected[i]);
    }
    CHECK(sent[1] == "c1=\"\"");
    CHECK(sent[4] == "c4=\"quote\\\"d\"");
    CHECK(sent[6] == "c6=\"caf\\303\\251\"");
}

TEST_CASE_METHOD(CookieTest, "a name or value that would break the header is refused with std::invalid_argument") {
    respond = [](web::RequestHandler& handler) {
        auto refuse = [&](std::string_view name, std::string_view value, const web::CookieOptions& options = {}) {
            try {
                handler.set_cookie(name, value, options);
                handler.write(std::string(name) + " accepted;");
            } catch (const std::invalid_argument&) {
                handler.write("refused;");
            }
        };
        refuse("a\r\nSet-Cookie: evil", "1");
        refuse("a", "1\r\nLocation: /evil");
        refuse("a;b", "1");
        refuse("a=b", "1");
        refuse("a b", "1");
        refuse("a", "one two");
        refuse("a", std::string_view("nul\0", 4));
        refuse("a", "tab\there");
        refuse("a", "del\x7f");
        refuse("", "1");
        refuse("Path", "1");
        refuse("max-age", "1");
        refuse("a", "1", {.domain = "example.com; Secure"});
        refuse("a", "1", {.path = "/\r\nX: y"});
        refuse("a", "1", {.samesite = "Lax\n"});
        refuse("a", "1", {.expires_days = 1e300});
    };
    auto response = fetch("/");
    std::string all_refused;
    for (int i = 0; i < 16; ++i) all_refused += "refused;";
    CHECK(response.body == all_refused);
    CHECK_FALSE(response.headers.contains("Set-Cookie"));
}

TEST_CASE_METHOD(CookieTest, "get_cookie reads the Cookie header as Tornado's parse_cookie does") {
    respond = [](web::RequestHandler& handler) {
        for (const auto& [name, value] : handler.cookies()) handler.write(name + "=" + hex(value) + "\n");
        handler.write("missing:" + handler.get_cookie("missing", "default") + "\n");
        handler.write(handler.get_cookie("missing") ? "found" : "absent");
    };
    const std::string header =
        "a=1; b=\"x\\\"y\\\\z\\054\\303\\251\\8\\400\\q\"; c = spaced ; noequals; d=\"unterminated; e=a=b; "
        "path=reserved; bad name=1; f=\"\\\"; g=\"\"; ;; a=2; h=\"in \"quotes\" too\"; i=\"\\1\\12\\123\"";
    auto response = fetch_with_cookie(header);
    auto expected = python(
        "import sys\n"
        "from tornado.httputil import HTTPServerRequest, HTTPHeaders\n"
        "headers = HTTPHeaders()\n"
        "headers[\"Cookie\"] = bytes.fromhex(sys.argv[1]).decode(\"latin-1\")\n"
        "request = HTTPServerRequest(method=\"GET\", uri=\"/\", headers=headers)\n"
        "for name in sorted(request.cookies):\n"
        "    print(name + \"=\" + request.cookies[name].value.encode(\"latin-1\").hex())\n",
        {header});
    expected.push_back("missing:default");
    expected.push_back("absent");
    std::vector<std::string> lines;
    std::istringstream stream(response.body);
    for (std::string line; std::getline(stream, line);) lines.push_back(line);
    CHECK(lines == expected);
    // The quoted value, decoded: \" \\ \054 (',') and \303\251 (UTF-8 'é'), the rest as written.
    CHECK(std::find(lines.begin(), lines.end(), "b=" + hex("x\"y\\z,\xc3\xa9" "8400q")) != lines.end());
}

TEST_CASE_METHOD(CookieTest, "a Cookie header of 6,000 pairs and quote-heavy values is answered correctly") {
    respond = [](web::RequestHandler& handler) {
        handler.write(std::to_string(handler.cookies().size()) + " " + handler.get_cookie("k5999", "?") + " " +
                      std::to_string(handler.get_cookie("escapes", "").size()) + " " +
                      std::to_string(handler.get_cookie("quotes", "").size()));
    };
    std::string header;
    for (int i = 0; i < 6000; ++i) header += "k" + std::to_string(i) + "=v" + std::to_string(i) + "; ";
    std::string escapes = "\"";
    for (int i = 0; i < 10000; ++i) escapes += "\\\"\\1";  // \" then a backslash that escapes nothing
    escapes += "\"";
    header += "escapes=" + escapes + "; quotes=\"" + std::string(20000, '"') + "\"";
    auto response = fetch_with_cookie(header);
    REQUIRE(response.code == 200);
    CHECK(response.body == "6002 v5999 20000 20000");
}

TEST_CASE_METHOD(CookieTest, "clear_all_cookies answers a request of 6,000 cookies with 6,000 expired ones") {
    respond = [](web::RequestHandler& handler) {
        handler.set_cookie("k17", "set-before-the-clear");
        handler.clear_all_cookies();
    };
    std::string request = "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\nCookie: ";
    for (int i = 0; i < 6000; ++i) request += "k" + std::to_string(i) + "=v; ";
    request += "\r\n\r\n";
    // More Set-Cookie lines than a client takes in a response head: read raw.
    auto response = raw_exchange(request, 20s);
    REQUIRE(response.starts_with("HTTP/1.1 200 OK\r\n"));
    auto count = [&](std::string_view text) {
        std::size_t found = 0;
        for (auto at = response.find(text); at != std::string::npos; at = response.find(text, at + 1)) ++found;
        return found;
    };
    CHECK(count("\r\nSet-Cookie: k") == 6000);
    CHECK(count("=\"\"; expires=") == 6000);
    CHECK(count("; Max-Age=0; Path=/\r\n") == 6000);
    CHECK(count("\r\nSet-Cookie: k17=\"\"") == 1);  // the cookie set before is replaced
}

TEST_CASE_METHOD(CookieTest, "clear_cookie expires the cookie and clear_all_cookies does so for each one the request sent") {
    respond = [](web::RequestHandler& handler) {
        if (handler.get_argument("all", "") == "yes") {
            handler.clear_all_cookies({.domain = "example.com", .path = "/app"});
        } else {
            handler.set_cookie("session", "abc");
            handler.clear_cookie("session", {.domain = "example.com", .max_age = 99, .httponly = true});
        }
    };
    auto before = Clock::now();
    auto cleared = fetch("/").headers.get_list("Set-Cookie");
    REQUIRE(cleared.size() == 1);  // the clear replaces the cookie set before it
    CHECK(cleared[0].rfind("session=\"\"; Domain=example.com; expires=", 0) == 0);
    CHECK(parse_http_date(attribute(cleared[0], "expires=")) <= before - 364 * 24h);
    CHECK(cleared[0].substr(cleared[0].find("; Max-Age")) == "; Max-Age=0; Path=/");

    httputil::HTTPHeaders headers;
    headers.set("Cookie", "b=1; a=2; b=3; =nameless");
    auto all = fetch("/?all=yes", "GET", {}, std::move(headers)).headers.get_list("Set-Cookie");
    REQUIRE(all.size() == 2);
    for (const auto& [cookie, name] : {std::pair{all[0], "a"}, std::pair{all[1], "b"}}) {
        INFO(cookie);
        CHECK(cookie.rfind(std::string(name) + "=\"\"; Domain=example.com; expires=", 0) == 0);
        CHECK(cookie.substr(cookie.find("; Max-Age")) == "; Max-Age=0; Path=/app");
    }
}

// --- signed cookies ---

TEST_CASE_METHOD(CookieTest, "a signed cookie set by one response is read back by the next") {
    respond = [](web::RequestHandler& handler) {
        if (auto user = handler.get_signed_cookie("user")) {
            handler.write("signed in as " + *user);
        } else {
            handler.set_signed_cookie("user", "alice \xc3\xa9|;=\"x", 30, {.httponly = true});
            handler.set_secure_cookie("book_name", "secure", std::nullopt);
            handler.write("signed out");
        }
    };
    auto first = fetch("/");
    CHECK(first.body == "signed out");
    auto set = first.headers.get_list("Set-Cookie");
    REQUIRE(set.size() == 2);
    CHECK(set[0].rfind("user=\"2|1:0|10:", 0) == 0);  // the '=' base64 pads 13 bytes with makes it quoted
    CHECK(set[0].find("; HttpOnly; Path=/") != std::string::npos);
    CHECK(set[0].find("expires=") != std::string::npos);
    CHECK(set[1].find("expires=") == std::string::npos);  // a session cookie
    auto value = set[0].substr(5, set[0].find(';') - 5);
    CHECK(fetch_with_cookie("user=" + value).body == "signed in as alice \xc3\xa9|;=\"x");
}

TEST_CASE_METHOD(CookieTest, "forged, damaged, expired and misnamed signed cookies are rejected") {
    respond = [](web::RequestHandler& handler) {
        auto user = handler.get_signed_cookie("user");
        handler.write(user ? "user " + *user : std::string("nobody"));
    };
    auto now = Clock::now();
    auto good = web::create_signed_value("the secret", "user", "alice");
    REQUIRE(fetch_with_cookie("user=" + good).body == "user alice");

    auto tampered_value = good;
    tampered_value.replace(tampered_value.find("YWxpY2U="), 8, "Ym9iYg==");  // "bobb", the same length
    auto tampered_signature = good;
    tampered_signature.back() = tampered_signature.back() == '0' ? '1' : '0';
    const std::vector<std::pair<std::string, std::string>> rejected = {
        {"tampered value", tampered_value},
        {"tampered signature", tampered_signature},
        {"truncated", good.substr(0, good.size() - 1)},
        {"cut in the fields", good.substr(0, 20)},
        {"wrong secret", web::create_signed_value("another secret", "user", "alice")},
        {"wrong name", web::create_signed_value("the secret", "admin", "alice")},
        {"expired", web::create_signed_value("the secret", "user", "alice", 2, std::nullopt, now - 32 * 24h)},
        {"future", web::create_signed_value("the secret", "user", "alice", 2, std::nullopt, now + 32 * 24h)},
        {"v1 future", web::create_signed_value("the secret", "user", "alice", 1, std::nullopt, now + 32 * 24h)},
        {"v1 expired", web::create_signed_value("the secret", "user", "alice", 1, std::nullopt, now - 32 * 24h)},
        {"unknown version", "3" + good.substr(1)},
        {"lengths lie", "2|1:0|99:1|4:user|8:YWxpY2U=|" + good.substr(good.size() - 64)},
        {"not signed", "alice"},
        {"empty", "\"\""},
        {"pipes only", "2||||||"},
    };
    for (const auto& [what, value] : rejected) {
        INFO(what << ": " << value);
        CHECK(fetch_with_cookie("user=" + value).body == "nobody");
    }
    // Within max_age_days and the future allowance: accepted.
    CHECK(fetch_with_cookie("user=" + web::create_signed_value("the secret", "user", "alice", 2, std::nullopt,
                                                                now - 30 * 24h)).body == "user alice");
}

TEST_CASE("decode_signed_value: max_age_days, min_version and version 1 as Tornado reads them") {
    auto now = Clock::now();
    auto v1 = web::create_signed_value("s", "n", "value", 1, std::nullopt, now);
    CHECK(web::decode_signed_value("s", "n", v1, 31, 1, now) == "value");
    CHECK_FALSE(web::decode_signed_value("s", "n", v1, 31, 2, now));
    CHECK_THROWS_AS(web::decode_signed_value("s", "n", v1, 31, 3, now), std::invalid_argument);
    auto week_old = web::create_signed_value("s", "n", "value", 2, std::nullopt, now - 7 * 24h);
    CHECK(web::decode_signed_value("s", "n", week_old, 8, 1, now) == "value");
    CHECK_FALSE(web::decode_signed_value("s", "n", week_old, 6, 1, now));
    CHECK_THROWS_AS(web::create_signed_value("s", "n", "v", 3), std::invalid_argument);
    CHECK_THROWS_AS(web::create_signed_value(std::map<int, std::string>{{0, "a"}}, "n", "v"), std::invalid_argument);
    CHECK_THROWS_AS(web::create_signed_value(std::map<int, std::string>{{0, "a"}}, "n", "v", 2, 1), std::invalid_argument);
    CHECK_THROWS_AS(web::create_signed_value(std::map<int, std::string>{{0, "a"}}, "n", "v", 1, 0), std::invalid_argument);
}

TEST_CASE_METHOD(CookieTest, "key rotation: cookie_secrets verify every key version they hold, key_version signs") {
    settings.cookie_secret.clear();
    settings.cookie_secrets = {{0, "old secret"}, {1, "new secret"}};
    settings.key_version = 1;
    respond = [](web::RequestHandler& handler) {
        auto user = handler.get_signed_cookie("user");
        handler.write(user ? "user " + *user : std::string("nobody"));
        if (!user) handler.set_signed_cookie("user", "carol");
    };
    auto signed_with_old = web::create_signed_value(std::map<int, std::string>{{0, "old secret"}}, "user", "alice", 2, 0);
    CHECK(signed_with_old.rfind("2|1:0|", 0) == 0);
    CHECK(fetch_with_cookie("user=" + signed_with_old).body == "user alice");
    auto signed_with_unknown = web::create_signed_value(std::map<int, std::string>{{2, "new secret"}}, "user", "bob", 2, 2);
    CHECK(fetch_with_cookie("user=" + signed_with_unknown).body == "nobody");
    // The single old secret verifies only key version 0's values.
    CHECK(web::decode_signed_value("old secret", "user", signed_with_old) == "alice");

    auto fresh = fetch("/").headers.get_list("Set-Cookie");
    REQUIRE(fresh.size() == 1);
    CHECK(fresh[0].rfind("user=\"2|1:1|", 0) == 0);
    auto value = fresh[0].substr(6, fresh[0].find("\"; ") - 6);
    CHECK(web::decode_signed_value(std::map<int, std::string>{{1, "new secret"}}, "user", value) == "carol");
    CHECK_FALSE(web::decode_signed_value(std::map<int, std::string>{{1, "old secret"}}, "user", value));
}

TEST_CASE_METHOD(CookieTest, "signed cookies without a cookie_secret are an error, as in Tornado") {
    settings.cookie_secret.clear();
    respond = [](web::RequestHandler& handler) {
        try {
            handler.set_signed_cookie("user", "alice");
        } catch (const std::logic_error& e) {
            handler.write(std::string(e.what()) + "\n");
        }
        try {
            handler.get_secure_cookie("user");
        } catch (const std::logic_error& e) {
            handler.write(e.what());
        }
    };
    auto message = std::string("You must define the 'cookie_secret' setting in your application to use secure cookies");
    CHECK(fetch_with_cookie("user=x").body == message + "\n" + message);
}

TEST_CASE("signed values interoperate with Python Tornado both ways") {
    const auto when = Clock::from_time_t(1764460000);
    const std::vector<std::string> values = {"alice", "", "caf\xc3\xa9 | = \" ;", std::string("\0\x01\xff", 3)};
    for (const auto& value : values) {
        INFO(hex(value));
        auto made_here_v2 = web::create_signed_value("shared secret", "user", value, 2, std::nullopt, when);
        auto made_here_v1 = web::create_signed_value("shared secret", "user", value, 1, std::nullopt, when);
        auto made_here_rotated =
            web::create_signed_value(std::map<int, std::string>{{0, "a"}, {7, "shared secret"}}, "user", value, 2, 7, when);
        auto lines = python(
            "import sys\n"
            "from tornado.web import create_signed_value, decode_signed_value\n"
            "value = bytes.fromhex(sys.argv[1])\n"
            "clock = lambda: 1764460000.75\n"
            "keys = {0: \"a\", 7: \"shared secret\"}\n"
            "print(create_signed_value(\"shared secret\", \"user\", value, clock=clock).hex())\n"
            "print(create_signed_value(\"shared secret\", \"user\", value, version=1, clock=clock).hex())\n"
            "print(create_signed_value(keys, \"user\", value, key_version=7, clock=clock).hex())\n"
            "for made in sys.argv[2:4]:\n"
            "    print(decode_signed_value(\"shared secret\", \"user\", bytes.fromhex(made), clock=clock).hex())\n"
            "print(decode_signed_value(keys, \"user\", bytes.fromhex(sys.argv[4]), clock=clock).hex())\n"
            "print(decode_signed_value(\"another\", \"user\", bytes.fromhex(sys.argv[2]), clock=clock))\n",
            {value, made_here_v2, made_here_v1, made_here_rotated});
        REQUIRE(lines.size() == 7);
        // Python's values are ours, byte for byte, and each side reads the other's.
        CHECK(lines[0] == hex(made_here_v2));
        CHECK(lines[1] == hex(made_here_v1));
        CHECK(lines[2] == hex(made_here_rotated));
        CHECK(lines[3] == hex(value));
        CHECK(lines[4] == hex(value));
        CHECK(lines[5] == hex(value));
        CHECK(lines[6] == "None");
    }
}

TEST_CASE_METHOD(CookieTest, "a handler reads Python Tornado's signed cookie and Python reads the handler's") {
    respond = [](web::RequestHandler& handler) {
        auto user = handler.get_signed_cookie("user");
        handler.write(user ? "user " + *user : std::string("nobody"));
        handler.set_signed_cookie("visits", "3");
    };
    auto minted = python(
        "from tornado.web import create_signed_value\n"
        "print(create_signed_value(\"the secret\", \"user\", \"from python\").decode())\n");
    REQUIRE(minted.size() == 1);
    auto response = fetch_with_cookie("user=" + minted[0]);
    CHECK(response.body == "user from python");
    auto set = response.headers.get_list("Set-Cookie");
    REQUIRE(set.size() == 1);
    auto value = set[0].substr(set[0].find('=') + 1, set[0].find(';') - set[0].find('=') - 1);
    auto read = python(
        "import sys\n"
        "from http.cookies import SimpleCookie\n"
        "from tornado.web import decode_signed_value\n"
        "cookie = SimpleCookie()\n"
        "cookie.load(\"visits=\" + bytes.fromhex(sys.argv[1]).decode())\n"
        "print(decode_signed_value(\"the secret\", \"visits\", cookie[\"visits\"].value))\n",
        {value});
    CHECK(read == std::vector<std::string>{"b\x27" "3\x27"});
}
