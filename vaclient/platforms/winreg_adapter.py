"""A thin, read-only view of the Windows registry, with a dict-backed stand-in.

The Windows platform reads a few values (IPv6 switches, WebView2 versions,
uninstall entries) through :class:`RegistryReader`. :class:`WinRegistry`
calls ``winreg`` (imported only when used, so this module imports on every
OS); :class:`DictRegistry` answers from a dict shaped like a registry export,
for tests and for analysing exports taken on another machine.

Views: ``"64"`` and ``"32"`` select ``KEY_WOW64_64KEY`` and
``KEY_WOW64_32KEY``. On 64-bit Windows the 32-bit view of
``HKLM\\SOFTWARE\\X`` is ``HKLM\\SOFTWARE\\WOW6432Node\\X``; on 32-bit Windows
the flag is ignored. :class:`DictRegistry` applies the same redirection.
"""

from __future__ import annotations

import importlib
import logging
from collections.abc import Mapping
from typing import Any, Protocol

logger = logging.getLogger(__name__)

HKLM = "HKLM"
HKCU = "HKCU"

#: Value types (``winreg.REG_*``), repeated so that the logic runs on any OS.
REG_SZ = 1
REG_EXPAND_SZ = 2
REG_BINARY = 3
REG_DWORD = 4
REG_MULTI_SZ = 7
REG_QWORD = 11
TYPE_NAMES = {
    "REG_SZ": REG_SZ,
    "REG_EXPAND_SZ": REG_EXPAND_SZ,
    "REG_BINARY": REG_BINARY,
    "REG_DWORD": REG_DWORD,
    "REG_MULTI_SZ": REG_MULTI_SZ,
    "REG_QWORD": REG_QWORD,
}

RegValue = tuple[Any, int]


class RegistryReader(Protocol):
    """What the Windows platform needs from the registry.

    Missing keys and values are None / empty; other failures (access
    denied) raise :class:`OSError` for the caller to report.
    """

    def value(self, hive: str, path: str, name: str, view: str | None = None) -> RegValue | None:
        """The ``(data, type)`` of value ``name`` in ``hive\\path``, or None if absent."""
        ...

    def subkeys(self, hive: str, path: str, view: str | None = None) -> list[str]:
        """The names of the direct subkeys of ``hive\\path`` (empty if absent)."""
        ...


def _winreg() -> Any:
    """The ``winreg`` module, imported only when used (it exists only on Windows)."""
    return importlib.import_module("winreg")


class WinRegistry:
    """The real registry through ``winreg`` (Windows only)."""

    def _open(self, hive: str, path: str, view: str | None) -> Any:
        winreg = _winreg()
        roots = {HKLM: winreg.HKEY_LOCAL_MACHINE, HKCU: winreg.HKEY_CURRENT_USER}
        access = winreg.KEY_READ
        if view == "64":
            access |= winreg.KEY_WOW64_64KEY
        elif view == "32":
            access |= winreg.KEY_WOW64_32KEY
        return winreg.OpenKey(roots[hive], path, 0, access)

    def value(self, hive: str, path: str, name: str, view: str | None = None) -> RegValue | None:
        """See :meth:`RegistryReader.value`."""
        winreg = _winreg()
        try:
            with self._open(hive, path, view) as key:
                data, kind = winreg.QueryValueEx(key, name)
        except FileNotFoundError:
            return None
        return data, int(kind)

    def subkeys(self, hive: str, path: str, view: str | None = None) -> list[str]:
        """See :meth:`RegistryReader.subkeys`."""
        winreg = _winreg()
        names: list[str] = []
        try:
            with self._open(hive, path, view) as key:
                count = winreg.QueryInfoKey(key)[0]
                names = [winreg.EnumKey(key, i) for i in range(count)]
        except FileNotFoundError:
            return []
        return names


def _redirect(hive: str, path: str, view: str | None) -> str:
    """The path the 32-bit view reads on 64-bit Windows.

    >>> _redirect("HKLM", r"SOFTWARE\\Microsoft\\X", "32")
    'SOFTWARE\\\\WOW6432Node\\\\Microsoft\\\\X'
    """
    head, sep, rest = path.partition("\\")
    already = rest.lower().startswith("wow6432node")
    if hive == HKLM and view == "32" and head.lower() == "software" and not already:
        return f"{head}\\WOW6432Node{sep}{rest}" if sep else f"{head}\\WOW6432Node"
    return path


class DictRegistry:
    """A registry held in a dict, shaped like a ``reg export`` of a few keys.

    ``data`` maps a hive to key paths, each to value names and
    ``[type_name, data]`` pairs::

        {"HKLM": {r"SYSTEM\\...\\Tcpip6\\Parameters":
                      {"DisabledComponents": ["REG_DWORD", 32]}}}

    Paths and names compare without case, as in the registry. A hive or
    path listed in ``denied`` raises :class:`PermissionError`.
    """

    def __init__(
        self,
        data: Mapping[str, Mapping[str, Mapping[str, Any]]],
        denied: tuple[str, ...] = (),
    ) -> None:
        self._keys: dict[tuple[str, str], dict[str, RegValue]] = {}
        self._spelling: dict[tuple[str, str], str] = {}  # subkeys keep their case
        for hive, keys in data.items():
            for path, values in keys.items():
                lower = (hive.upper(), path.lower().strip("\\"))
                self._spelling[lower] = path.strip("\\")
                entry = self._keys.setdefault(lower, {})
                for name, (type_name, value) in values.items():
                    entry[name.lower()] = (value, TYPE_NAMES[type_name])
        self._denied = tuple(d.lower() for d in denied)

    def _key(self, hive: str, path: str, view: str | None) -> str:
        real = _redirect(hive, path, view).lower().strip("\\")
        if any(f"{hive.lower()}\\{real}".startswith(d) for d in self._denied):
            raise PermissionError(13, "Access is denied", f"{hive}\\{real}")
        return real

    def value(self, hive: str, path: str, name: str, view: str | None = None) -> RegValue | None:
        """See :meth:`RegistryReader.value`."""
        key = self._keys.get((hive.upper(), self._key(hive, path, view)))
        return None if key is None else key.get(name.lower())

    def subkeys(self, hive: str, path: str, view: str | None = None) -> list[str]:
        """See :meth:`RegistryReader.subkeys`."""
        prefix = self._key(hive, path, view) + "\\"
        children = {
            self._spelling[(h, key)][len(prefix) :].split("\\", 1)[0]
            for h, key in self._keys
            if h == hive.upper() and key.startswith(prefix)
        }
        return sorted(children)
