// A fresh IOLoop per test case, and a stopwatch: shared by the ioloop, gen and locks tests.
#pragma once

#include <tornado/ioloop.hpp>

struct LoopTest {
    tornado::ioloop::IOLoop loop;
    LoopTest() { loop.make_current(); }
};

inline tornado::ioloop::Duration since(tornado::ioloop::TimePoint start) {
    return tornado::ioloop::IOLoop::time() - start;
}
