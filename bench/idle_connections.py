#!/usr/bin/python3
"""Open COUNT keep-alive connections to 127.0.0.1:PORT and leave them idle.

Each connection sends one `GET / HTTP/1.1` request and reads the response; then every
connection stays open, idle, for 1 s before all are closed. Used by bench/hello to
measure how much memory a server spends per idle keep-alive connection.

Usage: idle_connections.py PORT COUNT [--pids PID,PID...] [--timeout SECONDS]

Prints one line: `OK OPEN RSS_BEFORE_KB RSS_AFTER_KB`
  OK     connections that got a `200` response
  OPEN   connections still open (not closed by the server) after the idle second
  RSS_*  sum of VmRSS of --pids, read before connecting and after the idle second
"""
import argparse
import selectors
import socket
import time

REQUEST = b"GET / HTTP/1.1\r\nHost: x\r\n\r\n"


def rss_kb(pids):
    total = 0
    for pid in pids:
        with open(f"/proc/{pid}/status") as f:
            total += sum(int(l.split()[1]) for l in f if l.startswith("VmRSS:"))
    return total


def response_complete(buf):
    head, sep, body = bytes(buf).partition(b"\r\n\r\n")
    if not sep:
        return False
    for line in head.lower().split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name == b"content-length":
            return len(body) >= int(value)
        if name == b"transfer-encoding" and b"chunked" in value:
            return body.endswith(b"0\r\n\r\n")
    return True


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("port", type=int)
    ap.add_argument("count", type=int)
    ap.add_argument("--pids", default="", help="comma-separated server pids for RSS")
    ap.add_argument("--timeout", type=float, default=60.0, help="bound on the whole run")
    ap.add_argument("--parallel", type=int, default=100,
                    help="connections in flight at once (stay under the listen backlog)")
    args = ap.parse_args()
    pids = [int(p) for p in args.pids.split(",") if p]

    rss_before = rss_kb(pids)
    sel = selectors.DefaultSelector()
    idle, started, in_flight, ok = [], 0, 0, 0
    deadline = time.monotonic() + args.timeout

    def done(sock, keep):
        nonlocal in_flight
        sel.unregister(sock)
        in_flight -= 1
        if keep:
            idle.append(sock)
        else:
            sock.close()

    while (started < args.count or in_flight) and time.monotonic() < deadline:
        while started < args.count and in_flight < args.parallel:
            started += 1
            try:
                s = socket.socket()
            except OSError:  # out of file descriptors: count as failed
                continue
            s.setblocking(False)
            s.connect_ex(("127.0.0.1", args.port))
            sel.register(s, selectors.EVENT_WRITE, bytearray())
            in_flight += 1
        for key, events in sel.select(timeout=0.5):
            s, buf = key.fileobj, key.data
            if events & selectors.EVENT_WRITE:  # connected (or failed)
                if s.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR):
                    done(s, keep=False)
                else:
                    s.send(REQUEST)  # 30 bytes into an empty send buffer
                    sel.modify(s, selectors.EVENT_READ, buf)
                continue
            try:
                chunk = s.recv(65536)
            except BlockingIOError:
                continue
            except OSError:
                chunk = b""
            buf += chunk
            if not chunk or response_complete(buf):
                good = buf.startswith(b"HTTP/1.1 200 ") and response_complete(buf)
                ok += good
                done(s, keep=good)

    time.sleep(1)
    rss_after = rss_kb(pids)
    # A connection the server closed meanwhile is readable (EOF); an idle one is not.
    for s in idle:
        sel.register(s, selectors.EVENT_READ, "idle")
    closed = sum(key.data == "idle" for key, _ in sel.select(timeout=0))
    still_open = len(idle) - closed
    print(ok, still_open, rss_before, rss_after, flush=True)
    for key in list(sel.get_map().values()):
        key.fileobj.close()
    sel.close()


if __name__ == "__main__":
    main()
