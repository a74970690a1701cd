#!/usr/bin/python3
# httpclient_upstream: a Python http.server (HTTP/1.1, keep-alive) that the HTTP client's tests
# fetch from: redirects, echo, gzip, chunked, large bodies and the client's port per request.
# Usage: httpclient_upstream.py --port=N [--certfile=PEM --keyfile=PEM]  (the latter two: HTTPS)
import gzip
import http.server
import ssl
import sys
import urllib.parse


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, format, *args):
        pass

    def answer(self, code, body, headers=()):
        self.send_response(code)
        for name, value in headers:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def chunked(self, pieces, headers=()):
        self.send_response(200)
        for name, value in headers:
            self.send_header(name, value)
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        for piece in pieces:
            self.wfile.write(b"%x\r\n%s\r\n" % (len(piece), piece))
            self.wfile.flush()
        self.wfile.write(b"0\r\n\r\n")

    def handle_any(self):
        url = urllib.parse.urlsplit(self.path)
        query = dict(urllib.parse.parse_qsl(url.query))
        length = int(self.headers.get("Content-Length", "0"))
        body = self.rfile.read(length) if length else b""
        path = url.path
        if path == "/port":
            self.answer(200, str(self.client_address[1]).encode())
        elif path.startswith("/redirect/"):
            self.answer(int(path.split("/")[2]), b"", [("Location", query["to"])])
        elif path == "/loop":
            self.answer(302, b"", [("Location", "/loop")])
        elif path == "/echo":
            text = "%s %s|%s" % (self.command, body.decode(), self.headers.get("Authorization", ""))
            self.answer(200, text.encode(), [("X-Method", self.command)])
        elif path == "/gzip":
            self.answer(200, gzip.compress(b"compressed " * 1000), [("Content-Encoding", "gzip")])
        elif path == "/chunked":
            self.chunked([b"first ", b"second ", b"third"])
        elif path == "/big":
            self.answer(200, b"x" * int(query["n"]))
        elif path == "/big-chunked":
            self.chunked([b"y" * 65536] * int(query["chunks"]))
        elif path == "/headers":
            self.answer(200, ("|".join("%s=%s" % item for item in sorted(self.headers.items()))).encode())
        elif path == "/close":
            self.answer(200, b"closing", [("Connection", "close")])
        elif path == "/missing":
            self.answer(404, b"no such thing", [("X-Why", "missing")])
        else:
            self.answer(200, b"secure" if isinstance(self.connection, ssl.SSLSocket) else b"plain")

    do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = handle_any


def main():
    options = dict(arg[2:].split("=", 1) for arg in sys.argv[1:])
    server = http.server.ThreadingHTTPServer(("127.0.0.1", int(options["port"])), Handler)
    server.daemon_threads = True
    if "certfile" in options:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(options["certfile"], options["keyfile"])
        server.socket = context.wrap_socket(server.socket, server_side=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
