"""Longest-prefix match over a route table, as the kernel would choose."""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable

from vaclient.net.model import Route


def strip_scope(address: str) -> str:
    """Drop a ``%zone`` suffix: ``fe80::1%utun3`` -> ``fe80::1``."""
    return address.split("%", 1)[0]


def longest_prefix_match(routes: Iterable[Route], address: str) -> Route | None:
    """The most specific route for ``address``; lower metric breaks ties.

    Routes whose destination is not IPv6 are ignored, and so are
    interface-scoped routes (``Route.scoped``, e.g. macOS ``default
    fe80::%utun4 UGcI``): the kernel uses them only for sockets bound to
    that interface. Parsers already drop reject routes (Linux's
    ``unreachable`` catch-all on ``lo``). Returns None when no route (not
    even a default) covers the address.

    >>> r = [Route("::/0", "fe80::1", "eth0", 100), Route("2001:db8::/32", None, "tun0", 50)]
    >>> longest_prefix_match(r, "2001:db8::10").interface
    'tun0'
    """
    target = ipaddress.IPv6Address(strip_scope(address))
    best: Route | None = None
    best_key: tuple[int, int] | None = None
    for route in routes:
        if route.scoped:
            continue
        try:
            network = route.network
        except ValueError:
            continue
        if target not in network:
            continue
        key = (network.prefixlen, -(route.metric if route.metric is not None else 0))
        if best_key is None or key > best_key:
            best, best_key = route, key
    return best
