// The Book UI module of Burt's Books: draws one book (templates/modules/book.html) and adds
// recommended.css and recommended.js to the page. Chapter 4's bookstore uses it too.
#pragma once

#include <tornado/web.hpp>

#include <string>
#include <vector>

struct BookModule : tornado::web::UIModule {
    std::vector<std::string> css_files() const override { return {"css/recommended.css"}; }
    std::vector<std::string> javascript_files() const override { return {"js/recommended.js"}; }
};
