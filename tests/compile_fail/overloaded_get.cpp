// url<H> refuses a handler with two get() methods: it could not tell which one to call.
// expect: the framework cannot call this handler method .* it must be public, and declared once
#include <tornado/web.hpp>

#include <string>

struct OverloadedGet : tornado::web::RequestHandler {
    void get() { write("all"); }
    void get(const std::string& id) { write(id); }
};

tornado::web::URLSpec route() { return tornado::web::url<OverloadedGet>("/"); }
