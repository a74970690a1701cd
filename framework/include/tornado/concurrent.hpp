// tornado::concurrent — a pool of threads for blocking work, Python's
// concurrent.futures.ThreadPoolExecutor: the kind of executor IOLoop::run_in_executor uses.
#pragma once

#include <asio/executor_work_guard.hpp>
#include <asio/io_context.hpp>

#include <cstddef>
#include <optional>
#include <thread>
#include <vector>

namespace tornado::concurrent {

class ThreadPoolExecutor {
public:
    // Python's default size: min(32, cores + 4). Blocking jobs mostly wait (on disk, a database,
    // another server), so a few threads more than cores keep the cores busy.
    static std::size_t default_max_workers();

    explicit ThreadPoolExecutor(std::size_t max_workers = default_max_workers());
    // shutdown(): waits for the jobs already queued.
    ~ThreadPoolExecutor();
    ThreadPoolExecutor(const ThreadPoolExecutor&) = delete;
    ThreadPoolExecutor& operator=(const ThreadPoolExecutor&) = delete;

    // An asio executor: asio::post(pool.get_executor(), job) runs job on one of the threads.
    using executor_type = asio::io_context::executor_type;
    executor_type get_executor() noexcept { return queue_.get_executor(); }
    std::size_t max_workers() const { return max_workers_; }

    // Takes no more jobs and waits for the threads to finish the jobs they are running.
    // Jobs queued but not started run first, unless cancel_pending: then they are destroyed
    // unrun (run_in_executor reports that to whoever awaits them). Safe to call twice.
    void shutdown(bool cancel_pending = false);

private:
    void work();

    std::size_t max_workers_;
    asio::io_context queue_;
    std::optional<asio::executor_work_guard<executor_type>> keep_running_;
    std::vector<std::thread> workers_;
};

}  // namespace tornado::concurrent
