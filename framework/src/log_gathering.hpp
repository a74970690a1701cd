// Gathered log lines: while an event loop runs on a thread, the lines logged there are written
// together at the end of each round of the loop (see log.cpp).
#pragma once

#include <asio/any_io_executor.hpp>

namespace tornado::log::detail {

// From now on, lines logged on this thread wait for a job posted to `loop`, which must run
// on this thread.
void gather_lines_for_loop(asio::any_io_executor loop);

// Writes what waits and goes back to one write per line.
void stop_gathering_lines();

}  // namespace tornado::log::detail
