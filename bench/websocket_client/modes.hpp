// The load client's two modes; each prints one line of key=value figures on stdout and returns
// the exit status (0 only when every connection did what the mode measures).
#pragma once

#include "connection.hpp"

#include <string>

namespace wsbench {

struct BroadcastOptions {
    Target target;
    int server_pid = 0;
    long connections = 10000;
    long window = 100;
    long sources = 0;  // 0: as many as the ephemeral port range needs
    long timeout_seconds = 10;
    std::string trigger_method = "POST";
    std::string trigger_path = "/cart";
    std::string trigger_body;
    std::string expect;  // the message every client must get; empty: any message
    long opening_messages = 0;  // messages the server sends each client as it opens, read before the trigger
};

// N clients open, then one HTTP request (the trigger, on a connection of its own) makes the
// server send one message to them all: how long until the last has it, and the server's RSS.
int run_broadcast(const BroadcastOptions& options);

struct EchoOptions {
    Target target;
    int server_pid = 0;  // 0: no server CPU figures
    long connections = 100;
    long size = 64;
    long duration_seconds = 10;
    long window = 100;
    bool deflate = false;
};

// C clients each send a text message of `size` bytes and wait for its echo, over and over for
// the duration: messages per second and round-trip percentiles.
int run_echo(const EchoOptions& options);

}  // namespace wsbench
