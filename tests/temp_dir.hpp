#pragma once

#include <stdlib.h>

#include <filesystem>
#include <stdexcept>
#include <system_error>

// A fresh directory under /tmp for a test's files, removed with them at the end.
struct TempDir {
    std::filesystem::path path;
    TempDir() {
        char name[] = "/tmp/tornado-test-XXXXXX";
        if (!mkdtemp(name)) throw std::runtime_error("mkdtemp failed");
        path = name;
    }
    ~TempDir() {
        std::error_code ignored;
        std::filesystem::remove_all(path, ignored);
    }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
};
