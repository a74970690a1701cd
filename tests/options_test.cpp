#include "tornado/options.hpp"

#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "tornado/log.hpp"

using namespace tornado;
using options::Error;
using options::OptionParser;
using Args = std::vector<std::string>;

namespace {

// Tests share the process-wide log level; each one that changes it puts it back.
struct RestoreLevel {
    log::Level saved = log::level();
    ~RestoreLevel() { log::set_level(saved); }
};

// The message of the Error that parsing args throws, or "" when nothing is thrown.
std::string error_from(OptionParser& parser, const Args& args) {
    try {
        parser.parse_command_line(args);
    } catch (const Error& error) {
        return error.what();
    }
    return "";
}

// A config file in the temporary directory, removed when the test ends.
struct TempFile {
    std::filesystem::path path;
    explicit TempFile(const std::string& contents)
        : path(std::filesystem::temp_directory_path() /
               ("options_test_" + std::to_string(getpid()) + ".conf")) {
        std::ofstream(path) << contents;
    }
    ~TempFile() { std::filesystem::remove(path); }
};

std::string config_error_from(OptionParser& parser, const std::string& path) {
    try {
        parser.parse_config_file(path);
    } catch (const Error& error) {
        return error.what();
    }
    return "";
}

struct ChildResult {
    int exit_code = -1;
    std::string out;
    std::string err;
};

std::string read_all(int fd) {
    std::string text;
    char buffer[4096];
    for (ssize_t got; (got = read(fd, buffer, sizeof buffer)) > 0;)
        text.append(buffer, static_cast<std::size_t>(got));
    close(fd);
    return text;
}

// Runs body in a forked child with stdout and stderr captured; body is expected to exit.
template <class Body>
ChildResult run_in_child(Body body) {
    std::cout.flush();
    std::fflush(nullptr);  // or the child would flush the parent's pending output again
    int out[2], err[2];
    REQUIRE(pipe(out) == 0);
    REQUIRE(pipe(err) == 0);
    const pid_t pid = fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
        dup2(out[1], STDOUT_FILENO);
        dup2(err[1], STDERR_FILENO);
        body();
        _exit(99);  // body returned instead of exiting
    }
    close(out[1]);
    close(err[1]);
    ChildResult result;
    result.out = read_all(out[0]);
    result.err = read_all(err[0]);
    int status = 0;
    waitpid(pid, &status, 0);
    if (WIFEXITED(status)) result.exit_code = WEXITSTATUS(status);
    return result;
}

}  // namespace

TEST_CASE("options: define returns the default and get finds it") {
    OptionParser parser;
    const int& port = parser.define("port", 8000, "run on the given port");
    const std::string& name = parser.define("name", "world");
    CHECK(port == 8000);
    CHECK(name == "world");
    CHECK(parser.get<int>("port") == 8000);
    CHECK(&parser.get<int>("port") == &port);
    CHECK(parser.contains("port"));
    CHECK(parser.contains("help"));
    CHECK_FALSE(parser.contains("nope"));
    CHECK_THROWS_AS(parser.get<int>("nope"), Error);
}

TEST_CASE("options: defining a name twice is an error") {
    OptionParser parser;
    parser.define("port", 1);
    CHECK_THROWS_AS(parser.define("port", 2), Error);
}

TEST_CASE("options: each type parses from the command line and updates references in place") {
    OptionParser parser;
    const bool& debug = parser.define("debug", false);
    const int& port = parser.define("port", 8000);
    const double& ratio = parser.define("ratio", 1.0);
    const std::string& name = parser.define("name", "world");

    const Args rest =
        parser.parse_command_line({"prog", "--debug", "--port=8080", "--ratio=0.25", "--name=Ada Lovelace"});
    CHECK(rest.empty());
    CHECK(debug);
    CHECK(port == 8080);
    CHECK(ratio == 0.25);
    CHECK(name == "Ada Lovelace");
    CHECK(&parser.get<int>("port") == &port);
}

TEST_CASE("options: a value may follow as the next argument") {
    OptionParser parser;
    const int& port = parser.define("port", 8000);
    const int& offset = parser.define("offset", 0);
    const std::string& name = parser.define("name", "");
    CHECK(parser.parse_command_line({"prog", "--port", "9000", "--offset", "-5", "--name", "x y", "file"}) ==
          Args{"file"});
    CHECK(port == 9000);
    CHECK(offset == -5);
    CHECK(name == "x y");
    CHECK(error_from(parser, {"prog", "--port"}) == "Option 'port' requires a value");
}

TEST_CASE("options: '-' and '_' are interchangeable in names") {
    OptionParser parser;
    const std::string& log_file = parser.define("log_file", "");
    const int& max_body = parser.define("max-body", 0);
    parser.parse_command_line({"prog", "--log-file=a.log", "--max_body=5"});
    CHECK(log_file == "a.log");
    CHECK(max_body == 5);
    parser.parse_command_line({"prog", "--log_file=b.log", "--max-body=6"});
    CHECK(log_file == "b.log");
    CHECK(max_body == 6);
    CHECK(parser.contains("log-file"));
    CHECK(parser.get<int>("max_body") == 6);
}

TEST_CASE("options: an unknown option is an error naming it") {
    OptionParser parser;
    CHECK(error_from(parser, {"prog", "--nope"}) == "Unrecognized command line option: 'nope'");
    CHECK(error_from(parser, {"prog", "--no_pe=1"}) == "Unrecognized command line option: 'no-pe'");
}

TEST_CASE("options: malformed ints are rejected and leave the value alone") {
    OptionParser parser;
    const int& port = parser.define("port", 8000);
    for (const char* bad : {"abc", "80x", "", "8.5", " 80", "-", "--5", "1-2"}) {
        INFO("value: '" << bad << "'");
        CHECK(error_from(parser, {"prog", std::string("--port=") + bad}) ==
              "Option 'port' expects an integer, got '" + std::string(bad) + "'");
        CHECK(port == 8000);
    }
    parser.parse_command_line({"prog", "--port=-1"});
    CHECK(port == -1);
}

TEST_CASE("options: an integer outside the option's type is an error naming the range") {
    OptionParser parser;
    const std::uint16_t& port = parser.define<std::uint16_t>("port", 8000);
    const int& count = parser.define("count", 1);
    const unsigned& workers = parser.define<unsigned>("workers", 4);
    const std::int64_t& offset = parser.define<std::int64_t>("offset", 0);
    const std::size_t& limit = parser.define<std::size_t>("limit", 10);

    CHECK(error_from(parser, {"prog", "--port=70000"}) == "Option 'port' expects an integer from 0 to 65535, got '70000'");
    CHECK(error_from(parser, {"prog", "--port=65536"}) == "Option 'port' expects an integer from 0 to 65535, got '65536'");
    CHECK(error_from(parser, {"prog", "--port=-1"}) == "Option 'port' expects an integer from 0 to 65535, got '-1'");
    CHECK(error_from(parser, {"prog", "--port", "http"}) == "Option 'port' expects an integer, got 'http'");
    CHECK(port == 8000);

    CHECK(error_from(parser, {"prog", "--count=1099511627776"}) ==
          "Option 'count' expects an integer from -2147483648 to 2147483647, got '1099511627776'");
    CHECK(error_from(parser, {"prog", "--count=-2147483649"}) ==
          "Option 'count' expects an integer from -2147483648 to 2147483647, got '-2147483649'");
    CHECK(count == 1);

    CHECK(error_from(parser, {"prog", "--workers=-3"}) == "Option 'workers' expects an integer from 0 to 4294967295, got '-3'");
    CHECK(error_from(parser, {"prog", "--workers=4294967296"}) ==
          "Option 'workers' expects an integer from 0 to 4294967295, got '4294967296'");
    CHECK(workers == 4);
    CHECK(error_from(parser, {"prog", "--offset=9223372036854775808"}) ==
          "Option 'offset' expects an integer from -9223372036854775808 to 9223372036854775807, got "
          "'9223372036854775808'");
    CHECK(error_from(parser, {"prog", "--limit=-1"}) ==
          "Option 'limit' expects an integer from 0 to 18446744073709551615, got '-1'");
    CHECK(limit == 10);

    // The edges of each range are accepted.
    parser.parse_command_line({"prog", "--port=65535", "--count=-2147483648", "--workers=4294967295",
                               "--offset=-9223372036854775808", "--limit=18446744073709551615"});
    CHECK(port == 65535);
    CHECK(count == -2147483648LL);
    CHECK(workers == 4294967295U);
    CHECK(offset == INT64_MIN);
    CHECK(limit == SIZE_MAX);
    parser.parse_command_line({"prog", "--port=0"});
    CHECK(port == 0);
}

TEST_CASE("options: a config file value outside the option's type names the file, line and range") {
    OptionParser parser;
    const std::uint16_t& port = parser.define<std::uint16_t>("port", 8000);
    TempFile file("port = 70000\n");
    CHECK(config_error_from(parser, file.path) ==
          file.path.string() + ":1: Option 'port' expects an integer from 0 to 65535, got '70000'");
    CHECK(port == 8000);
}

TEST_CASE("options: the free parse_command_line exits 2 on a port out of range") {
    const ChildResult result = run_in_child([] {
        options::define<std::uint16_t>("child_port", 8000);
        const char* argv[] = {"prog", "--child-port=70000"};
        options::parse_command_line(2, argv);
    });
    CHECK(result.exit_code == 2);
    CHECK(result.err == "error: Option 'child-port' expects an integer from 0 to 65535, got '70000'\n"
                        "run with --help to list the options\n");
}

TEST_CASE("options: doubles accept numbers only") {
    OptionParser parser;
    const double& ratio = parser.define("ratio", 0.5);
    parser.parse_command_line({"prog", "--ratio=1e3"});
    CHECK(ratio == 1000.0);
    CHECK(error_from(parser, {"prog", "--ratio=fast"}) == "Option 'ratio' expects a number, got 'fast'");
    CHECK(error_from(parser, {"prog", "--ratio=1.5s"}) != "");
    CHECK(ratio == 1000.0);
}

TEST_CASE("options: bool forms") {
    OptionParser parser;
    const bool& debug = parser.define("debug", false);
    const auto parsed = [&](const std::string& arg) {
        parser.parse_command_line({"prog", arg});
        return debug;
    };
    CHECK(parsed("--debug"));
    CHECK_FALSE(parsed("--debug=false"));
    CHECK(parsed("--debug=true"));
    CHECK_FALSE(parsed("--debug=0"));
    CHECK(parsed("--debug=1"));
    CHECK_FALSE(parsed("--debug=no"));
    CHECK(parsed("--debug=yes"));
    CHECK_FALSE(parsed("--debug=False"));
    CHECK(parsed("--debug=TRUE"));
    CHECK(error_from(parser, {"prog", "--debug=maybe"}) ==
          "Option 'debug' expects a boolean (true|false|yes|no|1|0), got 'maybe'");
    CHECK(debug);
}

TEST_CASE("options: a bare flag does not take the next argument") {
    OptionParser parser;
    const bool& debug = parser.define("debug", true);
    CHECK(parser.parse_command_line({"prog", "--debug", "false"}) == Args{"false"});
    CHECK(debug);
}

TEST_CASE("options: '--' and the first plain argument end the options") {
    OptionParser parser;
    const bool& debug = parser.define("debug", false);
    const int& port = parser.define("port", 1);
    CHECK(parser.parse_command_line({"prog", "--port=2", "--", "--debug", "x"}) == Args{"--debug", "x"});
    CHECK(port == 2);
    CHECK_FALSE(debug);
    CHECK(parser.parse_command_line({"prog", "a", "--port=3"}) == Args{"a", "--port=3"});
    CHECK(port == 2);
    CHECK(parser.parse_command_line({"prog"}).empty());
}

TEST_CASE("options: --help is reported, not acted on, by the parser") {
    OptionParser parser;
    CHECK_FALSE(parser.help_requested());
    CHECK(parser.parse_command_line({"prog", "--help", "rest"}) == Args{"rest"});
    CHECK(parser.help_requested());
}

TEST_CASE("options: print_help lists every option, sorted, with help and default") {
    OptionParser parser;
    parser.define("port", 8000, "run on the given port");
    parser.define("debug_mode", false, "reload on change");
    parser.define("ratio", 0.25);
    parser.define("template_path", "", "where templates live");
    parser.define("an_even_longer_option_name_indeed", 1, "x");
    parser.define<std::uint16_t>("listen_port", 8888, "a port");
    parser.define<long long>("offset", -9000000000LL);
    parser.define("motd", "hello", "a long help text that is wrapped because it does not fit in the column");
    std::ostringstream help;
    parser.print_help(help);
    const std::string text = help.str();

    CHECK(text.starts_with("Usage: "));
    CHECK(text.find(" [OPTIONS]\n\nOptions:\n\n") != std::string::npos);
    CHECK(text.find("\n  --port                           run on the given port (default 8000)\n") !=
          std::string::npos);
    CHECK(text.find("\n  --debug-mode                     reload on change (default false)\n") !=
          std::string::npos);
    CHECK(text.find("\n  --ratio                          (default 0.25)\n") != std::string::npos);
    CHECK(text.find("\n  --listen-port                    a port (default 8888)\n") != std::string::npos);
    CHECK(text.find("\n  --offset                         (default -9000000000)\n") != std::string::npos);
    CHECK(text.find("\n  --template-path                  where templates live\n") != std::string::npos);
    CHECK(text.find("\n  --help                           show this help information (default false)\n") !=
          std::string::npos);
    const std::string continuation(35, ' ');
    CHECK(text.find("\n  --an-even-longer-option-name-indeed \n" + continuation + "x (default 1)\n") !=
          std::string::npos);
    CHECK(text.find("\n  --motd                           a long help text that is wrapped because it\n"
                    "                                   does not fit in the column (default hello)\n") !=
          std::string::npos);

    std::vector<std::size_t> positions;
    for (const char* name :
         {"an-even-longer", "debug-mode", "help", "motd", "port", "ratio", "template-path"})
        positions.push_back(text.find("  --" + std::string(name)));
    CHECK(std::is_sorted(positions.begin(), positions.end()));
    CHECK(positions.front() != std::string::npos);
}

TEST_CASE("options: config file round trip") {
    OptionParser parser;
    const int& port = parser.define("port", 8000);
    const bool& debug = parser.define("debug", false);
    const double& ratio = parser.define("ratio", 1.0);
    const std::string& log_file = parser.define("log_file", "");
    const std::string& greeting = parser.define("greeting", "");
    const std::string& motto = parser.define("motto", "");
    const std::string& plain = parser.define("plain", "");
    TempFile file(
        "# server settings\n"
        "\n"
        "port = 9000\n"
        "  debug=True  \n"
        "ratio = 0.5  # a comment\n"
        "log-file = \"/var/log/app.log\"\n"
        "greeting = 'hello # not a comment'\n"
        "motto = \"a = b\"  # trailing comment\n"
        "plain = some words\n");
    parser.parse_config_file(file.path);
    CHECK(port == 9000);
    CHECK(debug);
    CHECK(ratio == 0.5);
    CHECK(log_file == "/var/log/app.log");
    CHECK(greeting == "hello # not a comment");
    CHECK(motto == "a = b");
    CHECK(plain == "some words");
}

TEST_CASE("options: config file errors name the file, line and option") {
    OptionParser parser;
    const int& port = parser.define("port", 8000);
    parser.define("name", "");

    CHECK(config_error_from(parser, "/nonexistent/app.conf") ==
          "cannot read config file /nonexistent/app.conf");
    {
        TempFile file("# comment\nport = 1\nnope = 2\n");
        CHECK(config_error_from(parser, file.path) == file.path.string() + ":3: unrecognized option 'nope'");
    }
    {
        TempFile file("port = 80x\n");
        CHECK(config_error_from(parser, file.path) ==
              file.path.string() + ":1: Option 'port' expects an integer, got '80x'");
    }
    {
        TempFile file("\nport 80\n");
        CHECK(config_error_from(parser, file.path) == file.path.string() + ":2: expected 'name = value'");
    }
    {
        TempFile file("name = \"open\n");
        CHECK(config_error_from(parser, file.path) == file.path.string() + ":1: unterminated quoted value");
    }
    {
        TempFile file("name = 'a' b\n");
        CHECK(config_error_from(parser, file.path) ==
              file.path.string() + ":1: unexpected text after the quoted value");
    }
    CHECK(port == 1);  // the line before the unknown name was applied
}

TEST_CASE("options: the logging option sets the log level") {
    RestoreLevel restore;
    OptionParser parser;
    const std::string& logging = parser.define("logging", "info");

    parser.parse_command_line({"prog", "--logging=debug"});
    CHECK(log::level() == log::Level::debug);
    parser.parse_command_line({"prog", "--logging", "warning"});
    CHECK(log::level() == log::Level::warning);

    TempFile file("logging = 'error'\n");
    parser.parse_config_file(file.path);
    CHECK(log::level() == log::Level::error);
    CHECK(logging == "error");

    CHECK(error_from(parser, {"prog", "--logging=loud"}) ==
          "Option 'logging' expects debug|info|warning|error|none, got 'loud'");
    CHECK(log::level() == log::Level::error);
    CHECK(logging == "error");
}

TEST_CASE("options: the global parser defines help and logging") {
    OptionParser& global = options::options();
    CHECK(&global == &options::options());
    CHECK(global.contains("help"));
    CHECK(options::get<std::string>("logging") == "info");
}

TEST_CASE("options: the free parse_command_line exits 2 on an error") {
    const ChildResult result = run_in_child([] {
        const char* argv[] = {"prog", "--nope"};
        options::parse_command_line(2, argv);
    });
    CHECK(result.exit_code == 2);
    CHECK(result.err ==
          "error: Unrecognized command line option: 'nope'\nrun with --help to list the options\n");
    CHECK(result.out.empty());
}

TEST_CASE("options: the free parse_command_line prints help and exits 0") {
    const ChildResult result = run_in_child([] {
        options::define("child_only", 7, "defined in the child");
        const char* argv[] = {"prog", "--help"};
        options::parse_command_line(2, argv);
    });
    CHECK(result.exit_code == 0);
    CHECK(result.out.find("Options:") != std::string::npos);
    CHECK(result.out.find("  --child-only                     defined in the child (default 7)\n") !=
          std::string::npos);
    CHECK(result.out.find("  --logging                        log level: debug|info|warning|error|none\n" +
                          std::string(35, ' ') + "(default info)\n") != std::string::npos);
    CHECK(result.err.empty());
}

TEST_CASE("options: the free parse_command_line returns the remaining arguments") {
    const ChildResult result = run_in_child([] {
        const char* argv[] = {"prog", "--logging=warning", "input.txt"};
        const Args rest = options::parse_command_line(3, argv);
        const bool ok = rest == Args{"input.txt"} && log::level() == log::Level::warning;
        std::_Exit(ok ? 0 : 1);
    });
    CHECK(result.exit_code == 0);
}

TEST_CASE("options: the free parse_config_file exits 2 on a missing file") {
    const ChildResult result = run_in_child([] { options::parse_config_file("/nonexistent/app.conf"); });
    CHECK(result.exit_code == 2);
    CHECK(result.err == "error: cannot read config file /nonexistent/app.conf\n");
}
