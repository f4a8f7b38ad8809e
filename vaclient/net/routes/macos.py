"""Parser for macOS ``netstat -rn -f inet6`` (also the ``Internet6:`` part of ``netstat -rn``).

Columns are found by name in the header, because older releases add
``Refs`` and ``Use``; rows are split on whitespace, because a long gateway
leaves a single space before the flags, and ``Expire`` may be empty.
"""

from __future__ import annotations

import logging
import re

from vaclient.net.model import Route
from vaclient.net.routes.common import clean_text, normalise_address, normalise_prefix

logger = logging.getLogger(__name__)

_MAC = re.compile(r"^[0-9A-Fa-f]{1,2}(:[0-9A-Fa-f]{1,2}){5}$")
_IPV4 = re.compile(r"^\d{1,3}(\.\d{1,3}){3}$")


def parse_netstat(text: str) -> list[Route] | None:
    """The IPv6 routes of ``netstat -rn -f inet6``.

    ``default`` becomes ``::/0``, a destination without ``/len`` a host
    route, and the zone inside a prefix is dropped. Gateways ``link#N``, a
    MAC address (a neighbour entry, flag ``L``) or an interface name mean
    on-link (None). Routes with flag ``I`` are interface-scoped, kept and
    marked ``scoped`` so a lookup does not take a dormant utun's scoped
    default for the system default. Metrics do not exist here (None).

    Returns:
        The routes, or None when no IPv6 routing table is found.

    Example:
        >>> text = '''Internet6:
        ... Destination        Gateway          Flags   Netif Expire
        ... default            fe80::%utun4     UGcIg   utun4
        ... 2001:db8::/32      link#21          UCS     utun4
        ... fe80::%utun4/64    fe80::a1%utun4   UcI     utun4'''
        >>> for r in parse_netstat(text):
        ...     print(r.destination, r.gateway, r.interface, r.flags, r.scoped)
        ::/0 fe80:: utun4 UGcIg True
        2001:db8::/32 None utun4 UCS False
        fe80::/64 fe80::a1 utun4 UcI True
    """
    columns: list[str] | None = None
    in_inet6 = True
    seen_inet6 = False
    routes: list[Route] = []
    for line in clean_text(text).split("\n"):
        stripped = line.strip()
        if stripped == "Internet6:":
            in_inet6, seen_inet6 = True, True
            continue
        if stripped == "Internet:":
            in_inet6 = False
            continue
        tokens = stripped.split()
        if len(tokens) >= 3 and tokens[0] == "Destination" and "Gateway" in tokens:
            columns = tokens
            continue
        if columns is None or not in_inet6 or len(tokens) < 3:
            continue

        row = dict(zip(columns, tokens, strict=False))
        route = _route(row)
        if route is not None:
            routes.append(route)

    if columns is None or (not routes and not seen_inet6):
        return None
    logger.debug("netstat: %d IPv6 routes", len(routes))
    return routes


def _route(row: dict[str, str]) -> Route | None:
    """One table row as a Route, or None for a row that is not an IPv6 route."""
    destination = normalise_prefix(row.get("Destination", ""))
    gateway_text = row.get("Gateway", "")
    interface = row.get("Netif", "")
    if destination is None or not interface or _IPV4.match(gateway_text):
        return None

    gateway = normalise_address(gateway_text)
    if gateway is None and not (
        gateway_text.startswith("link#") or _MAC.match(gateway_text) or gateway_text.isalnum()
    ):
        return None
    flags = row.get("Flags") or None
    return Route(destination, gateway, interface, None, flags, scoped="I" in (flags or ""))
