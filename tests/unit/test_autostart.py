"""Start at login: Windows Run key (through a fake registry), LaunchAgent, XDG autostart."""

from __future__ import annotations

import plistlib
from pathlib import Path

from vaclient.autostart import (
    LAUNCH_AGENT_LABEL,
    RUN_VALUE_NAME,
    LinuxAutostart,
    MacOSAutostart,
    WindowsAutostart,
    desktop_exec,
    get_autostart,
    set_autostart,
    tray_command,
)


class FakeRunKey:
    """HKCU\\...\\Run as a dict: the registry cannot exist on this OS."""

    def __init__(self) -> None:
        self.values: dict[str, str] = {"OneDrive": '"C:\\Program Files\\OneDrive.exe" /background'}

    def get(self, name: str) -> str | None:
        return self.values.get(name)

    def set(self, name: str, value: str) -> None:
        self.values[name] = value

    def delete(self, name: str) -> None:
        self.values.pop(name, None)


def test_windows_run_key_is_quoted_and_removed() -> None:
    key = FakeRunKey()
    backend = WindowsAutostart(key)
    assert not backend.is_enabled()

    backend.enable([r"C:\Program Files\vaclient\python.exe", "-m", "vaclient", "tray"])

    assert key.values[RUN_VALUE_NAME] == r'"C:\Program Files\vaclient\python.exe" -m vaclient tray'
    assert backend.is_enabled()
    backend.disable()
    backend.disable()  # twice is fine
    assert not backend.is_enabled()
    assert "OneDrive" in key.values


def test_macos_launch_agent(tmp_path: Path) -> None:
    backend = MacOSAutostart(home=tmp_path)
    backend.enable(["/Applications/vaclient.app/Contents/MacOS/vaclient", "tray"])

    path = tmp_path / "Library/LaunchAgents" / f"{LAUNCH_AGENT_LABEL}.plist"
    agent = plistlib.loads(path.read_bytes())
    assert agent["Label"] == LAUNCH_AGENT_LABEL
    assert agent["ProgramArguments"] == [
        "/Applications/vaclient.app/Contents/MacOS/vaclient",
        "tray",
    ]
    assert agent["RunAtLoad"] is True
    assert backend.is_enabled()
    backend.disable()
    assert not path.exists() and not backend.is_enabled()


def test_linux_desktop_entry(tmp_path: Path) -> None:
    backend = LinuxAutostart(config_home=tmp_path)
    backend.enable(["/opt/my venv/bin/python", "-m", "vaclient", "tray"])

    text = (tmp_path / "autostart/vaclient.desktop").read_text()
    assert text.startswith("[Desktop Entry]\n")
    assert 'Exec="/opt/my venv/bin/python" "-m" "vaclient" "tray"\n' in text
    assert backend.is_enabled()
    backend.disable()
    assert not backend.is_enabled()


def test_desktop_exec_escapes_reserved_characters() -> None:
    assert desktop_exec(['a"b', "100%", "$HOME"]) == '"a\\"b" "100%%" "\\$HOME"'


def test_set_autostart_uses_the_tray_command(tmp_path: Path) -> None:
    backend = LinuxAutostart(config_home=tmp_path)
    set_autostart(True, backend)
    assert tray_command()[-1] == "tray"
    assert "vaclient" in (tmp_path / "autostart/vaclient.desktop").read_text()
    set_autostart(False, backend)
    assert not backend.is_enabled()


def test_get_autostart_per_os() -> None:
    assert isinstance(get_autostart("macos"), MacOSAutostart)
    assert isinstance(get_autostart("linux"), LinuxAutostart)
    assert isinstance(get_autostart("windows"), WindowsAutostart)
