# bench/http/ws_burst.py — N WebSocket clients connecting at once, for
# bench/http/run.sh: how long until every one has its 101 answer.
#
# Copyright 2026 The Bourse Authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Usage: python3 ws_burst.py PORT PATH N [TIMEOUT_S]
#
# PATH is the request target with its query (/api/v1/ws?token=…). Each
# client opens a TCP connection and sends the handshake; none waits for
# another. Prints one line, "connected=N failed=N seconds=S", and exits
# non-zero only on a usage error. The handshake is written by hand (a
# fixed key, no library): the clients' own cost stays small next to the
# server's, and the library's limits do not enter the figure.

import asyncio
import resource
import sys
import time

try:
    import uvloop
except ImportError:
    uvloop = None

KEY = "dGhlIHNhbXBsZSBub25jZQ=="


async def one_client(port, path, deadline, sockets):
    request = (f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nUpgrade: websocket\r\n"
               f"Connection: Upgrade\r\nSec-WebSocket-Key: {KEY}\r\nSec-WebSocket-Version: 13\r\n\r\n")
    try:
        reader, writer = await asyncio.wait_for(asyncio.open_connection("127.0.0.1", port),
                                                deadline - time.monotonic())
        writer.write(request.encode())
        head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), deadline - time.monotonic())
        sockets.append(writer)
        return head.startswith(b"HTTP/1.1 101")
    except (OSError, asyncio.TimeoutError, asyncio.IncompleteReadError, asyncio.LimitOverrunError):
        return False


async def burst(port, path, n, timeout_s):
    sockets = []
    started = time.monotonic()
    deadline = started + timeout_s
    results = await asyncio.gather(*(one_client(port, path, deadline, sockets) for _ in range(n)))
    seconds = time.monotonic() - started
    for writer in sockets:
        writer.close()
    return sum(results), n - sum(results), seconds


def main():
    if len(sys.argv) not in (4, 5):
        print(__doc__ or "usage: ws_burst.py PORT PATH N [TIMEOUT_S]", file=sys.stderr)
        return 2
    port, path, n = int(sys.argv[1]), sys.argv[2], int(sys.argv[3])
    timeout_s = float(sys.argv[4]) if len(sys.argv) == 5 else 120.0

    # One descriptor per client, and a few more.
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < n + 64:
        resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, n + 64) if hard != resource.RLIM_INFINITY
                                                    else n + 64, hard))
    if uvloop is not None:
        uvloop.install()
    connected, failed, seconds = asyncio.run(burst(port, path, n, timeout_s))
    print(f"connected={connected} failed={failed} seconds={seconds:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
