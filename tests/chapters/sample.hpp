// Starts a built chapter sample for a test: sample_path("01-hello", "hello"); run_program for
// one that ends by itself. TempDir (temp_dir.hpp) holds its files.
#pragma once

#include <tornado/testing.hpp>

#include "../temp_dir.hpp"

#include <sys/wait.h>

#include <cstdio>
#include <string>

inline std::string sample_path(const std::string& chapter, const std::string& app) {
    return std::string(TORNADO_SAMPLES_DIR) + "/" + chapter + "/" + app + "/" + app;
}

struct ProgramResult {
    int exit_code = -1;
    std::string output;  // stdout and stderr together
};

// Runs a program to completion (for option parsing: --help, bad options).
inline ProgramResult run_program(const std::string& path, const std::string& args) {
    ProgramResult result;
    FILE* pipe = popen((path + " " + args + " 2>&1").c_str(), "r");
    if (!pipe) return result;
    char buffer[4096];
    while (auto length = std::fread(buffer, 1, sizeof buffer, pipe)) result.output.append(buffer, length);
    int status = pclose(pipe);
    result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return result;
}

