// exercises/04-database/transfer: POST /transfer moves stock between two rows, all or nothing.
#include "exercise_test.hpp"

using nlohmann::json;
using tornado::testing::form_post;

namespace {
tornado::httpclient::HTTPResponse transfer(ExerciseTest& test, const std::string& from, const std::string& to,
                                           const std::string& quantity) {
    return test.fetch("/transfer", form_post("from=" + from + "&to=" + to + "&quantity=" + quantity));
}

const json kStart = {{"north", 10}, {"south", 5}, {"east", 0}};
}  // namespace

TEST_CASE_METHOD(DatabaseExerciseTest, "a transfer moves stock, and one that would leave less than none is a 409 that moves nothing") {
    auto moved = transfer(*this, "north", "south", "3");
    CHECK(moved.code == 200);
    CHECK(json::parse(moved.body, nullptr, false) == json{{"north", 7}, {"south", 8}, {"east", 0}});
    CHECK(transfer(*this, "north", "east", "8").code == 409);  // north has only 7
    CHECK(json::parse(fetch("/stock").body, nullptr, false) == json{{"north", 7}, {"south", 8}, {"east", 0}});
}

TEST_CASE_METHOD(DatabaseExerciseTest, "a transfer to or from a warehouse that does not exist is a 404 and moves nothing") {
    CHECK(transfer(*this, "north", "west", "2").code == 404);
    CHECK(transfer(*this, "west", "north", "2").code == 404);
    CHECK(json::parse(fetch("/stock").body, nullptr, false) == kStart);
}

TEST_CASE_METHOD(DatabaseExerciseTest, "a quantity below 1 is a 400") {
    for (const std::string quantity : {"0", "-5"}) {
        INFO(quantity);
        CHECK(transfer(*this, "north", "south", quantity).code == 400);
    }
    CHECK(json::parse(fetch("/stock").body, nullptr, false) == kStart);
}
