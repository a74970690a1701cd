// The control for the files beside it: handlers url<H> accepts compile with the same command.
#include <tornado/web.hpp>

#include <string>
#include <string_view>

struct Plain : tornado::web::RequestHandler {
    void get(const std::string& a, std::string b, std::string_view c) { write(a + b + std::string(c)); }
    void delete_(const std::string&, const std::string&, const std::string&) noexcept {}
};

struct Coroutines : tornado::web::RequestHandler {
    asio::awaitable<nlohmann::json> get_current_user() { co_return nullptr; }
    asio::awaitable<void> prepare() { co_return; }
    asio::awaitable<void> post() { co_return; }
};

tornado::web::URLSpec plain() { return tornado::web::url<Plain>(R"(/(\w)/(\w)/(\w))"); }
tornado::web::URLSpec coroutines() { return tornado::web::url<Coroutines>("/"); }
