// Exercise 01-hello/error_page: the shop's own error page for every error its handlers raise.
#include <tornado/tornado.hpp>

#include <map>
#include <stdexcept>
#include <string>

using namespace tornado;

// Every handler of the shop derives from this one, so they all share its error page.
struct BaseHandler : web::RequestHandler {
    // TODO: override write_error(status_code, error) to write the shop's page:
    //   <h1>404: Not Found</h1> (the code and its reason phrase), then
    //   <p>Please check the address and try again.</p> for a client's error (4xx), or
    //   <p>Something broke on our side. We are on it.</p> for the server's (5xx).
};

struct ItemHandler : BaseHandler {
    void get(const std::string& name) {
        static const std::map<std::string, int> stock{{"apple", 3}, {"pear", 0}};
        if (name == "glass") throw std::runtime_error("glass shattered: stock count corrupted");
        auto item = stock.find(name);
        if (item == stock.end()) throw web::HTTPError(404, "no item named " + name);
        write(name + ": " + std::to_string(item->second) + " in stock");
    }
};

web::Application make_app() { return web::Application({web::url<ItemHandler>(R"(/items/(\w+))")}); }
