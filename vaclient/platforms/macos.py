"""The macOS implementation of :class:`~vaclient.platforms.base.Platform`.

Everything comes from command-line tools run through the injectable runner
(``networksetup``, ``ifconfig``, ``netstat``, ``route``, ``scutil``, ``open``)
and from the app bundle's ``Info.plist``, so the logic runs on any OS
against recorded output. The small parsers for those tools live here;
``netstat -rn`` is parsed by :mod:`vaclient.net.routes.macos`.

Unknown facts are arguments: the app's name inside
``/Applications/Connectivity Client/`` (default: the one ``.app`` that is not
the uninstaller) and which ``utun`` is the client's (default: any ``utun``;
given the ClientConfig's route CIDRs, the one those routes leave through).
"""

from __future__ import annotations

import ipaddress
import logging
import plistlib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from vaclient.errors import UsageError, VaclientError
from vaclient.net.lookup import longest_prefix_match, strip_scope
from vaclient.net.model import Interface, Route
from vaclient.net.routes.macos import parse_netstat
from vaclient.platforms.base import (
    ClientInstallation,
    CommandResult,
    CommandRunner,
    Platform,
    Probe,
)

logger = logging.getLogger(__name__)

#: Confirmed by AWS: the client's folder (it also holds the uninstaller app).
CLIENT_APP_DIR = "/Applications/Connectivity Client"

_IFACE_LINE = re.compile(r"^(\S+?): flags=[0-9a-f]+<([^>]*)>")
_SERVICE_LINE = re.compile(r"^\((\d+|\*)\)\s+(.+)$")
_DEVICE_LINE = re.compile(r"^\(Hardware Port: (.*), Device: (.*)\)$")
_RESOLVER_KEY = re.compile(r"^\s+([a-z_ ]+?)(?:\[\d+\])?\s*:\s*(.*)$")


@dataclass(frozen=True)
class NetworkService:
    """One entry of ``networksetup -listnetworkserviceorder``."""

    name: str
    device: str
    enabled: bool


@dataclass(frozen=True)
class Resolver:
    """One ``resolver #N`` block of ``scutil --dns``.

    ``section`` is ``default``, ``scoped`` or ``service``; ``domain`` is
    empty for general resolvers.
    """

    section: str
    nameservers: tuple[str, ...]
    domain: str = ""
    interface: str = ""
    options: str = ""


def parse_ifconfig(text: str) -> list[Interface]:
    """Interfaces from ``ifconfig -a``: up = UP and RUNNING, ``utun`` is kind tun.

    The index comes from a link-local address's ``scopeid``.

    >>> text = '''utun3: flags=8051<UP,POINTOPOINT,RUNNING,MULTICAST> mtu 1380
    ... \\tinet6 fe80::1%utun3 prefixlen 64 scopeid 0x12
    ... \\tinet6 2001:db8:10::2 prefixlen 64'''
    >>> parse_ifconfig(text)[0]
    Interface(name='utun3', kind='tun', up=True, description='', index=18, \
addresses=('fe80::1', '2001:db8:10::2'))
    """
    found: list[Interface] = []
    for block in re.split(r"\n(?=\S)", text.strip()):
        head = _IFACE_LINE.match(block)
        if not head:
            continue
        name, flags = head.group(1), set(head.group(2).split(","))
        addresses: list[str] = []
        index: int | None = None
        for line in block.splitlines()[1:]:
            fields = line.split()
            if len(fields) >= 2 and fields[0] in ("inet", "inet6"):
                addresses.append(strip_scope(fields[1]))
            if "scopeid" in fields[:-1]:
                index = int(fields[fields.index("scopeid") + 1], 16)
        kind = (
            "tun"
            if name.startswith(("utun", "tun"))
            else "tap"
            if name.startswith("tap")
            else "other"
        )
        found.append(
            Interface(
                name, kind, {"UP", "RUNNING"} <= flags, index=index, addresses=tuple(addresses)
            )
        )
    return found


def parse_service_order(text: str) -> list[NetworkService]:
    """Services from ``networksetup -listnetworkserviceorder``; ``(*)`` marks disabled.

    >>> parse_service_order("(*) Wi-Fi\\n(Hardware Port: Wi-Fi, Device: en0)\\n")
    [NetworkService(name='Wi-Fi', device='en0', enabled=False)]
    """
    services: list[NetworkService] = []
    pending: tuple[str, bool] | None = None
    for raw in text.splitlines():
        line = raw.strip()
        if service := _SERVICE_LINE.match(line):
            pending = (service.group(2).strip(), service.group(1) != "*")
        elif (device := _DEVICE_LINE.match(line)) and pending:
            services.append(NetworkService(pending[0], device.group(2).strip(), pending[1]))
            pending = None
    return services


def parse_getinfo(text: str) -> dict[str, str]:
    """``networksetup -getinfo SERVICE`` as a dict of ``Label: value`` lines.

    >>> parse_getinfo("IPv6: Off\\nIPv6 IP address: none\\n")["IPv6"]
    'Off'
    """
    info: dict[str, str] = {}
    for line in text.splitlines():
        key, sep, value = line.partition(": ")
        if sep:
            info[key.strip()] = value.strip()
    return info


def parse_scutil_dns(text: str) -> list[Resolver]:
    """The resolver blocks of ``scutil --dns``, in order, with their section.

    >>> parse_scutil_dns('''DNS configuration
    ...
    ... resolver #1
    ...   nameserver[0] : 2001:db8::53
    ...   if_index : 6 (en0)''')
    [Resolver(section='default', nameservers=('2001:db8::53',), domain='', \
interface='en0', options='')]
    """
    resolvers: list[Resolver] = []
    section = "default"
    current: dict[str, list[str]] | None = None

    def flush() -> None:
        if current is not None:
            interface = re.search(r"\((\S+)\)", " ".join(current.get("if_index", [])))
            resolvers.append(
                Resolver(
                    section,
                    tuple(strip_scope(n) for n in current.get("nameserver", [])),
                    " ".join(current.get("domain", [])),
                    interface.group(1) if interface else "",
                    " ".join(current.get("options", [])),
                )
            )

    for line in text.splitlines():
        if line.startswith("DNS configuration"):
            flush()
            current = None
            section = (
                "scoped" if "scoped" in line else "service" if "service" in line else "default"
            )
        elif line.startswith("resolver #"):
            flush()
            current = {}
        elif current is not None and (pair := _RESOLVER_KEY.match(line)):
            current.setdefault(pair.group(1).strip(), []).append(pair.group(2).strip())
    flush()
    return resolvers


def parse_route_get(text: str) -> Route | None:
    """The route in ``route -n get -inet6 ADDR`` output; None without an interface line.

    >>> parse_route_get('''   route to: 2001:db8::10
    ... destination: 2001:db8::
    ...        mask: ffff:ffff::
    ...   interface: utun4
    ...       flags: <UP,DONE,STATIC>''')
    Route(destination='2001:db8::/32', gateway=None, interface='utun4', metric=None, \
flags='UP,DONE,STATIC', scoped=False)
    """
    fields = parse_getinfo(text)
    interface = fields.get("interface")
    if not interface:
        return None

    destination = strip_scope(fields.get("destination", ""))
    mask = fields.get("mask", "")
    if destination == "default" or mask == "default":
        cidr = "::/0"
    else:
        try:
            prefix = ipaddress.IPv6Address(mask).packed if mask else b"\xff" * 16
            length = sum(bin(byte).count("1") for byte in prefix)
            cidr = str(ipaddress.IPv6Network(f"{destination}/{length}", strict=False))
        except ValueError:
            return None
    gateway = fields.get("gateway")
    if gateway is not None and (gateway.startswith("link#") or ":" not in gateway):
        gateway = None
    flags = fields.get("flags", "").strip("<>") or None
    return Route(cidr, strip_scope(gateway) if gateway else None, interface, None, flags)


class MacOSPlatform(Platform):
    """macOS: prerequisites from ``networksetup``, the client's ``utun`` as tunnel.

    Args:
        runner: runs the command-line tools; tests replay recorded output.
        app_dir: the client's folder in ``/Applications``.
        app_name: the app bundle's name inside it (unknown; default: the
            one ``.app`` that is not the uninstaller).
        client_path: the app to launch, from the settings.
        config_routes: the ClientConfig route CIDRs; when given, only the
            ``utun`` these routes leave through counts as the tunnel.
    """

    name = "macos"

    def __init__(
        self,
        runner: CommandRunner | None = None,
        *,
        app_dir: str | Path = CLIENT_APP_DIR,
        app_name: str = "",
        client_path: str = "",
        config_routes: Sequence[str] = (),
    ) -> None:
        super().__init__(runner)
        self.app_dir = Path(app_dir)
        self.app_name = app_name
        self.client_path = client_path
        self.config_routes = tuple(config_routes)

    # -- prerequisites -------------------------------------------------
    def ipv6_status(self) -> Probe:
        """IPv6 per network service (``networksetup -getinfo``), disabled services skipped.

        The verdict follows the highest-priority *active* service (one with
        an address); with none active, it fails only when every enabled
        service has IPv6 ``Off``. ``data["services"]`` maps every enabled
        service to its IPv6 mode.
        """
        listing = self._run("networksetup", "-listnetworkserviceorder")
        if listing is None or listing.returncode != 0:
            return Probe(None, "cannot list the network services (networksetup)")
        services = [s for s in parse_service_order(listing.stdout) if s.enabled]

        modes: dict[str, str] = {}
        active: list[str] = []
        for service in services:
            result = self._run("networksetup", "-getinfo", service.name)
            if result is None or result.returncode != 0:
                continue
            info = parse_getinfo(result.stdout)
            modes[service.name] = info.get("IPv6", "unknown")
            has_v4 = info.get("IP address", "none") not in ("", "none")
            has_v6 = info.get("IPv6 IP address", "none") not in ("", "none")
            if has_v4 or has_v6:
                active.append(service.name)

        data = {"services": modes, "active": active}
        if not modes:
            return Probe(None, "no enabled network service reported its settings", data=data)
        off = sorted(name for name, mode in modes.items() if mode.lower() == "off")
        if active:
            primary = active[0]
            if modes[primary].lower() == "off":
                return Probe(False, f"IPv6 is Off on {primary}, the active service", data=data)
            return Probe(True, f"IPv6 is {modes[primary]} on {primary}", data=data)
        if len(off) == len(modes):
            return Probe(False, "IPv6 is Off on every network service", data=data)
        return Probe(True, "IPv6 is on (no network service is active)", data=data)

    def client_installation(self) -> ClientInstallation:
        """The app bundle in :attr:`app_dir` and its ``CFBundleShortVersionString``."""
        bundles = self._bundles()
        if not bundles:
            return ClientInstallation(False, detail=f"no client app in {self.app_dir}")
        bundle = bundles[0]
        try:
            with (bundle / "Contents" / "Info.plist").open("rb") as handle:
                info = plistlib.load(handle)
        except (OSError, plistlib.InvalidFileException, ValueError) as err:
            return ClientInstallation(True, None, str(bundle), detail=f"no version: {err}")
        version = info.get("CFBundleShortVersionString") or info.get("CFBundleVersion")
        logger.info("client installation: %s version %s", bundle, version)
        return ClientInstallation(True, str(version) if version else None, str(bundle))

    # -- network state -------------------------------------------------
    def interfaces(self) -> list[Interface]:
        """Interfaces from ``ifconfig -a``."""
        result = self._run("ifconfig", "-a")
        return parse_ifconfig(result.stdout) if result and result.returncode == 0 else []

    def routes(self) -> list[Route]:
        """The IPv6 routes of ``netstat -rn -f inet6``.

        Raises:
            VaclientError: netstat is missing or printed no IPv6 table.
        """
        result = self._run("netstat", "-rn", "-f", "inet6")
        routes = parse_netstat(result.stdout) if result else None
        if routes is None:
            raise VaclientError(
                "'netstat -rn -f inet6' printed no IPv6 route table",
                "Run 'netstat -rn -f inet6' in Terminal and attach the output.",
            )
        return routes

    def route_for(self, address: str) -> Route | None:
        """The kernel's choice from ``route -n get -inet6``, else a longest-prefix match.

        Raises:
            UsageError: ``address`` is not an IPv6 address.
        """
        try:
            target = str(ipaddress.IPv6Address(strip_scope(address)))
        except ValueError as err:
            raise UsageError(
                f"{address!r} is not an IPv6 address", "Pass e.g. 2001:db8::10."
            ) from err
        result = self._run("route", "-n", "get", "-inet6", target)
        if result is not None and result.returncode != 0 and "not in table" in result.stderr:
            return None
        route = parse_route_get(result.stdout) if result and result.returncode == 0 else None
        if route is not None:
            return route
        logger.info("'route get' gave no answer for %s; matching the route table", target)
        return longest_prefix_match(self.routes(), target)

    def dns_servers(self) -> list[str]:
        """``scutil --dns`` servers: general resolvers first, then per-domain ones (no mDNS)."""
        result = self._run("scutil", "--dns")
        if result is None or result.returncode != 0:
            return []
        resolvers = [
            r
            for r in parse_scutil_dns(result.stdout)
            if r.section == "default" and "mdns" not in r.options
        ]
        resolvers.sort(key=lambda r: bool(r.domain))
        servers: list[str] = []
        for resolver in resolvers:
            servers.extend(n for n in resolver.nameservers if n not in servers)
        return servers

    def is_tunnel_interface(self, interface: Interface) -> bool:
        """A ``utun``; with :attr:`config_routes`, only the one those routes leave through."""
        if not interface.name.startswith("utun"):
            return False
        if not self.config_routes:
            return True
        try:
            table = self.routes()
        except VaclientError:
            return True
        for cidr in self.config_routes:
            try:
                network = ipaddress.IPv6Network(cidr, strict=False)
            except ValueError:
                logger.info("ignoring route %r: not an IPv6 CIDR", cidr)
                continue
            route = longest_prefix_match(table, str(network.network_address))
            if route is not None and route.interface == interface.name:
                return True
        return False

    # -- the client ----------------------------------------------------
    def launch_client(self, path: str | None = None) -> None:
        """``open -a`` the client app.

        Raises:
            VaclientError: no app is known or ``open`` failed.
        """
        target = path or self.client_path or self.client_installation().location
        if not target:
            raise VaclientError(
                f"the Connectivity Client app was not found in {self.app_dir}",
                "Install the client, or set client_path in the vaclient settings.",
            )
        logger.info("launching the client: %s", target)
        result = self._run("open", "-a", target)
        if result is None or result.returncode != 0:
            error = result.stderr.strip() if result else "'open' is missing"
            raise VaclientError(f"cannot open {target}: {error}", "Start the client from Finder.")

    # -- helpers -------------------------------------------------------
    def _bundles(self) -> list[Path]:
        if self.app_name:
            name = self.app_name if self.app_name.endswith(".app") else f"{self.app_name}.app"
            return [p for p in [self.app_dir / name] if p.is_dir()]
        return sorted(
            p
            for p in self.app_dir.glob("*.app")
            if p.is_dir() and "uninstall" not in p.name.lower()
        )

    def _run(self, *argv: str) -> CommandResult | None:
        try:
            return self.runner.run(list(argv))
        except (FileNotFoundError, OSError) as err:
            logger.warning("cannot run %s: %s", argv[0], err)
            return None
