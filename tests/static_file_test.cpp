// StaticFileHandler and static_url over real HTTP, on files each test creates in a temporary
// directory: content and MIME types, validators and 304, versioned URLs, byte ranges, HEAD,
// directories, path traversal, and streaming large files to fast and vanishing clients.
#include <tornado/concurrent.hpp>
#include <tornado/log.hpp>
#include <tornado/testing.hpp>
#include <tornado/web.hpp>

#include <catch2/catch.hpp>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <future>
#include <random>

using namespace tornado;
using testing::FetchOptions;
using namespace std::chrono_literals;
namespace fs = std::filesystem;

namespace {
const std::string secret = "TOP-SECRET-CONTENT-never-served";
const std::string hello_md5 = "5d41402abc4b2a76b9719d911017c592";

fs::path make_temporary_directory() {
    auto pattern = (fs::temp_directory_path() / "tornado-static-XXXXXX").string();
    if (!::mkdtemp(pattern.data())) throw std::runtime_error("mkdtemp failed");
    return pattern;
}

std::string random_bytes(std::size_t size) {
    std::mt19937 generator(42);
    std::string bytes(size, '\0');
    for (auto& byte : bytes) byte = static_cast<char>(generator());
    return bytes;
}

// Serves DIR/root through static_path; DIR/secret.txt sits next to the root and must never be
// served. The directory goes when the test ends.
struct StaticTest : testing::AsyncHTTPTestCase {
    fs::path dir = make_temporary_directory();
    fs::path root = dir / "root";
    std::vector<web::URLSpec> routes;
    web::Settings settings;

    StaticTest() {
        fs::create_directory(root);
        std::ofstream(dir / "secret.txt") << secret;
        settings.static_path = root.string();
    }
    ~StaticTest() override {
        std::error_code ignored;
        fs::remove_all(dir, ignored);
    }
    std::unique_ptr<web::Application> get_app() override {
        return std::make_unique<web::Application>(std::move(routes), settings);
    }

    void put(const fs::path& relative, std::string_view content) {
        auto path = root / relative;
        fs::create_directories(path.parent_path());
        std::ofstream(path, std::ios::binary) << content;
    }
    httpclient::HTTPResponse fetch_with(std::string_view path, std::string header, std::string value,
                                     std::string method = "GET") {
        FetchOptions options{std::move(method), "", {}};
        options.headers.set(header, value);
        return fetch(path, options);
    }
};

// Silences the warnings that refused requests log, for as long as it lives.
struct QuietLogs {
    QuietLogs() { log::set_level(log::Level::none); }
    ~QuietLogs() { log::set_level(log::Level::info); }
};

std::vector<std::string> captured_log;
struct CapturedLogs {
    CapturedLogs() {
        captured_log.clear();
        log::set_sink([](std::string_view line) { captured_log.emplace_back(line); });
    }
    ~CapturedLogs() { log::set_sink(nullptr); }
};

struct CatchAll : web::RequestHandler {
    void get(const std::string&) { write("the app"); }
};

struct StaticUrls : web::RequestHandler {
    void get() {
        auto path = get_argument("path");
        write(static_url(path) + "|" + static_url(path, false));
    }
};
}  // namespace

// --- content and types ---

TEST_CASE_METHOD(StaticTest, "files are served whole with the MIME type /etc/mime.types gives their extension") {
    // What Tornado sends for these names (Python's mimetypes over Debian's media-types 10).
    const std::vector<std::pair<std::string, std::string>> files = {
        {"index.html", "text/html"},          {"page.HTM", "text/html"},
        {"css/site.css", "text/css"},         {"app.js", "text/javascript"},
        {"module.mjs", "text/javascript"},    {"data.json", "application/json"},
        {"app.js.map", "application/octet-stream"}, {"notes.txt", "text/plain"},
        {"feed.xml", "application/xml"},      {"logo.svg", "image/svg+xml"},
        {"img/a.png", "image/png"},           {"photo.JPG", "image/jpeg"},
        {"photo.jpeg", "image/jpeg"},         {"anim.gif", "image/gif"},
        {"pic.webp", "image/webp"},           {"icon.ico", "image/vnd.microsoft.icon"},
        {"font.woff", "font/woff"},           {"font.woff2", "font/woff2"},
        {"paper.pdf", "application/pdf"},     {"prog.wasm", "application/wasm"},
        {"clip.mp4", "video/mp4"},            {"MOVIE.MP4", "video/mp4"},
        {"table.csv", "text/csv"},            {"archive.zip", "application/zip"},
        {"image.avif", "image/avif"},         {".config.json", "application/json"},
        // Compressed files: gzip has a type of its own (RFC 6713), other compressions none.
        {"site.css.gz", "application/gzip"},  {"bundle.tgz", "application/gzip"},
        {"logo.svgz", "application/gzip"},    {"dump.tar.bz2", "application/octet-stream"},
        {"old.Z", "application/octet-stream"},
        {"blob.bin", "application/octet-stream"}, {"README", "application/octet-stream"},
        {".hidden", "application/octet-stream"},
    };
    for (const auto& [name, type] : files) put(name, "content of " + name);
    for (const auto& [name, type] : files) {
        auto response = fetch("/static/" + name);
        INFO(name);
        CHECK(response.code == 200);
        CHECK(response.body == "content of " + name);
        CHECK(response.headers.get("Content-Type") == type);
        CHECK(response.headers.get("Content-Length") == std::to_string(response.body.size()));
        CHECK(response.headers.get("Accept-Ranges") == "bytes");
        CHECK_FALSE(response.headers.contains("Cache-Control"));
    }
    CHECK(fetch("/static/missing.txt").code == 404);
    CHECK(fetch("/static/css/missing/deeper.css").code == 404);
    CHECK(fetch("/static/index.html/child").code == 404);
}

namespace {
// What Tornado's StaticFileHandler.get_content_type answers for each name, from Python's
// mimetypes on this machine.
std::vector<std::string> tornado_content_types(const std::vector<std::string>& names) {
    std::string command =
        "/usr/bin/python3 -c '\n"
        "import mimetypes, sys\n"
        "for name in sys.argv[1:]:\n"
        "    mime, encoding = mimetypes.guess_type(name)\n"
        "    print(\"application/gzip\" if encoding == \"gzip\" else\n"
        "          \"application/octet-stream\" if encoding else mime or \"application/octet-stream\")\n"
        "'";
    for (const auto& name : names) command += " " + name;
    std::unique_ptr<FILE, int (*)(FILE*)> python(::popen(command.c_str(), "r"), ::pclose);
    REQUIRE(python);
    std::vector<std::string> types;
    char line[256];
    while (std::fgets(line, sizeof line, python.get())) types.emplace_back(line, std::strcspn(line, "\n"));
    return types;
}
}  // namespace

TEST_CASE_METHOD(StaticTest, "Content-Type matches what Python's Tornado sends for the same file name") {
    const std::vector<std::string> names = {
        "a.mp4", "b.csv", "c.zip", "d.avif", "e.css", "f.js", "g.html", "h.svg", "i.json", "j.CSV", "k.Mp4",
        "l.webm", "m.ogg", "n.mp3", "o.otf", "p.ttf", "q.tar", "r.tar.gz", "s.TGZ", "t.gz", "u.css.br", "v.xz",
        "w.Z", "x.z", "y.md", "z.webmanifest", "no_extension", "trailing.", "two.dots.txt",
    };
    auto expected = tornado_content_types(names);
    REQUIRE(expected.size() == names.size());
    for (const auto& name : names) put(name, "x");
    for (std::size_t i = 0; i < names.size(); ++i) {
        INFO(names[i]);
        CHECK(fetch("/static/" + names[i]).headers.get("Content-Type") == expected[i]);
    }
}

TEST_CASE_METHOD(StaticTest, "binary content arrives byte for byte") {
    auto bytes = random_bytes(1000);
    bytes[0] = '\0';
    put("raw.bin", bytes);
    CHECK(fetch("/static/raw.bin").body == bytes);
}

TEST_CASE_METHOD(StaticTest, "static_path also serves /favicon.ico and /robots.txt, ahead of the app's routes") {
    put("favicon.ico", "icon");
    put("robots.txt", "User-agent: *");
    routes.push_back(web::url<CatchAll>(R"(/(.*))"));
    auto icon = fetch("/favicon.ico");
    CHECK(icon.body == "icon");
    CHECK(icon.headers.get("Content-Type") == "image/vnd.microsoft.icon");
    CHECK(fetch("/robots.txt").body == "User-agent: *");
    CHECK(fetch("/other").body == "the app");
}

TEST_CASE_METHOD(StaticTest, "static_url_prefix moves the static route") {
    put("app.css", "body {}");
    settings.static_url_prefix = "/assets/v1.0/";
    CHECK(fetch("/assets/v1.0/app.css").body == "body {}");
    CHECK(fetch("/assets/v1x0/app.css").code == 404);  // the prefix is literal, '.' included
    CHECK(fetch("/static/app.css").code == 404);
}

TEST_CASE_METHOD(StaticTest, "a static_url_prefix with regex characters matches only itself") {
    put("app.css", "body {}");
    settings.static_url_prefix = "/a+b(c)$*.d/";  // as a pattern, $ would match nothing here
    CHECK(fetch("/a+b(c)$*.d/app.css").body == "body {}");
    CHECK(fetch("/aab(c)$*.d/app.css").code == 404);
    CHECK(fetch("/a+bc$*xd/app.css").code == 404);
}

TEST_CASE_METHOD(StaticTest, "without static_path there are no static routes") {
    put("app.css", "body {}");
    settings.static_path.clear();
    CHECK(fetch("/static/app.css").code == 404);
}

// --- validators and 304 ---

namespace {
void set_modified(const fs::path& path) {
    using namespace std::chrono;
    auto when = sys_days{year{2021} / 3 / 4} + 5h + 6min + 7s;
    fs::last_write_time(path, file_clock::from_sys(when));
}
const std::string modified_text = "Thu, 04 Mar 2021 05:06:07 GMT";
}  // namespace

TEST_CASE_METHOD(StaticTest, "Etag is the quoted content hash and Last-Modified the file's mtime") {
    put("hello.txt", "hello");
    set_modified(root / "hello.txt");
    auto response = fetch("/static/hello.txt");
    CHECK(response.headers.get("Etag") == "\"" + hello_md5 + "\"");
    CHECK(response.headers.get("Last-Modified") == modified_text);
}

TEST_CASE_METHOD(StaticTest, "a matching If-None-Match gets 304 without a body") {
    put("hello.txt", "hello");
    auto etag = fetch("/static/hello.txt").headers.get("Etag");
    for (const auto& matching : {etag, "W/" + etag, "\"other\", " + etag, std::string("*")}) {
        auto response = fetch_with("/static/hello.txt", "If-None-Match", matching);
        INFO(matching);
        CHECK(response.code == 304);
        CHECK(response.body.empty());
        CHECK(response.headers.get("Etag") == etag);
        CHECK_FALSE(response.headers.contains("Content-Type"));
        CHECK_FALSE(response.headers.contains("Content-Length"));
    }
    CHECK(fetch_with("/static/hello.txt", "If-None-Match", "\"other\"").code == 200);
    auto head = fetch_with("/static/hello.txt", "If-None-Match", etag, "HEAD");
    CHECK(head.code == 304);
}

TEST_CASE_METHOD(StaticTest, "If-Modified-Since at or after the mtime gets 304, unless If-None-Match decides") {
    put("hello.txt", "hello");
    set_modified(root / "hello.txt");
    CHECK(fetch_with("/static/hello.txt", "If-Modified-Since", modified_text).code == 304);
    CHECK(fetch_with("/static/hello.txt", "If-Modified-Since", "Thu, 04 Mar 2021 05:06:08 GMT").code == 304);
    CHECK(fetch_with("/static/hello.txt", "If-Modified-Since", "Sat, 01 Jan 2050 00:00:00 GMT").code == 304);
    auto older = fetch_with("/static/hello.txt", "If-Modified-Since", "Thu, 04 Mar 2021 05:06:06 GMT");
    CHECK(older.code == 200);
    CHECK(older.body == "hello");
    CHECK(fetch_with("/static/hello.txt", "If-Modified-Since", "not a date").code == 200);
    CHECK(fetch_with("/static/hello.txt", "If-Modified-Since", "Thu, 04 Mar 2021").code == 200);

    FetchOptions both;
    both.headers.set("If-Modified-Since", modified_text);
    both.headers.set("If-None-Match", "\"stale\"");
    CHECK(fetch("/static/hello.txt", both).code == 200);
}

// --- static_url and caching ---

TEST_CASE_METHOD(StaticTest, "static_url adds the content hash as ?v=") {
    put("hello.txt", "hello");
    put("css/site.css", "hello");
    routes.push_back(web::url<StaticUrls>("/url"));
    CHECK(fetch("/url?path=hello.txt").body == "/static/hello.txt?v=" + hello_md5 + "|/static/hello.txt");
    CHECK(fetch("/url?path=css/site.css").body == "/static/css/site.css?v=" + hello_md5 + "|/static/css/site.css");
}

TEST_CASE_METHOD(StaticTest, "static_url of a missing file has no version and logs an error once") {
    routes.push_back(web::url<StaticUrls>("/url"));
    CapturedLogs logs;
    CHECK(fetch("/url?path=missing.css").body == "/static/missing.css|/static/missing.css");
    CHECK(fetch("/url?path=missing.css").body == "/static/missing.css|/static/missing.css");
    auto errors = std::count_if(captured_log.begin(), captured_log.end(), [](const std::string& line) {
        return line.find("Could not open static file") != std::string::npos && line.find("missing.css") != std::string::npos;
    });
    CHECK(errors == 1);
}

TEST_CASE_METHOD(StaticTest, "static_url follows static_url_prefix") {
    put("hello.txt", "hello");
    settings.static_url_prefix = "/assets/";
    routes.push_back(web::url<StaticUrls>("/url"));
    auto url = fetch("/url?path=hello.txt").body;
    CHECK(url == "/assets/hello.txt?v=" + hello_md5 + "|/assets/hello.txt");
    CHECK(fetch(url.substr(0, url.find('|'))).body == "hello");
}

TEST_CASE_METHOD(StaticTest, "versions are remembered, except in debug mode where edits show at once") {
    put("hello.txt", "hello");
    routes.push_back(web::url<StaticUrls>("/url"));
    bool debug = GENERATE(false, true);
    settings.debug = debug;
    CHECK(fetch("/url?path=hello.txt").body.starts_with("/static/hello.txt?v=" + hello_md5));
    put("hello.txt", "hello, edited");
    const std::string edited_md5 = "366813e705dcd3ad76b88e29f2d690fb";
    CHECK(fetch("/url?path=hello.txt").body.starts_with("/static/hello.txt?v=" + (debug ? edited_md5 : hello_md5)));
}

TEST_CASE_METHOD(StaticTest, "in debug mode a file is hashed again only when its size or mtime changed") {
    put("hello.txt", "hello");
    settings.debug = true;
    CHECK(fetch("/static/hello.txt").headers.get("Etag") == "\"" + hello_md5 + "\"");
    // Same size and mtime: the remembered hash stands, the content is not read again.
    auto modified = fs::last_write_time(root / "hello.txt");
    put("hello.txt", "jello");
    fs::last_write_time(root / "hello.txt", modified);
    CHECK(fetch("/static/hello.txt").headers.get("Etag") == "\"" + hello_md5 + "\"");
    put("hello.txt", "hello, edited");
    CHECK(fetch("/static/hello.txt").headers.get("Etag") == "\"366813e705dcd3ad76b88e29f2d690fb\"");
}

namespace {
// Keeps every executor thread waiting on a gate until open() (or the end of the test), so
// work queued after it, such as hashing a static file, cannot start before then.
class BusyExecutor {
public:
    explicit BusyExecutor(ioloop::IOLoop& loop) : loop_(loop) {
        for (std::size_t i = 0; i < blockers; ++i) loop_.spawn(block());
    }
    ~BusyExecutor() { open(); }
    BusyExecutor(const BusyExecutor&) = delete;
    BusyExecutor& operator=(const BusyExecutor&) = delete;

    void open() {
        if (!opened_) gate_.set_value();
        opened_ = true;
        loop_.run_until([this] { return finished_ == blockers; }, 10s);
    }

private:
    // As many as the loop's own executor has threads.
    const std::size_t blockers = concurrent::ThreadPoolExecutor::default_max_workers();

    asio::awaitable<void> block() {
        auto wait_for_gate = [signal = signal_] { signal.wait_for(10s); };
        co_await ioloop::IOLoop::current().run_in_executor(std::move(wait_for_gate));
        ++finished_;
    }

    ioloop::IOLoop& loop_;
    std::promise<void> gate_;
    std::shared_future<void> signal_ = gate_.get_future().share();
    bool opened_ = false;
    std::size_t finished_ = 0;
};

std::string etag_in(const std::string& head) {
    auto start = head.find("Etag: ");
    return start == std::string::npos ? "" : head.substr(start + 6, head.find("\r\n", start) - start - 6);
}
}  // namespace

TEST_CASE_METHOD(StaticTest, "a large file is hashed off the loop while other clients are answered") {
    // 64 MiB of zeros in a sparse file: nothing on disk, and a known MD5.
    const std::string zeros_md5 = "7f614da9329cd3aebf59b91aadc30bf0";
    int fd = ::open((root / "huge.bin").c_str(), O_CREAT | O_WRONLY | O_CLOEXEC, 0644);
    REQUIRE(fd >= 0);
    REQUIRE(::ftruncate(fd, 64 << 20) == 0);
    ::close(fd);
    put("small.txt", "small");
    routes.push_back(web::url<StaticUrls>("/url"));
    BusyExecutor busy(io_loop());

    auto first = connect();
    first.write("HEAD /static/huge.bin HTTP/1.1\r\nHost: x\r\n\r\n");
    auto second = connect();
    second.write("HEAD /static/huge.bin HTTP/1.1\r\nHost: x\r\n\r\n");
    // The hash cannot start yet, and the loop serves everyone else meanwhile.
    CHECK(fetch("/static/small.txt").body == "small");
    CHECK_THAT(fetch("/url?path=huge.bin").body,
               Catch::Matches(R"(/static/huge\.bin\?v=4000000-[0-9a-f]+\|/static/huge\.bin)"));
    CHECK(first.read_until("\r\n\r\n", 50ms).empty());

    busy.open();
    auto first_head = first.read_until("\r\n\r\n", 5s);
    CHECK_THAT(first_head, Catch::StartsWith("HTTP/1.1 200 OK"));
    CHECK(etag_in(first_head) == "\"" + zeros_md5 + "\"");
    CHECK(etag_in(second.read_until("\r\n\r\n", 5s)) == "\"" + zeros_md5 + "\"");
    // Once hashed, static_url has the hash too, and the Etag stays.
    CHECK(fetch("/url?path=huge.bin").body == "/static/huge.bin?v=" + zeros_md5 + "|/static/huge.bin");
    CHECK(fetch("/static/huge.bin", "HEAD").headers.get("Etag") == "\"" + zeros_md5 + "\"");
}

TEST_CASE_METHOD(StaticTest, "static_url without static_path is an error") {
    settings.static_path.clear();
    routes.push_back(web::url<StaticUrls>("/url"));
    QuietLogs quiet;
    CHECK(fetch("/url?path=hello.txt").code == 500);
}

TEST_CASE_METHOD(StaticTest, "a versioned URL may be cached for ten years, a plain one is not cached") {
    put("hello.txt", "hello");
    auto versioned = fetch("/static/hello.txt?v=" + hello_md5);
    CHECK(versioned.body == "hello");
    CHECK(versioned.headers.get("Cache-Control") == "max-age=315360000");
    auto expires = versioned.headers.get("Expires");
    auto year_now = static_cast<int>(std::chrono::year_month_day(std::chrono::floor<std::chrono::days>(
                                         std::chrono::system_clock::now())).year());
    CHECK_THAT(expires, Catch::EndsWith(" GMT"));
    CHECK_THAT(expires, Catch::Contains(std::to_string(year_now + 10)) || Catch::Contains(std::to_string(year_now + 9)));

    auto plain = fetch("/static/hello.txt");
    CHECK_FALSE(plain.headers.contains("Cache-Control"));
    CHECK_FALSE(plain.headers.contains("Expires"));
}

// --- byte ranges ---

TEST_CASE_METHOD(StaticTest, "a satisfiable single range is a 206 with Content-Range") {
    put("digits.txt", "0123456789");
    struct Case {
        std::string range, body, content_range;
    };
    for (const auto& [range, body, content_range] : {
             Case{"bytes=0-0", "0", "bytes 0-0/10"},          // the first byte
             Case{"bytes=9-9", "9", "bytes 9-9/10"},          // the last byte
             Case{"bytes=2-5", "2345", "bytes 2-5/10"},
             Case{"bytes=4-", "456789", "bytes 4-9/10"},      // open-ended
             Case{"bytes=9-", "9", "bytes 9-9/10"},
             Case{"bytes=-3", "789", "bytes 7-9/10"},         // a suffix
             Case{"bytes=-1", "9", "bytes 9-9/10"},
             Case{"bytes=7-100", "789", "bytes 7-9/10"},      // the end is capped at the file's
             Case{"bytes=0-99999999999999999999999", "0123456789", ""},
             Case{" bytes = 1-2 ", "12", "bytes 1-2/10"},
         }) {
        auto response = fetch_with("/static/digits.txt", "Range", range);
        INFO(range);
        CHECK(response.code == (content_range.empty() ? 200 : 206));
        CHECK(response.body == body);
        CHECK(response.headers.get("Content-Range") == content_range);
        CHECK(response.headers.get("Content-Length") == std::to_string(body.size()));
        CHECK(response.headers.get("Content-Type") == "text/plain");
    }
}

TEST_CASE_METHOD(StaticTest, "a range covering the whole file is a plain 200") {
    put("digits.txt", "0123456789");
    for (std::string range : {"bytes=0-", "bytes=0-9", "bytes=-10", "bytes=-20", "bytes=-99999999999999999999"}) {
        auto response = fetch_with("/static/digits.txt", "Range", range);
        INFO(range);
        CHECK(response.code == 200);
        CHECK(response.body == "0123456789");
        CHECK_FALSE(response.headers.contains("Content-Range"));
    }
}

TEST_CASE_METHOD(StaticTest, "an unsatisfiable range is a 416 naming the size") {
    put("digits.txt", "0123456789");
    for (std::string range : {"bytes=10-", "bytes=10-20", "bytes=99999999999999999999-", "bytes=-0", "bytes=5-2"}) {
        auto response = fetch_with("/static/digits.txt", "Range", range);
        INFO(range);
        CHECK(response.code == 416);
        CHECK(response.headers.get("Content-Range") == "bytes */10");
        CHECK(response.body.empty());
    }
}

TEST_CASE_METHOD(StaticTest, "a malformed or multiple Range header is ignored") {
    put("digits.txt", "0123456789");
    for (std::string range : {"bytes=abc", "bytes=1-x", "bytes=+1-2", "bytes=1--2", "items=0-1", "bytes 1-2", "bytes=5",
                              "bytes=", "bytes=1-2,4-5", "bytes=0-0, -1", ""}) {
        auto response = fetch_with("/static/digits.txt", "Range", range);
        INFO(range);
        CHECK(response.code == 200);
        CHECK(response.body == "0123456789");
        CHECK_FALSE(response.headers.contains("Content-Range"));
    }
}

TEST_CASE_METHOD(StaticTest, "an empty file is served empty, and no range of it is satisfiable") {
    put("empty.txt", "");
    auto whole = fetch("/static/empty.txt");
    CHECK(whole.code == 200);
    CHECK(whole.body.empty());
    CHECK(whole.headers.get("Content-Length") == "0");
    CHECK(whole.headers.get("Etag") == "\"d41d8cd98f00b204e9800998ecf8427e\"");
    for (std::string range : {"bytes=0-", "bytes=0-0", "bytes=-1"}) {
        auto response = fetch_with("/static/empty.txt", "Range", range);
        INFO(range);
        CHECK(response.code == 416);
        CHECK(response.headers.get("Content-Range") == "bytes */0");
    }
}

// --- HEAD ---

TEST_CASE_METHOD(StaticTest, "HEAD sends the headers with Content-Length and no body") {
    put("digits.txt", "0123456789");
    auto get = fetch("/static/digits.txt");
    auto head = fetch("/static/digits.txt", "HEAD");
    CHECK(head.code == 200);
    CHECK(head.body.empty());
    CHECK(head.headers.get("Content-Length") == "10");
    for (auto name : {"Etag", "Last-Modified", "Content-Type", "Accept-Ranges"}) {
        CHECK(head.headers.get(name) == get.headers.get(name));
    }
    auto part = fetch_with("/static/digits.txt", "Range", "bytes=2-5", "HEAD");
    CHECK(part.code == 206);
    CHECK(part.headers.get("Content-Length") == "4");
    CHECK(part.headers.get("Content-Range") == "bytes 2-5/10");
    CHECK(fetch("/static/missing.txt", "HEAD").code == 404);
}

TEST_CASE_METHOD(StaticTest, "after a HEAD the connection carries the next request cleanly") {
    put("digits.txt", "0123456789");
    auto client = connect();
    client.write("HEAD /static/digits.txt HTTP/1.1\r\nHost: x\r\n\r\n");
    auto head = client.read_until("\r\n\r\n");
    CHECK_THAT(head, Catch::StartsWith("HTTP/1.1 200 OK") && Catch::EndsWith("\r\n\r\n"));
    client.write("GET /static/digits.txt HTTP/1.1\r\nHost: x\r\n\r\n");
    auto response = client.read_until("0123456789");
    CHECK(response.substr(head.size()).starts_with("HTTP/1.1 200 OK"));
}

// --- directories ---

TEST_CASE_METHOD(StaticTest, "with default_filename a directory serves it, after a redirect to the slash URL") {
    put("index.html", "home");
    put("docs/index.html", "docs home");
    fs::create_directories(root / "bare");
    routes.push_back(web::url<web::StaticFileHandler>(R"(/site/(.*))", root.string(), std::string("index.html")));
    auto home = fetch("/site/");
    CHECK(home.body == "home");
    CHECK(home.headers.get("Content-Type") == "text/html");
    CHECK(fetch("/site/docs/").body == "docs home");
    CHECK(fetch("/site/docs/index.html").body == "docs home");
    auto redirect = fetch("/site/docs");
    CHECK(redirect.code == 301);
    CHECK(redirect.headers.get("Location") == "/site/docs/");
    CHECK(fetch("/site/docs?page=2").headers.get("Location") == "/site/docs/");
    CHECK(fetch("/site/bare/").code == 404);
}

TEST_CASE_METHOD(StaticTest, "a directory redirect never makes a protocol-relative URL") {
    fs::create_directories(root / "evil.example");
    routes.push_back(web::url<web::StaticFileHandler>(R"(/+(.*))", root.string(), std::string("index.html")));
    settings.static_path.clear();
    QuietLogs quiet;
    auto response = fetch("//evil.example");
    CHECK(response.code == 403);
    CHECK_FALSE(response.headers.contains("Location"));
}

TEST_CASE_METHOD(StaticTest, "without default_filename a directory is 403") {
    put("docs/index.html", "docs home");
    QuietLogs quiet;
    CHECK(fetch("/static/docs/").code == 403);
    CHECK(fetch("/static/docs").code == 403);
    CHECK(fetch("/static/").code == 403);
}

// --- staying inside the root ---

TEST_CASE_METHOD(StaticTest, "no path leads outside the root, however it is spelled") {
    put("hello.txt", "hello");
    fs::create_directories(root / "a");
    fs::create_symlink(dir / "secret.txt", root / "leak.txt");
    fs::create_directory_symlink(dir, root / "leakdir");
    auto absolute_secret = (dir / "secret.txt").string();
    std::string encoded_absolute;
    for (char c : absolute_secret) encoded_absolute += c == '/' ? std::string("%2F") : std::string(1, c);
    QuietLogs quiet;
    for (const auto& path : {
             std::string("/static/../secret.txt"),
             std::string("/static/%2e%2e/secret.txt"),
             std::string("/static/%2E%2E/secret.txt"),
             std::string("/static/..%2fsecret.txt"),
             std::string("/static/..%2Fsecret.txt"),
             std::string("/static/%2e%2e%2fsecret.txt"),
             std::string("/static/..%5csecret.txt"),
             std::string("/static/%5c..%5csecret.txt"),
             std::string("/static/a/../../secret.txt"),
             std::string("/static/a/%2e%2e/%2e%2e/secret.txt"),
             std::string("/static/%2e%2e"),
             std::string("/static/%2Fetc%2Fpasswd"),
             std::string("/static/") + encoded_absolute,
             std::string("/static//") + absolute_secret.substr(1),
             std::string("/static/leak.txt"),          // a symlink to a file outside
             std::string("/static/leakdir/secret.txt"),  // through a symlinked directory
             std::string("/static/hello.txt%00"),
             std::string("/static/hello.txt%00.png"),
             std::string("/static/%00../secret.txt"),
         }) {
        for (std::string method : {"GET", "HEAD"}) {
            auto response = fetch(path, method);
            INFO(method << " " << path);
            CHECK(response.code == 403);
            CHECK(response.body.find(secret) == std::string::npos);
            CHECK(response.body.find("root:") == std::string::npos);
        }
    }
}

TEST_CASE_METHOD(StaticTest, "paths that stay inside the root are served, symlinks within it too") {
    put("hello.txt", "hello");
    fs::create_directories(root / "a");
    fs::create_symlink(root / "hello.txt", root / "inside.txt");
    CHECK(fetch("/static/a/../hello.txt").body == "hello");
    CHECK(fetch("/static/./hello.txt").body == "hello");
    CHECK(fetch("/static/a//..//hello.txt").body == "hello");
    CHECK(fetch("/static/inside.txt").body == "hello");
}

TEST_CASE_METHOD(StaticTest, "a FIFO or other special file is refused, not waited on") {
    REQUIRE(::mkfifo((root / "pipe").c_str(), 0600) == 0);
    QuietLogs quiet;
    FetchOptions quick;
    quick.timeout = 2s;
    CHECK(fetch("/static/pipe", quick).code == 403);
}

// --- large files ---

TEST_CASE_METHOD(StaticTest, "a 5 MB file is streamed intact, and ranges across chunks are exact") {
    auto content = random_bytes(5 * 1024 * 1024 + 123);
    put("big.bin", content);
    auto response = fetch("/static/big.bin");
    CHECK(response.code == 200);
    CHECK(response.headers.get("Content-Length") == std::to_string(content.size()));
    CHECK(response.body.size() == content.size());
    CHECK(response.body == content);

    auto part = fetch_with("/static/big.bin", "Range", "bytes=65530-200000");
    CHECK(part.code == 206);
    CHECK(part.body == content.substr(65530, 200000 - 65530 + 1));
    auto tail = fetch_with("/static/big.bin", "Range", "bytes=-70000");
    CHECK(tail.body == content.substr(content.size() - 70000));
}

namespace {
int finished_downloads = 0;
struct CountingStaticFileHandler : web::StaticFileHandler {
    void on_finish() override { ++finished_downloads; }
};

// A client that reads only when asked, through a small receive buffer, so the server has to
// wait for it. Plain sockets: the library (asio.hpp precompiled first) and this file would
// configure asio's handler allocator differently, and ASan reports memory passing between them.
class SlowClient {
public:
    explicit SlowClient(std::uint16_t port) : fd_(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)) {
        int small = 16 * 1024;
        ::setsockopt(fd_, SOL_SOCKET, SO_RCVBUF, &small, sizeof small);
        sockaddr_in address{};
        address.sin_family = AF_INET;
        address.sin_port = htons(port);
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        if (::connect(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
            throw std::runtime_error("SlowClient: connect failed");
        }
        ::fcntl(fd_, F_SETFL, O_NONBLOCK);
    }
    ~SlowClient() { hang_up(); }
    SlowClient(const SlowClient&) = delete;
    SlowClient& operator=(const SlowClient&) = delete;

    // A request small enough for the socket buffer, so this never waits.
    void send(std::string_view request) { ::send(fd_, request.data(), request.size(), MSG_NOSIGNAL); }
    // Takes what has arrived without waiting: 0 when nothing has.
    std::size_t read_available() {
        char buffer[16 * 1024];
        auto received = ::recv(fd_, buffer, sizeof buffer, 0);
        return received > 0 ? static_cast<std::size_t>(received) : 0;
    }
    void hang_up() {
        if (fd_ >= 0) ::close(fd_);
        fd_ = -1;
    }

private:
    int fd_;
};
}  // namespace

TEST_CASE_METHOD(StaticTest, "a client that leaves mid-download does not disturb the server") {
    auto content = random_bytes(16 * 1024 * 1024);
    put("big.bin", content);
    routes.push_back(web::url<CountingStaticFileHandler>(R"(/counted/(.*))", root.string()));
    finished_downloads = 0;

    SlowClient client(get_http_port());
    client.send("GET /counted/big.bin HTTP/1.1\r\nHost: x\r\n\r\n");
    std::size_t received = 0;
    io_loop().run_until(
        [&] {
            received += client.read_available();
            return received >= 256 * 1024;
        },
        5s);
    REQUIRE(received >= 256 * 1024);
    // The server waits for this slow reader instead of reading the file ahead of it.
    io_loop().run_until([] { return false; }, 100ms);
    CHECK(finished_downloads == 0);

    client.hang_up();
    CHECK(io_loop().run_until([&] { return finished_downloads == 1 && http_server().connection_count() == 0; }, 5s));

    auto again = fetch("/counted/big.bin");
    CHECK(again.code == 200);
    CHECK(again.body == content);
    CHECK(finished_downloads == 2);
}
