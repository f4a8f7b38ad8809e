"""Start the tray at login, the way each OS expects it (no Qt here).

- Windows: a value named ``vaclient`` under the per-user Run key
  ``HKCU\\Software\\Microsoft\\Windows\\CurrentVersion\\Run``; the registry is
  reached through a small adapter so the logic is tested anywhere.
- macOS: a LaunchAgent ``~/Library/LaunchAgents/<label>.plist`` with
  ``RunAtLoad``; launchd reads it at the next login.
- Linux: an XDG autostart entry ``$XDG_CONFIG_HOME/autostart/vaclient.desktop``.

Only the current user's start-up is touched; nothing needs administrator
rights. The command started is this Python running ``-m vaclient tray`` (or
the frozen executable with ``tray``).
"""

from __future__ import annotations

import importlib
import logging
import os
import plistlib
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Protocol

from vaclient.errors import VaclientError
from vaclient.paths import current_os

logger = logging.getLogger(__name__)

RUN_KEY = r"Software\Microsoft\Windows\CurrentVersion\Run"
RUN_VALUE_NAME = "vaclient"
#: Reverse-DNS label of the LaunchAgent (vaclient's own choice).
LAUNCH_AGENT_LABEL = "io.vaclient.tray"
DESKTOP_FILE_NAME = "vaclient.desktop"


def tray_command() -> list[str]:
    """The argv that starts the tray: the frozen app, or ``python -m vaclient tray``."""
    if getattr(sys, "frozen", False):
        return [sys.executable, "tray"]
    return [sys.executable, "-m", "vaclient", "tray"]


class Autostart(Protocol):
    """Turns start-at-login on or off for the current user."""

    def is_enabled(self) -> bool:
        """Whether the tray starts at login now."""

    def enable(self, argv: Sequence[str]) -> None:
        """Start ``argv`` at every login."""

    def disable(self) -> None:
        """Stop starting at login (no error when it was off)."""


# --- Windows ---------------------------------------------------------------


class RunKeyAdapter(Protocol):
    """The three registry operations on the per-user Run key."""

    def get(self, name: str) -> str | None:
        """The string value ``name``, or None when absent."""

    def set(self, name: str, value: str) -> None:
        """Write the string value ``name``."""

    def delete(self, name: str) -> None:
        """Delete ``name``; no error when absent."""


def _winreg() -> Any:
    """The ``winreg`` module (Windows only; imported on use so this module loads anywhere)."""
    return importlib.import_module("winreg")


class WinRegRunKey:
    """:class:`RunKeyAdapter` over ``winreg`` (imported on use: Windows only)."""

    def get(self, name: str) -> str | None:
        """Read the value from HKCU's Run key."""
        winreg = _winreg()
        try:
            with winreg.OpenKey(winreg.HKEY_CURRENT_USER, RUN_KEY) as key:
                value, _kind = winreg.QueryValueEx(key, name)
        except FileNotFoundError:
            return None
        return str(value)

    def set(self, name: str, value: str) -> None:
        """Write a REG_SZ value into HKCU's Run key."""
        winreg = _winreg()
        with winreg.CreateKey(winreg.HKEY_CURRENT_USER, RUN_KEY) as key:
            winreg.SetValueEx(key, name, 0, winreg.REG_SZ, value)

    def delete(self, name: str) -> None:
        """Remove the value from HKCU's Run key."""
        winreg = _winreg()
        try:
            with winreg.OpenKey(winreg.HKEY_CURRENT_USER, RUN_KEY, 0, winreg.KEY_SET_VALUE) as key:
                winreg.DeleteValue(key, name)
        except FileNotFoundError:
            return


class WindowsAutostart:
    """Start-at-login through the per-user Run key."""

    def __init__(self, registry: RunKeyAdapter | None = None) -> None:
        self.registry = registry or WinRegRunKey()

    def is_enabled(self) -> bool:
        """A non-empty value named ``vaclient`` exists."""
        return bool(self.registry.get(RUN_VALUE_NAME))

    def enable(self, argv: Sequence[str]) -> None:
        """Write the quoted command line (Windows quoting rules)."""
        self.registry.set(RUN_VALUE_NAME, subprocess.list2cmdline(list(argv)))
        logger.info("start at login on: HKCU\\%s\\%s", RUN_KEY, RUN_VALUE_NAME)

    def disable(self) -> None:
        """Delete the value."""
        self.registry.delete(RUN_VALUE_NAME)
        logger.info("start at login off: HKCU\\%s\\%s removed", RUN_KEY, RUN_VALUE_NAME)


# --- macOS and Linux: a file in the user's folder ---------------------------


class MacOSAutostart:
    """Start-at-login through a per-user LaunchAgent."""

    def __init__(self, home: Path | None = None) -> None:
        self.path = (home or Path.home()) / "Library" / "LaunchAgents"
        self.path = self.path / f"{LAUNCH_AGENT_LABEL}.plist"

    def is_enabled(self) -> bool:
        """The LaunchAgent file exists."""
        return self.path.is_file()

    def enable(self, argv: Sequence[str]) -> None:
        """Write the LaunchAgent: run ``argv`` at load, never keep it alive by force."""
        agent = {
            "Label": LAUNCH_AGENT_LABEL,
            "ProgramArguments": list(argv),
            "RunAtLoad": True,
            "KeepAlive": False,
            "ProcessType": "Interactive",
        }
        _write_file(self.path, plistlib.dumps(agent))
        logger.info("start at login on: %s", self.path)

    def disable(self) -> None:
        """Delete the LaunchAgent file."""
        self.path.unlink(missing_ok=True)
        logger.info("start at login off: %s removed", self.path)


def desktop_exec(argv: Sequence[str]) -> str:
    r"""Quote argv for a desktop entry's ``Exec`` key.

    >>> desktop_exec(["/usr/bin/python3", "-m", "vaclient", "tray"])
    '"/usr/bin/python3" "-m" "vaclient" "tray"'
    """
    quoted = []
    for arg in argv:
        escaped = arg.replace("\\", "\\\\").replace('"', '\\"').replace("`", "\\`")
        escaped = escaped.replace("$", "\\$").replace("%", "%%")
        quoted.append(f'"{escaped}"')
    return " ".join(quoted)


class LinuxAutostart:
    """Start-at-login through an XDG autostart desktop entry."""

    def __init__(self, config_home: Path | None = None) -> None:
        if config_home is None:
            env = os.environ.get("XDG_CONFIG_HOME")
            config_home = Path(env) if env else Path.home() / ".config"
        self.path = config_home / "autostart" / DESKTOP_FILE_NAME

    def is_enabled(self) -> bool:
        """The entry exists and is not hidden."""
        try:
            text = self.path.read_text(encoding="utf-8")
        except OSError:
            return False
        return "Hidden=true" not in text

    def enable(self, argv: Sequence[str]) -> None:
        """Write the desktop entry."""
        entry = (
            "[Desktop Entry]\n"
            "Type=Application\n"
            "Name=vaclient\n"
            "Comment=Verified Access connection status\n"
            f"Exec={desktop_exec(argv)}\n"
            "Terminal=false\n"
            "X-GNOME-Autostart-enabled=true\n"
        )
        _write_file(self.path, entry.encode("utf-8"))
        logger.info("start at login on: %s", self.path)

    def disable(self) -> None:
        """Delete the desktop entry."""
        self.path.unlink(missing_ok=True)
        logger.info("start at login off: %s removed", self.path)


def _write_file(path: Path, data: bytes) -> None:
    """Write ``data`` through a temporary file and a rename, so no half file remains."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.tmp")
        tmp.write_bytes(data)
        tmp.replace(path)
    except OSError as err:
        raise VaclientError(
            f"cannot write {path}: {err.strerror}",
            "Check that your home folder is writable, then try again.",
        ) from err


def get_autostart(os_name: str | None = None) -> Autostart:
    """The start-at-login implementation for this OS."""
    os_name = os_name or current_os()
    if os_name == "windows":
        return WindowsAutostart()
    if os_name == "macos":
        return MacOSAutostart()
    return LinuxAutostart()


def set_autostart(enabled: bool, backend: Autostart | None = None) -> None:
    """Turn start-at-login on (with :func:`tray_command`) or off."""
    backend = backend or get_autostart()
    if enabled:
        backend.enable(tray_command())
    else:
        backend.disable()
