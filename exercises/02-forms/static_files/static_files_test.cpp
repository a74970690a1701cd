// exercises/02-forms/static_files: the page links its stylesheet, script and image through
// static_url (each URL with ?v=), and each link answers the file with its type and long caching.
#include "exercise_test.hpp"

#include <fstream>
#include <iterator>
#include <regex>
#include <string>

namespace {
// The Cache-Control a versioned URL gets: ten years (max-age=315360000).
const std::string ten_years = "max-age=" + std::to_string(tornado::web::StaticFileHandler::CACHE_MAX_AGE);

// The attribute of the first <tag …> in html that has it, as the HTML spells it.
std::string attribute(const std::string& html, const std::string& tag, const std::string& name) {
    const std::regex tag_pattern("<" + tag + R"(\b[^>]*>)");
    const std::regex attribute_pattern("\\s" + name + R"re(="([^"]*)")re");
    for (std::sregex_iterator found(html.begin(), html.end(), tag_pattern), end; found != end; ++found) {
        std::string text = found->str();
        std::smatch value;
        if (std::regex_search(text, value, attribute_pattern)) return value[1].str();
    }
    return "(no <" + tag + " " + name + "=\"…\">)";
}

// What the URL's ?v= says: the version static_url computed.
std::string version_of(const std::string& url) {
    auto at = url.find("?v=");
    return at == std::string::npos ? "" : url.substr(at + 3);
}

// The Etag the server sent for a static file: the file's content hash, without its quotes.
std::string content_hash(const tornado::httpclient::HTTPResponse& response) {
    auto etag = response.headers.get("Etag");
    return etag.size() >= 2 ? etag.substr(1, etag.size() - 2) : etag;
}

// The file under the exercise's static/ folder, as it is on disk.
std::string static_file(const std::string& relative) {
    std::ifstream file(EXERCISE_SOURCE_DIR "/static/" + relative, std::ios::binary);
    return {std::istreambuf_iterator<char>(file), std::istreambuf_iterator<char>()};
}

struct StaticFilesTest : ExerciseTest {
    // The page at /, which must render.
    std::string page() {
        auto page = fetch("/");
        INFO("a 500 here: static_url throws when the application has no static_path setting");
        REQUIRE(page.code == 200);
        return page.body;
    }

    // The linked url answers the file static/<file> with its content type, cached for ten years,
    // and its ?v= is the file's version.
    void check_served(const std::string& url, const std::string& file, const std::string& content_type) {
        REQUIRE_THAT(url, Catch::StartsWith("/static/" + file + "?v="));
        auto response = fetch(url);
        CHECK(response.code == 200);
        CHECK(response.body == static_file(file));
        CHECK(response.headers.get("Content-Type") == content_type);
        CHECK(response.headers.get("Cache-Control") == ten_years);
        INFO("?v= is the file's version: its content hash, which the server also sends as the Etag");
        CHECK(version_of(url) == content_hash(response));
    }
};
}  // namespace

TEST_CASE_METHOD(StaticFilesTest, "the page links its stylesheet in <head> through static_url") {
    auto body = page();
    auto head = body.substr(0, body.find("</head>"));
    INFO("static_url adds ?v= and the file's version to /static/css/site.css");
    CHECK_THAT(attribute(head, "link", "href"), Catch::StartsWith("/static/css/site.css?v="));
}

TEST_CASE_METHOD(StaticFilesTest, "the stylesheet's link answers the CSS, cached for ten years") {
    check_served(attribute(page(), "link", "href"), "css/site.css", "text/css");
}

TEST_CASE_METHOD(StaticFilesTest, "the script's link answers the JavaScript, cached for ten years") {
    check_served(attribute(page(), "script", "src"), "js/site.js", "text/javascript");
}

TEST_CASE_METHOD(StaticFilesTest, "the image's link answers the SVG, cached for ten years") {
    check_served(attribute(page(), "img", "src"), "images/logo.svg", "image/svg+xml");
}
