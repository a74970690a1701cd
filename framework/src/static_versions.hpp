// The versions behind static_url's ?v= and StaticFileHandler's Etag: the MD5 of a file's
// content (Tornado's get_content_version), hashed off the loop when the file is large.
// Private to the library.
#pragma once

#include "open_file.hpp"

#include <asio/awaitable.hpp>

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace tornado::web::detail {

class StaticVersions {
public:
    // remember_forever (Tornado outside debug mode): a file keeps the version it was first
    // given. Otherwise a file is hashed again when its size or mtime changed.
    explicit StaticVersions(bool remember_forever) : remember_forever_(remember_forever) {}

    // For static_url, which cannot wait. name is what the page asked for; resolve gives its
    // real path (nullopt outside the static directory) and is called only while name has no
    // settled version. The hash when known; for a large file still being hashed, a version made
    // of its size and mtime; nullopt (logged) when the file cannot be read.
    std::optional<std::string> version_now(std::string_view name,
                                           const std::function<std::optional<std::string>()>& resolve);
    // For the Etag of an open file: its hash, waited for while it is computed off the loop.
    asio::awaitable<std::optional<std::string>> version(std::string path, FileStamp stamp);

private:
    struct Entry;
    // The entry for this state of the file, hashing it (or starting to) when it is new.
    std::shared_ptr<Entry> entry_for(const std::string& path, FileStamp stamp);
    // Hashes on the executor and settles entry back on the loop. Holds only the entry, so the
    // application may go away meanwhile.
    static asio::awaitable<void> hash_off_loop(std::shared_ptr<Entry> entry, std::string path);

    bool remember_forever_;
    std::map<std::string, std::shared_ptr<Entry>> by_path_;
    // static_url's names (relative to the static directory), when remembered forever.
    std::map<std::string, std::shared_ptr<Entry>, std::less<>> by_name_;
};

}  // namespace tornado::web::detail
