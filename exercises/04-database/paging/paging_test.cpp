// exercises/04-database/paging: GET /books?page=N&per_page=M answers one page of 23 books.
#include "exercise_test.hpp"

using nlohmann::json;

namespace {
// The titles "Book <first>" … "Book <last>".
json titles(int first, int last) {
    json list = json::array();
    for (int i = first; i <= last; ++i) list.push_back((i < 10 ? "Book 0" : "Book ") + std::to_string(i));
    return list;
}
}  // namespace

TEST_CASE_METHOD(DatabaseExerciseTest, "the first page has the first 10 books and counts the pages") {
    auto page = json::parse(fetch("/books").body, nullptr, false);
    CHECK(page == json{{"page", 1}, {"per_page", 10}, {"total", 23}, {"pages", 3}, {"books", titles(1, 10)}});
}

TEST_CASE_METHOD(DatabaseExerciseTest, "the last page has what is left, and a page past the end is empty") {
    CHECK(json::parse(fetch("/books?page=3").body, nullptr, false)["books"] == titles(21, 23));
    auto beyond = json::parse(fetch("/books?page=4").body, nullptr, false);
    CHECK(beyond["books"] == json::array());
    CHECK(beyond["pages"] == 3);
}

TEST_CASE_METHOD(DatabaseExerciseTest, "per_page sets the size of a page") {
    auto page = json::parse(fetch("/books?page=2&per_page=5").body, nullptr, false);
    CHECK(page["books"] == titles(6, 10));
    CHECK(page["pages"] == 5);
    CHECK(json::parse(fetch("/books?per_page=50").body, nullptr, false)["books"] == titles(1, 23));
}

TEST_CASE_METHOD(DatabaseExerciseTest, "a page below 1 or a per_page outside 1 to 50 is a 400") {
    for (const std::string query : {"page=0", "page=-1", "per_page=0", "per_page=51", "per_page=1000000", "page=two"}) {
        INFO(query);
        CHECK(fetch("/books?" + query).code == 400);
    }
}
