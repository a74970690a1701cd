// Routing (URLSpec, framework/src/url_spec.cpp): Python's pattern syntax matched by RE2, in time
// linear in the path and without recursion, so that 60 KB and 1 MB paths route like short ones;
// invalid patterns are refused when the route is built.
#include <tornado/log.hpp>
#include <tornado/testing.hpp>
#include <tornado/web.hpp>

#include <catch2/catch.hpp>

#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

using namespace tornado;

namespace {
using Kwargs = std::vector<std::pair<std::string, std::string>>;

// The two long paths every kind of route is tried with.
constexpr std::size_t sixty_kb = 60'000;
constexpr std::size_t one_mb = 1 << 20;

struct Literal : web::RequestHandler {
    void get() { write("literal"); }
};

// Each handler answers with its route's name and the lengths of its captures.
struct Reverse : web::RequestHandler {
    void get(const std::string& word) { write("reverse " + std::to_string(word.size())); }
};

struct Book : web::RequestHandler {
    void get(const std::string& id) {
        const bool named = path_kwargs().size() == 1 && path_kwargs()[0].first == "id";
        write(std::string(named ? "book id=" : "book ?=") + std::to_string(id.size()));
    }
};

struct Pair : web::RequestHandler {
    void get(const std::string& word, const std::string& number) {
        write("pair " + std::to_string(word.size()) + " " + std::to_string(number.size()));
    }
};

struct Fallback : web::RequestHandler {
    void get(const std::string& rest) { write("fallback " + std::to_string(rest.size())); }
};

struct NoArguments : web::RequestHandler {
    void get() {}
};

struct OpensTwo : web::RequestHandler {
    void open(const std::string&, const std::string&) {}
    void get() {}
};

struct GetAndPost : web::RequestHandler {
    void get(const std::string&) {}
    void post() {}
};

struct Match {
    bool matched = false;
    std::vector<std::string> args;
    Kwargs kwargs;
};

Match match(const web::URLSpec& spec, std::string_view path) {
    Match result;
    result.matched = spec.match(path, result.args, result.kwargs);
    return result;
}

// The message of the std::invalid_argument that building the route throws, or "" if none.
template <class Handler>
std::string route_error(const std::string& pattern) {
    try {
        web::url<Handler>(pattern);
    } catch (const std::invalid_argument& error) {
        return error.what();
    }
    return "";
}
}  // namespace

TEST_CASE("every kind of route matches 60 KB and 1 MB paths, or refuses them, correctly") {
    const auto literal = web::url<Literal>("/books");
    const auto positional = web::url<Reverse>(R"(/reverse/(\w+))");
    const auto named = web::url<Book>(R"(/book/(?P<id>[0-9]+))");
    const auto static_files = web::url<web::StaticFileHandler>("/static/(.*)", std::string("/nonexistent"));
    const auto two_groups = web::url<Pair>(R"(/pair/(\w+)/(\d+))");

    for (const std::size_t size : {sixty_kb, one_mb}) {
        INFO("path of " << size << " bytes");
        const std::string word(size, 'a');
        const std::string digits(size, '7');

        CHECK_FALSE(match(literal, "/books" + word).matched);
        CHECK(match(web::url<Literal>("/" + word), "/" + word).matched);

        const Match reversed = match(positional, "/reverse/" + word);
        CHECK(reversed.matched);
        CHECK(reversed.args == std::vector<std::string>{word});
        CHECK(reversed.kwargs.empty());
        CHECK_FALSE(match(positional, "/reverse/" + word + "-").matched);

        const Match book = match(named, "/book/" + digits);
        CHECK(book.matched);
        CHECK(book.args.empty());
        CHECK(book.kwargs == Kwargs{{"id", digits}});
        CHECK_FALSE(match(named, "/book/" + digits + "x").matched);

        const Match file = match(static_files, "/static/" + word + "/" + word);
        CHECK(file.matched);
        CHECK(file.args == std::vector<std::string>{word + "/" + word});

        const Match pair = match(two_groups, "/pair/" + word + "/" + digits);
        CHECK(pair.matched);
        CHECK(pair.args == std::vector<std::string>{word, digits});
        CHECK_FALSE(match(two_groups, "/pair/" + word + "/" + word).matched);
    }
}

TEST_CASE("a pattern that makes backtracking engines explode is matched in linear time") {
    // (a|aa)+ can split a run of a's in exponentially many ways; RE2 never tries them one by one.
    const auto spec = web::url<NoArguments>("/(?:a|aa)+b");
    CHECK_FALSE(match(spec, "/" + std::string(sixty_kb, 'a') + "c").matched);
    CHECK(match(spec, "/" + std::string(sixty_kb, 'a') + "b").matched);
}

TEST_CASE("route patterns keep Python's syntax and matching rules") {
    SECTION("^ and $ may be written; the whole path must match either way") {
        const auto spec = web::url<Reverse>(R"(^/anchored/(\d+)$)");
        CHECK(match(spec, "/anchored/12").args == std::vector<std::string>{"12"});
        CHECK_FALSE(match(spec, "/anchored/12/").matched);
        CHECK_FALSE(match(web::url<Reverse>(R"(/prefix/(\d+))"), "/prefix/12x").matched);
        CHECK_FALSE(match(web::url<Literal>("/exact$"), "/exact/").matched);
        CHECK(match(web::url<Literal>("/exact$"), "/exact").matched);
    }
    SECTION("a pattern with named groups captures those only, as Tornado's path_kwargs") {
        const auto spec = web::url<Reverse>(R"(/(?P<word>\w+)/(\d+))");
        const Match result = match(spec, "/abc/42");
        CHECK(result.args.empty());
        CHECK(result.kwargs == Kwargs{{"word", "abc"}});
        CHECK(route_error<Pair>(R"(/(?P<word>\w+)/(\d+))") ==
              R"(route /(?P<word>\w+)/(\d+): the handler's GET method takes 2 arguments but the pattern has 1 named groups)");
    }
    SECTION("alternatives and lazy quantifiers take Python's leftmost-first choice") {
        const auto spec = web::url<Pair>("/(a+?)(a*)");
        CHECK(match(spec, "/aaa").args == std::vector<std::string>{"a", "aa"});
        const auto alternatives = web::url<Reverse>("/(a|ab)(?:c|bcd)");
        CHECK(match(alternatives, "/abcd").args == std::vector<std::string>{"a"});
    }
    SECTION("a group that takes no part in the match is captured as empty") {
        const auto spec = web::url<Reverse>(R"(/optional(/\d+)?)");
        CHECK(match(spec, "/optional").args == std::vector<std::string>{""});
        CHECK(match(spec, "/optional/5").args == std::vector<std::string>{"/5"});
    }
    SECTION("the path is matched byte by byte, as Tornado matches the undecoded path") {
        const auto any = web::url<Reverse>("/raw/(.+)");
        CHECK(match(any, "/raw/\xff\xfe").args == std::vector<std::string>{"\xff\xfe"});
        const auto one_byte = web::url<Reverse>("/raw/([^/])");
        CHECK_FALSE(match(one_byte, "/raw/\xc3\xa9").matched);  // é is two bytes
        CHECK(match(one_byte, "/raw/\xc3").matched);
    }
    SECTION("reverse_url still fills the groups of an anchored named pattern") {
        const auto spec = web::url<Book>(R"(^/book/(?P<id>[0-9]+)$)").named("book");
        CHECK(spec.reverse({"7"}) == "/book/7");
        CHECK(web::url<Pair>(R"(/pair/(\w+)/(\d+))").reverse({"a b", "9"}) == "/pair/a%20b/9");
        CHECK_THROWS_AS(web::url<Reverse>(R"(/(?:x|y)/(\d+))").reverse({"1"}), std::invalid_argument);
    }
}

TEST_CASE("an invalid route pattern is refused, naming the pattern and RE2's reason") {
    CHECK(route_error<Reverse>("/(unclosed") == "route /(unclosed: invalid regular expression: missing ): /(unclosed");
    CHECK(route_error<Literal>("/[z-a]") == "route /[z-a]: invalid regular expression: invalid character class range: z-a");
    // Python syntax RE2 lacks: backreferences and lookaround.
    CHECK(route_error<Reverse>(R"(/(a)\1)") == R"(route /(a)\1: invalid regular expression: invalid escape sequence: \1)");
    CHECK(route_error<Reverse>("/(?P<x>a)(?P=x)") ==
          "route /(?P<x>a)(?P=x): invalid regular expression: invalid perl operator: (?P");
    CHECK(route_error<Reverse>("/(?=a)(a)") == "route /(?=a)(a): invalid regular expression: invalid perl operator: (?=");
    CHECK(route_error<Reverse>("/(?<=a)(b)") == "route /(?<=a)(b): invalid regular expression: invalid perl operator: (?<");
    // The route list is built before the Application, so an invalid one stops its construction.
    CHECK_THROWS_AS(web::Application({web::url<Literal>("/"), web::url<Reverse>("/(broken")}), std::invalid_argument);
}

namespace {
// An application with one route of each kind, static files and a catch-all last, served with
// request-target and header limits large enough for a 1 MB path to reach the router.
struct LongPathTest : testing::AsyncHTTPTestCase {
    std::unique_ptr<web::Application> get_app() override {
        web::Settings settings;
        settings.static_path = std::string(TORNADO_SOURCE_DIR) + "/chapters/03-templates/bookstore/static";
        return std::make_unique<web::Application>(
            std::vector<web::URLSpec>{
                web::url<Literal>("/books"),
                web::url<Reverse>(R"(/reverse/(\w+))"),
                web::url<Book>(R"(/book/(?P<id>[0-9]+))"),
                web::url<Pair>(R"(/pair/(\w+)/(\d+))"),
                web::url<Fallback>("/(.*)"),
            },
            settings);
    }
    httpserver::HTTPServerOptions get_httpserver_options() override {
        httpserver::HTTPServerOptions options;
        options.max_header_size = 4 * one_mb;
        options.max_url_size = 4 * one_mb;
        return options;
    }
};

// The access log would print each long path in full; these tests check responses, not logs.
struct QuietLogs {
    log::Level saved = log::level();
    QuietLogs() { log::set_level(log::Level::none); }
    ~QuietLogs() { log::set_level(saved); }
};
}  // namespace

TEST_CASE("each method that takes captures is checked against the route, naming it") {
    CHECK(route_error<GetAndPost>(R"(/(\w+))") ==
          R"(route /(\w+): the handler's POST method takes 0 arguments but the pattern has 1 groups)");
    CHECK(route_error<OpensTwo>(R"(/(\w+))") ==
          R"(route /(\w+): the handler's open method takes 2 arguments but the pattern has 1 groups)");
    CHECK(route_error<OpensTwo>(R"(/(\w+)/(\w+))").empty());
    CHECK(route_error<Pair>(R"(/(?P<year>\d+))") ==
          R"(route /(?P<year>\d+): the handler's GET method takes 2 arguments but the pattern has 1 named groups)");
}

TEST_CASE_METHOD(LongPathTest, "60 KB and 1 MB paths reach the router over a socket and get its answer") {
    QuietLogs quiet;
    CHECK(fetch("/books").body == "literal");
    CHECK(fetch("/static/css/style.css").code == 200);
    for (const std::size_t size : {sixty_kb, one_mb}) {
        INFO("path of " << size << " bytes");
        const std::string word(size, 'a');
        const std::string digits(size, '7');
        const std::string length = std::to_string(size);

        CHECK(fetch("/books" + word).body == "fallback " + std::to_string(size + 5));
        CHECK(fetch("/reverse/" + word).body == "reverse " + length);
        CHECK(fetch("/reverse/" + word + "-").body == "fallback " + std::to_string(size + 9));
        CHECK(fetch("/book/" + digits).body == "book id=" + length);
        CHECK(fetch("/pair/" + word + "/" + digits).body == "pair " + length + " " + length);
        // The static route comes first and takes the path, not the fallback: no such file, 404
        // (also for a name longer than the system allows, as Tornado answers).
        const auto missing = fetch("/static/" + word);
        CHECK(missing.code == 404);
        CHECK(missing.body.find("fallback") == std::string::npos);
    }
    CHECK(fetch("/reverse/ok").body == "reverse 2");
}
