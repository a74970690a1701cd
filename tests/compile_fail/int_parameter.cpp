// url<H> refuses a parameter that the captured text cannot initialise (an int: parse it in get).
// expect: each must be constructible from std::string
#include <tornado/web.hpp>

struct IntParameter : tornado::web::RequestHandler {
    void get(int id) { write(std::to_string(id)); }
};

tornado::web::URLSpec route() { return tornado::web::url<IntParameter>(R"(/(\d+))"); }
