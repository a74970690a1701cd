#!/usr/bin/python3
"""Python Tornado's WebSocket echo: the reference websocket_conformance was checked against.

Run with /usr/bin/python3 (Debian's python3-tornado). Prints the URL it serves, then serves
until interrupted:
    /usr/bin/python3 tests/websocket_conformance/tornado_echo.py --port 9001 --compress
The message size limit defaults to 64 MiB, above category 9's largest message (16 MiB), where
Tornado's own default is 10 MiB.
"""
import argparse
import asyncio

import tornado.httpserver
import tornado.netutil
import tornado.web
import tornado.websocket


class EchoHandler(tornado.websocket.WebSocketHandler):
    def on_message(self, message):
        self.write_message(message, binary=isinstance(message, bytes))

    def get_compression_options(self):
        # {}: permessage-deflate with Tornado's defaults; None: no compression.
        return {} if self.settings["compress"] else None


async def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=9001, help="0 picks a free port")
    parser.add_argument("--compress", action="store_true", help="accept permessage-deflate")
    parser.add_argument("--max-message-size", type=int, default=64 * 1024 * 1024)
    args = parser.parse_args()
    application = tornado.web.Application(
        [(r"/", EchoHandler)], compress=args.compress, websocket_max_message_size=args.max_message_size
    )
    sockets = tornado.netutil.bind_sockets(args.port, address="127.0.0.1")
    tornado.httpserver.HTTPServer(application).add_sockets(sockets)
    print(f"ws://127.0.0.1:{sockets[0].getsockname()[1]}/", flush=True)
    await asyncio.Event().wait()


if __name__ == "__main__":
    asyncio.run(main())
