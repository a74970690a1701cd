#!/usr/bin/python3
"""Python Tornado's WebSocket shopping cart (the book's second shopping_cart.py), the baseline
for bench/websocket's broadcast.

Run: /usr/bin/python3 bench/shopping_cart_ws_tornado.py --port=8000 --logging=none

The same store as bench/shopping_cart_tornado.py, whose page and POST /cart it reuses unchanged;
what differs is /cart/status: a WebSocket, registered with the cart while open, that receives
every inventory change as {"inventoryCount": "N"}. The book's cart keeps its callbacks in a list
and removes a closing one with list.remove, a scan of every open socket; here they are the keys
of a dict, so a client that leaves costs the same however many stay.
"""
import tornado.escape
import tornado.httpserver
import tornado.ioloop
import tornado.options
import tornado.web
import tornado.websocket
from tornado.options import options

# Defines the --port option too.
from shopping_cart_tornado import CartHandler, DetailHandler, ShoppingCart


class WebSocketShoppingCart(ShoppingCart):
    def __init__(self):
        super().__init__()
        self.listeners = {}  # StatusHandler -> None: insertion order, O(1) removal

    def register(self, listener):
        self.listeners[listener] = None

    def unregister(self, listener):
        self.listeners.pop(listener, None)

    def notify(self):
        # Encoded once for every listener, as the book's callback formats one string.
        message = tornado.escape.json_encode({"inventoryCount": str(self.inventory_count())})
        for listener in list(self.listeners):
            listener.send(message)


class StatusHandler(tornado.websocket.WebSocketHandler):
    def open(self):
        self.application.shopping_cart.register(self)

    def on_close(self):
        self.application.shopping_cart.unregister(self)

    def on_message(self, message):
        pass

    def send(self, message):
        try:
            self.write_message(message)
        except tornado.websocket.WebSocketClosedError:
            self.application.shopping_cart.unregister(self)


class Application(tornado.web.Application):
    def __init__(self):
        self.shopping_cart = WebSocketShoppingCart()
        handlers = [
            (r"/", DetailHandler),
            (r"/cart", CartHandler),
            (r"/cart/status", StatusHandler),
        ]
        super().__init__(handlers)


if __name__ == "__main__":
    tornado.options.parse_command_line()
    http_server = tornado.httpserver.HTTPServer(Application())
    http_server.listen(options.port, address="127.0.0.1")
    tornado.ioloop.IOLoop.current().start()
