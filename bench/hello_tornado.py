#!/usr/bin/python3
"""Python Tornado's hello app (the book's hello.py), the baseline for bench/hello.

Run: /usr/bin/python3 bench/hello_tornado.py --port=8000 --logging=none
The only change from the book: it listens on 127.0.0.1 instead of every interface.
"""
import tornado.httpserver
import tornado.ioloop
import tornado.options
import tornado.web
from tornado.options import define, options

define("port", default=8000, help="run on the given port", type=int)


class IndexHandler(tornado.web.RequestHandler):
    def get(self):
        greeting = self.get_argument('greeting', 'Hello')
        self.write(greeting + ', friendly user!')


if __name__ == "__main__":
    tornado.options.parse_command_line()
    app = tornado.web.Application(handlers=[(r"/", IndexHandler)])
    http_server = tornado.httpserver.HTTPServer(app)
    http_server.listen(options.port, address="127.0.0.1")
    tornado.ioloop.IOLoop.current().start()
