"""The Linux implementation of :class:`~vaclient.platforms.base.Platform`.

Linux has no Connectivity Client; vaclient runs its network diagnostics here
(helpdesk machines, the namespace lab, CI). Interface state comes from
``/sys/class/net``, IPv6 switches from ``/proc/sys/net/ipv6``, resolvers from
``/etc/resolv.conf``, the route table from ``ip -j -6 route`` and the
kernel's choice for one address from rtnetlink (:mod:`vaclient.platforms.netlink`,
with ``ip -j -6 route get`` as the fallback). Every file is read
below an injectable ``root`` (like psutil's ``PROCFS_PATH``) so that tests
feed a recorded tree; the commands go through the injectable runner.

Inside ``ip netns exec NAME`` the files are the namespace's own: ``/sys`` is
remounted and ``/etc/netns/NAME/resolv.conf`` is bind-mounted over
``/etc/resolv.conf``, which is why everything is read at call time.
"""

from __future__ import annotations

import ipaddress
import logging
import socket
from collections.abc import Callable
from pathlib import Path
from typing import Any

import psutil

from vaclient.errors import UsageError, VaclientError
from vaclient.net.lookup import longest_prefix_match, strip_scope
from vaclient.net.model import Interface, Route
from vaclient.platforms import netlink
from vaclient.platforms.base import (
    ClientInstallation,
    CommandResult,
    CommandRunner,
    Platform,
    Probe,
)

logger = logging.getLogger(__name__)

#: ``/sys/class/net/X/flags`` bit (``linux/if.h``). That file holds only the
#: administrative flags: the kernel derives RUNNING from the carrier, so
#: ``/sys/class/net/X/carrier`` (1, or an error while down) stands for it.
IFF_UP = 0x1
#: ``/sys/class/net/X/tun_flags`` bits (``linux/if_tun.h``).
TUN_IFF_TUN = 0x0001
TUN_IFF_TAP = 0x0002
#: The systemd-resolved stub listener; the real servers are per link.
RESOLVED_STUB = "127.0.0.53"

AddressSource = Callable[[], dict[str, list[str]]]


def psutil_addresses() -> dict[str, list[str]]:
    """Every interface's IPv4 and IPv6 addresses from psutil, ``%scope`` removed."""
    families = (socket.AF_INET, socket.AF_INET6)
    return {
        name: [strip_scope(a.address) for a in addrs if a.family in families]
        for name, addrs in psutil.net_if_addrs().items()
    }


def nameservers_from_resolv_conf(text: str) -> list[str]:
    """The ``nameserver`` lines of a resolv.conf, in order.

    >>> nameservers_from_resolv_conf("# x\\nsearch lab\\nnameserver 2001:db8::53\\n")
    ['2001:db8::53']
    """
    servers: list[str] = []
    for line in text.splitlines():
        fields = line.split()
        if len(fields) >= 2 and fields[0] == "nameserver":
            servers.append(fields[1])
    return servers


class LinuxPlatform(Platform):
    """Linux: diagnostics only; the Connectivity Client does not exist here.

    Args:
        runner: runs ``ip``; tests pass a replaying runner.
        root: the file-system root to read ``sys``, ``proc`` and ``etc`` below.
        addresses: interface name to addresses; psutil by default.
        use_netlink: ask the kernel over rtnetlink in :meth:`route_for`;
            default: only when no ``runner`` is given (a replaying runner
            means recorded ``ip`` output is to be used).
    """

    name = "linux"

    def __init__(
        self,
        runner: CommandRunner | None = None,
        *,
        root: str | Path = "/",
        addresses: AddressSource | None = None,
        use_netlink: bool | None = None,
    ) -> None:
        super().__init__(runner)
        self.root = Path(root)
        self._addresses = addresses or psutil_addresses
        self._use_netlink = runner is None if use_netlink is None else use_netlink

    # -- prerequisites -------------------------------------------------
    def ipv6_status(self) -> Probe:
        """IPv6 from ``/proc/sys/net/ipv6``: missing means ``ipv6.disable=1`` at boot.

        ``conf/all/disable_ipv6 = 1`` switches IPv6 off on every interface;
        ``conf/default/disable_ipv6 = 1`` on every new one, such as a VPN
        tunnel created later. Either fails the check. Interfaces switched
        off one by one are listed in ``data["disabled_interfaces"]``.
        """
        base = self.root / "proc/sys/net/ipv6"
        if not base.is_dir():
            return Probe(
                False,
                "IPv6 is disabled in the kernel (booted with ipv6.disable=1)",
                data={"boot_disabled": True},
            )

        try:
            values = {
                scope: int((base / "conf" / scope / "disable_ipv6").read_text().strip())
                for scope in ("all", "default")
            }
        except (OSError, ValueError) as err:
            return Probe(None, f"cannot read {base}/conf: {err}")
        disabled_ifaces = sorted(
            p.parent.name
            for p in (base / "conf").glob("*/disable_ipv6")
            if p.parent.name not in ("all", "default") and p.read_text().strip() == "1"
        )

        data: dict[str, Any] = {
            "all": values["all"],
            "default": values["default"],
            "disabled_interfaces": disabled_ifaces,
        }
        off = [f"net.ipv6.conf.{k}.disable_ipv6 = 1" for k, v in values.items() if v]
        if off:
            return Probe(False, "IPv6 is switched off: " + ", ".join(off), data=data)
        detail = "IPv6 is enabled"
        if disabled_ifaces:
            detail += " (switched off on " + ", ".join(disabled_ifaces) + ")"
        return Probe(True, detail, data=data)

    def client_installation(self) -> ClientInstallation:
        """Always "not supported": AWS ships the client for Windows and macOS only."""
        return ClientInstallation(
            False,
            supported=False,
            detail="AWS ships the Connectivity Client for Windows and macOS only, not Linux",
        )

    # -- network state -------------------------------------------------
    def interfaces(self) -> list[Interface]:
        """Interfaces from ``/sys/class/net``, kind from ``tun_flags``, up = UP and RUNNING.

        A tun device's ``operstate`` reads ``unknown`` even when it carries
        traffic, so the kernel flags decide: IFF_UP from ``flags`` and
        RUNNING from ``carrier``. A tun device with no process attached is
        UP but has no carrier, so it is not up.
        """
        net = self.root / "sys/class/net"
        try:
            entries = sorted(net.iterdir())
        except OSError as err:
            logger.warning("cannot list %s: %s", net, err)
            return []
        addresses = self._addresses()

        found: list[Interface] = []
        for entry in entries:
            flags = _read_int(entry / "flags", 16)
            carrier = _read_int(entry / "carrier", 10)
            tun_flags = _read_int(entry / "tun_flags", 16)
            kind = "other"
            if tun_flags is not None:
                kind = (
                    "tap"
                    if tun_flags & TUN_IFF_TAP
                    else "tun"
                    if tun_flags & TUN_IFF_TUN
                    else kind
                )
            up = flags is not None and bool(flags & IFF_UP) and carrier == 1
            found.append(
                Interface(
                    name=entry.name,
                    kind=kind,
                    up=up,
                    index=_read_int(entry / "ifindex", 10),
                    addresses=tuple(addresses.get(entry.name, [])),
                )
            )
        return found

    def routes(self) -> list[Route]:
        """The main IPv6 routing table from ``ip -j -6 route show``.

        Raises:
            VaclientError: ``ip`` is missing or failed.
        """
        from vaclient.net.routes.linux import parse_ip_json  # only this path needs it

        result = self._ip("-j", "-6", "route", "show")
        if result.returncode != 0:
            raise VaclientError(
                f"'ip -6 route show' failed: {result.stderr.strip()}",
                "Check that iproute2 works on this machine (run: ip -6 route).",
            )
        routes = parse_ip_json(result.stdout)
        if routes is None:
            raise VaclientError(
                "'ip -j -6 route show' printed something that is not a route list",
                "Update iproute2; vaclient needs its JSON output (ip -j).",
            )
        return routes

    def route_for(self, address: str) -> Route | None:
        """The kernel's own choice for ``address``; None when unreachable.

        Asked over rtnetlink (no process started): the plain lookup gives the
        interface, gateway and metric, the FIB match the table entry's
        prefix, so reports show ``2001:db8::/32`` rather than ``/128``. When
        netlink fails, ``ip -j -6 route get`` is asked instead; when only the
        FIB match fails, the matching entry of :meth:`routes` (same
        interface and gateway) supplies the prefix.

        Raises:
            UsageError: ``address`` is not an IPv6 address.
            VaclientError: netlink failed and ``ip`` is missing.
        """
        try:
            target = ipaddress.IPv6Address(strip_scope(address))
        except ValueError as err:
            raise UsageError(
                f"{address!r} is not an IPv6 address",
                "Pass an address such as 2001:db8::10.",
            ) from err

        kernel: Route | None = None
        if self._use_netlink:
            try:
                found = netlink.lookup(target)
            except netlink.NetlinkError as err:
                logger.info("netlink route query for %s failed (%s); asking ip", target, err)
            else:
                if found.chosen is None:
                    logger.info("no route to %s (netlink)", target)
                    return None
                if found.matched is not None:
                    return found.route()
                kernel = found.route(prefix=f"{target}/128")
        if kernel is None:
            kernel = self._ip_route_get(target)
            if kernel is None:
                return None
        return self._with_table_prefix(kernel, target)

    def _ip_route_get(self, target: ipaddress.IPv6Address) -> Route | None:
        """The kernel's choice from ``ip -j -6 route get`` (host route); None if none."""
        from vaclient.net.routes.linux import parse_ip_json  # only this path needs it

        result = self._ip("-j", "-6", "route", "get", str(target))
        if result.returncode != 0:
            logger.info("no route to %s: %s", target, result.stderr.strip())
            return None
        chosen = parse_ip_json(result.stdout)
        return chosen[0] if chosen else None

    def _with_table_prefix(self, kernel: Route, target: ipaddress.IPv6Address) -> Route:
        """``kernel`` with the prefix of the table entry it came from, when one matches."""
        try:
            table = [
                r
                for r in self.routes()
                if r.interface == kernel.interface and r.gateway == kernel.gateway
            ]
        except VaclientError as err:
            logger.info("keeping the host route for %s: %s", target, err)
            table = []
        entry = longest_prefix_match(table, str(target))
        destination = entry.destination if entry else kernel.destination
        return Route(destination, kernel.gateway, kernel.interface, kernel.metric, kernel.flags)

    def dns_servers(self) -> list[str]:
        """The ``nameserver`` entries of ``/etc/resolv.conf`` at call time.

        ``127.0.0.53`` is systemd-resolved's stub: the real per-link servers
        are in ``resolvectl status``; that is logged, not resolved here.
        """
        path = self.root / "etc/resolv.conf"
        try:
            servers = nameservers_from_resolv_conf(path.read_text(encoding="utf-8"))
        except OSError as err:
            logger.info("no resolvers: cannot read %s (%s)", path, err)
            return []
        if RESOLVED_STUB in servers:
            logger.info("resolv.conf points at systemd-resolved; see 'resolvectl status'")
        return servers

    # -- helpers -------------------------------------------------------
    def _ip(self, *args: str) -> CommandResult:
        try:
            return self.runner.run(["ip", *args])
        except FileNotFoundError as err:
            raise VaclientError(
                "the 'ip' command was not found",
                "Install iproute2 (Debian/Ubuntu: apt-get install iproute2).",
            ) from err


def _read_int(path: Path, base: int) -> int | None:
    """An integer file under ``/sys`` (``0x1003`` or ``2``); None when absent or bad."""
    try:
        return int(path.read_text().strip(), base)
    except (OSError, ValueError):
        return None
