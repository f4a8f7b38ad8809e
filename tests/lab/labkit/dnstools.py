"""Tiny user-space DNS helpers for the lab: a broken upstream and a slow link.

The lab's real DNS server is dnsmasq. Two behaviours dnsmasq cannot produce
on its own are provided here, each started as a separate process inside a
namespace (stdlib only, so it runs with any Python and no project import):

- ``answer``: an upstream that answers every query with one fixed RCODE
  (SERVFAIL by default), or never answers at all with ``--silent``. dnsmasq
  forwards a zone to it, so the client sees a real SERVFAIL or a real
  timeout from its usual resolver.
- ``delay``: a forwarder that holds every query for ``--delay`` seconds
  before passing it to the real server and relaying the answer. The kernel
  here has no netem, so this is how the benchmark models a slow resolver.
  It is one single-threaded event loop (timers for the delay), so it adds
  the delay and little CPU time of its own, as a real slow resolver would.

Usage (inside a namespace)::

    python3 dnstools.py answer --listen 192.0.2.2:5301 --rcode 2
    python3 dnstools.py answer --listen 192.0.2.2:5302 --silent
    python3 dnstools.py delay --listen 192.0.2.2:53 --upstream 192.0.2.2:5353 --delay 0.1
"""

from __future__ import annotations

import argparse
import contextlib
import heapq
import itertools
import selectors
import socket
import struct
import time
from collections.abc import Iterator

HEADER = struct.Struct("!HHHHHH")
QR = 0x8000
RD = 0x0100
RA = 0x0080
#: How long a relayed query waits for the upstream's answer before it is dropped.
RELAY_TIMEOUT_S = 10.0


def split_hostport(text: str) -> tuple[str, int]:
    """Split ``HOST:PORT`` (IPv4) into its parts.

    >>> split_hostport("192.0.2.2:53")
    ('192.0.2.2', 53)
    """
    host, _, port = text.rpartition(":")
    return host, int(port)


def error_reply(query: bytes, rcode: int) -> bytes | None:
    """Build a reply to ``query`` that carries only the question and ``rcode``.

    Returns None for a datagram too short to hold a DNS header. The
    question section is copied as received, so the reply matches the query
    for any resolver.

    >>> q = bytes.fromhex("abcd01000001000000000000") + b"\\x01x\\x00\\x00\\x1c\\x00\\x01"
    >>> error_reply(q, 2)[:4].hex()
    'abcd8182'
    """
    if len(query) < HEADER.size:
        return None
    ident, flags, qdcount, _an, _ns, _ar = HEADER.unpack_from(query)
    question = query[HEADER.size :] if qdcount else b""
    end = _question_end(question)
    reply_flags = QR | (flags & (RD | 0x7800)) | RA | (rcode & 0xF)
    return HEADER.pack(ident, reply_flags, min(qdcount, 1), 0, 0, 0) + question[:end]


def _question_end(question: bytes) -> int:
    """Length of the first question entry (name, type, class) in ``question``."""
    pos = 0
    while pos < len(question):
        length = question[pos]
        if length == 0:
            return min(pos + 5, len(question))
        pos += 1 + length
    return len(question)


def serve_answer(listen: tuple[str, int], rcode: int, silent: bool) -> None:
    """Answer every datagram on ``listen`` with ``rcode``, or read and drop it."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.bind(listen)
    while True:
        data, peer = sock.recvfrom(4096)
        if silent:
            continue
        reply = error_reply(data, rcode)
        if reply is not None:
            sock.sendto(reply, peer)


def serve_delay(listen: tuple[str, int], upstream: tuple[str, int], delay: float) -> None:
    """Relay each query to ``upstream`` after ``delay`` seconds, then relay the answer.

    One thread and one selector serve every query: a query waits in a timer
    heap until its ``delay`` has passed, then goes out on a socket of its
    own, whose answer is sent back to the asker as soon as it arrives
    (unanswered relays are dropped after :data:`RELAY_TIMEOUT_S`). A thread
    per query cost the forwarder CPU time of its own for every query, which
    on a small machine competed with the client being measured.
    """
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.bind(listen)
    sock.setblocking(False)
    selector = selectors.DefaultSelector()
    selector.register(sock, selectors.EVENT_READ, None)
    due: list[tuple[float, int, bytes, tuple[str, int]]] = []
    waiting: dict[socket.socket, tuple[float, tuple[str, int]]] = {}
    order = itertools.count()

    while True:
        now = time.monotonic()
        while due and due[0][0] <= now:
            _, _, data, peer = heapq.heappop(due)
            out = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
            out.setblocking(False)
            try:
                out.sendto(data, upstream)
            except OSError:
                out.close()
                continue
            selector.register(out, selectors.EVENT_READ, peer)
            waiting[out] = (now + RELAY_TIMEOUT_S, peer)
        for out, (expiry, _) in list(waiting.items()):
            if expiry <= now:
                _drop(selector, waiting, out)

        wake = [expiry for expiry, _ in waiting.values()]
        if due:
            wake.append(due[0][0])
        timeout = max(0.0, min(wake) - now) if wake else None
        for key, _ in selector.select(timeout):
            if key.fileobj is sock:
                _receive_queries(sock, due, order, delay)
                continue
            out = key.fileobj
            assert isinstance(out, socket.socket)
            try:
                answer = out.recv(65535)
            except OSError:
                answer = b""
            _drop(selector, waiting, out)
            if answer:
                with contextlib.suppress(OSError):
                    sock.sendto(answer, key.data)


def _receive_queries(
    sock: socket.socket,
    due: list[tuple[float, int, bytes, tuple[str, int]]],
    order: Iterator[int],
    delay: float,
) -> None:
    """Queue every query waiting on ``sock``, each due ``delay`` seconds after arrival."""
    while True:
        try:
            data, peer = sock.recvfrom(4096)
        except (BlockingIOError, InterruptedError):
            return
        except OSError:  # an ICMP error from an earlier reply; keep serving
            continue
        heapq.heappush(due, (time.monotonic() + delay, next(order), data, peer))


def _drop(
    selector: selectors.BaseSelector,
    waiting: dict[socket.socket, tuple[float, tuple[str, int]]],
    out: socket.socket,
) -> None:
    """Forget one relay socket and close it."""
    selector.unregister(out)
    del waiting[out]
    out.close()


def main(argv: list[str] | None = None) -> None:
    """Parse the command line and serve until killed."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="mode", required=True)
    answer = sub.add_parser("answer", help="answer every query with one RCODE")
    answer.add_argument("--listen", required=True, type=split_hostport)
    answer.add_argument("--rcode", type=int, default=2, help="2 = SERVFAIL, 5 = REFUSED")
    answer.add_argument("--silent", action="store_true", help="never answer")
    delay = sub.add_parser("delay", help="forward every query after a delay")
    delay.add_argument("--listen", required=True, type=split_hostport)
    delay.add_argument("--upstream", required=True, type=split_hostport)
    delay.add_argument("--delay", type=float, default=0.1, help="seconds")
    args = parser.parse_args(argv)

    if args.mode == "answer":
        serve_answer(args.listen, args.rcode, args.silent)
    else:
        serve_delay(args.listen, args.upstream, args.delay)


if __name__ == "__main__":
    main()
