// search_api: a stand-in for the Twitter search API that the book's tweet_rate.py asked (it is
// gone), slow on purpose. GET /search.json?q=X&rpp=N answers after --delay seconds, in the old
// API's shape: {"query": X, "results": [{"created_at": …, "from_user": …, "text": …}, …]},
// newest first. The posts are a number of seconds apart that depends on the query, so each
// query has a rate of its own. The wait is a sleep on the loop: the API serves every caller at
// once, as a real service would, and only a blocking client makes the rate samples slow.
#include <tornado/tornado.hpp>

#include <algorithm>
#include <ctime>
#include <string>

using namespace tornado;

// "Sun, 29 Nov 2026 17:20:00 +0000", the old API's created_at.
std::string created_at(std::time_t when) {
    std::tm utc{};
    gmtime_r(&when, &utc);
    char text[40];
    std::strftime(text, sizeof text, "%a, %d %b %Y %H:%M:%S +0000", &utc);
    return text;
}

struct SearchHandler : web::RequestHandler {
    double delay = 0;
    void initialize(double delay_seconds) { delay = delay_seconds; }

    asio::awaitable<void> get() {
        auto query = get_argument("q");
        auto count = std::clamp(get_argument("rpp", 15), 1, 100);
        co_await gen::sleep(delay);
        int seconds_apart = 1;
        for (unsigned char c : query) seconds_apart = (seconds_apart + c) % 10 + 1;
        auto newest = std::time(nullptr);
        auto results = nlohmann::json::array();
        for (int i = 0; i < count; ++i) {
            results.push_back({{"created_at", created_at(newest - i * seconds_apart)},
                               {"from_user", "reader" + std::to_string(i % 7)},
                               {"text", "post " + std::to_string(i) + " about " + query}});
        }
        write(nlohmann::json{{"query", query}, {"results", results}});
    }
};

int main(int argc, char** argv) {
    auto& port = options::define<std::uint16_t>("port", 8001, "run on the given port");
    auto& delay = options::define<double>("delay", 1.0, "seconds before each answer");
    options::parse_command_line(argc, argv);
    web::Application app({web::url<SearchHandler>("/search.json", delay)});
    httpserver::HTTPServer http_server(app);
    http_server.listen(port);
    ioloop::IOLoop::current().start();
}
