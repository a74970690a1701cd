// exercises/02-forms/upload: GET / is a multipart form, POST /upload lists each uploaded file with
// its name (escaped), its size in bytes and its content type, and answers 400 without a file.
#include "exercise_test.hpp"

#include <regex>
#include <string>
#include <vector>

using tornado::testing::form_post;

namespace {
// One part of a multipart/form-data body: an input's name, and for a file its filename and type.
struct Part {
    std::string name;
    std::string filename;
    std::string content_type;
    std::string body;
};

// A POST of parts as a browser sends a form with enctype="multipart/form-data": each part after a
// boundary line, with its headers, a blank line and its bytes; a closing boundary at the end.
tornado::testing::FetchOptions multipart_post(const std::vector<Part>& parts) {
    const std::string boundary = "----ExerciseBoundary2d6f8a";
    tornado::testing::FetchOptions options;
    options.method = "POST";
    options.headers.set("Content-Type", "multipart/form-data; boundary=" + boundary);
    for (const auto& part : parts) {
        options.body += "--" + boundary + "\r\n";
        options.body += "Content-Disposition: form-data; name=\"" + part.name + "\"; filename=\"" + part.filename + "\"\r\n";
        if (!part.content_type.empty()) options.body += "Content-Type: " + part.content_type + "\r\n";
        options.body += "\r\n" + part.body + "\r\n";
    }
    options.body += "--" + boundary + "--\r\n";
    return options;
}

// The page's first <tag …> whose text contains containing.
std::string tag_on(const std::string& page, const std::string& tag, const std::string& containing) {
    const std::regex pattern("<" + tag + R"(\b[^>]*>)");
    for (std::sregex_iterator found(page.begin(), page.end(), pattern), end; found != end; ++found) {
        if (found->str().find(containing) != std::string::npos) return found->str();
    }
    return "(no <" + tag + " " + containing + "> on the page)";
}
}  // namespace

TEST_CASE_METHOD(ExerciseTest, "the form at / sends files as multipart/form-data, several at once") {
    auto page = fetch("/");
    CHECK(page.code == 200);
    auto form = tag_on(page.body, "form", "");
    {
        INFO("without this enctype a browser sends only the file names, never the files");
        CHECK_THAT(form, Catch::Contains(R"(enctype="multipart/form-data")"));
    }
    auto file_input = tag_on(page.body, "input", R"(type="file")");
    CHECK_THAT(file_input, Catch::Contains(R"(name="file")"));
    CHECK_THAT(file_input, Catch::Contains("multiple"));
}

TEST_CASE_METHOD(ExerciseTest, "an uploaded file is listed with its name, size in bytes and content type") {
    auto page = fetch("/upload", multipart_post({{"file", "hello.txt", "text/plain", "Hello, world!\n"}}));
    CHECK(page.code == 200);
    CHECK(list_items(page.body) == std::vector<std::string>{"hello.txt: 14 bytes, text/plain"});
}

TEST_CASE_METHOD(ExerciseTest, "two files in one upload are both listed in order") {
    const std::string notes = "line one\r\nline two\r\n";
    const std::string png("\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 16);
    auto page = fetch("/upload", multipart_post({{"file", "notes.txt", "text/plain", notes},
                                                 {"file", "pixel.png", "image/png", png}}));
    CHECK(page.code == 200);
    INFO("a size counts every byte, the line breaks and the zero bytes too");
    CHECK(list_items(page.body) ==
          std::vector<std::string>{"notes.txt: 20 bytes, text/plain", "pixel.png: 16 bytes, image/png"});
}

TEST_CASE_METHOD(ExerciseTest, "a Chinese filename stays UTF-8, and its size counts bytes") {
    auto page = fetch("/upload", multipart_post({{"file", "你好.txt", "text/plain; charset=utf-8", "世界"}}));
    CHECK(page.code == 200);
    INFO("世界 is two characters but six bytes of UTF-8");
    CHECK(list_items(page.body) == std::vector<std::string>{"你好.txt: 6 bytes, text/plain; charset=utf-8"});
}

TEST_CASE_METHOD(ExerciseTest, "markup in a filename or a content type is escaped, so it stays text") {
    auto page = fetch("/upload", multipart_post({{"file", "<b>x</b>.txt", "text/<i>plain</i>", "bold?"}}));
    CHECK(page.code == 200);
    CHECK(list_items(page.body) ==
          std::vector<std::string>{"&lt;b&gt;x&lt;/b&gt;.txt: 5 bytes, text/&lt;i&gt;plain&lt;/i&gt;"});
    CHECK_THAT(page.body, !Catch::Contains("<b>"));
    CHECK_THAT(page.body, !Catch::Contains("<i>"));
}

TEST_CASE_METHOD(ExerciseTest, "an empty file is listed with 0 bytes") {
    auto page = fetch("/upload", multipart_post({{"file", "empty.txt", "text/plain", ""}}));
    CHECK(page.code == 200);
    CHECK(list_items(page.body) == std::vector<std::string>{"empty.txt: 0 bytes, text/plain"});
}

TEST_CASE_METHOD(ExerciseTest, "a post without a file answers 400 with a message") {
    SECTION("the form sent with no file chosen") {
        INFO("a browser then sends the input with an empty filename: an empty argument, not a file");
        auto page = fetch("/upload", multipart_post({{"file", "", "application/octet-stream", ""}}));
        CHECK(page.code == 400);
        CHECK_THAT(page.body, Catch::Contains("Choose at least one file"));
    }
    SECTION("a file under another input's name") {
        auto page = fetch("/upload", multipart_post({{"other", "hello.txt", "text/plain", "Hello"}}));
        CHECK(page.code == 400);
        CHECK_THAT(page.body, Catch::Contains("Choose at least one file"));
    }
    SECTION("an ordinary form post") {
        auto page = fetch("/upload", form_post("file=hello.txt"));
        CHECK(page.code == 400);
        CHECK_THAT(page.body, Catch::Contains("Choose at least one file"));
    }
}
