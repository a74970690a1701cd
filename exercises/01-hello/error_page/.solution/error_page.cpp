// Exercise 01-hello/error_page: the shop's own error page for every error its handlers raise.
#include <tornado/tornado.hpp>

#include <map>
#include <stdexcept>
#include <string>

using namespace tornado;

// Every handler of the shop derives from this one, so they all share its error page.
struct BaseHandler : web::RequestHandler {
    void write_error(int status_code, std::exception_ptr) override {
        auto title = std::to_string(status_code) + ": " + std::string(httputil::reason_phrase(status_code));
        write("<html><title>" + title + "</title><body><h1>" + title + "</h1>");
        if (status_code < 500) {
            write("<p>Please check the address and try again.</p>");
        } else {
            write("<p>Something broke on our side. We are on it.</p>");
        }
        write("</body></html>");
    }
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
