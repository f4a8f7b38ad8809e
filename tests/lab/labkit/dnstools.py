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

Usage (inside a namespace)::

    python3 dnstools.py answer --listen 192.0.2.2:5301 --rcode 2
    python3 dnstools.py answer --listen 192.0.2.2:5302 --silent
    python3 dnstools.py delay --listen 192.0.2.2:53 --upstream 192.0.2.2:5353 --delay 0.1
"""

from __future__ import annotations

import argparse
import socket
import struct
import threading
import time

HEADER = struct.Struct("!HHHHHH")
QR = 0x8000
RD = 0x0100
RA = 0x0080


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
    """Relay each query to ``upstream`` after ``delay`` seconds, one thread each."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.bind(listen)

    def relay(data: bytes, peer: tuple[str, int]) -> None:
        time.sleep(delay)
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as out:
            out.settimeout(10.0)
            out.sendto(data, upstream)
            try:
                answer, _ = out.recvfrom(65535)
            except OSError:
                return
        sock.sendto(answer, peer)

    while True:
        data, peer = sock.recvfrom(4096)
        threading.Thread(target=relay, args=(data, peer), daemon=True).start()


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
