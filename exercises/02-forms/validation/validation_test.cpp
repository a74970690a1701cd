// exercises/02-forms/validation: POST /signup welcomes a valid signup and answers an invalid one
// with 400 and the form again, one message per problem and the values typed kept, escaped.
#include "exercise_test.hpp"

#include <tornado/escape.hpp>

#include <regex>
#include <string>
#include <vector>

using tornado::testing::form_post;

namespace {
const std::string name_required = "Name is required.";
const std::string email_invalid = "Email must look like name@example.com.";
const std::string age_invalid = "Age must be a whole number from 13 to 120.";

// The form body a browser sends for these three inputs.
tornado::testing::FetchOptions signup(const std::string& name, const std::string& email, const std::string& age) {
    using tornado::escape::url_escape;
    return form_post("name=" + url_escape(name) + "&email=" + url_escape(email) + "&age=" + url_escape(age));
}

// The text of the page's first <h1>.
std::string heading_of(const std::string& page) {
    static const std::regex heading(R"(<h1>([\s\S]*?)</h1>)");
    std::smatch found;
    return std::regex_search(page, found, heading) ? found[1].str() : "(no <h1> on the page)";
}

// The value attribute of the page's <input name="NAME">, as the HTML spells it.
std::string input_value(const std::string& page, const std::string& name) {
    static const std::regex input_tag(R"(<input\b[^>]*>)");
    static const std::regex value_attribute(R"re(\svalue="([^"]*)")re");
    for (std::sregex_iterator tag(page.begin(), page.end(), input_tag), end; tag != end; ++tag) {
        std::string html = tag->str();
        if (html.find("name=\"" + name + "\"") == std::string::npos) continue;
        std::smatch value;
        return std::regex_search(html, value, value_attribute) ? value[1].str() : "(no value attribute)";
    }
    return "(no input named " + name + ")";
}
}  // namespace

TEST_CASE_METHOD(ExerciseTest, "a valid signup is welcomed by name, and the name is escaped") {
    auto welcome = fetch("/signup", signup("Ada Lovelace", "ada@example.com", "36"));
    CHECK(welcome.code == 200);
    CHECK(heading_of(welcome.body) == "Welcome, Ada Lovelace!");
    auto hostile = fetch("/signup", signup("<b>Bob</b>", "bob@example.com", "20"));
    CHECK(hostile.code == 200);
    CHECK(heading_of(hostile.body) == "Welcome, &lt;b&gt;Bob&lt;/b&gt;!");
}

TEST_CASE_METHOD(ExerciseTest, "an empty name answers 400 with the form again and one message") {
    for (std::string name : {"", "   "}) {
        INFO("name: \"" + name + "\" (get_argument strips spaces, so both are empty)");
        auto form = fetch("/signup", signup(name, "ada@example.com", "36"));
        CHECK(form.code == 400);
        CHECK(list_items(form.body) == std::vector<std::string>{name_required});
        CHECK_THAT(form.body, Catch::Contains(R"(<form method="post" action="/signup">)"));
    }
}

TEST_CASE_METHOD(ExerciseTest, "an email needs text before and after its @") {
    for (std::string email : {"ada.example.com", "@example.com", "ada@", ""}) {
        INFO("email: \"" + email + "\"");
        auto form = fetch("/signup", signup("Ada", email, "36"));
        CHECK(form.code == 400);
        CHECK(list_items(form.body) == std::vector<std::string>{email_invalid});
    }
    INFO("a@b has text on both sides of its @, so it is accepted");
    CHECK(fetch("/signup", signup("Ada", "a@b", "36")).code == 200);
}

TEST_CASE_METHOD(ExerciseTest, "an age must be a whole number from 13 to 120") {
    for (std::string age : {"12", "121", "0", "-20", "twenty", "30.5", "3 0", ""}) {
        INFO("age: \"" + age + "\"");
        auto form = fetch("/signup", signup("Ada", "ada@example.com", age));
        CHECK(form.code == 400);
        CHECK(list_items(form.body) == std::vector<std::string>{age_invalid});
    }
    {
        INFO("age: \"99999999999999999999\" is too big for an int: std::stoi would throw, and the answer be a 500");
        CHECK(fetch("/signup", signup("Ada", "ada@example.com", "99999999999999999999")).code == 400);
    }
    for (std::string age : {"13", "120"}) {
        INFO("age: \"" + age + "\" is allowed");
        CHECK(fetch("/signup", signup("Ada", "ada@example.com", age)).code == 200);
    }
}

TEST_CASE_METHOD(ExerciseTest, "every problem gets its own message, in the order of the fields") {
    const std::vector<std::string> all_three{name_required, email_invalid, age_invalid};
    auto form = fetch("/signup", signup("", "nowhere", "old"));
    CHECK(form.code == 400);
    CHECK(list_items(form.body) == all_three);
    INFO("a field that was not sent at all counts as empty: the form again, not a bare 400 page");
    auto nothing = fetch("/signup", form_post(""));
    CHECK(nothing.code == 400);
    CHECK(list_items(nothing.body) == all_three);
}

TEST_CASE_METHOD(ExerciseTest, "the form keeps the values typed, escaped inside their value attributes") {
    auto form = fetch("/signup", signup(R"("><script>alert(1)</script>)", "Zoë at example.com", "twelve"));
    CHECK(form.code == 400);
    INFO("each input shows what was typed, its quotes and brackets escaped so it cannot end the attribute");
    CHECK(input_value(form.body, "name") == "&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;");
    CHECK(input_value(form.body, "email") == "Zoë at example.com");
    CHECK(input_value(form.body, "age") == "twelve");
    CHECK_THAT(form.body, !Catch::Contains("<script>"));
}
