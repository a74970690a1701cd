// StaticVersions: MD5 hashes of static files, computed on the loop only for small files and on
// the executor's threads otherwise, so a large file never stalls the other clients.
#include "static_versions.hpp"
#include "text_util.hpp"

#include "tornado/ioloop.hpp"
#include "tornado/locks.hpp"
#include "tornado/log.hpp"

#include <openssl/evp.h>

#include <sys/stat.h>

#include <charconv>

namespace tornado::web::detail {

namespace {
constexpr std::size_t read_size = 64 * 1024;
// Hashing this much takes well under a millisecond: cheaper than a trip to another thread.
constexpr std::uint64_t hash_on_loop_limit = 256 * 1024;

// The hex MD5 of a regular file's content, read a chunk at a time; nullopt (logged) when it
// cannot be read. Runs on any thread.
std::optional<std::string> content_hash(const std::string& path) {
    try {
        OpenFile file(path);
        if (!file.is_regular()) throw std::system_error(file.error(), std::generic_category(), "not a regular file");
        static EVP_MD* const md5 = EVP_MD_fetch(nullptr, "MD5", nullptr);
        std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> context(EVP_MD_CTX_new(), &EVP_MD_CTX_free);
        EVP_DigestInit_ex(context.get(), md5, nullptr);
        for (std::uint64_t offset = 0;;) {
            auto chunk = file.read(offset, read_size);
            if (chunk.empty()) break;
            EVP_DigestUpdate(context.get(), chunk.data(), chunk.size());
            offset += chunk.size();
        }
        unsigned char digest[EVP_MAX_MD_SIZE];
        unsigned int length = 0;
        EVP_DigestFinal_ex(context.get(), digest, &length);
        return tornado::detail::hex_encode({digest, length});
    } catch (const std::exception& e) {
        log::gen_log.error("Could not open static file " + path + ": " + e.what());
        return std::nullopt;
    }
}

std::optional<FileStamp> stamp_of(const std::string& path) {
    struct stat status {};
    if (::stat(path.c_str(), &status) != 0 || !S_ISREG(status.st_mode)) return std::nullopt;
    return FileStamp{static_cast<std::uint64_t>(status.st_size),
                     static_cast<std::int64_t>(status.st_mtim.tv_sec) * 1'000'000'000 + status.st_mtim.tv_nsec};
}

std::string to_hex(std::uint64_t value) {
    char digits[16];
    return std::string(digits, std::to_chars(digits, digits + sizeof digits, value, 16).ptr);
}

// Stands in for the hash while it is computed: changes whenever size or mtime do.
std::string provisional_version(FileStamp stamp) {
    return to_hex(stamp.size) + "-" + to_hex(static_cast<std::uint64_t>(stamp.modified_ns));
}
}  // namespace

struct StaticVersions::Entry {
    FileStamp stamp;
    bool settled = false;  // hashed, or found unreadable
    std::optional<std::string> hash;
    locks::Event hashed;  // set once settled
};

std::shared_ptr<StaticVersions::Entry> StaticVersions::entry_for(const std::string& path, FileStamp stamp) {
    auto& entry = by_path_[path];
    if (entry && (remember_forever_ || entry->stamp == stamp)) return entry;
    entry = std::make_shared<Entry>();
    entry->stamp = stamp;
    if (stamp.size <= hash_on_loop_limit) {
        entry->hash = content_hash(path);
        entry->settled = true;
        entry->hashed.set();
    } else {
        ioloop::IOLoop::current().spawn(hash_off_loop(entry, path));
    }
    return entry;
}

std::optional<std::string> StaticVersions::version_now(std::string_view name,
                                                       const std::function<std::optional<std::string>()>& resolve) {
    if (auto known = by_name_.find(name); known != by_name_.end() && known->second->settled) return known->second->hash;
    std::shared_ptr<Entry> entry;
    auto path = resolve();
    auto stamp = path ? stamp_of(*path) : std::nullopt;
    if (stamp) {
        entry = entry_for(*path, *stamp);
    } else {
        // Outside the static directory, missing, or not a file: no version, said once when remembered.
        if (path) log::gen_log.error("Could not open static file " + *path);
        entry = std::make_shared<Entry>();
        entry->settled = true;
    }
    if (remember_forever_) by_name_.insert_or_assign(std::string(name), entry);
    return entry->settled ? entry->hash : provisional_version(entry->stamp);
}

asio::awaitable<std::optional<std::string>> StaticVersions::version(std::string path, FileStamp stamp) {
    auto entry = entry_for(path, stamp);
    if (!entry->settled) co_await entry->hashed.wait();
    co_return entry->hash;
}

asio::awaitable<void> StaticVersions::hash_off_loop(std::shared_ptr<Entry> entry, std::string path) {
    try {
        entry->hash = co_await ioloop::IOLoop::current().run_in_executor(content_hash, path);
    } catch (const std::exception& e) {
        log::gen_log.error("Could not hash static file " + path + ": " + e.what());
    }
    // Settled whatever happened: requests wait for this.
    entry->settled = true;
    entry->hashed.set();
}

}  // namespace tornado::web::detail
