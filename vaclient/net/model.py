"""Plain data shared by the route parsers, the platforms and the checks."""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Route:
    """One IPv6 route, normalised across operating systems.

    ``destination`` is always CIDR (``::/0`` for the default route),
    ``gateway`` is None for on-link routes, and addresses carry no
    ``%scope`` suffix. ``interface`` is the name as the source printed it
    (an index on Windows' ``route print``, a device name elsewhere).
    """

    destination: str
    gateway: str | None
    interface: str
    metric: int | None = None
    flags: str | None = None
    #: Interface-scoped (macOS flag ``I``): used only by sockets bound to the
    #: interface, so a longest-prefix match for the whole system skips it.
    scoped: bool = False

    @property
    def network(self) -> ipaddress.IPv6Network:
        """The destination as a network object."""
        return ipaddress.IPv6Network(self.destination, strict=False)

    def to_dict(self) -> dict[str, Any]:
        """The ``analyze routes --json`` contract shape."""
        return {
            "destination": self.destination,
            "gateway": self.gateway,
            "interface": self.interface,
            "metric": self.metric,
        }


@dataclass(frozen=True)
class Interface:
    """A network interface as the diagnostics need it.

    ``kind`` is ``tun``, ``tap`` or ``other``; ``description`` is the
    Windows adapter description (empty elsewhere); ``up`` means
    administratively up and running.
    """

    name: str
    kind: str = "other"
    up: bool = False
    description: str = ""
    index: int | None = None
    addresses: tuple[str, ...] = field(default_factory=tuple)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-friendly form for reports."""
        return {
            "name": self.name,
            "kind": self.kind,
            "up": self.up,
            "description": self.description,
            "index": self.index,
            "addresses": list(self.addresses),
        }
