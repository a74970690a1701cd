// Exercise 02-forms/validation: a signup form that checks what it is sent. A valid signup is
// welcomed by name; an invalid one gets the form back (400) with its errors and the values typed.
#include <tornado/tornado.hpp>

using namespace tornado;

struct FormHandler : web::RequestHandler {
    void get() { render("form.html"); }
};

struct SignupHandler : web::RequestHandler {
    void post() {
        // TODO: read name, email and age with a default, get_argument("age", ""), so that a field
        // left out is a problem of the form and not a bare 400. Collect one message per problem:
        //   "Name is required."                            when name is empty
        //   "Email must look like name@example.com."       unless text, '@', text
        //   "Age must be a whole number from 13 to 120."   unless digits only, 13..120
        // TODO: with problems, set the status to 400 and render form.html with the list of
        // messages as "errors" and the three values as typed. Without, render welcome.html with
        // the name.
        render("form.html");
    }
};

web::Application make_app() {
    return web::Application({web::url<FormHandler>("/"), web::url<SignupHandler>("/signup")},
                            {.template_path = source_dir() + "/templates"});
}
