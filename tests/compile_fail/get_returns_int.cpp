// url<H> refuses a get() that returns something: nothing would read it.
// expect: a handler method returns void or asio::awaitable<void>
#include <tornado/web.hpp>

struct ReturnsInt : tornado::web::RequestHandler {
    int get() { return 200; }
};

tornado::web::URLSpec route() { return tornado::web::url<ReturnsInt>("/"); }
