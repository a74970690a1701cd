// slow_job_server: a server shaped like the chapter samples whose handler awaits a job on the
// executor that takes --job_ms. The ioloop tests send it SIGTERM in the middle of that job.
#include <tornado/tornado.hpp>

#include <chrono>
#include <string>
#include <thread>

using namespace tornado;

std::string slow_job(int milliseconds) {
    log::app_log.info("job started");
    std::this_thread::sleep_for(std::chrono::milliseconds(milliseconds));
    log::app_log.info("job finished");
    return "job done";
}

struct SlowJobHandler : web::RequestHandler {
    int job_ms = 0;
    void initialize(int milliseconds) { job_ms = milliseconds; }
    asio::awaitable<void> get() {
        auto answer = co_await ioloop::IOLoop::current().run_in_executor(slow_job, job_ms);
        write(answer);
    }
};

int main(int argc, char** argv) {
    auto& port = options::define<std::uint16_t>("port", 8000, "run on the given port");
    auto& job_ms = options::define<int>("job_ms", 1000, "how long the job of GET / takes");
    options::parse_command_line(argc, argv);
    web::Application app({web::url<SlowJobHandler>("/", job_ms)});
    httpserver::HTTPServer http_server(app);
    http_server.listen(port);
    ioloop::IOLoop::current().start();
}
