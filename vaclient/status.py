"""A quick look at the connection, without any network traffic.

``vaclient status`` and the tray's cheap poll both call :func:`collect_status`.
It only reads local state: the installed ClientConfig files, whether the
Connectivity Client is installed and running, the tunnel interface and the
route the OS would choose for each configuration's CIDRs. No DNS query and no
connection is made, so it answers in well under a second; the endpoint checks
are the doctor's job.

"Connected" means: at least one valid configuration is installed, the tunnel
interface is up, and every route CIDR of every valid configuration is sent
into the tunnel (the route the OS picks for the first address of the CIDR
leaves through the tunnel interface, whatever its prefix length).

This module stays lean on imports (no dnspython, boto3 or PySide6) because
the status command's start-up time is part of its usefulness.
"""

from __future__ import annotations

import ipaddress
import logging
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from vaclient.errors import VaclientError
from vaclient.net.model import Interface
from vaclient.paths import client_config_dir, current_os
from vaclient.platforms.base import Platform

logger = logging.getLogger(__name__)

#: The file name pattern the Connectivity Client reads (documented by AWS).
CONFIG_GLOB = "ClientConfig-*.json"


@dataclass(frozen=True)
class RouteState:
    """Whether one route CIDR of a configuration goes into the tunnel.

    Attributes:
        cidr: the CIDR from the configuration.
        probe: the address asked about (the CIDR's first address).
        interface: the interface the OS's chosen route leaves through, or None
            when no route covers the address.
        in_tunnel: True when that interface is the tunnel.
    """

    cidr: str
    probe: str
    interface: str | None
    in_tunnel: bool

    def to_dict(self) -> dict[str, Any]:
        """JSON form for ``status --json``."""
        return {
            "cidr": self.cidr,
            "probe": self.probe,
            "interface": self.interface,
            "in_tunnel": self.in_tunnel,
        }


@dataclass(frozen=True)
class ConfigState:
    """One installed ClientConfig file and whether its routes are in place.

    ``routes_ok`` is None when it cannot be told (the file is invalid, or the
    tunnel is down so no route can lead into it).
    """

    path: str
    valid: bool
    instance_id: str | None = None
    region: str | None = None
    error: str | None = None
    routes: tuple[RouteState, ...] = ()
    routes_ok: bool | None = None

    def to_dict(self) -> dict[str, Any]:
        """JSON form for ``status --json`` (no secrets: ids, region and CIDRs only)."""
        return {
            "path": self.path,
            "valid": self.valid,
            "instance_id": self.instance_id,
            "region": self.region,
            "error": self.error,
            "routes_ok": self.routes_ok,
            "routes": [r.to_dict() for r in self.routes],
        }


@dataclass(frozen=True)
class ClientState:
    """The Connectivity Client: supported here, installed, running.

    ``running`` is None when it cannot be told (not supported, not installed,
    or the process check is unavailable).
    """

    supported: bool
    installed: bool
    running: bool | None = None
    version: str | None = None
    location: str | None = None
    detail: str = ""

    def to_dict(self) -> dict[str, Any]:
        """JSON form for ``status --json``."""
        return {
            "supported": self.supported,
            "installed": self.installed,
            "running": self.running,
            "version": self.version,
            "location": self.location,
            "detail": self.detail,
        }


@dataclass(frozen=True)
class TunnelState:
    """The tunnel interface: found or not, up or down, and its addresses."""

    up: bool
    interface: str | None = None
    addresses: tuple[str, ...] = ()
    chosen_by: str = "detected"

    def to_dict(self) -> dict[str, Any]:
        """JSON form for ``status --json``."""
        return {
            "up": self.up,
            "interface": self.interface,
            "addresses": list(self.addresses),
            "chosen_by": self.chosen_by,
        }


@dataclass(frozen=True)
class QuickStatus:
    """Everything ``vaclient status`` shows."""

    config_dir: str
    configs: tuple[ConfigState, ...]
    client: ClientState
    tunnel: TunnelState
    os_name: str = field(default_factory=current_os)

    @property
    def valid_configs(self) -> tuple[ConfigState, ...]:
        """The installed configurations that loaded without error."""
        return tuple(c for c in self.configs if c.valid)

    @property
    def connected(self) -> bool:
        """A valid configuration exists, the tunnel is up, and all its routes go into it."""
        valid = self.valid_configs
        return bool(valid) and self.tunnel.up and all(c.routes_ok for c in valid)

    def to_dict(self) -> dict[str, Any]:
        """JSON form for ``status --json``."""
        return {
            "schema": "vaclient.status/1",
            "os": self.os_name,
            "connected": self.connected,
            "config_dir": self.config_dir,
            "configs": [c.to_dict() for c in self.configs],
            "client": self.client.to_dict(),
            "tunnel": self.tunnel.to_dict(),
        }


def route_cidrs(config: Any) -> tuple[str, ...]:
    """The route CIDRs of a loaded ClientConfig as strings.

    Accepts routes given as strings or as objects with a ``cidr`` (or
    ``Cidr``) attribute, so the status stays independent of the exact route
    type of the configuration model.
    """
    cidrs: list[str] = []
    for route in getattr(config, "routes", ()) or ():
        if isinstance(route, str):
            cidrs.append(route)
        else:
            cidrs.append(str(getattr(route, "cidr", None) or getattr(route, "Cidr", route)))
    return tuple(cidrs)


def probe_address(cidr: str) -> str:
    """The address whose route decides whether ``cidr`` is in the tunnel: its first.

    >>> probe_address("2001:db8:1200::/40")
    '2001:db8:1200::'
    """
    return str(ipaddress.ip_network(cidr, strict=False).network_address)


def find_tunnel(
    interfaces: Sequence[Interface], platform: Platform, override: str = ""
) -> TunnelState:
    """Pick the tunnel interface: the override by name, else the first that looks like one.

    An up interface is preferred over a down one, so a stale adapter does not
    hide a working tunnel.
    """
    if override:
        match = next((i for i in interfaces if i.name == override), None)
        if match is None:
            return TunnelState(False, override, (), "settings")
        return TunnelState(match.up, match.name, tuple(match.addresses), "settings")

    candidates = [i for i in interfaces if platform.is_tunnel_interface(i)]
    candidates.sort(key=lambda i: not i.up)
    if not candidates:
        return TunnelState(False)
    best = candidates[0]
    return TunnelState(best.up, best.name, tuple(best.addresses))


def _interface_names(tunnel: TunnelState, interfaces: Iterable[Interface]) -> set[str]:
    """Every way a route may name the tunnel interface: its name and its index."""
    names: set[str] = set()
    for iface in interfaces:
        if iface.name == tunnel.interface:
            names.add(iface.name)
            if iface.index is not None:
                names.add(str(iface.index))
    if tunnel.interface:
        names.add(tunnel.interface)
    return names


def check_routes(
    cidrs: Sequence[str], platform: Platform, tunnel_names: set[str]
) -> tuple[RouteState, ...]:
    """Ask the OS which route it would choose for the first address of each CIDR."""
    states = []
    for cidr in cidrs:
        try:
            probe = probe_address(cidr)
        except ValueError:
            states.append(RouteState(cidr, "", None, False))
            continue
        try:
            route = platform.route_for(probe)
        except (OSError, VaclientError) as err:
            logger.info("route lookup for %s failed: %s", probe, err)
            route = None
        interface = route.interface if route is not None else None
        states.append(RouteState(cidr, probe, interface, interface in tunnel_names))
    return tuple(states)


def _default_loader(path: Path) -> Any:
    """Load a ClientConfig with the configuration model (imported on first use)."""
    from vaclient.config.model import load_config

    return load_config(path)


def _running_probe(platform: Platform, names: Sequence[str]) -> Callable[[], bool | None]:
    """Whether the client's process runs (None when that cannot be told here).

    Args:
        platform: the OS; it knows the default process names.
        names: more process names from the settings (``client_processes``).
    """

    def probe() -> bool | None:
        try:
            return platform.client_process(names) is not None
        except (OSError, VaclientError) as err:
            logger.info("cannot tell whether the client runs: %s", err)
            return None

    return probe


def _saved_client_processes() -> tuple[str, ...]:
    """``client_processes`` from the settings and policy; none when they are broken."""
    from vaclient.settings import effective_settings

    try:
        return effective_settings().client_processes
    except VaclientError as err:
        logger.info("settings not used for the client's process names: %s", err.message)
        return ()


def read_configs(
    config_dir: Path, loader: Callable[[Path], Any] = _default_loader
) -> list[tuple[Path, Any | None, str | None]]:
    """Load every ``ClientConfig-*.json`` in ``config_dir``: (path, config or None, error)."""
    try:
        paths = sorted(config_dir.glob(CONFIG_GLOB))
    except OSError as err:
        logger.info("cannot list %s: %s", config_dir, err)
        return []

    loaded: list[tuple[Path, Any | None, str | None]] = []
    for path in paths:
        try:
            loaded.append((path, loader(path), None))
        except (VaclientError, OSError, ValueError) as err:
            loaded.append((path, None, str(err)))
    return loaded


def collect_status(
    *,
    platform: Platform | None = None,
    config_dir: str | Path | None = None,
    tunnel_interface: str = "",
    loader: Callable[[Path], Any] = _default_loader,
    running_probe: Callable[[], bool | None] | None = None,
    client_processes: Sequence[str] | None = None,
) -> QuickStatus:
    """Gather the quick status from local state only.

    Args:
        platform: the OS implementation (default: :func:`get_platform`).
        config_dir: the folder of installed configurations (default: the client's).
        tunnel_interface: the tunnel's name when set in settings; empty to detect.
        loader: reads one ClientConfig file (tests pass the real one or a fake).
        running_probe: tells whether the client's process runs (default:
            :meth:`Platform.client_process` with ``client_processes``).
        client_processes: the client's process names from the settings, in
            addition to the platform's defaults; None reads them from the
            settings and policy (a broken settings file is ignored).

    Returns:
        The status; nothing is raised for a missing client or folder.
    """
    if platform is None:
        from vaclient.platforms import get_platform

        platform = get_platform()
    folder = client_config_dir(config_dir)

    installation = platform.client_installation()
    running = None
    if installation.supported and installation.installed:
        if running_probe is None:
            processes = (
                _saved_client_processes() if client_processes is None else tuple(client_processes)
            )
            running_probe = _running_probe(platform, processes)
        running = running_probe()
    client = ClientState(
        supported=installation.supported,
        installed=installation.installed,
        running=running,
        version=installation.version,
        location=installation.location,
        detail=installation.detail,
    )

    interfaces = platform.interfaces()
    tunnel = find_tunnel(interfaces, platform, tunnel_interface)
    names = _interface_names(tunnel, interfaces)
    logger.debug("tunnel: %s (%s)", tunnel.interface, tunnel.chosen_by)

    configs = []
    for path, config, error in read_configs(folder, loader):
        if config is None:
            configs.append(ConfigState(str(path), False, error=error))
            continue
        routes = check_routes(route_cidrs(config), platform, names) if tunnel.up else ()
        routes_ok = all(r.in_tunnel for r in routes) if tunnel.up and routes else None
        configs.append(
            ConfigState(
                str(path),
                True,
                instance_id=getattr(config, "instance_id", None),
                region=getattr(config, "region", None),
                routes=routes,
                routes_ok=routes_ok,
            )
        )

    return QuickStatus(str(folder), tuple(configs), client, tunnel, platform.name)


def render_text(status: QuickStatus) -> str:
    """The human form of the status, one fact per line."""
    lines = [f"Configurations in {status.config_dir}:"]
    if not status.configs:
        lines.append("  none installed (install one with 'vaclient config install FILE')")
    for cfg in status.configs:
        name = Path(cfg.path).name
        if not cfg.valid:
            lines.append(f"  {name}: NOT VALID: {cfg.error}")
            continue
        where = f" ({cfg.region})" if cfg.region else ""
        if cfg.routes_ok is None:
            routes = "routes not checked (tunnel down)" if not status.tunnel.up else "no routes"
        elif cfg.routes_ok:
            routes = f"{len(cfg.routes)} route(s) in the tunnel"
        else:
            missing = [r.cidr for r in cfg.routes if not r.in_tunnel]
            routes = "route(s) not in the tunnel: " + ", ".join(missing)
        lines.append(f"  {name}: {cfg.instance_id}{where}: {routes}")

    client = status.client
    if not client.supported:
        lines.append(f"Client: not applicable on {status.os_name} ({client.detail})")
    elif not client.installed:
        lines.append("Client: not installed ('vaclient login' offers the official installer)")
    else:
        version = f" {client.version}" if client.version else ""
        running = {True: "running", False: "not running", None: "running: unknown"}
        lines.append(f"Client: installed{version}, {running[client.running]}")

    tunnel = status.tunnel
    if tunnel.interface is None:
        lines.append("Tunnel: down (no tunnel interface found)")
    else:
        state = "up" if tunnel.up else "down"
        addresses = ", ".join(tunnel.addresses) or "no address"
        lines.append(f"Tunnel: {state} on {tunnel.interface} ({addresses})")

    lines.append("Connected" if status.connected else "Not connected")
    return "\n".join(lines)
