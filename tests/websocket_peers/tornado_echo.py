#!/usr/bin/python3
# tornado_echo: Python Tornado's WebSocket echo at /ws (the reference our websocket_echo sample
# follows), to check the peer scripts beside it against a server known to be right.
# Usage: tornado_echo.py --port=N [--compress]  (0: a free port). Prints its port on a line of its
# own once it accepts connections. --compress: permessage-deflate with Tornado's defaults when the
# client offers it (get_compression_options returns {}); without it, Tornado's default, none.
import argparse
import asyncio

import tornado.httpserver
import tornado.netutil
import tornado.web
import tornado.websocket


class EchoHandler(tornado.websocket.WebSocketHandler):
    def get_compression_options(self):
        return {} if self.settings["compress"] else None

    def on_message(self, message):
        self.write_message(message, binary=isinstance(message, bytes))


async def main():
    parser = argparse.ArgumentParser(description="Python Tornado's WebSocket echo at /ws.")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--compress", action="store_true")
    args = parser.parse_args()
    app = tornado.web.Application([(r"/ws", EchoHandler)], compress=args.compress,
                                  websocket_max_message_size=16 * 1024 * 1024)
    sockets = tornado.netutil.bind_sockets(args.port, "127.0.0.1")
    tornado.httpserver.HTTPServer(app).add_sockets(sockets)
    print(sockets[0].getsockname()[1], flush=True)
    await asyncio.Event().wait()


if __name__ == "__main__":
    asyncio.run(main())
