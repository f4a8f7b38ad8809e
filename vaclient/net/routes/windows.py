"""Parsers for Windows' ``route print -6`` and ``netsh interface ipv6 show route``.

Both are localised (German ``IPv6-Routentabelle``, ``Aktive Routen:``), so
the parsers anchor on structure, never on English words: rules of ``=``
split ``route print`` into blocks, a table row is *index, metric,
destination[, gateway]*, and any gateway that is not an IPv6 address
(``On-link``, ``Auf Verbindung``) means on-link.
"""

from __future__ import annotations

import logging
import re

from vaclient.net.model import Interface, Route
from vaclient.net.routes.common import clean_text, normalise_address, normalise_prefix

logger = logging.getLogger(__name__)

#: The description prefix of the Verified Access client's TAP adapter.
VERIFIED_ACCESS_TAP_PREFIX = "AWS Verified Access TAP-Windows Adapter"

_RULE = re.compile(r"^\s*={10,}\s*$")
_ROW = re.compile(r"^\s*(\d+)\s+(\d+)\s+(\S+)(?:\s+(\S.*?))?\s*$")
_IFACE = re.compile(r"^\s*(\d+)\s*\.\.\.((?:[0-9A-Fa-f]{2} )*)\.*\s*([^.\s].*?)\s*$")
_NETSH_ROW = re.compile(r"^\s*(\S+)\s+(\S+)\s+(\d+)\s+(\S+)\s+(\d+)\s+(\S.*?)\s*$")
_NETSH_RULE = re.compile(r"^\s*-+(\s+-+){5}\s*$")


def parse_route_print(text: str) -> list[Route] | None:
    """The active IPv6 routes of ``route print -6`` (or plain ``route print``).

    Works on column-aligned output and on pastes that lost their leading
    spaces; a destination too long for its column pushes the gateway onto
    the next line, and the two lines are joined. Persistent routes are not
    returned: the active table already holds those in effect.

    Args:
        text: the command output, possibly with a prompt line or indented.

    Returns:
        The routes (an empty list for a ``None`` table), or None when the
        text holds no IPv6 route table at all.

    Example:
        >>> text = '''IPv6 Route Table
        ... ===========================================================================
        ... Active Routes:
        ...  If Metric Network Destination      Gateway
        ...  72    281 2001:db8:10::/48         fe80::8
        ...  72    281 2001:db8:10:20:30:40:50:60/128
        ...                                     On-link
        ... ==========================================================================='''
        >>> for route in parse_route_print(text):
        ...     print(route.destination, route.gateway, route.interface, route.metric)
        2001:db8:10::/48 fe80::8 72 281
        2001:db8:10:20:30:40:50:60/128 None 72 281
    """
    blocks = _blocks(clean_text(text))

    title = None
    for number, block in enumerate(blocks):
        if _is_ipv6_title(block):
            title = number
    if title is not None and title + 1 < len(blocks) and blocks[title + 1]:
        routes = _rows(blocks[title + 1])
        logger.debug("route print: %d active IPv6 routes after the title", len(routes))
        return routes

    for block in blocks:
        routes = _rows(block)
        if routes:
            logger.debug("route print without a title: %d IPv6 routes", len(routes))
            return routes
    return None


def parse_interface_list(text: str) -> list[Interface]:
    """The ``Interface List`` of ``route print``: index, MAC and description.

    Interfaces are named by their index, as the route rows print it. The
    Verified Access adapter (and any other TAP-Windows adapter) is of kind
    ``tap``; ``up`` is left False because the list does not say.

    Example:
        >>> text = ''' 72...00 ff 6d 5f 03 c1 ......AWS Verified Access TAP-Windows Adapter V9
        ...   1...........................Software Loopback Interface 1'''
        >>> [(i.name, i.kind, i.description) for i in parse_interface_list(text)]
        [('72', 'tap', 'AWS Verified Access TAP-Windows Adapter V9'), \
('1', 'other', 'Software Loopback Interface 1')]
    """
    interfaces = []
    for line in clean_text(text).split("\n"):
        match = _IFACE.match(line)
        if match is None:
            continue
        index, description = match.group(1), match.group(3)
        kind = "tap" if "TAP-Windows" in description else "other"
        interfaces.append(Interface(index, kind=kind, description=description, index=int(index)))
    return interfaces


def parse_netsh(text: str) -> list[Route] | None:
    """The routes of ``netsh interface ipv6 show route``.

    The last column is a next hop, or the friendly name for on-link
    routes (names may contain spaces). Interfaces are named by ``Idx`` so
    they match ``route print``; ``Met`` is the route's own metric.

    Returns:
        The routes, or None when no netsh route table is found.

    Example:
        >>> text = '''
        ... Publish  Type      Met  Prefix                    Idx  Gateway/Interface Name
        ... -------  --------  ---  ------------------------  ---  ------------------------
        ... No       Manual    256  ::/0                       12  fe80::1
        ... No       System    256  2001:db8:1::/64            12  Wi-Fi 2'''
        >>> [(r.destination, r.gateway, r.interface) for r in parse_netsh(text)]
        [('::/0', 'fe80::1', '12'), ('2001:db8:1::/64', None, '12')]
    """
    lines = clean_text(text).split("\n")
    start = next((n for n, line in enumerate(lines) if _NETSH_RULE.match(line)), None)
    if start is None:
        return None

    routes = []
    for line in lines[start + 1 :]:
        match = _NETSH_ROW.match(line)
        if match is None:
            continue
        destination = normalise_prefix(match.group(4))
        if destination is None:
            continue
        last = match.group(6)
        gateway = normalise_address(last) if " " not in last else None
        routes.append(Route(destination, gateway, match.group(5), int(match.group(3))))
    return routes


def _blocks(text: str) -> list[list[str]]:
    """Non-blank lines grouped by the ``=====`` rules between them."""
    blocks: list[list[str]] = [[]]
    for line in text.split("\n"):
        if _RULE.match(line):
            blocks.append([])
        elif line.strip():
            blocks[-1].append(line)
    return blocks


def _is_ipv6_title(block: list[str]) -> bool:
    """Whether a block is the (localised) ``IPv6 Route Table`` heading."""
    if not block or len(block) > 2 or any(_IFACE.match(line) for line in block):
        return False
    return "IPv6" in block[-1] and not _rows(block)


def _rows(block: list[str]) -> list[Route]:
    """The IPv6 route rows of one block, joining wrapped gateways."""
    routes = []
    pending: tuple[str, str, str] | None = None
    for line in block:
        match = _ROW.match(line)
        prefix = None if match is None else normalise_prefix(match.group(3))
        if pending is not None:
            index, metric, destination = pending
            pending = None
            if prefix is None:
                routes.append(_route(index, metric, destination, line.strip()))
                continue

        if match is None or prefix is None:
            continue
        index, metric, _, gateway = match.groups()
        if gateway is None:
            pending = (index, metric, prefix)
        else:
            routes.append(_route(index, metric, prefix, gateway))
    return routes


def _route(index: str, metric: str, destination: str, gateway: str) -> Route:
    """One row as a Route; any non-address gateway means on-link."""
    return Route(destination, normalise_address(gateway), index, int(metric))
