// ThreadPoolExecutor: threads that run an asio::io_context as their shared job queue.
#include "tornado/concurrent.hpp"

#include "exception_logging.hpp"

#include <openssl/crypto.h>

#include <algorithm>

namespace tornado::concurrent {

std::size_t ThreadPoolExecutor::default_max_workers() {
    std::size_t cores = std::max(1u, std::thread::hardware_concurrency());
    return std::min<std::size_t>(32, cores + 4);
}

ThreadPoolExecutor::ThreadPoolExecutor(std::size_t max_workers)
    : max_workers_(std::max<std::size_t>(1, max_workers)),
      queue_(static_cast<int>(max_workers_)),
      keep_running_(queue_.get_executor()) {
    workers_.reserve(max_workers_);
    for (std::size_t i = 0; i < max_workers_; ++i) workers_.emplace_back([this] { work(); });
}

ThreadPoolExecutor::~ThreadPoolExecutor() { shutdown(); }

void ThreadPoolExecutor::shutdown(bool cancel_pending) {
    keep_running_.reset();
    if (cancel_pending) queue_.stop();
    for (auto& worker : workers_) worker.join();
    workers_.clear();
}

void ThreadPoolExecutor::work() {
    // A job posted straight to the executor may throw; the thread must go on serving the others.
    detail::run_logging_exceptions(queue_, "executor job");
    // A job that used OpenSSL (hashing a static file, say) left state for this thread that the
    // process's cleanup at exit would not free: free it as the thread ends.
    OPENSSL_thread_stop();
}

}  // namespace tornado::concurrent
