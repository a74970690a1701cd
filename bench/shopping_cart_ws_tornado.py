#!/usr/bin/python3
"""Python Tornado's WebSocket shopping cart (the book's second shopping_cart.py), the baseline
for bench/websocket's broadcast.

Run: /usr/bin/python3 bench/shopping_cart_ws_tornado.py --port=8000 --logging=none

The same store as bench/shopping_cart_tornado.py, whose page and POST /cart it reuses unchanged;
what differs is /cart/status: a WebSocket, registered with the cart while open, that is sent the
count as it opens (as chapters/05-async/shopping_cart_ws does) and then every inventory change,
as {"inventoryCount": "N"}. The book's cart keeps its callbacks in a list
and removes a closing one with list.remove, a scan of every open socket; here they are the keys
of a dict, so a client that leaves costs the same however many stay.
"""
import tornado.escape
import tornado.websocket

# Defines the --port option too.
from shopping_cart_tornado import ShoppingCart, serve


class WebSocketShoppingCart(ShoppingCart):
    def __init__(self):
        super().__init__()
        self.listeners = {}  # StatusHandler -> None: insertion order, O(1) removal

    def register(self, listener):
        self.listeners[listener] = None

    def unregister(self, listener):
        self.listeners.pop(listener, None)

    def status_message(self):
        return tornado.escape.json_encode({"inventoryCount": str(self.inventory_count())})

    def notify(self):
        message = self.status_message()  # encoded once for every listener
        for listener in list(self.listeners):
            listener.send(message)


class StatusHandler(tornado.websocket.WebSocketHandler):
    def open(self):
        self.application.shopping_cart.register(self)
        self.send(self.application.shopping_cart.status_message())

    def on_close(self):
        self.application.shopping_cart.unregister(self)

    def on_message(self, message):
        pass

    def send(self, message):
        try:
            self.write_message(message)
        except tornado.websocket.WebSocketClosedError:
            self.application.shopping_cart.unregister(self)


if __name__ == "__main__":
    serve(WebSocketShoppingCart(), StatusHandler)
