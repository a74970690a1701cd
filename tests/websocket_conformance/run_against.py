#!/usr/bin/python3
"""Starts an echo server on a free port, runs websocket_conformance against it, stops the server.

    run_against.py HARNESS --server 'COMMAND {port}' [--path /ws] [harness arguments...]

{port} in COMMAND becomes the chosen port. The exit status is the harness's (1 when a case
FAILs), or 2 when the server does not accept connections within 10 s.
"""
import argparse
import shlex
import socket
import subprocess
import sys
import time


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until_listening(port, server, seconds=10.0):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            return False
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return True
        except OSError:
            time.sleep(0.05)
    return False


def main():
    parser = argparse.ArgumentParser(usage=__doc__)
    parser.add_argument("harness")
    parser.add_argument("--server", required=True)
    parser.add_argument("--path", default="/")
    args, harness_arguments = parser.parse_known_args()
    port = free_port()
    # The server's own log stays out of the report; run the server by hand to read it.
    server = subprocess.Popen(
        shlex.split(args.server.replace("{port}", str(port))), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        if not wait_until_listening(port, server):
            print(f"run_against: the server ({args.server}) is not listening on port {port}", file=sys.stderr)
            return 2
        url = f"ws://127.0.0.1:{port}{args.path}"
        return subprocess.call([args.harness, "--url", url, *harness_arguments])
    finally:
        server.terminate()
        try:
            server.wait(timeout=5)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


if __name__ == "__main__":
    sys.exit(main())
