// url<H> refuses a handler whose get() is private: the framework could never call it.
// expect: the framework cannot call this handler method .* it must be public, and declared once
#include <tornado/web.hpp>

struct PrivateGet : tornado::web::RequestHandler {
private:
    void get() { write("hidden"); }
};

tornado::web::URLSpec route() { return tornado::web::url<PrivateGet>("/"); }
