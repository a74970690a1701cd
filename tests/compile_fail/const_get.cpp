// url<H> refuses a const get(): a handler method writes the response.
// expect: a handler method must not be const
#include <tornado/web.hpp>

struct ConstGet : tornado::web::RequestHandler {
    void get() const {}
};

tornado::web::URLSpec route() { return tornado::web::url<ConstGet>("/"); }
