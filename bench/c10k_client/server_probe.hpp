// What the C10K client reads about the server under test from /proc: its open file descriptors,
// its resident memory, requests still unread in its sockets, and bench/alloc_counter.c's count.
#pragma once

#include <cstdint>
#include <string>

class ServerProbe {
public:
    ServerProbe(int pid, std::uint16_t port, std::string alloc_count_file)
        : pid_(pid), port_(port), alloc_count_file_(std::move(alloc_count_file)) {}

    // Open file descriptors of the server process.
    long open_fds() const;
    // VmRSS of the server process, in KiB.
    long rss_kb() const;
    // Established connections to the server's port whose receive queue still holds bytes the
    // server has not read (from /proc/net/tcp).
    long unread_connections() const;
    // Time the server's main thread has run on a CPU, and has waited for one while runnable,
    // since it started, in ms (/proc/PID/schedstat): the answers' cost apart from the machine's
    // load. {-1, -1} when unknown.
    struct SchedulerTimes {
        double running_ms = -1, waiting_ms = -1;
    };
    SchedulerTimes scheduler_times() const;
    // The heap allocations bench/alloc_counter.c counted so far, or -1 without a count file.
    long long allocations() const;

private:
    int pid_;
    std::uint16_t port_;
    std::string alloc_count_file_;
};
