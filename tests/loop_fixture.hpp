// A fresh IOLoop per test case, a stopwatch, and coroutines that can be cancelled: shared by the
// ioloop, gen and locks tests.
#pragma once

#include <tornado/ioloop.hpp>

#include <asio/bind_cancellation_slot.hpp>
#include <asio/cancellation_signal.hpp>
#include <asio/error.hpp>
#include <asio/system_error.hpp>

#include <catch2/catch.hpp>

#include <chrono>
#include <exception>

struct LoopTest {
    tornado::ioloop::IOLoop loop;
    LoopTest() { loop.make_current(); }
};

inline tornado::ioloop::Duration since(tornado::ioloop::TimePoint start) {
    return tornado::ioloop::IOLoop::time() - start;
}

// Runs the loop until everything queued so far has run (spawned coroutines reach their first
// suspension).
inline void settle(tornado::ioloop::IOLoop& loop) {
    bool reached = false;
    loop.add_callback([&] { reached = true; });
    REQUIRE(loop.run_until([&] { return reached; }, std::chrono::seconds(2)));
}

// A coroutine spawned on a loop with a cancellation signal bound to it: cancel() emits asio's
// terminal cancellation, as the web framework does when a client goes away.
class Cancellable {
public:
    Cancellable(tornado::ioloop::IOLoop& loop, asio::awaitable<void> coroutine) {
        asio::co_spawn(loop.context(), std::move(coroutine),
                       asio::bind_cancellation_slot(signal_.slot(), [this](std::exception_ptr error) {
                           done_ = true;
                           error_ = error;
                       }));
    }
    Cancellable(const Cancellable&) = delete;
    Cancellable& operator=(const Cancellable&) = delete;

    void cancel() { signal_.emit(asio::cancellation_type::terminal); }
    bool done() const { return done_; }
    // True when the coroutine ended by throwing asio::system_error(operation_aborted).
    bool aborted() const {
        if (!error_) return false;
        try {
            std::rethrow_exception(error_);
        } catch (const asio::system_error& e) {
            return e.code() == asio::error::operation_aborted;
        } catch (...) {
            return false;
        }
    }

private:
    asio::cancellation_signal signal_;
    bool done_ = false;
    std::exception_ptr error_;
};
