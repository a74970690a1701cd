// exercises/05-async/cached_value: the bestseller list is fetched as the app starts and every
// refresh_interval, and GET /bestsellers answers that copy. The service (on a thread of its own)
// counts how often it is asked and numbers its answers, so the tests compare its work with the
// requests served.
#include "05-async/upstream.hpp"
#include "exercise_test.hpp"

#include <atomic>
#include <chrono>

using namespace std::chrono_literals;
using nlohmann::json;
namespace web = tornado::web;

namespace {
struct BestsellerService {
    std::atomic<int> asked{0};
};

struct BestsellerServiceHandler : web::RequestHandler {
    BestsellerService* service = nullptr;
    void initialize(BestsellerService* bestsellers) { service = bestsellers; }
    void get() {
        int edition = ++service->asked;
        write(json{{"edition", edition}, {"books", {"Burt's Hamlet", "Burt's Macbeth"}}});
    }
};

struct CachedValueTest : ExerciseTest {
    BestsellerService service;
    UpstreamThread upstream{[this] {
        return std::make_unique<web::Application>(
            web::Application({web::url<BestsellerServiceHandler>("/bestsellers.json", &service)}));
    }};
    CachedValueTest() {
        set_option("bestsellers_api", upstream.url("/bestsellers.json"));
        set_option("refresh_interval", "60");
    }
    ~CachedValueTest() override { set_option("refresh_interval", "60"); }

    int edition_served() {
        auto answer = json::parse(fetch("/bestsellers").body, nullptr, false);
        return answer.is_object() && answer["edition"].is_number() ? answer["edition"].get<int>() : -1;
    }
};
}  // namespace

TEST_CASE_METHOD(CachedValueTest, "the list is fetched as the app starts, before anyone asks") {
    get_http_port();  // starts the app
    CHECK(io_loop().run_until([&] { return service.asked == 1; }, 2s));
    auto answer = fetch("/bestsellers");
    CHECK(answer.code == 200);
    CHECK(json::parse(answer.body, nullptr, false) ==
          json{{"edition", 1}, {"books", {"Burt's Hamlet", "Burt's Macbeth"}}});
}

TEST_CASE_METHOD(CachedValueTest, "ten readers are answered from the cache: the service is asked once") {
    for (int reader = 0; reader < 10; ++reader) CHECK(edition_served() == 1);
    INFO("requests the bestseller service answered for 10 GET /bestsellers (refresh_interval 60 s)");
    CHECK(service.asked == 1);
}

TEST_CASE_METHOD(CachedValueTest, "the list is fetched again every refresh_interval") {
    set_option("refresh_interval", "0.1");
    get_http_port();
    INFO("with refresh_interval 0.1 s the service must be asked again without any request");
    CHECK(io_loop().run_until([&] { return service.asked >= 3; }, 2s));
    CHECK(edition_served() >= 3);
}
