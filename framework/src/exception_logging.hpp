// Private: what the loop thread and the executor's threads do with an exception that escapes a
// callback or a job — log it once on the app log and carry on serving.
#pragma once

#include <asio/io_context.hpp>

#include <exception>
#include <string_view>

namespace tornado::detail {

// Logs "Exception in <where>: <what()>" for error (or "Exception in <where>" when it is not a
// std::exception).
void log_exception(std::string_view where, std::exception_ptr error);

// Runs context until it stops or runs out of work; an exception escaping a handler is logged
// (see log_exception) and the run goes on.
void run_logging_exceptions(asio::io_context& context, std::string_view where);

}  // namespace tornado::detail
