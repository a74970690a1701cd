#!/usr/bin/python3
"""Python Tornado's tweet_rate (the book's chapter 5), the baseline for bench/rate.

Run: /usr/bin/python3 bench/rate_tornado.py --port=8000 --search_api=URL [--blocking]
                                            [--max_clients=N] --logging=none

GET /?q=X asks the search API (chapters/05-async/search_api) for the 100 newest posts about X
and answers the page that chapters/05-async/rate answers, byte for byte: the rate from the first
and last timestamps, the query escaped. Two variants, as in the book:
  --blocking   the book's tweet_rate.py: tornado.httpclient.HTTPClient. Its fetch blocks, and
               the loop with it. On Tornado 6, HTTPClient runs an event loop of its own, which
               raises RuntimeError on a thread whose loop is running (the handler's); so the
               fetch runs on a worker thread and the handler waits for it with .result(): the
               loop thread blocks for the whole fetch, as in the book.
  (default)    the book's tweet_rate_async.py: AsyncHTTPClient, awaited. The book's
               @tornado.web.asynchronous and callback are gone in Tornado 6; `await` does the
               same. AsyncHTTPClient() is one shared client per loop, and it runs at most
               max_clients fetches at once (Tornado's default 10), queueing the others.
Listens on 127.0.0.1 only.
"""
import concurrent.futures
import datetime
import urllib.parse

import tornado.escape
import tornado.httpclient
import tornado.httpserver
import tornado.ioloop
import tornado.options
import tornado.web
from tornado.options import define, options

define("port", default=8000, help="run on the given port", type=int)
define("search_api", default="http://127.0.0.1:8001/search.json", help="the search API's URL")
define("blocking", default=False, help="fetch with the blocking HTTPClient", type=bool)
define("max_clients", default=10, help="AsyncHTTPClient's fetches at once", type=int)

# The one thread the blocking variant's fetches run on (the loop thread waits for each).
blocking_fetches = concurrent.futures.ThreadPoolExecutor(max_workers=1)


def search_url(query):
    return options.search_api + "?" + urllib.parse.urlencode(
        {"q": query, "result_type": "recent", "rpp": 100})


def blocking_fetch(url):
    client = tornado.httpclient.HTTPClient()
    try:
        return client.fetch(url)
    finally:
        client.close()


def parse_created_at(text):
    return datetime.datetime.strptime(text, "%a, %d %b %Y %H:%M:%S +0000")


def rate_page(query, body):
    results = tornado.escape.json_decode(body)["results"]
    rate = 0.0
    if results:
        newest = parse_created_at(results[0]["created_at"])
        oldest = parse_created_at(results[-1]["created_at"])
        rate = len(results) / max(1.0, (newest - oldest).total_seconds())
    return ('<div style="text-align: center">\n'
            '    <div style="font-size: 72px">%s</div>\n'
            '    <div style="font-size: 144px">%.2f</div>\n'
            '    <div style="font-size: 24px">tweets per second</div>\n'
            '</div>\n') % (tornado.escape.xhtml_escape(query), rate)


class BlockingIndexHandler(tornado.web.RequestHandler):
    def get(self):
        query = self.get_argument('q')
        response = blocking_fetches.submit(blocking_fetch, search_url(query)).result()
        self.write(rate_page(query, response.body))


class AsyncIndexHandler(tornado.web.RequestHandler):
    async def get(self):
        query = self.get_argument('q')
        client = tornado.httpclient.AsyncHTTPClient()
        response = await client.fetch(search_url(query))
        self.write(rate_page(query, response.body))


if __name__ == "__main__":
    tornado.options.parse_command_line()
    tornado.httpclient.AsyncHTTPClient.configure(None, max_clients=options.max_clients)
    handler = BlockingIndexHandler if options.blocking else AsyncIndexHandler
    app = tornado.web.Application(handlers=[(r"/", handler)])
    http_server = tornado.httpserver.HTTPServer(app)
    http_server.listen(options.port, address="127.0.0.1")
    tornado.ioloop.IOLoop.current().start()
