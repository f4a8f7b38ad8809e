"""Helpers shared by the route parsers: address normalisation and input cleanup."""

from __future__ import annotations

import ipaddress
import re

#: Any IPv6-looking token; a cheap pre-filter before ``ipaddress`` decides.
IPV6_TOKEN = re.compile(r"^[0-9A-Fa-f]{0,4}:[0-9A-Fa-f:.]*(%\S+)?(/\d{1,3})?$")


def clean_text(text: str) -> str:
    """Normalise pasted text: no BOM, ``\\n`` line ends, tabs expanded.

    >>> clean_text("\\ufeffa\\r\\nb\\rc\\td")
    'a\\nb\\nc       d'
    """
    text = text.lstrip("\ufeff")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text.expandtabs(8)


def normalise_address(token: str) -> str | None:
    """A bare IPv6 address in compressed form, ``%zone`` removed; None if not IPv6.

    >>> normalise_address("FE80::8%72")
    'fe80::8'
    >>> normalise_address("On-link") is None
    True
    """
    bare = token.split("%", 1)[0]
    if ":" not in bare:
        return None
    try:
        return ipaddress.IPv6Address(bare).compressed
    except ValueError:
        return None


def normalise_prefix(token: str) -> str | None:
    """A destination in CIDR form, or None if ``token`` is not an IPv6 prefix.

    ``default`` is ``::/0``, a bare address is a host route (``/128``), a
    zone inside the prefix (macOS ``fe80::%utun4/64``) is dropped. Host bits
    are kept as printed; only the spelling is normalised.

    >>> normalise_prefix("default")
    '::/0'
    >>> normalise_prefix("fe80::%utun4/64")
    'fe80::/64'
    >>> normalise_prefix("2001:DB8::1")
    '2001:db8::1/128'
    >>> normalise_prefix("10.0.0.0/8") is None
    True
    """
    if token == "default":  # noqa: S105 - a route keyword, not a password
        return "::/0"
    address, slash, length = token.partition("/")
    bare = normalise_address(address)
    if bare is None:
        return None
    if not slash:
        return f"{bare}/128"
    if not length.isdigit() or int(length) > 128:
        return None
    return f"{bare}/{int(length)}"
