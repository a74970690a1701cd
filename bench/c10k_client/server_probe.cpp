#include "server_probe.hpp"

#include <sys/stat.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace {

std::string proc_path(int pid, const char* entry) { return "/proc/" + std::to_string(pid) + "/" + entry; }

}  // namespace

long ServerProbe::open_fds() const {
    // Since Linux 6.2 the size of /proc/PID/fd is the number of open descriptors: one stat call
    // instead of reading thousands of directory entries while connections are being opened.
    struct stat info{};
    std::string path = proc_path(pid_, "fd");
    if (stat(path.c_str(), &info) == 0 && info.st_size > 0) return static_cast<long>(info.st_size);
    std::error_code error;
    long count = 0;
    for (std::filesystem::directory_iterator it(path, error), end; !error && it != end; it.increment(error)) ++count;
    return count;
}

long ServerProbe::rss_kb() const {
    std::ifstream status(proc_path(pid_, "status"));
    std::string line;
    while (std::getline(status, line)) {
        if (line.starts_with("VmRSS:")) return std::stol(line.substr(6));
    }
    return -1;
}

ServerProbe::SchedulerTimes ServerProbe::scheduler_times() const {
    std::ifstream schedstat(proc_path(pid_, "schedstat"));
    double running_ns = 0, waiting_ns = 0;
    if (!(schedstat >> running_ns >> waiting_ns)) return {};
    return {running_ns / 1e6, waiting_ns / 1e6};
}

long ServerProbe::unread_connections() const {
    // Lines look like "  12: 0100007F:1F90 0200007F:D431 01 00000000:0000001E …": local
    // address:port, remote address:port, state (01 = established), tx_queue:rx_queue, all hex.
    std::ifstream table("/proc/net/tcp");
    std::string line;
    std::getline(table, line);  // the header
    long unread = 0;
    while (std::getline(table, line)) {
        std::istringstream fields(line);
        std::string slot, local, remote, state, queues;
        fields >> slot >> local >> remote >> state >> queues;
        auto colon = local.find(':');
        if (colon == std::string::npos || state != "01") continue;
        if (std::stoul(local.substr(colon + 1), nullptr, 16) != port_) continue;
        auto queue_colon = queues.find(':');
        if (queue_colon != std::string::npos && std::stoul(queues.substr(queue_colon + 1), nullptr, 16) > 0) ++unread;
    }
    return unread;
}

long long ServerProbe::allocations() const {
    if (alloc_count_file_.empty()) return -1;
    std::FILE* file = std::fopen(alloc_count_file_.c_str(), "rb");
    if (!file) return -1;
    std::uint64_t count = 0;
    bool read = std::fread(&count, sizeof count, 1, file) == 1;
    std::fclose(file);
    return read ? static_cast<long long>(count) : -1;
}
