// rate: the book's tweet_rate_async.py. GET /?q=X asks the search API (the search_api sample)
// for the 100 newest posts about X and shows how many appear per second. The fetch is awaited:
// while the API takes its time, the loop serves every other request. rate_blocking is the same
// app with a blocking fetch, for the book's experiment: put both under load and compare. At most
// --max_clients fetches run at once (the others queue), over connections kept alive.
#include "tweet_rate.hpp"

using namespace tornado;

struct IndexHandler : web::RequestHandler {
    std::string api;
    void initialize(std::string search_api) { api = std::move(search_api); }

    asio::awaitable<void> get() {
        auto query = get_argument("q");
        httpclient::AsyncHTTPClient client;
        auto response = co_await client.fetch(search_url(api, query));
        write(rate_page(query, tweets_per_second(nlohmann::json::parse(response.body))));
    }
};

int main(int argc, char** argv) {
    auto& port = options::define<std::uint16_t>("port", 8000, "run on the given port");
    auto& api = options::define<std::string>("search_api", "http://127.0.0.1:8001/search.json", "the search API's URL");
    auto& max_clients = options::define<std::size_t>("max_clients", 10, "fetches in flight at once (Tornado's default 10)");
    options::parse_command_line(argc, argv);
    // Every AsyncHTTPClient() of the loop is one shared client, as in Tornado: this sets its queue.
    httpclient::AsyncHTTPClient::configure({.max_clients = max_clients});
    web::Application app({web::url<IndexHandler>("/", api)});
    httpserver::HTTPServer http_server(app);
    http_server.listen(port);
    ioloop::IOLoop::current().start();
}
