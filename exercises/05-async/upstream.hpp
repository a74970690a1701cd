// What chapter 5's exercise tests share: an upstream service served on a thread and loop of its
// own, so it answers even while the exercise's loop is blocked (as a real upstream would), and a
// fetch that runs in the background of the test's loop.
#pragma once

#include <tornado/httpclient.hpp>
#include <tornado/httpserver.hpp>
#include <tornado/ioloop.hpp>
#include <tornado/options.hpp>
#include <tornado/web.hpp>

#include <asio/awaitable.hpp>

#include <cstdint>
#include <exception>
#include <functional>
#include <future>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

class UpstreamThread {
public:
    // make builds the upstream's application on its thread, where its handlers run.
    explicit UpstreamThread(std::function<std::unique_ptr<tornado::web::Application>()> make) {
        std::promise<std::uint16_t> listening;
        auto port = listening.get_future();
        thread_ = std::thread([this, make = std::move(make), &listening] {
            tornado::ioloop::IOLoop loop;
            loop.make_current();
            std::unique_ptr<tornado::web::Application> app;
            std::unique_ptr<tornado::httpserver::HTTPServer> server;
            try {
                app = make();
                server = std::make_unique<tornado::httpserver::HTTPServer>(*app);
                auto port = server->listen(0, "127.0.0.1");
                loop_ = &loop;
                listening.set_value(port);
            } catch (...) {
                listening.set_exception(std::current_exception());
                return;
            }
            loop.start();
            server.reset();
            app.reset();
            // Let the closed connections' pending operations finish before the loop goes.
            loop.context().poll();
        });
        try {
            port_ = port.get();
        } catch (...) {  // the upstream could not start: the thread has ended, and the test fails
            thread_.join();
            throw;
        }
    }
    ~UpstreamThread() {
        call([loop = loop_] { loop->stop(); });
        thread_.join();
    }
    UpstreamThread(const UpstreamThread&) = delete;
    UpstreamThread& operator=(const UpstreamThread&) = delete;

    std::string url(const std::string& path) const { return "http://127.0.0.1:" + std::to_string(port_) + path; }
    // Runs fn on the upstream's loop (its Events and Conditions are not thread-safe).
    void call(std::function<void()> fn) { loop_->add_callback(std::move(fn)); }

private:
    std::thread thread_;
    tornado::ioloop::IOLoop* loop_ = nullptr;
    std::uint16_t port_ = 0;
};

// Sets the process-wide option name, as --name=value on the command line would.
inline void set_option(const std::string& name, const std::string& value) {
    tornado::options::options().parse_command_line({"test", "--" + name + "=" + value});
}

// A GET of url started on the calling thread's current loop; the response lands in the
// optional once it arrives (run the loop until then). A network failure leaves it empty.
inline asio::awaitable<void> fetch_into(std::string url, std::shared_ptr<std::optional<tornado::httpclient::HTTPResponse>> into) {
    tornado::httpclient::AsyncHTTPClient client;
    *into = co_await client.fetch(std::move(url), /*raise_error=*/false);
}

inline std::shared_ptr<std::optional<tornado::httpclient::HTTPResponse>> fetch_in_background(std::string url) {
    auto into = std::make_shared<std::optional<tornado::httpclient::HTTPResponse>>();
    tornado::ioloop::IOLoop::current().spawn(fetch_into(std::move(url), into));
    return into;
}
