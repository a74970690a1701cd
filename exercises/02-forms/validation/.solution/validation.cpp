// Exercise 02-forms/validation: a signup form that checks what it is sent. A valid signup is
// welcomed by name; an invalid one gets the form back (400) with its errors and the values typed.
#include <tornado/tornado.hpp>

#include <charconv>
#include <string>
#include <vector>

using namespace tornado;

namespace {
bool is_email(const std::string& email) {
    auto at = email.find('@');
    return at != std::string::npos && at > 0 && at + 1 < email.size();
}

// A whole number (the whole text, no point or spaces) from 13 to 120.
bool is_age(const std::string& text) {
    int age = 0;
    auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), age);
    return error == std::errc() && end == text.data() + text.size() && age >= 13 && age <= 120;
}
}  // namespace

struct FormHandler : web::RequestHandler {
    void get() { render("form.html"); }
};

struct SignupHandler : web::RequestHandler {
    void post() {
        std::string name = get_argument("name", "");
        std::string email = get_argument("email", "");
        std::string age = get_argument("age", "");
        std::vector<std::string> errors;
        if (name.empty()) errors.push_back("Name is required.");
        if (!is_email(email)) errors.push_back("Email must look like name@example.com.");
        if (!is_age(age)) errors.push_back("Age must be a whole number from 13 to 120.");
        if (!errors.empty()) {
            set_status(400);
            render("form.html", {{"errors", errors}, {"name", name}, {"email", email}, {"age", age}});
            return;
        }
        render("welcome.html", {{"name", name}});
    }
};

web::Application make_app() {
    return web::Application({web::url<FormHandler>("/"), web::url<SignupHandler>("/signup")},
                            {.template_path = source_dir() + "/templates"});
}
