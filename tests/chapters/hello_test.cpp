// chapters/01-hello/hello over real sockets: the book's curl session, options, keep-alive,
// pipelining, bodies and limits.
#include "sample.hpp"

#include <catch2/catch.hpp>

using tornado::testing::FetchOptions;
using tornado::testing::ServerProcess;

namespace {
ServerProcess start_hello(std::vector<std::string> args = {}) {
    return ServerProcess(sample_path("01-hello", "hello"), std::move(args));
}
}  // namespace

TEST_CASE("hello greets with the default and a given greeting") {
    auto hello = start_hello();
    auto plain = hello.fetch("/");
    CHECK(plain.code == 200);
    CHECK(plain.body == "Hello, friendly user!");
    CHECK(plain.headers.get("Content-Type") == "text/html; charset=UTF-8");
    CHECK(hello.fetch("/?greeting=Salutations").body == "Salutations, friendly user!");
    CHECK(hello.fetch("/?greeting=%E4%BD%A0%E5%A5%BD").body == "你好, friendly user!");
}

TEST_CASE("hello answers the status codes of chapter 1") {
    auto hello = start_hello();
    CHECK(hello.fetch("/nowhere").code == 404);
    auto post = hello.fetch("/", FetchOptions{"POST", "x=1", {}});
    CHECK(post.code == 405);
    CHECK(post.headers.get("Allow") == "GET");
    CHECK(hello.fetch("/", FetchOptions{"DELETE", "", {}}).code == 405);
    auto head = hello.fetch("/", FetchOptions{"HEAD", "", {}});
    CHECK(head.code == 405);
    CHECK(head.body.empty());
}

TEST_CASE("hello logs each request in Tornado's access-log format") {
    auto hello = start_hello();
    hello.fetch("/?greeting=Hi");
    hello.fetch("/missing");
    hello.stop();
    auto log = hello.output();
    CHECK_THAT(log, Catch::Contains("] 200 GET /?greeting=Hi (127.0.0.1) "));
    CHECK_THAT(log, Catch::Contains("] 404 GET /missing (127.0.0.1) "));
}

TEST_CASE("hello stops cleanly on SIGTERM") {
    auto hello = start_hello();
    CHECK(hello.fetch("/").code == 200);
    CHECK(hello.stop() == 0);
}

TEST_CASE("hello's options: --help lists --port, a bad option exits 2") {
    auto help = run_program(sample_path("01-hello", "hello"), "--help");
    CHECK(help.exit_code == 0);
    CHECK_THAT(help.output, Catch::Contains("--port"));
    CHECK_THAT(help.output, Catch::Contains("run on the given port"));
    CHECK_THAT(help.output, Catch::Contains("8000"));

    auto unknown = run_program(sample_path("01-hello", "hello"), "--nope=1");
    CHECK(unknown.exit_code == 2);
    CHECK_THAT(unknown.output, Catch::Contains("nope"));
    auto malformed = run_program(sample_path("01-hello", "hello"), "--port=eighty");
    CHECK(malformed.exit_code == 2);
    CHECK_THAT(malformed.output, Catch::Contains("port"));
    // A port is 16 bits: 70000 is refused, not wrapped around to 4464.
    auto out_of_range = run_program(sample_path("01-hello", "hello"), "--port=70000");
    CHECK(out_of_range.exit_code == 2);
    CHECK_THAT(out_of_range.output, Catch::Contains("Option 'port' expects an integer from 0 to 65535, got '70000'"));
}

TEST_CASE("hello on a port already taken logs one clear line and exits 1, without a core dump") {
    auto first = start_hello();
    auto second = run_program(sample_path("01-hello", "hello"), "--port=" + std::to_string(first.port()));
    CHECK(second.exit_code == 1);
    CHECK_THAT(second.output, Catch::Contains("Uncaught exception: cannot listen on 0.0.0.0:" +
                                              std::to_string(first.port()) + ": Address already in use"));
    CHECK_THAT(second.output, !Catch::Contains("terminate called"));
    CHECK(first.fetch("/").code == 200);
}

TEST_CASE("hello reuses one keep-alive connection and answers pipelined requests in order") {
    auto hello = start_hello();
    auto connection = hello.connect();
    connection.write("GET /?greeting=One HTTP/1.1\r\nHost: x\r\n\r\n");
    CHECK(connection.read_response().body == "One, friendly user!");
    connection.write("GET /?greeting=Two HTTP/1.1\r\nHost: x\r\n\r\n");
    CHECK(connection.read_response().body == "Two, friendly user!");

    connection.write("GET /?greeting=A HTTP/1.1\r\nHost: x\r\n\r\n"
                     "GET /nowhere HTTP/1.1\r\nHost: x\r\n\r\n"
                     "GET /?greeting=C HTTP/1.1\r\nHost: x\r\n\r\n");
    CHECK(connection.read_response().body == "A, friendly user!");
    CHECK(connection.read_response().code == 404);
    CHECK(connection.read_response().body == "C, friendly user!");
    CHECK(connection.is_open());
}

TEST_CASE("hello reads a chunked request body and a 10 MB body") {
    auto hello = start_hello();
    auto connection = hello.connect();
    // GET with a body is unusual but legal; the query argument still answers.
    connection.write("GET /?greeting=Chunked HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
                     "5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n");
    CHECK(connection.read_response().body == "Chunked, friendly user!");

    FetchOptions big{"GET", std::string(10 * 1024 * 1024, 'x'), {}};
    big.headers.set("Content-Length", std::to_string(big.body.size()));
    auto response = hello.fetch("/?greeting=Big", big);
    CHECK(response.code == 200);
    CHECK(response.body == "Big, friendly user!");
}

TEST_CASE("hello refuses a 200 MB body with 413 and keeps serving others") {
    auto hello = start_hello();
    auto connection = hello.connect();
    connection.write("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 209715200\r\n\r\n");
    connection.write(std::string(1024 * 1024, 'x'));  // the start of the body, sent anyway
    auto refused = connection.read_response();
    CHECK(refused.code == 413);
    CHECK(connection.read_until_close().has_value());
    CHECK(hello.fetch("/?greeting=Still").body == "Still, friendly user!");
    CHECK(hello.running());
}
