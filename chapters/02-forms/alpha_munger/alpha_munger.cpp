// alpha_munger: replaces each word of one text with a random word of another text that starts
// with the same letter. Mustache has no logic, so the handler prepares what the book's
// template computed: for each line, its words with a replacement or marked unchanged.
#include <tornado/tornado.hpp>

#include <map>
#include <random>
#include <string>
#include <vector>

using namespace tornado;

namespace {
std::vector<std::string> split(const std::string& text, const std::string& separator) {
    std::vector<std::string> pieces;
    std::size_t start = 0, end;
    while ((end = text.find(separator, start)) != std::string::npos) {
        pieces.push_back(text.substr(start, end - start));
        start = end + separator.size();
    }
    pieces.push_back(text.substr(start));
    return pieces;
}

// The first character of a UTF-8 word (one code point, so "émile" starts with "é").
std::string first_letter(const std::string& word) {
    std::size_t length = 1;
    while (length < word.size() && (static_cast<unsigned char>(word[length]) & 0xC0) == 0x80) ++length;
    return word.substr(0, length);
}
}  // namespace

struct IndexHandler : web::RequestHandler {
    void get() { render("index.html"); }
};

struct MungedPageHandler : web::RequestHandler {
    std::map<std::string, std::vector<std::string>> map_by_first_letter(const std::string& text) {
        std::map<std::string, std::vector<std::string>> mapped;
        for (const auto& line : split(text, "\r\n")) {
            for (const auto& word : split(line, " ")) {
                if (!word.empty()) mapped[first_letter(word)].push_back(word);
            }
        }
        return mapped;
    }

    void post() {
        auto source_map = map_by_first_letter(get_argument("source"));
        static std::mt19937 random{std::random_device{}()};
        nlohmann::json lines = nlohmann::json::array();
        for (const auto& line : split(get_argument("change"), "\r\n")) {
            nlohmann::json words = nlohmann::json::array();
            for (const auto& word : split(line, " ")) {
                if (word.empty()) continue;
                auto choices = source_map.find(first_letter(word));
                if (choices == source_map.end()) {
                    words.push_back({{"word", word}});
                } else {
                    std::uniform_int_distribution<std::size_t> pick(0, choices->second.size() - 1);
                    words.push_back({{"word", word}, {"replacement", choices->second[pick(random)]}});
                }
            }
            lines.push_back({{"words", words}});
        }
        render("munged.html", {{"lines", lines}});
    }
};

int main(int argc, char** argv) {
    auto& port = options::define<std::uint16_t>("port", 8000, "run on the given port");
    options::parse_command_line(argc, argv);
    web::Application app({web::url<IndexHandler>("/"), web::url<MungedPageHandler>("/poem")},
                         {.template_path = source_dir() + "/templates", .static_path = source_dir() + "/static"});
    httpserver::HTTPServer http_server(app);
    http_server.listen(port);
    ioloop::IOLoop::current().start();
}
