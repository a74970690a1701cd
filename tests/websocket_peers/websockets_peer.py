#!/usr/bin/python3
# websockets_peer: an independent WebSocket peer on Python's `websockets` (Debian's
# python3-websockets), to test our server and client against code that shares nothing with them.
#
# Client: websockets_peer.py --connect=ws://HOST:PORT/PATH [--compress] [--expect=deflate|none]
#                            [--timeout=SECONDS]
#   sends text, binary, empty and 1 MiB messages, a burst of small ones and a ping; checks each
#   echo (type and content) and the pong; closes with 1000. Prints one JSON line of results and
#   exits 0 only when every check passed. --compress offers permessage-deflate; --expect says
#   whether the server must accept it (default: deflate with --compress, none without).
# Server: websockets_peer.py --port=N [--compress] [--certfile=PEM --keyfile=PEM]
#   an echo server on 127.0.0.1:N (0: a free port) that sends every message back as it came,
#   with permessage-deflate when --compress is given and the client offers it, over TLS (wss://)
#   with the certificate and key given. Prints its port on a line of its own once it accepts
#   connections; SIGTERM stops it.
import argparse
import asyncio
import json
import random
import signal
import ssl
import sys

import websockets

MESSAGE_LIMIT = 16 * 1024 * 1024  # above the 1 MiB messages, so the peer never refuses ours


def test_messages():
    generator = random.Random(14)
    return [
        ("text", "hello"),
        ("unicode text", "h\u00e9llo \u2713 \U0001f600"),
        ("binary", bytes(range(256))),
        ("empty text", ""),
        ("empty binary", b""),
        ("1 MiB binary", generator.randbytes(1 << 20)),
        ("1 MiB text", ("tornado websocket echo " * 50000)[: 1 << 20]),
    ]


def describe(message):
    kind = "text" if isinstance(message, str) else "binary"
    size = len(message.encode()) if isinstance(message, str) else len(message)
    return f"{kind} of {size} bytes"


def echo_problem(sent, received):
    """Why received is not the echo of sent, or None when it is."""
    if type(received) is not type(sent):
        return f"sent {describe(sent)}, got {describe(received)}"
    if received != sent:
        expected, actual = (m.encode() if isinstance(m, str) else m for m in (sent, received))
        at = next((i for i, (a, b) in enumerate(zip(expected, actual)) if a != b), min(len(expected), len(actual)))
        return f"sent {describe(sent)}, got {describe(received)} differing at byte {at}"
    return None


async def run_client(url, compress, expect, timeout):
    checks = {}
    result = {"peer": "websockets", "role": "client", "url": url, "compression_offered": compress}
    try:
        async with websockets.connect(url, compression="deflate" if compress else None, max_size=MESSAGE_LIMIT,
                                      ping_interval=None, open_timeout=timeout, close_timeout=timeout) as ws:
            negotiated = ws.response_headers.get("Sec-WebSocket-Extensions")
            result["negotiated"] = negotiated
            answered = "deflate" if negotiated and negotiated.startswith("permessage-deflate") else "none"
            checks["negotiation"] = (
                "ok" if answered == expect else f"expected {expect}, the server answered {negotiated!r}")

            async def exchange(name, messages):
                for message in messages:
                    await ws.send(message)
                for message in messages:
                    problem = echo_problem(message, await asyncio.wait_for(ws.recv(), timeout))
                    if problem:
                        checks[name] = problem
                        return
                checks[name] = "ok"

            for name, message in test_messages():
                await exchange(name, [message])
            await exchange("burst of 20", [f"message {i} " * (i + 1) for i in range(20)])

            pong = await ws.ping(b"ping-14")
            await asyncio.wait_for(pong, timeout)
            checks["ping"] = "ok"

            await ws.close(code=1000, reason="done")
            result["close_code"] = ws.close_code
            checks["close"] = "ok" if ws.close_code == 1000 else f"the server closed with {ws.close_code}"
    except asyncio.TimeoutError:
        checks["timeout"] = f"no answer within {timeout} s"
    except Exception as error:  # any failure is a result to report, not a traceback
        checks["error"] = f"{type(error).__name__}: {error}"
    result["checks"] = checks
    result["ok"] = all(value == "ok" for value in checks.values())
    print(json.dumps(result), flush=True)
    return 0 if result["ok"] else 1


async def run_server(port, compress, certfile, keyfile):
    async def echo(ws):
        try:
            async for message in ws:
                await ws.send(message)
        except websockets.ConnectionClosed:
            pass

    loop = asyncio.get_running_loop()
    stop = loop.create_future()
    for signal_number in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signal_number, stop.set_result, None)
    tls = None
    if certfile:
        tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        tls.load_cert_chain(certfile, keyfile)
    async with websockets.serve(echo, "127.0.0.1", port, compression="deflate" if compress else None,
                                max_size=MESSAGE_LIMIT, ping_interval=None, ssl=tls) as server:
        print(server.sockets[0].getsockname()[1], flush=True)
        await stop
    return 0


def main():
    parser = argparse.ArgumentParser(description="A WebSocket echo client or server on Python's websockets.")
    mode = parser.add_mutually_exclusive_group(required=True)
    mode.add_argument("--connect", metavar="URL", help="run the client against this ws:// URL")
    mode.add_argument("--port", type=int, help="run an echo server on this port (0: any free port)")
    parser.add_argument("--compress", action="store_true", help="offer (client) or accept (server) permessage-deflate")
    parser.add_argument("--expect", choices=["deflate", "none"],
                        help="whether the server must accept permessage-deflate (client; default: as offered)")
    parser.add_argument("--timeout", type=float, default=10.0, help="seconds to wait for each answer (client)")
    parser.add_argument("--certfile", help="serve wss:// with this certificate (PEM; server)")
    parser.add_argument("--keyfile", help="the certificate's private key (PEM; server)")
    args = parser.parse_args()
    if bool(args.certfile) != bool(args.keyfile):
        parser.error("--certfile and --keyfile go together")
    if args.connect:
        expect = args.expect or ("deflate" if args.compress else "none")
        return asyncio.run(run_client(args.connect, args.compress, expect, args.timeout))
    return asyncio.run(run_server(args.port, args.compress, args.certfile, args.keyfile))


if __name__ == "__main__":
    sys.exit(main())
