#!/usr/bin/python3
"""Python Tornado's WebSocket echo, the baseline for bench/websocket's echo throughput: /ws
sends every text and binary message back as it came (Tornado's websocket demo, without the page).

Run: /usr/bin/python3 bench/websocket_echo_tornado.py --port=8000 --logging=none [--compress]

With --compress, get_compression_options returns {} (Tornado's defaults: level 6, memLevel 8),
which accepts a client's permessage-deflate offer; without it Tornado answers no offer, its
default. Listens on 127.0.0.1 only.
"""
import tornado.httpserver
import tornado.ioloop
import tornado.options
import tornado.web
import tornado.websocket
from tornado.options import define, options

define("port", default=8000, help="run on the given port", type=int)
define("compress", default=False, help="accept permessage-deflate", type=bool)


class EchoHandler(tornado.websocket.WebSocketHandler):
    def get_compression_options(self):
        return {} if options.compress else None

    def on_message(self, message):
        self.write_message(message, binary=isinstance(message, bytes))


class IndexHandler(tornado.web.RequestHandler):
    def get(self):
        self.write("WebSocket echo at /ws\n")


if __name__ == "__main__":
    tornado.options.parse_command_line()
    application = tornado.web.Application([(r"/", IndexHandler), (r"/ws", EchoHandler)])
    http_server = tornado.httpserver.HTTPServer(application)
    http_server.listen(options.port, address="127.0.0.1")
    tornado.ioloop.IOLoop.current().start()
