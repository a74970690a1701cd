// rate_blocking: the book's tweet_rate.py, the rate sample with a blocking fetch. While one
// request waits for the search API, the whole server waits with it: every other client queues
// behind it (the book's experiment; chapter 5's doc has the figures).
#include "../rate/tweet_rate.hpp"

using namespace tornado;

struct IndexHandler : web::RequestHandler {
    std::string api;
    void initialize(std::string search_api) { api = std::move(search_api); }

    void get() {
        auto query = get_argument("q");
        httpclient::HTTPClient client;
        auto response = client.fetch(search_url(api, query));
        write(rate_page(query, tweets_per_second(nlohmann::json::parse(response.body))));
    }
};

int main(int argc, char** argv) {
    auto& port = options::define<std::uint16_t>("port", 8000, "run on the given port");
    auto& api = options::define<std::string>("search_api", "http://127.0.0.1:8001/search.json", "the search API's URL");
    options::parse_command_line(argc, argv);
    web::Application app({web::url<IndexHandler>("/", api)});
    httpserver::HTTPServer http_server(app);
    http_server.listen(port);
    ioloop::IOLoop::current().start();
}
