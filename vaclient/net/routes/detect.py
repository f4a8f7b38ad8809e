"""Tell which command printed a route table, from the text's structure alone.

Headings are localised, so detection looks at shapes: rules of ``=`` and
*index metric prefix* rows (``route print``), a six-column dashed rule
(``netsh``), a ``Destination Gateway Flags`` header (macOS ``netstat``), a
JSON list (``ip -j``), ten hex fields (``/proc/net/ipv6_route``), or
``ip route`` lines (``default via … dev …``).
"""

from __future__ import annotations

import logging
import re

from vaclient.net.routes.common import clean_text

logger = logging.getLogger(__name__)

#: Every format the parsers know, by operating system family.
KINDS_BY_FAMILY = {
    "windows": ("windows-route", "windows-netsh"),
    "macos": ("macos-netstat",),
    "linux": ("linux-json", "linux-proc", "linux-ip"),
}

#: A human name of each format, for messages and the text report.
DESCRIPTIONS = {
    "windows-route": "Windows route print -6",
    "windows-netsh": "Windows netsh interface ipv6 show route",
    "macos-netstat": "macOS netstat -rn -f inet6",
    "linux-json": "Linux ip -j -6 route",
    "linux-proc": "Linux /proc/net/ipv6_route",
    "linux-ip": "Linux ip -6 route",
}

_PATTERNS = {
    "linux-proc": re.compile(r"^\s*[0-9a-fA-F]{32} [0-9a-fA-F]{2} [0-9a-fA-F]{32} ", re.M),
    "windows-netsh": re.compile(r"^\s*-+(\s+-+){5}\s*$", re.M),
    "windows-route": re.compile(
        r"^\s*={10,}\s*$|^\s*\d+\s+\d+\s+[0-9A-Fa-f:]*:[0-9A-Fa-f:]*/\d+", re.M
    ),
    "macos-netstat": re.compile(r"^\s*Internet6:\s*$|^\s*Destination\s+Gateway\s+Flags\b", re.M),
    "linux-json": re.compile(r"^\s*\[\s*(\{|\]|$)", re.M),
    "linux-ip": re.compile(
        r"^(?:[a-z]+\s+)?(?:default|[0-9A-Fa-f]*:[0-9A-Fa-f:]*(?:/\d+)?)\s+"
        r"(?:via|dev|proto|metric|from|nhid)\b",
        re.M,
    ),
}
_ORDER = (
    "linux-json",
    "linux-proc",
    "windows-netsh",
    "macos-netstat",
    "windows-route",
    "linux-ip",
)


def detect_kind(text: str, family: str = "auto") -> str | None:
    """The format of a route table, or None when nothing fits.

    Args:
        text: pasted or recorded command output.
        family: ``auto``, or ``windows``/``macos``/``linux`` to consider
            only that operating system's formats.

    Returns:
        A key of :data:`DESCRIPTIONS`, e.g. ``"windows-route"``.

    Example:
        >>> detect_kind("default via fe80::1 dev eth0 metric 1024")
        'linux-ip'
        >>> detect_kind(" 72    281 2001:db8::/57   fe80::8")
        'windows-route'
        >>> detect_kind("hello") is None
        True
    """
    cleaned = clean_text(text)
    allowed = KINDS_BY_FAMILY.get(family, _ORDER)
    for kind in _ORDER:
        if kind in allowed and _PATTERNS[kind].search(cleaned):
            logger.info("route table format: %s", DESCRIPTIONS[kind])
            return kind
    logger.info("route table format not recognised (family %s)", family)
    return None
