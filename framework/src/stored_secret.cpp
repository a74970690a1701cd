// tornado::stored_secret: a secret generated once per data directory (util.hpp).
#include "text_util.hpp"
#include "tornado/util.hpp"

#include <openssl/rand.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <system_error>

namespace tornado {

namespace {
constexpr std::size_t secret_bytes = 32;

std::string read_secret(const std::filesystem::path& path) {
    std::ifstream file(path);
    std::string secret;
    std::getline(file, secret);
    if (secret.size() != 2 * secret_bytes) {
        throw std::runtime_error("stored_secret: " + path.string() + " holds no secret of 64 hex digits; delete it to make a new one");
    }
    return secret;
}

// Writes secret to a file of this process's own, then links it in at path: another process
// that got there first keeps its secret (link fails with EEXIST), and nobody reads a half-written
// file.
void publish_secret(const std::filesystem::path& path, const std::string& secret) {
    auto draft = path;
    draft += ".draft." + std::to_string(getpid());
    {
        std::ofstream file(draft, std::ios::trunc);
        if (!file) throw std::system_error(errno, std::generic_category(), "stored_secret: cannot write " + draft.string());
        std::filesystem::permissions(draft, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
        file << secret << '\n';
        if (!file.flush()) throw std::system_error(errno, std::generic_category(), "stored_secret: cannot write " + draft.string());
    }
    int linked = link(draft.c_str(), path.c_str());
    int error = errno;
    std::filesystem::remove(draft);
    if (linked != 0 && error != EEXIST) {
        throw std::system_error(error, std::generic_category(), "stored_secret: cannot create " + path.string());
    }
}
}  // namespace

std::string stored_secret(const std::string& file_name) {
    const auto path = std::filesystem::path(data_dir()) / file_name;
    if (!std::filesystem::exists(path)) {
        std::array<unsigned char, secret_bytes> bytes;
        if (RAND_bytes(bytes.data(), static_cast<int>(bytes.size())) != 1) {
            throw std::runtime_error("stored_secret: OpenSSL gave no random bytes");
        }
        publish_secret(path, detail::hex_encode(bytes));
    }
    return read_secret(path);
}

}  // namespace tornado
