// The files a sample's server process holds open, read from /proc: a test checks that clients
// that leave leave nothing behind. The server closes a gone client's socket on its own time, so
// every check waits (up to 5 s) instead of reading once.
#pragma once

#include <tornado/testing.hpp>

#include <chrono>
#include <filesystem>
#include <string>
#include <thread>

inline std::size_t open_descriptors(int pid) {
    auto fds = std::filesystem::directory_iterator("/proc/" + std::to_string(pid) + "/fd");
    return static_cast<std::size_t>(std::distance(begin(fds), end(fds)));
}

// Waits up to 5 s until the number of files the server holds passes reached(count).
template <class Reached>
bool descriptors_reach(tornado::testing::ServerProcess& app, Reached reached) {
    using namespace std::chrono_literals;
    for (auto deadline = std::chrono::steady_clock::now() + 5s; std::chrono::steady_clock::now() < deadline;) {
        if (reached(open_descriptors(app.pid()))) return true;
        std::this_thread::sleep_for(10ms);
    }
    return false;
}

inline bool descriptors_drop_to(tornado::testing::ServerProcess& app, std::size_t descriptors) {
    return descriptors_reach(app, [=](std::size_t count) { return count <= descriptors; });
}

inline bool descriptors_rise_to(tornado::testing::ServerProcess& app, std::size_t descriptors) {
    return descriptors_reach(app, [=](std::size_t count) { return count >= descriptors; });
}

// The number of files the server holds once it has not changed for 100 ms (the connection that
// found the server ready may still be open when a test starts).
inline std::size_t settled_descriptors(tornado::testing::ServerProcess& app) {
    using namespace std::chrono_literals;
    auto last = open_descriptors(app.pid());
    for (int unchanged = 0; unchanged < 10;) {
        std::this_thread::sleep_for(10ms);
        auto now = open_descriptors(app.pid());
        unchanged = now == last ? unchanged + 1 : 0;
        last = now;
    }
    return last;
}
