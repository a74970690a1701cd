// A file opened for reading with what fstat says about it; shared by StaticFileHandler and the
// content hashing behind static_url. Private to the library.
#pragma once

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <string>
#include <system_error>

namespace tornado::web::detail {

// What tells one state of a file from another without reading it.
struct FileStamp {
    std::uint64_t size = 0;
    std::int64_t modified_ns = 0;
    bool operator==(const FileStamp&) const = default;
};

// Opening never blocks (a FIFO opens non-blocking, then is refused as not a regular file) and
// does not follow a symlink swapped in after the path was checked.
class OpenFile {
public:
    explicit OpenFile(const std::filesystem::path& path)
        : fd_(::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK)) {
        if (fd_ < 0 || ::fstat(fd_, &status_) != 0) error_ = errno;
    }
    ~OpenFile() {
        if (fd_ >= 0) ::close(fd_);
    }
    OpenFile(const OpenFile&) = delete;
    OpenFile& operator=(const OpenFile&) = delete;

    int error() const { return error_; }  // errno of open or fstat; 0 when open
    bool is_regular() const { return !error_ && S_ISREG(status_.st_mode); }
    std::uint64_t size() const { return static_cast<std::uint64_t>(status_.st_size); }
    std::chrono::system_clock::time_point modified() const {
        return std::chrono::system_clock::from_time_t(status_.st_mtime);  // whole seconds, as HTTP dates
    }
    FileStamp stamp() const {
        return {size(), static_cast<std::int64_t>(status_.st_mtim.tv_sec) * 1'000'000'000 + status_.st_mtim.tv_nsec};
    }

    // Up to length bytes from offset; fewer only at the end of the file.
    std::string read(std::uint64_t offset, std::size_t length) const {
        std::string data(length, '\0');
        std::size_t filled = 0;
        while (filled < length) {
            auto got = ::pread(fd_, data.data() + filled, length - filled, static_cast<off_t>(offset + filled));
            if (got < 0 && errno == EINTR) continue;
            if (got < 0) throw std::system_error(errno, std::generic_category(), "reading a static file");
            if (got == 0) break;
            filled += static_cast<std::size_t>(got);
        }
        data.resize(filled);
        return data;
    }

private:
    int fd_;
    int error_ = 0;
    struct stat status_ {};
};

}  // namespace tornado::web::detail
