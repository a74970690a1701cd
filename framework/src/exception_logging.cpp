#include "exception_logging.hpp"

#include "tornado/log.hpp"

#include <string>

namespace tornado::detail {

void log_exception(std::string_view where, std::exception_ptr error) {
    const std::string prefix = "Exception in " + std::string(where);
    try {
        std::rethrow_exception(std::move(error));
    } catch (const std::exception& e) {
        log::app_log.error(prefix + ": " + e.what());
    } catch (...) {
        log::app_log.error(prefix);
    }
}

void run_logging_exceptions(asio::io_context& context, std::string_view where) {
    for (;;) {
        try {
            context.run();
            return;
        } catch (...) {
            log_exception(where, std::current_exception());
        }
    }
}

}  // namespace tornado::detail
