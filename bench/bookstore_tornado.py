#!/usr/bin/python3
"""Python Tornado's bookstore /recommended/ page, the baseline for bench/templates.

Run: /usr/bin/python3 bench/bookstore_tornado.py --port=8000 --logging=none
The same page as chapters/03-templates/bookstore (same books, layout and Book UI module,
same static files for static_url), written with Tornado templates in
bench/bookstore_tornado/templates/. Whitespace is kept as written (template_whitespace="all")
so both servers send pages of about the same size. Listens on 127.0.0.1 only.
"""
import os

import tornado.httpserver
import tornado.ioloop
import tornado.options
import tornado.web
from tornado.options import define, options

define("port", default=8000, help="run on the given port", type=int)

HERE = os.path.dirname(os.path.abspath(__file__))
STATIC = os.path.join(HERE, "..", "chapters", "03-templates", "bookstore", "static")

# The books of chapters/03-templates/bookstore/bookstore.cpp.
BOOKS = [
    {
        "title": "Programming Collective Intelligence",
        "subtitle": "Building Smart Web 2.0 Applications",
        "image": "/static/images/collective_intelligence.svg",
        "author": "Toby Segaran",
        "date_added": "2010-08-14",
        "date_released": "August 2007",
        "isbn": "978-0-596-52932-1",
        "description": "<p>How to build web applications that mine the data people create on the "
                       "Internet: <em>recommendations</em>, clustering, search ranking and more.</p>",
    },
    {
        "title": "RESTful Web Services",
        "subtitle": "Web services for the real world",
        "image": "/static/images/restful_web_services.svg",
        "author": "Leonard Richardson, Sam Ruby",
        "date_added": "2010-08-14",
        "date_released": "May 2007",
        "isbn": "978-0-596-52926-0",
        "description": "<p>Web services that machines can use the way people use web sites, "
                       "built on <strong>HTTP</strong> itself.</p>",
    },
    {
        "title": "Introduction to Tornado",
        "subtitle": "",
        "image": "/static/images/introduction_to_tornado.svg",
        "author": "Michael Dory, Adam Parrish, Brendan Berg",
        "date_added": "2012-03-01",
        "date_released": "March 2012",
        "isbn": "978-1-4493-0907-7",
        "description": "<p>The book this store's site is the example of.</p>",
    },
]


class RecommendedHandler(tornado.web.RequestHandler):
    def get(self):
        self.render("recommended.html", page_title="Burt's Books | Recommended Reading",
                    header_text="Recommended Reading", books=BOOKS)


class BookModule(tornado.web.UIModule):
    def render(self, book):
        return self.render_string("modules/book.html", book=book)

    def css_files(self):
        return "css/recommended.css"

    def javascript_files(self):
        return "js/recommended.js"


if __name__ == "__main__":
    tornado.options.parse_command_line()
    app = tornado.web.Application(
        handlers=[(r"/recommended/", RecommendedHandler)],
        template_path=os.path.join(HERE, "bookstore_tornado", "templates"),
        static_path=STATIC,
        ui_modules={"Book": BookModule},
        template_whitespace="all",
    )
    http_server = tornado.httpserver.HTTPServer(app)
    http_server.listen(options.port, address="127.0.0.1")
    tornado.ioloop.IOLoop.current().start()
