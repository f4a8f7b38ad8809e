"""The Windows implementation of :class:`~vaclient.platforms.base.Platform`.

Registry values come through a :class:`~vaclient.platforms.winreg_adapter.RegistryReader`
and PowerShell through the command runner (no console window), so all of
the logic runs on any OS against recorded output. What AWS does not
document is a constructor argument with a default marked as observed or
guessed:

- the uninstall entry's ``DisplayName`` (unknown; default pattern
  :data:`DEFAULT_CLIENT_NAME_PATTERN`, a guess),
- the tunnel adapter's description (observed once:
  :data:`TUNNEL_DESCRIPTION_PREFIX`),
- the client's executable (unknown; ``client_path`` from the settings, else
  the single non-uninstaller ``.exe`` in the install folder).
"""

from __future__ import annotations

import json
import logging
import os
import re
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from vaclient.errors import PlatformUnsupported, VaclientError
from vaclient.net.lookup import strip_scope
from vaclient.net.model import Interface, Route
from vaclient.net.routes.windows import parse_route_print
from vaclient.platforms import win_iphlp
from vaclient.platforms.base import ClientInstallation, CommandRunner, Platform, Probe
from vaclient.platforms.versions import parse_version
from vaclient.platforms.winreg_adapter import (
    HKCU,
    HKLM,
    REG_DWORD,
    REG_EXPAND_SZ,
    REG_SZ,
    RegistryReader,
    WinRegistry,
)

if TYPE_CHECKING:
    from vaclient.config.safety import SecurityInfo, WindowsSecurityReader

logger = logging.getLogger(__name__)

TCPIP6_PARAMETERS = r"SYSTEM\CurrentControlSet\Services\Tcpip6\Parameters"
EDGE_UPDATE_CLIENTS = r"SOFTWARE\Microsoft\EdgeUpdate\Clients"
WEBVIEW2_RUNTIME = "{F3017226-FE2A-4295-8BDF-00C3A9A7E4C5}"
#: Preview channels: reported, not counted as the Runtime.
WEBVIEW2_PREVIEWS = {
    "beta": "{2CD8A007-E189-409D-A2C8-9AF4EF3C72AA}",
    "dev": "{0D50BFEC-CD6A-4F9A-964C-C7416E3ACB10}",
    "canary": "{65C35B14-6C1D-4122-AC46-7148CC9D6497}",
}
UNINSTALL_KEY = r"SOFTWARE\Microsoft\Windows\CurrentVersion\Uninstall"
#: A guess: the uninstall entry's DisplayName is not documented.
DEFAULT_CLIENT_NAME_PATTERN = r"\bConnectivity Client\b"
#: Observed on one machine (ipconfig /all): "... Adapter V9 for VPN".
TUNNEL_DESCRIPTION_PREFIX = "AWS Verified Access TAP-Windows Adapter"

_IPV6_OFF_BIT = 0x10
_PREFER_IPV4_BIT = 0x20
#: A registry ``pv`` of all zeros means "not installed", not an address.
_NO_VERSION = "0.0.0.0"  # noqa: S104 - a version string, nothing binds to it
_DNS_PLACEHOLDERS = {"fec0:0:0:ffff::1", "fec0:0:0:ffff::2", "fec0:0:0:ffff::3"}


def powershell_argv(script: str) -> list[str]:
    """The argv that runs ``script`` in Windows PowerShell without a profile."""
    return ["powershell.exe", "-NoProfile", "-NonInteractive", "-Command", script]


def parse_powershell_json(text: str) -> list[dict[str, Any]]:
    """``ConvertTo-Json`` output as a list: one object and an array look alike after this.

    >>> parse_powershell_json('{"Name": "Ethernet", "ifIndex": 4}')
    [{'Name': 'Ethernet', 'ifIndex': 4}]
    >>> parse_powershell_json("")
    []

    Raises:
        ValueError: the text is not JSON objects.
    """
    text = text.lstrip("\ufeff").strip()
    if not text:
        return []
    data = json.loads(text)
    items = data if isinstance(data, list) else [data]
    if not all(isinstance(item, dict) for item in items):
        raise ValueError("expected JSON objects")
    return items


class WindowsPlatform(Platform):
    """Windows: prerequisites from the registry and PowerShell, the TAP adapter as tunnel.

    Args:
        runner: runs PowerShell and ``route``; tests replay recorded output.
        registry: the registry to read; the real one by default.
        client_name_pattern: regular expression for the uninstall entry's
            ``DisplayName`` (case-insensitive).
        tunnel_prefix: how the tunnel adapter's description begins.
        client_path: the client's executable, from the settings.
        starter: opens a file like ``os.startfile`` (tests record calls).
        security_reader: reads a path's owner and access list; the advapi32
            one (:class:`~vaclient.config.safety.Win32SecurityReader`) by
            default, tests pass recorded values.
    """

    name = "windows"

    def __init__(
        self,
        runner: CommandRunner | None = None,
        *,
        registry: RegistryReader | None = None,
        client_name_pattern: str = DEFAULT_CLIENT_NAME_PATTERN,
        tunnel_prefix: str = TUNNEL_DESCRIPTION_PREFIX,
        client_path: str = "",
        starter: Callable[[str], None] | None = None,
        security_reader: WindowsSecurityReader | None = None,
    ) -> None:
        super().__init__(runner)
        self.registry: RegistryReader = registry or WinRegistry()
        self.client_name_pattern = client_name_pattern
        self.tunnel_prefix = tunnel_prefix
        self.client_path = client_path
        self._starter = starter
        self._security_reader = security_reader

    # -- prerequisites -------------------------------------------------
    def ipv6_status(self) -> Probe:
        """IPv6 from ``Tcpip6\\Parameters\\DisabledComponents`` (absent means 0).

        Off when bit 0x10 (non-tunnel interfaces) is set or the value is
        0xFF. 0xFFFFFFFF is a known mistake (it also delays boot by five
        seconds). Bit 0x20 keeps IPv6 on but prefers IPv4:
        ``data["prefer_ipv4"]``. Changes take effect after a reboot.
        """
        try:
            found = self.registry.value(HKLM, TCPIP6_PARAMETERS, "DisabledComponents", "64")
        except OSError as err:
            return Probe(None, f"cannot read DisabledComponents: {err}")
        if found is not None and found[1] != REG_DWORD:
            return Probe(None, "DisabledComponents is not a DWORD value", data={"raw": found[0]})
        value = int(found[0]) & 0xFFFFFFFF if found else 0

        data: dict[str, Any] = {
            "disabled_components": value,
            "prefer_ipv4": bool(value & _PREFER_IPV4_BIT),
            "present": found is not None,
        }
        shown = f"DisabledComponents = {value:#x}"
        if value == 0xFFFFFFFF:
            return Probe(
                False,
                f"{shown}: IPv6 is off (a known mistake that also slows booting; "
                "use 0x20 to prefer IPv4 or 0 to enable IPv6, then reboot)",
                data=data,
            )
        if value & _IPV6_OFF_BIT or value == 0xFF:
            return Probe(False, f"{shown}: IPv6 is off on all non-tunnel interfaces", data=data)
        if value & _PREFER_IPV4_BIT:
            return Probe(True, f"{shown}: IPv6 is on, but IPv4 is preferred", data=data)
        return Probe(True, f"{shown}: IPv6 is on", data=data)

    def webview2(self) -> Probe:
        """The WebView2 Runtime by Microsoft's rule: a ``pv`` above 0.0.0.0 in HKLM or HKCU.

        HKLM is read in the 32-bit view (``WOW6432Node`` on 64-bit Windows)
        and, harmlessly, the 64-bit one; HKCU holds per-user installs.
        Preview channels are listed in ``data["previews"]`` but do not count.
        """
        try:
            found = self._edge_versions(WEBVIEW2_RUNTIME)
            previews = {
                channel: versions[0][1]
                for channel, guid in WEBVIEW2_PREVIEWS.items()
                if (versions := self._edge_versions(guid))
            }
        except OSError as err:
            return Probe(None, f"cannot read the WebView2 registry keys: {err}")

        data: dict[str, Any] = {
            "versions": dict(found),
            "previews": previews,
        }
        if found:
            where, version = found[0]
            return Probe(True, f"WebView2 Runtime {version} ({where})", data=data)
        detail = "the WebView2 Runtime is not installed"
        if previews:
            detail += " (only preview channels: " + ", ".join(sorted(previews)) + ")"
        return Probe(False, detail, data=data)

    def tpm(self) -> Probe:
        """``Get-Tpm``: ok when ``TpmPresent`` and ``TpmReady``.

        ``Get-Tpm`` needs administrator rights; without them the answer is
        unknown (ok None), not a failure.
        """
        # TODO(platforms): find a TPM source that works without elevation, so the
        # tray (running as the user) can answer instead of reporting "unknown".
        try:
            result = self.runner.run(powershell_argv("Get-Tpm | ConvertTo-Json"), timeout=20)
        except (FileNotFoundError, OSError) as err:
            return Probe(None, f"cannot run PowerShell: {err}")
        if result.returncode != 0 or not result.stdout.strip():
            error = result.stderr.strip()
            if "denied" in error.lower() or "0x80070005" in error.lower():
                return Probe(None, "Get-Tpm needs administrator rights; TPM state unknown")
            first = error.splitlines()[0] if error else f"exit status {result.returncode}"
            return Probe(None, f"Get-Tpm failed: {first}")
        try:
            tpm = parse_powershell_json(result.stdout)[0]
        except (ValueError, IndexError):
            return Probe(None, "Get-Tpm printed something that is not a TPM object")

        data = {
            "present": bool(tpm.get("TpmPresent")),
            "ready": bool(tpm.get("TpmReady")),
            "enabled": tpm.get("TpmEnabled"),
            "activated": tpm.get("TpmActivated"),
            "manufacturer": tpm.get("ManufacturerIdTxt"),
        }
        if not data["present"]:
            return Probe(False, "no TPM was found", data=data)
        if not data["ready"]:
            return Probe(False, "a TPM is present but not ready (see tpm.msc)", data=data)
        return Probe(True, "a TPM is present and ready", data=data)

    def client_installation(self) -> ClientInstallation:
        """The uninstall entry whose ``DisplayName`` matches :attr:`client_name_pattern`.

        Both registry views of HKLM and the per-user HKCU are searched; with
        several matches the highest ``DisplayVersion`` wins.
        """
        pattern = re.compile(self.client_name_pattern, re.IGNORECASE)
        matches: list[tuple[str, str | None, str | None]] = []
        try:
            for hive, view in ((HKLM, "64"), (HKLM, "32"), (HKCU, None)):
                for sub in self.registry.subkeys(hive, UNINSTALL_KEY, view):
                    path = f"{UNINSTALL_KEY}\\{sub}"
                    name = self._string(hive, path, "DisplayName", view)
                    if name and pattern.search(name):
                        version = self._string(hive, path, "DisplayVersion", view)
                        location = self._string(hive, path, "InstallLocation", view)
                        matches.append((name, version, location))
        except OSError as err:
            return ClientInstallation(False, detail=f"cannot read the uninstall entries: {err}")

        if not matches:
            return ClientInstallation(
                False,
                detail=f"no installed program's name matches {self.client_name_pattern!r}",
            )
        name, version, location = max(matches, key=lambda m: _version_key(m[1]))
        logger.info("client installation: %s %s at %s", name, version, location)
        return ClientInstallation(True, version, location, detail=name)

    # -- network state -------------------------------------------------
    def interfaces(self) -> list[Interface]:
        """Adapters from the IP Helper API, else from ``Get-NetAdapter``.

        ``GetAdaptersAddresses`` is faster and gives ``IfType``; PowerShell
        is the fallback. There, a description starting with "TAP-Windows
        Adapter" or the tunnel prefix is kind ``tap``; ``Status`` "Up" is up.
        """
        try:
            return win_iphlp.get_interfaces()
        except (PlatformUnsupported, OSError) as err:
            logger.info("interfaces from PowerShell: IP Helper unavailable (%s)", err)
        adapters = self._powershell_objects(
            "Get-NetAdapter | Select-Object Name,InterfaceDescription,ifIndex,Status"
            " | ConvertTo-Json"
        )
        by_index: dict[int, list[str]] = {}
        for row in self._powershell_objects(
            "Get-NetIPAddress | Select-Object InterfaceIndex,IPAddress | ConvertTo-Json"
        ):
            if row.get("InterfaceIndex") is not None and row.get("IPAddress"):
                addresses = by_index.setdefault(int(row["InterfaceIndex"]), [])
                addresses.append(strip_scope(str(row["IPAddress"])))

        found: list[Interface] = []
        for row in adapters:
            description = str(row.get("InterfaceDescription") or "")
            if_index = row.get("ifIndex")
            index = int(if_index) if if_index is not None else None
            is_tap = description.startswith(self.tunnel_prefix) or "TAP-Windows Adapter" in (
                description
            )
            found.append(
                Interface(
                    name=str(row.get("Name") or ""),
                    kind="tap" if is_tap else "other",
                    up=str(row.get("Status", "")).lower() == "up",
                    description=description,
                    index=index,
                    addresses=tuple(by_index.get(index, [])) if index is not None else (),
                )
            )
        return found

    def routes(self) -> list[Route]:
        """The IPv6 routes from the IP Helper API, else from ``route print -6``.

        Interfaces are named by index, as ``route print`` prints them.

        Raises:
            VaclientError: ``route`` is missing or printed no route table.
        """
        try:
            return win_iphlp.get_routes()
        except (PlatformUnsupported, OSError) as err:
            logger.info("routes from 'route print -6': IP Helper unavailable (%s)", err)
        try:
            result = self.runner.run(["route", "print", "-6"])
        except FileNotFoundError as err:
            raise VaclientError("the 'route' command was not found", "Run on Windows.") from err
        routes = parse_route_print(result.stdout)
        if routes is None:
            raise VaclientError(
                "'route print -6' printed no IPv6 route table",
                "Run 'route print -6' in a command prompt and attach the output.",
            )
        return routes

    # TODO(platforms): route_for is the base class's longest-prefix match; asking
    # Windows itself (Find-NetRoute or GetBestRoute2) would honour metrics exactly.

    def dns_servers(self) -> list[str]:
        """Server addresses from ``Get-DnsClientServerAddress``, adapters that are up first.

        The ``fec0:0:0:ffff::1``-``3`` placeholders ("no IPv6 DNS") are dropped.
        """
        rows = self._powershell_objects(
            "Get-DnsClientServerAddress | Select-Object InterfaceAlias,InterfaceIndex,"
            "AddressFamily,ServerAddresses | ConvertTo-Json"
        )
        up = {i.index for i in self.interfaces() if i.up}
        rows.sort(key=lambda r: r.get("InterfaceIndex") not in up)

        servers: list[str] = []
        for row in rows:
            addresses = row.get("ServerAddresses") or []
            if isinstance(addresses, str):
                addresses = [addresses]
            for address in addresses:
                plain = strip_scope(str(address))
                if plain not in _DNS_PLACEHOLDERS and plain not in servers:
                    servers.append(plain)
        return servers

    def is_tunnel_interface(self, interface: Interface) -> bool:
        """Whether the adapter description starts with :attr:`tunnel_prefix`."""
        return interface.description.startswith(self.tunnel_prefix)

    # -- files -----------------------------------------------------------
    def file_security(self, path: Path) -> SecurityInfo:
        """Owner, access list and reparse flag of ``path``, through advapi32.

        Raises:
            PlatformUnsupported: no reader was given and this is not Windows.
            OSError: Windows refused to describe the entry.
        """
        reader = self._security_reader
        if reader is None:
            if sys.platform != "win32":
                raise PlatformUnsupported(
                    f"cannot read the access list of {path}: advapi32 exists only on Windows",
                    "Run the check on the Windows computer.",
                )
            from vaclient.config.safety import Win32SecurityReader

            reader = Win32SecurityReader()
        return reader.read(path)

    # -- the client ----------------------------------------------------
    def launch_client(self, path: str | None = None) -> None:
        """Open the client with ``os.startfile``.

        Raises:
            VaclientError: no executable is known or Windows refused to open it.
        """
        target = path or self.client_path or self._discover_executable()
        starter = self._starter or getattr(os, "startfile", None)
        if starter is None:
            raise VaclientError("os.startfile exists only on Windows", "Run on Windows.")
        logger.info("launching the client: %s", target)
        try:
            starter(target)
        except OSError as err:
            raise VaclientError(
                f"cannot start {target}: {err.strerror or err}",
                "Check client_path in the settings, or start the client from the Start menu.",
            ) from err

    # -- helpers -------------------------------------------------------
    def _discover_executable(self) -> str:
        location = self.client_installation().location
        exes = []
        if location:
            exes = [
                p for p in Path(location).glob("*.exe") if not p.name.lower().startswith("unins")
            ]
        if len(exes) != 1:
            raise VaclientError(
                "cannot tell which program starts the Connectivity Client"
                + (f" in {location}" if location else ""),
                "Set client_path in the vaclient settings to the client's .exe file.",
            )
        return str(exes[0])

    def _edge_versions(self, guid: str) -> list[tuple[str, str]]:
        """``(where, pv)`` pairs of one EdgeUpdate client that hold a real version."""
        path = f"{EDGE_UPDATE_CLIENTS}\\{guid}"
        found: list[tuple[str, str]] = []
        seen: set[tuple[str, str]] = set()  # both views read one key on 32-bit Windows
        for hive, view, where in (
            (HKLM, "32", "HKLM (32-bit view)"),
            (HKLM, "64", "HKLM (64-bit view)"),
            (HKCU, None, "HKCU"),
        ):
            pv = self._string(hive, path, "pv", view, types=(REG_SZ,))
            if pv and pv != _NO_VERSION and (hive, pv) not in seen:
                seen.add((hive, pv))
                found.append((where, pv))
        return found

    def _string(
        self,
        hive: str,
        path: str,
        name: str,
        view: str | None,
        types: tuple[int, ...] = (REG_SZ, REG_EXPAND_SZ),
    ) -> str | None:
        found = self.registry.value(hive, path, name, view)
        if found is None or found[1] not in types or not isinstance(found[0], str):
            return None
        return found[0].strip() or None

    def _powershell_objects(self, script: str) -> list[dict[str, Any]]:
        try:
            result = self.runner.run(powershell_argv(script), timeout=20)
            if result.returncode != 0:
                raise ValueError(result.stderr.strip() or f"exit status {result.returncode}")
            return parse_powershell_json(result.stdout)
        except (OSError, ValueError) as err:
            logger.warning("PowerShell %r failed: %s", script.split(" |", maxsplit=1)[0], err)
            return []


def _version_key(version: str | None) -> tuple[int, ...]:
    try:
        return parse_version(version or "")
    except ValueError:
        return ()
