#!/usr/bin/python3
"""Python Tornado's long-polling shopping cart (the book's shopping_cart.py), the baseline for
bench/c10k.

Run: /usr/bin/python3 bench/shopping_cart_tornado.py --port=8000 --logging=none

The book's routes and answers, as chapters/05-async/shopping_cart serves them:
  GET /              the product page with a fresh session id and the inventory count
  POST /cart         action=add|remove&session=S (400 for anything else; one item per session)
  GET /cart/status   waits until the inventory changes, then answers {"inventoryCount": "N"}
The book's handler uses @tornado.web.asynchronous and a callback, both gone in Tornado 6: here
each waiting request awaits a Future that the cart resolves (Tornado's chat demo does the same),
and a client that goes away while waiting is forgotten at once (on_connection_close). The page
is a small inline template without the book's jQuery. Listens on 127.0.0.1 only.
"""
import asyncio
import uuid

import tornado.httpserver
import tornado.ioloop
import tornado.options
import tornado.template
import tornado.web
from tornado.options import define, options

define("port", default=8000, help="run on the given port", type=int)

PAGE = tornado.template.Template("""<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>Burt's Books – Book Detail</title></head>
<body>
<h1>The Definitive Guide to the Internet</h1>
<p>$20.00</p>
<p><span id="count">{{ count }}</span> in stock</p>
<input type="hidden" id="session" value="{{ session }}">
<button id="add" name="action" value="add">Add to Cart</button>
<button id="remove" name="action" value="remove">Remove from Cart</button>
</body></html>
""")


class ShoppingCart:
    total_inventory = 10

    def __init__(self):
        self.carts = set()
        self.waiters = {}  # Future -> None: insertion order, O(1) removal

    def wait_for_change(self):
        future = asyncio.get_running_loop().create_future()
        self.waiters[future] = None
        return future

    def forget(self, future):
        self.waiters.pop(future, None)
        future.cancel()

    def move_item_to_cart(self, session):
        if session not in self.carts:
            self.carts.add(session)
            self.notify()

    def remove_item_from_cart(self, session):
        if session in self.carts:
            self.carts.discard(session)
            self.notify()

    def notify(self):
        waiters, self.waiters = self.waiters, {}
        count = self.inventory_count()
        for future in waiters:
            future.set_result(count)

    def inventory_count(self):
        return self.total_inventory - len(self.carts)


class DetailHandler(tornado.web.RequestHandler):
    def get(self):
        session = uuid.uuid4()
        count = self.application.shopping_cart.inventory_count()
        self.write(PAGE.generate(session=session, count=count))


class CartHandler(tornado.web.RequestHandler):
    def post(self):
        action = self.get_argument("action", "")
        session = self.get_argument("session", "")
        cart = self.application.shopping_cart
        if not session:
            raise tornado.web.HTTPError(400)
        if action == "add":
            cart.move_item_to_cart(session)
        elif action == "remove":
            cart.remove_item_from_cart(session)
        else:
            raise tornado.web.HTTPError(400)


class StatusHandler(tornado.web.RequestHandler):
    async def get(self):
        self.wait_future = self.application.shopping_cart.wait_for_change()
        try:
            count = await self.wait_future
        except asyncio.CancelledError:
            return
        self.write({"inventoryCount": str(count)})

    def on_connection_close(self):
        if hasattr(self, "wait_future"):
            self.application.shopping_cart.forget(self.wait_future)


class Application(tornado.web.Application):
    def __init__(self, shopping_cart, status_handler):
        self.shopping_cart = shopping_cart
        handlers = [
            (r"/", DetailHandler),
            (r"/cart", CartHandler),
            (r"/cart/status", status_handler),
        ]
        super().__init__(handlers)


def serve(shopping_cart, status_handler):
    """Parses the command line and serves the store on 127.0.0.1:--port until killed."""
    tornado.options.parse_command_line()
    http_server = tornado.httpserver.HTTPServer(Application(shopping_cart, status_handler))
    http_server.listen(options.port, address="127.0.0.1")
    tornado.ioloop.IOLoop.current().start()


if __name__ == "__main__":
    serve(ShoppingCart(), StatusHandler)
