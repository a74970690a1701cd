// Connection::migrate: numbered .sql files applied once each, in order, recorded with their
// SHA-256 in tornado_migrations.
#include <tornado/database.hpp>
#include <tornado/log.hpp>

#include "database_backend.hpp"

#include <openssl/evp.h>

#include <algorithm>
#include <cstdint>
#include <fstream>
#include <limits>
#include <sstream>

namespace tornado::database {
namespace {

constexpr log::Logger db_log{"database"};

struct Migration {
    std::int64_t version;
    std::string file_name;
    std::string sql;
    std::string sha256;  // of sql, in hex
};

std::string sha256_hex(std::string_view data) {
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    if (!EVP_Digest(data.data(), data.size(), digest, &length, EVP_sha256(), nullptr))
        throw MigrationError("database: SHA-256 failed");
    static constexpr char hex[] = "0123456789abcdef";
    std::string text;
    for (unsigned int i = 0; i < length; ++i) {
        text += hex[digest[i] >> 4];
        text += hex[digest[i] & 0xf];
    }
    return text;
}

// The number of a file named NNNN_name.sql, or nothing.
std::optional<std::int64_t> migration_number(const std::string& file_name) {
    auto underscore = file_name.find('_');
    if (underscore == 0 || underscore == std::string::npos || underscore > 18) return std::nullopt;
    if (file_name.size() <= underscore + 1 + 4) return std::nullopt;  // a name before .sql
    std::int64_t number = 0;
    for (std::size_t i = 0; i < underscore; ++i) {
        if (file_name[i] < '0' || file_name[i] > '9') return std::nullopt;
        number = number * 10 + (file_name[i] - '0');
    }
    return number;
}

// The migrations of directory, numbered 1, 2, 3… (the files are small: read on the loop, at start).
std::vector<Migration> read_migrations(const std::filesystem::path& directory) {
    std::error_code error;
    std::filesystem::directory_iterator entries(directory, error);
    if (error)
        throw MigrationError("database: cannot read the migrations directory " + directory.string() + ": " +
                             error.message());
    std::vector<Migration> migrations;
    for (const auto& entry : entries) {
        auto file_name = entry.path().filename().string();
        if (entry.path().extension() != ".sql") continue;
        auto number = migration_number(file_name);
        if (!number)
            throw MigrationError("database: the migration " + entry.path().string() +
                                 " is not named NNNN_name.sql (a number, '_', a name)");
        std::ifstream file(entry.path(), std::ios::binary);
        std::ostringstream content;
        content << file.rdbuf();
        if (!file) throw MigrationError("database: cannot read the migration " + entry.path().string());
        auto sql = std::move(content).str();
        auto sha256 = sha256_hex(sql);
        migrations.push_back({*number, std::move(file_name), std::move(sql), std::move(sha256)});
    }
    std::sort(migrations.begin(), migrations.end(),
              [](const auto& a, const auto& b) { return a.version < b.version || (a.version == b.version && a.file_name < b.file_name); });
    for (std::size_t i = 0; i < migrations.size(); ++i) {
        auto expected = static_cast<std::int64_t>(i + 1);
        const auto& migration = migrations[i];
        if (migration.version < expected)
            throw MigrationError("database: two migrations are numbered " + std::to_string(migration.version) + ": " +
                                 migrations[i - 1].file_name + " and " + migration.file_name + " in " +
                                 directory.string());
        if (migration.version > expected)
            throw MigrationError("database: migration number " + std::to_string(expected) + " is missing in " +
                                 directory.string() + " (the next one is " + migration.file_name + ")");
    }
    return migrations;
}

constexpr const char* create_table =
    "CREATE TABLE IF NOT EXISTS tornado_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, "
    "sha256 TEXT NOT NULL, applied_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP)";

// Within one transaction that holds the write lock: checks what was applied against the files,
// then applies migration if it is not yet. Returns whether it applied it.
asio::awaitable<bool> apply_if_new(detail::BackendConnection& connection, const std::vector<Migration>& migrations,
                                   const Migration& migration) {
    co_await connection.run(create_table, {}, 0);
    // (Arguments built outside co_await: GCC 12 miscompiles a braced list written inside one.)
    Arguments range{migration.version, static_cast<std::int64_t>(migrations.size())};
    auto applied = co_await connection.run("SELECT version, name, sha256 FROM tornado_migrations WHERE version <= ? "
                                           "OR version > ? ORDER BY version",
                                           std::move(range), std::numeric_limits<std::size_t>::max());
    bool applied_already = false;
    for (const auto& row : applied.rows) {
        auto version = row["version"].as<std::int64_t>();
        auto name = row["name"].as<std::string>();
        if (version > static_cast<std::int64_t>(migrations.size()))
            throw MigrationError("database: migration " + name + " was applied to this database, but its file is gone");
        const auto& file = migrations[static_cast<std::size_t>(version - 1)];
        if (row["sha256"].as<std::string>() != file.sha256)
            throw MigrationError("database: the migration " + file.file_name + " was changed after it was applied (as " +
                                 name + "); write a new migration instead of editing an applied one");
        if (version == migration.version) applied_already = true;
    }
    if (applied_already) co_return false;
    co_await connection.run_script(migration.sql);
    Arguments record{migration.version, migration.file_name, migration.sha256};
    co_await connection.run("INSERT INTO tornado_migrations (version, name, sha256) VALUES (?, ?, ?)",
                            std::move(record), 0);
    co_return true;
}

}  // namespace

// Each file in a transaction of its own that takes the write lock first (SQLite: BEGIN
// IMMEDIATE; PostgreSQL: an advisory lock held until COMMIT or ROLLBACK), so a second migrator
// waits, then finds the file applied and checks it.
asio::awaitable<void> Connection::migrate(std::filesystem::path directory) {
    auto migrations = read_migrations(directory);
    for (const auto& migration : migrations) {
        auto lease = co_await detail::Pool::acquire(pool_);
        lease->in_transaction = true;
        auto& connection = lease->connection();
        co_await connection.run(std::string(connection.begin_sql()), {}, 0);
        if (auto lock = connection.migration_lock_sql(); !lock.empty()) co_await connection.run(std::string(lock), {}, 0);
        bool applied = co_await apply_if_new(connection, migrations, migration);
        co_await connection.run("COMMIT", {}, 0);
        lease->in_transaction = false;
        if (applied) db_log.info("applied migration " + migration.file_name + " to " + url_);
    }
}

}  // namespace tornado::database
