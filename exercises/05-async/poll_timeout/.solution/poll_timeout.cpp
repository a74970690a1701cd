// Exercise 05-async/poll_timeout: a news ticker by long polling. POST /news with headline adds
// one; GET /news?since=N answers {"headlines": [those after the first N], "next": <their count>},
// waiting for the next headline when there is none yet, and answering 204 (no body) when none
// came within --poll_timeout seconds.
#include <tornado/tornado.hpp>

#include <chrono>
#include <memory>
#include <string>
#include <vector>

using namespace tornado;

const double& poll_timeout =
    options::define("poll_timeout", 30.0, "seconds a GET /news waits for a headline before answering 204");

struct Newsroom {
    std::vector<std::string> headlines;
    locks::Condition arrived;  // notified on every new headline
};

struct NewsHandler : web::RequestHandler {
    std::shared_ptr<Newsroom> news;
    void initialize(std::shared_ptr<Newsroom> newsroom) { news = std::move(newsroom); }

    asio::awaitable<void> get() {
        auto since = get_argument("since", std::size_t{0});
        if (news->headlines.size() <= since) {
            auto timeout = std::chrono::duration_cast<locks::Duration>(std::chrono::duration<double>(poll_timeout));
            if (!co_await news->arrived.wait(timeout)) {
                set_status(204);
                co_return;
            }
        }
        write(headlines_after(since));
    }

    void post() {
        news->headlines.push_back(get_argument("headline"));
        news->arrived.notify_all();
        write(nlohmann::json{{"id", news->headlines.size()}});
    }

    nlohmann::json headlines_after(std::size_t since) const {
        auto& all = news->headlines;
        auto first = all.begin() + static_cast<std::ptrdiff_t>(std::min(since, all.size()));
        return {{"headlines", std::vector<std::string>(first, all.end())}, {"next", all.size()}};
    }
};

web::Application make_app() {
    return web::Application({web::url<NewsHandler>("/news", std::make_shared<Newsroom>())});
}
