"""The tunnel check: is the Verified Access tunnel interface up?

Which interface is the tunnel (see docs/architecture.md, "The tunnel
interface"): the one named by ``--tunnel-interface`` or the
``tunnel_interface`` setting; otherwise an interface the platform
recognises as a tunnel (Linux: kind tun or tap; Windows: the Verified
Access TAP adapter; macOS: utun) that is up, preferring one that carries a
route of the ClientConfig. The decision is :func:`choose_tunnel`, a pure
function.
"""

from __future__ import annotations

import ipaddress
import logging
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from vaclient.checks.model import Stage
from vaclient.checks.runner import Outcome, Step, StepContext, fail, ok
from vaclient.net.model import Interface, Route
from vaclient.platforms.base import Platform

logger = logging.getLogger(__name__)

TUNNEL_INTERFACE = "tunnel.interface"


@dataclass(frozen=True)
class TunnelChoice:
    """The interface taken as the tunnel, and why.

    Attributes:
        interface: the tunnel interface, or None when none is up.
        reason: one sentence: how it was chosen, or why there is none.
        candidates: names of every interface that looked like a tunnel.
        routed: True when it carries a route of the ClientConfig.
    """

    interface: Interface | None
    reason: str
    candidates: tuple[str, ...] = field(default_factory=tuple)
    routed: bool = False


def interface_ids(interface: Interface) -> set[str]:
    """Every way a route table may name ``interface``: name, description, index."""
    ids = {interface.name}
    if interface.description:
        ids.add(interface.description)
    if interface.index is not None:
        ids.add(str(interface.index))
    return ids


def _carries_config_route(
    interface: Interface, routes: Iterable[Route], cidrs: Sequence[str]
) -> bool:
    """Whether a route through ``interface`` covers part of a ClientConfig CIDR."""
    networks = []
    for cidr in cidrs:
        try:
            networks.append(ipaddress.IPv6Network(cidr, strict=False))
        except ValueError:
            continue
    ids = interface_ids(interface)
    for route in routes:
        if route.interface not in ids:
            continue
        try:
            dest = route.network
        except ValueError:
            continue
        if any(dest.overlaps(net) for net in networks):
            return True
    return False


def choose_tunnel(
    interfaces: Sequence[Interface],
    routes: Sequence[Route],
    config_cidrs: Sequence[str],
    is_tunnel: Callable[[Interface], bool],
    override: str | None = None,
) -> TunnelChoice:
    """Pick the tunnel interface.

    Args:
        interfaces: every interface of the machine.
        routes: the IPv6 route table.
        config_cidrs: route CIDRs of the valid ClientConfigs.
        is_tunnel: the platform's test for a tunnel-like interface.
        override: an interface name set by the user; only that one counts.

    >>> tun = Interface("tun0", kind="tun", up=True)
    >>> eth = Interface("eth0", up=True)
    >>> choose_tunnel([eth, tun], [], [], lambda i: i.kind == "tun").interface.name
    'tun0'
    """
    if override:
        named = next((i for i in interfaces if override in interface_ids(i)), None)
        if named is None:
            return TunnelChoice(None, f"no interface named {override} exists", (override,))
        routed = _carries_config_route(named, routes, config_cidrs)
        if not named.up:
            return TunnelChoice(None, f"{named.name} (set as the tunnel) is down", (named.name,))
        return TunnelChoice(named, f"{named.name} is set as the tunnel", (named.name,), routed)

    candidates = [i for i in interfaces if is_tunnel(i)]
    names = tuple(i.name for i in candidates)
    up = [i for i in candidates if i.up]
    if not up:
        if candidates:
            reason = f"no tunnel interface is up ({', '.join(names)} down)"
        else:
            reason = "no tunnel interface exists"
        return TunnelChoice(None, reason, names)
    carrying = [i for i in up if _carries_config_route(i, routes, config_cidrs)]
    if carrying:
        chosen = carrying[0]
        return TunnelChoice(
            chosen, f"{chosen.name} is up and carries a ClientConfig route", names, True
        )
    chosen = up[0]
    return TunnelChoice(chosen, f"{chosen.name} is up (no ClientConfig route on it)", names)


def tunnel_steps(
    platform: Platform,
    override: str | None,
    config_routes: Callable[[StepContext], list[str]],
) -> list[Step]:
    """``tunnel.interface``: find the tunnel and report it up or down.

    Args:
        platform: the OS.
        override: an interface name from ``--tunnel-interface`` or the settings.
        config_routes: returns the ClientConfig routes (waits for the config checks).
    """

    def check(ctx: StepContext) -> Outcome:
        interfaces = platform.interfaces()  # before waiting for the config checks
        cidrs = config_routes(ctx)
        routes = platform.routes() if cidrs else []
        choice = choose_tunnel(interfaces, routes, cidrs, platform.is_tunnel_interface, override)
        logger.info("tunnel interface: %s", choice.reason)
        data = {"candidates": list(choice.candidates), "carries_config_route": choice.routed}
        if choice.interface is None:
            return fail("tunnel-down", choice.reason, interface=None, **data)
        return ok(choice.reason, interface=choice.interface.to_dict(), **data)

    return [Step(TUNNEL_INTERFACE, "Tunnel interface up", Stage.TUNNEL, check)]


def tunnel_ids(ctx: StepContext) -> set[str]:
    """Names the route table may use for the tunnel chosen by :data:`TUNNEL_INTERFACE`."""
    result = ctx.wait(TUNNEL_INTERFACE)
    raw = result.data.get("interface") if result is not None else None
    if not isinstance(raw, dict):
        return set()
    ids = {str(raw.get("name") or "")}
    if raw.get("description"):
        ids.add(str(raw["description"]))
    if raw.get("index") is not None:
        ids.add(str(raw["index"]))
    return ids - {""}
