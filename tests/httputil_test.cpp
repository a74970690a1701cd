#include "tornado/httputil.hpp"

#include <catch2/catch.hpp>

#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

using namespace std::string_literals;
using namespace tornado::httputil;
using Values = std::vector<std::string>;

TEST_CASE("normalize_header_name capitalises each dash-separated word", "[httputil]") {
    CHECK(normalize_header_name("content-type") == "Content-Type");
    CHECK(normalize_header_name("CONTENT-LENGTH") == "Content-Length");
    CHECK(normalize_header_name("x-forwarded-for") == "X-Forwarded-For");
    CHECK(normalize_header_name("etag") == "Etag");
    CHECK(normalize_header_name("x-1abc--b") == "X-1abc--B");
    CHECK(normalize_header_name("").empty());
}

TEST_CASE("iequals compares ASCII case-insensitively", "[httputil]") {
    CHECK(iequals("Content-Type", "content-TYPE"));
    CHECK(iequals("", ""));
    CHECK_FALSE(iequals("Host", "Hosts"));
    CHECK_FALSE(iequals("a-b", "a_b"));
    CHECK_FALSE(iequals("\xc3\x89", "\xc3\xa9"));  // É and é: ASCII-only folding
}

TEST_CASE("HTTPHeaders stores normalised names and looks them up in any case", "[httputil]") {
    HTTPHeaders headers{{"content-type", "text/html"}, {"X-Custom", "1"}};
    CHECK(headers.size() == 2);
    CHECK(headers.begin()->first == "Content-Type");
    CHECK(headers.contains("CONTENT-TYPE"));
    CHECK(headers.get("content-type") == "text/html");
    REQUIRE(headers.find("x-custom") != nullptr);
    CHECK(*headers.find("x-custom") == "1");
    CHECK_FALSE(headers.contains("Missing"));
    CHECK(headers.find("Missing") == nullptr);
    CHECK(headers.get("Missing").empty());
    CHECK(headers.get("Missing", "fallback") == "fallback");
}

TEST_CASE("HTTPHeaders add keeps every value in order", "[httputil]") {
    HTTPHeaders headers;
    CHECK(headers.empty());
    headers.add("Set-Cookie", "a=1");
    headers.add("Host", "example.com");
    headers.add("set-cookie", "b=2");
    CHECK(headers.get("Set-Cookie") == "a=1");
    CHECK(headers.get_list("SET-COOKIE") == Values{"a=1", "b=2"});
    CHECK(headers.get_list("Missing").empty());
    CHECK(headers.size() == 3);
}

TEST_CASE("HTTPHeaders set replaces every value at the first one's place", "[httputil]") {
    HTTPHeaders headers;
    headers.add("A", "1");
    headers.add("B", "2");
    headers.add("a", "3");
    headers.set("A", "new");
    REQUIRE(headers.size() == 2);
    CHECK(headers.begin()->first == "A");
    CHECK(headers.begin()->second == "new");
    CHECK(headers.get_list("a") == Values{"new"});
    headers.set("c", "4");
    CHECK(headers.size() == 3);
    CHECK(headers.get("C") == "4");
}

TEST_CASE("HTTPHeaders remove drops every value of a name", "[httputil]") {
    HTTPHeaders headers{{"A", "1"}, {"B", "2"}, {"a", "3"}};
    headers.remove("a");
    CHECK_FALSE(headers.contains("A"));
    CHECK(headers.size() == 1);
    headers.remove("absent");
    CHECK(headers.size() == 1);
    headers.clear();
    CHECK(headers.empty());
}

TEST_CASE("HTTPHeaders reused after clear, copy or destruction show only their own fields", "[httputil]") {
    {
        HTTPHeaders first;
        first.add("X-One", "1");
        first.add("X-Long", std::string(300, 'v'));  // longer than the memory kept for reuse
        first.add("X-Three", "3");
        first.clear();
        first.add("x-four", "4");
        first.add("X-Five", "5");
        first.remove("X-Four");
        REQUIRE(first.size() == 1);
        CHECK(first.begin()->first == "X-Five");
        CHECK_FALSE(first.contains("X-One"));
        CHECK_FALSE(first.contains("X-Long"));
        CHECK(first.get_list("X-Four").empty());
        HTTPHeaders copy = first;
        CHECK(copy.size() == 1);
        CHECK(std::distance(copy.begin(), copy.end()) == 1);
        copy = HTTPHeaders{{"A", "1"}, {"B", "2"}};
        first = copy;
        CHECK(first.get_list("X-Five").empty());
        CHECK(first.size() == 2);
    }
    // Headers made after others were destroyed start empty, whatever memory they reuse.
    HTTPHeaders next;
    CHECK(next.empty());
    CHECK(next.begin() == next.end());
    next.add("Y", "1");
    REQUIRE(next.size() == 1);
    CHECK(next.begin()->first == "Y");
    CHECK(next.begin()->second == "1");
    CHECK_FALSE(next.contains("X-Five"));
    HTTPHeaders moved = std::move(next);
    CHECK(moved.get("Y") == "1");
}

TEST_CASE("parse_qs splits on '&' and decodes names and values", "[httputil]") {
    Arguments arguments;
    parse_qs("a=1&b=x+y&c=%2B%20&a=2&empty=&flag&&=v&d=1;e=2", arguments);
    CHECK(arguments["a"] == Values{"1", "2"});
    CHECK(arguments["b"] == Values{"x y"});
    CHECK(arguments["c"] == Values{"+ "});
    CHECK(arguments["empty"] == Values{""});
    CHECK(arguments["flag"] == Values{""});
    CHECK(arguments[""] == Values{"v"});
    CHECK(arguments["d"] == Values{"1;e=2"});
    CHECK(arguments.size() == 7);
}

TEST_CASE("parse_qs handles empty, UTF-8 and malformed input", "[httputil]") {
    Arguments arguments;
    parse_qs("", arguments);
    parse_qs("&&&", arguments);
    CHECK(arguments.empty());
    parse_qs("name=%E4%BD%A0%E5%A5%BD&%zz=%4&k=a=b", arguments);
    CHECK(arguments["name"] == Values{"你好"});
    CHECK(arguments["%zz"] == Values{"%4"});
    CHECK(arguments["k"] == Values{"a=b"});
}

TEST_CASE("parse_qs appends to existing arguments", "[httputil]") {
    Arguments arguments{{"a", {"0"}}};
    parse_qs("a=1", arguments);
    CHECK(arguments["a"] == Values{"0", "1"});
}

TEST_CASE("parse_body_arguments reads urlencoded bodies", "[httputil]") {
    Arguments arguments;
    Files files;
    parse_body_arguments("application/x-www-form-urlencoded; charset=UTF-8", "a=1&b=%2B+", arguments, files);
    CHECK(arguments["a"] == Values{"1"});
    CHECK(arguments["b"] == Values{"+ "});
    CHECK(files.empty());
}

TEST_CASE("parse_body_arguments ignores other content types", "[httputil]") {
    Arguments arguments;
    Files files;
    parse_body_arguments("application/json", R"({"a": 1})", arguments, files);
    parse_body_arguments("", "a=1", arguments, files);
    parse_body_arguments("text/plain; x=application/x-www-form-urlencoded", "a=1", arguments, files);
    CHECK(arguments.empty());
    CHECK(files.empty());
}

TEST_CASE("parse_body_arguments needs a multipart boundary", "[httputil]") {
    Arguments arguments;
    Files files;
    CHECK_THROWS_WITH(parse_body_arguments("multipart/form-data", "", arguments, files),
                      "multipart/form-data without boundary");
    CHECK_THROWS_AS(parse_body_arguments("multipart/form-data; boundary=", "", arguments, files),
                    std::invalid_argument);
}

namespace {

const std::string kBoundary = "----WebKitFormBoundary7MA4YWxkTrZu0gW";

std::string form_part(const std::string& disposition, const std::string& value, const std::string& extra_headers = "") {
    return "--" + kBoundary + "\r\nContent-Disposition: " + disposition + "\r\n" + extra_headers + "\r\n" + value +
           "\r\n";
}

std::string form_end() { return "--" + kBoundary + "--\r\n"; }

}  // namespace

TEST_CASE("parse_multipart_form_data reads arguments and files", "[httputil]") {
    const std::string body = form_part(R"(form-data; name="title")", "Hello, world") +
                             form_part(R"(form-data; name="tag")", "a") + form_part(R"(form-data; name="tag")", "b") +
                             form_part(R"(form-data; name="upload"; filename="notes.txt")", "line 1\r\nline 2\r\n",
                                       "Content-Type: text/plain\r\n") +
                             form_end();
    Arguments arguments;
    Files files;
    parse_body_arguments("multipart/form-data; boundary=" + kBoundary, body, arguments, files);
    CHECK(arguments["title"] == Values{"Hello, world"});
    CHECK(arguments["tag"] == Values{"a", "b"});
    REQUIRE(files["upload"].size() == 1);
    const HTTPFile& file = files["upload"][0];
    CHECK(file.filename == "notes.txt");
    CHECK(file.content_type == "text/plain");
    CHECK(file.body == "line 1\r\nline 2\r\n");
    CHECK(arguments.count("upload") == 0);
}

TEST_CASE("parse_multipart_form_data keeps binary file content intact", "[httputil]") {
    std::string binary;
    for (int byte = 0; byte < 256; ++byte) binary += static_cast<char>(byte);
    // Boundary lookalikes (a prefix; the whole delimiter not ending its line), NUL, a lone CR.
    binary += "\r\n--" + kBoundary.substr(0, 10) + "\r\n\r\n--" + kBoundary + "X\r\n\0\r"s;
    const std::string body =
        form_part(R"(form-data; name="blob"; filename="data.bin")", binary) + form_part(R"(form-data; name="empty")", "") +
        form_end();
    Arguments arguments;
    Files files;
    parse_multipart_form_data(kBoundary, body, arguments, files);
    REQUIRE(files["blob"].size() == 1);
    CHECK(files["blob"][0].body == binary);
    CHECK(files["blob"][0].content_type == "application/unknown");
    CHECK(arguments["empty"] == Values{""});
}

TEST_CASE("parse_multipart_form_data accepts UTF-8 names, values and filenames", "[httputil]") {
    const std::string body = form_part(R"(form-data; name="名字"; filename="你好.txt")", "内容", "Content-Type: text/plain\r\n") +
                             form_part(R"(form-data; name="城市")", "北京") + form_end();
    Arguments arguments;
    Files files;
    parse_multipart_form_data(kBoundary, body, arguments, files);
    CHECK(arguments["城市"] == Values{"北京"});
    REQUIRE(files["名字"].size() == 1);
    CHECK(files["名字"][0].filename == "你好.txt");
    CHECK(files["名字"][0].body == "内容");
}

TEST_CASE("parse_multipart_form_data decodes filename*", "[httputil]") {
    const std::string body =
        form_part(R"(form-data; name="f"; filename="fallback.txt"; filename*=UTF-8''%E4%BD%A0%20a.txt)", "x") +
        form_end();
    Arguments arguments;
    Files files;
    parse_multipart_form_data(kBoundary, body, arguments, files);
    REQUIRE(files["f"].size() == 1);
    CHECK(files["f"][0].filename == "你 a.txt");
}

TEST_CASE("parse_multipart_form_data handles quoting in Content-Disposition", "[httputil]") {
    const std::string body = form_part(R"(FORM-DATA; NAME="a;b"; filename="say \"hi\".txt")", "1") +
                             form_part(R"(form-data; name=plain; filename="C:\dir\x.txt")", "2") +
                             form_part(R"(form-data; name="no-file"; filename="")", "") + form_end();
    Arguments arguments;
    Files files;
    parse_multipart_form_data(kBoundary, body, arguments, files);
    REQUIRE(files["a;b"].size() == 1);
    CHECK(files["a;b"][0].filename == R"(say "hi".txt)");
    REQUIRE(files["plain"].size() == 1);
    CHECK(files["plain"][0].filename == R"(C:\dir\x.txt)");
    // A file input left empty arrives with filename="" and counts as a plain argument.
    CHECK(arguments["no-file"] == Values{""});
}

TEST_CASE("parse_multipart_form_data takes a quoted boundary, a preamble and an epilogue", "[httputil]") {
    const std::string body = "preamble to ignore\r\n" + form_part(R"(form-data; name="a")", "1") + "--" + kBoundary +
                             "--\r\nepilogue --" + kBoundary + "--";
    Arguments arguments;
    Files files;
    parse_body_arguments("multipart/form-data; boundary=\"" + kBoundary + "\"", body, arguments, files);
    CHECK(arguments["a"] == Values{"1"});
    CHECK(arguments.size() == 1);
}

TEST_CASE("parse_multipart_form_data accepts a form without parts", "[httputil]") {
    Arguments arguments;
    Files files;
    parse_multipart_form_data(kBoundary, form_end(), arguments, files);
    CHECK(arguments.empty());
    CHECK(files.empty());
}

TEST_CASE("parse_multipart_form_data rejects malformed bodies", "[httputil]") {
    Arguments arguments;
    Files files;
    const std::string good_part = form_part(R"(form-data; name="a")", "1");
    auto parse = [&](const std::string& body) { parse_multipart_form_data(kBoundary, body, arguments, files); };

    CHECK_THROWS_WITH(parse(good_part), Catch::Contains("no final boundary"));
    CHECK_THROWS_WITH(parse(good_part + "--" + kBoundary), Catch::Contains("no final boundary"));
    CHECK_THROWS_WITH(parse(""), Catch::Contains("boundary not found"));
    CHECK_THROWS_WITH(parse("no boundary here"), Catch::Contains("boundary not found"));
    CHECK_THROWS_WITH(parse("--" + kBoundary + "\r\nContent-Type: text/plain\r\n\r\nx\r\n" + form_end()),
                      Catch::Contains("without Content-Disposition"));
    CHECK_THROWS_WITH(parse(form_part("form-data", "x") + form_end()), Catch::Contains("without a name"));
    CHECK_THROWS_WITH(parse(form_part(R"(form-data; name="")", "x") + form_end()), Catch::Contains("without a name"));
    CHECK_THROWS_WITH(parse(form_part(R"(attachment; name="a")", "x") + form_end()), Catch::Contains("not form-data"));
    CHECK_THROWS_WITH(parse("--" + kBoundary + "\r\nContent-Disposition: form-data; name=\"a\"\r\n" + form_end()),
                      Catch::Contains("blank line"));
    CHECK_THROWS_WITH(parse("--" + kBoundary + "\r\nno colon\r\n\r\nx\r\n" + form_end()),
                      Catch::Contains("malformed part header"));
    CHECK_THROWS_AS(parse_multipart_form_data("\"\"", form_end(), arguments, files), std::invalid_argument);
    CHECK(arguments.empty());
    CHECK(files.empty());
}

TEST_CASE("parse_multipart_form_data survives truncated and hostile input", "[httputil]") {
    const std::string body = form_part(R"(form-data; name="a"; filename="f")", "payload\r\n\r\n--x") +
                             form_part(R"(form-data; name="b")", "2") + form_end();
    // Every prefix is either accepted or rejected with invalid_argument; nothing reads past the end.
    for (std::size_t length = 0; length < body.size(); ++length) {
        Arguments arguments;
        Files files;
        try {
            parse_multipart_form_data(kBoundary, body.substr(0, length), arguments, files);
        } catch (const std::invalid_argument&) {
        }
    }
    Arguments arguments;
    Files files;
    CHECK_THROWS_AS(parse_multipart_form_data("b", std::string(10000, '-') + "b", arguments, files),
                    std::invalid_argument);
    CHECK_THROWS_AS(parse_multipart_form_data("b", "--b\r\n" + std::string(10000, '\r'), arguments, files),
                    std::invalid_argument);
    // An unterminated quoted name is taken literally, as Tornado does.
    const std::string unterminated_name = "\"" + std::string(1001, '\\');
    parse_multipart_form_data("b", "--b\r\nContent-Disposition: form-data; name=" + unterminated_name + "\r\n\r\nx\r\n--b--",
                              arguments, files);
    CHECK(arguments[unterminated_name] == Values{"x"});
}

TEST_CASE("reason_phrase uses Python's http.HTTPStatus phrases", "[httputil]") {
    CHECK(reason_phrase(100) == "Continue");
    CHECK(reason_phrase(200) == "OK");
    CHECK(reason_phrase(204) == "No Content");
    CHECK(reason_phrase(302) == "Found");
    CHECK(reason_phrase(304) == "Not Modified");
    CHECK(reason_phrase(404) == "Not Found");
    CHECK(reason_phrase(405) == "Method Not Allowed");
    CHECK(reason_phrase(413) == "Request Entity Too Large");
    CHECK(reason_phrase(414) == "Request-URI Too Long");
    CHECK(reason_phrase(416) == "Requested Range Not Satisfiable");
    CHECK(reason_phrase(418) == "I'm a Teapot");
    CHECK(reason_phrase(431) == "Request Header Fields Too Large");
    CHECK(reason_phrase(500) == "Internal Server Error");
    CHECK(reason_phrase(511) == "Network Authentication Required");
    CHECK(reason_phrase(299) == "Unknown");
    CHECK(reason_phrase(0) == "Unknown");
    CHECK(reason_phrase(-1) == "Unknown");
}

TEST_CASE("format_timestamp writes RFC 7231 dates in GMT", "[httputil]") {
    using std::chrono::seconds;
    using std::chrono::system_clock;
    CHECK(format_timestamp(system_clock::time_point{}) == "Thu, 01 Jan 1970 00:00:00 GMT");
    CHECK(format_timestamp(system_clock::time_point{seconds{1795710650}}) == "Thu, 26 Nov 2026 16:30:50 GMT");
    CHECK(format_timestamp(system_clock::time_point{seconds{951782400}}) == "Tue, 29 Feb 2000 00:00:00 GMT");
    CHECK(format_timestamp(system_clock::time_point{std::chrono::milliseconds{1999}}) ==
          "Thu, 01 Jan 1970 00:00:01 GMT");
}

TEST_CASE("parse_uri_and_host splits the URI and reads the Host header", "[httputil]") {
    HTTPServerRequest request;
    request.uri = "/search?q=tornado+web&page=2&q=%E4%BD%A0";
    request.headers.add("Host", "Example.COM:8888");
    request.parse_uri_and_host();
    CHECK(request.path == "/search");
    CHECK(request.query == "q=tornado+web&page=2&q=%E4%BD%A0");
    CHECK(request.query_arguments["q"] == Values{"tornado web", "你"});
    CHECK(request.arguments == request.query_arguments);
    CHECK(request.host == "Example.COM:8888");
    CHECK(request.host_name == "example.com");
    CHECK(request.full_url() == "http://Example.COM:8888/search?q=tornado+web&page=2&q=%E4%BD%A0");
}

TEST_CASE("parse_uri_and_host without a query or Host header", "[httputil]") {
    HTTPServerRequest request;
    request.uri = "/plain";
    request.parse_uri_and_host();
    CHECK(request.path == "/plain");
    CHECK(request.query.empty());
    CHECK(request.arguments.empty());
    CHECK(request.host == "127.0.0.1");
    CHECK(request.host_name == "127.0.0.1");

    request.uri = "/?";
    request.headers.set("Host", "");
    request.parse_uri_and_host();
    CHECK(request.path == "/");
    CHECK(request.query.empty());
    CHECK(request.host == "127.0.0.1");
}

TEST_CASE("parse_uri_and_host strips the port from IPv6 and named hosts", "[httputil]") {
    auto host_name_of = [](const std::string& host) {
        HTTPServerRequest request;
        request.uri = "/";
        request.headers.add("Host", host);
        request.parse_uri_and_host();
        return request.host_name;
    };
    CHECK(host_name_of("[::1]:8000") == "::1");
    CHECK(host_name_of("[::1]") == "::1");
    CHECK(host_name_of("[FE80::1]:80") == "fe80::1");
    CHECK(host_name_of("localhost") == "localhost");
    CHECK(host_name_of("localhost:") == "localhost:");
    CHECK(host_name_of("host:port") == "host:port");
    CHECK(host_name_of("10.0.0.1:80") == "10.0.0.1");
}

TEST_CASE("parse_body adds body arguments to the query arguments", "[httputil]") {
    HTTPServerRequest request;
    request.uri = "/form?a=query";
    request.headers.add("Content-Type", "application/x-www-form-urlencoded");
    request.body = "a=body&b=2";
    request.parse_uri_and_host();
    request.parse_body();
    CHECK(request.arguments["a"] == Values{"query", "body"});
    CHECK(request.arguments["b"] == Values{"2"});
    CHECK(request.query_arguments["a"] == Values{"query"});
    CHECK(request.body_arguments["a"] == Values{"body"});
    CHECK(request.body_arguments.count("b") == 1);
}

TEST_CASE("parse_body reads multipart uploads and reports malformed ones", "[httputil]") {
    HTTPServerRequest request;
    request.headers.add("Content-Type", "multipart/form-data; boundary=" + kBoundary);
    request.body = form_part(R"(form-data; name="file"; filename="a.png")", "\x89PNG", "Content-Type: image/png\r\n") +
                   form_end();
    request.parse_body();
    REQUIRE(request.files["file"].size() == 1);
    CHECK(request.files["file"][0].content_type == "image/png");
    CHECK(request.files["file"][0].body == "\x89PNG");

    HTTPServerRequest broken;
    broken.headers.add("Content-Type", "multipart/form-data; boundary=" + kBoundary);
    broken.body = form_part(R"(form-data; name="a")", "1");
    CHECK_THROWS_AS(broken.parse_body(), std::invalid_argument);
}

TEST_CASE("request_time measures until now or until mark_finished", "[httputil]") {
    HTTPServerRequest request;
    request.start_time = std::chrono::steady_clock::now() - std::chrono::milliseconds(1500);
    const double running = request.request_time();
    CHECK(running >= 1.5);
    CHECK(running < 60.0);
    request.mark_finished();
    const double finished = request.request_time();
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    CHECK(request.request_time() == finished);
    CHECK(finished >= running);
}
