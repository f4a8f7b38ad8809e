"""Parsers for Linux route tables: ``ip -j -6 route``, ``ip -6 route``, ``/proc/net/ipv6_route``.

Reject routes (``unreachable``, ``prohibit``, ``blackhole``, ``throw``,
and the kernel's ``::/0`` REJECT catch-all on ``lo``) and the local table
(the host's own addresses) are left out: they are not paths a packet can
leave by. An ECMP route becomes one Route per next hop.
"""

from __future__ import annotations

import ipaddress
import json
import logging
import re
from typing import Any

from vaclient.net.model import Route
from vaclient.net.routes.common import clean_text, normalise_address, normalise_prefix

logger = logging.getLogger(__name__)

_TYPES = {
    "unicast",
    "local",
    "broadcast",
    "multicast",
    "anycast",
    "nat",
    "throw",
    "unreachable",
    "prohibit",
    "blackhole",
}
_REJECT_TYPES = {"throw", "unreachable", "prohibit", "blackhole"}
_VALUE_KEYS = {
    "via", "dev", "proto", "metric", "table", "src", "from", "scope", "pref", "expires",
    "mtu", "hoplimit", "weight", "realm", "realms", "advmss", "rtt", "rttvar", "window",
    "cwnd", "initcwnd", "initrwnd", "features", "quickack", "congctl", "fastopen_no_cookie",
    "ssthresh", "reordering", "tos", "dsfield", "nhid", "encap", "onlink_metric",
}  # fmt: skip
_PROC_ROW = re.compile(
    r"^([0-9a-fA-F]{32}) ([0-9a-fA-F]{2}) [0-9a-fA-F]{32} [0-9a-fA-F]{2} ([0-9a-fA-F]{32}) "
    r"([0-9a-fA-F]{8}) [0-9a-fA-F]{8} [0-9a-fA-F]{8} ([0-9a-fA-F]{8}) +(\S+)$"
)
_RTF_REJECT = 0x200
_RTF_CACHE = 0x01000000
_RTF_LOCAL = 0x80000000


def parse_ip_json(text: str) -> list[Route] | None:
    """The routes of ``ip -j -6 route`` (also ``show table all``).

    Returns:
        The routes, or None when the text is not such a JSON list.

    Example:
        >>> text = '''[{"dst":"default","gateway":"fe80::1","dev":"eth0","metric":1024},
        ...  {"dst":"2001:db8:5::/64","metric":1024,"nexthops":[
        ...    {"gateway":"fe80::a","dev":"eth0"},{"gateway":"fe80::b","dev":"eth1"}]},
        ...  {"type":"unreachable","dst":"2001:db8:dead::/48","dev":"lo"}]'''
        >>> [(r.destination, r.gateway, r.interface) for r in parse_ip_json(text)]
        [('::/0', 'fe80::1', 'eth0'), ('2001:db8:5::/64', 'fe80::a', 'eth0'), \
('2001:db8:5::/64', 'fe80::b', 'eth1')]
    """
    cleaned = clean_text(text)
    start = cleaned.find("[")
    try:
        data = json.loads(cleaned[start:]) if start >= 0 else None
    except ValueError:
        return None
    if not isinstance(data, list) or not all(isinstance(item, dict) for item in data):
        return None

    routes: list[Route] = []
    for item in data:
        # TODO(routes): policy-routing tables other than main (WireGuard's 51820, say)
        # are skipped; `ip rule` would be needed to know when they apply.
        if item.get("type") in _REJECT_TYPES or item.get("table") not in (None, "main"):
            continue
        destination = normalise_prefix(str(item.get("dst", "")))
        if destination is None:
            continue
        metric = item.get("metric")
        hops: list[dict[str, Any]] = item.get("nexthops") or [item]
        for hop in hops:
            gateway = normalise_address(str(hop.get("gateway", "")))
            device = str(hop.get("dev", ""))
            words = [*item.get("flags", []), *(hop.get("flags", []) if hop is not item else [])]
            flags = " ".join(str(flag) for flag in words) or None
            routes.append(Route(destination, gateway, device, _int(metric), flags))
    return routes


def parse_ip_text(text: str) -> list[Route] | None:
    """The routes of ``ip -6 route`` (text), with ECMP ``nexthop`` lines.

    Returns:
        The routes, or None when no line looks like an IPv6 route.

    Example:
        >>> text = '''2001:db8:10::/48 via fe80::8 dev tun0 metric 1024 pref medium
        ... default via fe80::1 dev eth0 proto ra metric 100 expires 1797sec pref medium
        ... unreachable 2001:db8:dead::/48 dev lo metric 1024 pref medium
        ... 2001:db8:5::/64 proto static metric 1024 pref medium
        ... \\tnexthop via fe80::a dev eth0 weight 1
        ... \\tnexthop via fe80::b dev eth1 weight 1'''
        >>> for r in parse_ip_text(text):
        ...     print(r.destination, r.gateway, r.interface, r.metric)
        2001:db8:10::/48 fe80::8 tun0 1024
        ::/0 fe80::1 eth0 100
        2001:db8:5::/64 fe80::a eth0 1024
        2001:db8:5::/64 fe80::b eth1 1024
    """
    routes: list[Route] = []
    found = False
    current: dict[str, str] | None = None
    for line in clean_text(text).split("\n"):
        tokens = line.split()
        if not tokens:
            continue
        if tokens[0] == "nexthop" and line[0].isspace():
            if current is not None:
                hop = {**current, **_fields(tokens[1:])}
                routes.append(_text_route(hop))
            continue

        route_type = tokens.pop(0) if tokens[0] in _TYPES else "unicast"
        destination = normalise_prefix(tokens[0]) if tokens else None
        if destination is None:
            current = None
            continue
        found = True
        fields = {"dst": destination, **_fields(tokens[1:])}
        skip = route_type in _REJECT_TYPES or fields.get("table", "main") != "main"
        current = None if skip else fields
        if not skip and ("dev" in fields or "via" in fields):
            routes.append(_text_route(fields))
    return routes if found else None


def parse_proc(text: str) -> list[Route] | None:
    """The routes of ``/proc/net/ipv6_route``.

    Entries flagged REJECT (the catch-all ``::/0`` on ``lo``), LOCAL or
    CACHE are left out. ``flags`` keeps the hex flags as printed.

    Returns:
        The routes, or None when no line has the file's ten-field shape.

    Example:
        >>> line = ("20010db8000a00000000000000000000 30 " + "0" * 32 + " 00 "
        ...         "fe800000000000000000000000000008 00000100 00000001 00000000 "
        ...         "00000003     tun0")
        >>> parse_proc(line)[0]
        Route(destination='2001:db8:a::/48', gateway='fe80::8', interface='tun0', \
metric=256, flags='0x00000003', scoped=False)
    """
    routes: list[Route] = []
    found = False
    for line in clean_text(text).split("\n"):
        match = _PROC_ROW.match(line.strip())
        if match is None:
            continue
        found = True
        dst, length, hop, metric, flags, device = match.groups()
        value = int(flags, 16)
        if value & (_RTF_REJECT | _RTF_CACHE | _RTF_LOCAL):
            continue
        destination = f"{ipaddress.IPv6Address(bytes.fromhex(dst)).compressed}/{int(length, 16)}"
        gateway = None if int(hop, 16) == 0 else ipaddress.IPv6Address(bytes.fromhex(hop))
        routes.append(
            Route(
                destination,
                None if gateway is None else gateway.compressed,
                device,
                int(metric, 16),
                f"0x{flags.lower()}",
            )
        )
    return routes if found else None


def _fields(tokens: list[str]) -> dict[str, str]:
    """``key value`` pairs of an ``ip route`` line; lone words become flags."""
    fields: dict[str, str] = {}
    flags: list[str] = []
    position = 0
    while position < len(tokens):
        key = tokens[position]
        if key in _VALUE_KEYS and position + 1 < len(tokens):
            value = tokens[position + 1]
            position += 2
            if key == "via" and value in ("inet6", "inet") and position < len(tokens):
                value = tokens[position]
                position += 1
            fields[key] = value
        else:
            flags.append(key)
            position += 1
    if flags:
        fields["flags"] = " ".join(flags)
    return fields


def _text_route(fields: dict[str, str]) -> Route:
    """A Route from parsed ``ip route`` fields."""
    return Route(
        fields["dst"],
        normalise_address(fields.get("via", "")),
        fields.get("dev", ""),
        _int(fields.get("metric")),
        fields.get("flags"),
    )


def _int(value: object) -> int | None:
    """An integer metric, or None when absent or not a number."""
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.isdigit():
        return int(value)
    return None
