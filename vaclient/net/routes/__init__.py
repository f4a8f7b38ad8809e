"""Pure parsers of IPv6 route tables as Windows, macOS and Linux print them.

Every parser takes the text a command printed (pasted, recorded, possibly
with a prompt line, CRLF line ends or indentation) and returns
``list[Route]`` in the ``analyze routes`` contract shape: CIDR destinations,
``::/0`` for the default route, None for on-link gateways, no ``%zone``.
:func:`parse_routes` picks the parser; the per-format functions are in
``windows``, ``macos`` and ``linux``.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from vaclient.errors import UsageError
from vaclient.net.model import Route
from vaclient.net.routes import linux, macos, windows
from vaclient.net.routes.detect import DESCRIPTIONS, KINDS_BY_FAMILY, detect_kind

logger = logging.getLogger(__name__)

FORMATS = ("auto", "windows", "macos", "linux")

_PARSERS: dict[str, Callable[[str], list[Route] | None]] = {
    "windows-route": windows.parse_route_print,
    "windows-netsh": windows.parse_netsh,
    "macos-netstat": macos.parse_netstat,
    "linux-json": linux.parse_ip_json,
    "linux-proc": linux.parse_proc,
    "linux-ip": linux.parse_ip_text,
}

_COMMANDS = {
    "windows": "`route print -6` (or `netsh interface ipv6 show route`)",
    "macos": "`netstat -rn -f inet6`",
    "linux": "`ip -j -6 route` or `ip -6 route` (or the contents of /proc/net/ipv6_route)",
    "auto": "`route print -6` (Windows), `netstat -rn -f inet6` (macOS) or `ip -6 route` (Linux)",
}

__all__ = ["DESCRIPTIONS", "FORMATS", "detect_kind", "parse_kind", "parse_routes"]


def parse_routes(text: str, fmt: str = "auto", *, source: str = "the input") -> list[Route]:
    """Parse a route table of any known format.

    Args:
        text: the command output.
        fmt: ``auto`` to detect, or ``windows``, ``macos``, ``linux``.
        source: how to name the input in error messages (a file name).

    Returns:
        The routes; an empty list when the table is present but empty.

    Raises:
        UsageError: no IPv6 route table of that format is in the text.

    Example:
        >>> [r.to_dict() for r in parse_routes("default via fe80::1 dev eth0 metric 100")]
        [{'destination': '::/0', 'gateway': 'fe80::1', 'interface': 'eth0', 'metric': 100}]
    """
    return parse_kind(text, fmt, source=source)[1]


def parse_kind(
    text: str, fmt: str = "auto", *, source: str = "the input"
) -> tuple[str, list[Route]]:
    """Like :func:`parse_routes`, and also say which format was read.

    Returns:
        The format key (see :data:`DESCRIPTIONS`) and the routes.

    Raises:
        UsageError: unknown ``fmt``, or no IPv6 route table in the text.
    """
    if fmt not in FORMATS:
        raise UsageError(
            f"unknown route table format {fmt!r}",
            f"use one of: {', '.join(FORMATS)}",
        )

    kind = detect_kind(text, fmt)
    routes = _PARSERS[kind](text) if kind is not None else None
    if kind is None or routes is None:
        raise UsageError(
            f"no IPv6 route table found in {source}; paste the whole output of {_COMMANDS[fmt]}",
            "run the command again, save everything it prints to a file, and pass that "
            "file (or '-' to read standard input); --format tells vaclient which OS it is from",
        )

    logger.info("%s: %d routes read as %s", source, len(routes), DESCRIPTIONS[kind])
    return kind, routes


def family_of(kind: str) -> str:
    """The OS family (``windows``, ``macos``, ``linux``) of a format key."""
    return next(family for family, kinds in KINDS_BY_FAMILY.items() if kind in kinds)
