"""What a support bundle records about the machine's network.

Three kinds of capture, each a :class:`~vaclient.report.bundle_files.Piece`:

- the raw output of the OS tools the helpdesk knows (``route print -6``,
  ``ipconfig /all``, ``ip -6 route``, ``scutil --dns`` ...), run through the
  platform's command runner and kept exactly as printed;
- system files copied as they are (``/etc/resolv.conf``);
- ``system/network.json``: the routes, interfaces and DNS servers as
  vaclient's platform layer parsed them, so a wrong parse shows next to
  the text it came from.

A tool that is missing, hangs or fails becomes a problem line, never an
error.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

from vaclient.errors import VaclientError
from vaclient.platforms.base import CommandRunner, Platform
from vaclient.report.bundle_files import Piece, read_text

COMMAND_TIMEOUT_S = 10.0

#: What the OS tools print, per OS: (file name, argv). Raw output is kept as-is.
SYSTEM_COMMANDS: dict[str, tuple[tuple[str, tuple[str, ...]], ...]] = {
    "linux": (
        ("ip-6-route.txt", ("ip", "-6", "route")),
        ("ip-addr.txt", ("ip", "addr")),
    ),
    "windows": (
        ("route-print-6.txt", ("route", "print", "-6")),
        ("ipconfig-all.txt", ("ipconfig", "/all")),
    ),
    "macos": (
        ("netstat-rn-inet6.txt", ("netstat", "-rn", "-f", "inet6")),
        ("ifconfig-a.txt", ("ifconfig", "-a")),
        ("scutil-dns.txt", ("scutil", "--dns")),
    ),
}
#: Files copied as they are, per OS: (file name, path).
SYSTEM_FILES: dict[str, tuple[tuple[str, str], ...]] = {
    "linux": (("resolv.conf", "/etc/resolv.conf"),),
    "macos": (("resolv.conf", "/etc/resolv.conf"),),
}


def collect_system(
    os_name: str, runner: CommandRunner, platform: Platform | None, problems: list[str]
) -> list[Piece]:
    """Route table, interfaces and DNS configuration, raw and parsed.

    Args:
        os_name: whose tools and files to capture (``linux``, ``windows``, ``macos``).
        runner: runs the tools.
        platform: where the parsed summary comes from (None: no summary).
        problems: receives a line for each capture that failed.
    """
    pieces = _command_outputs(os_name, runner, problems)
    pieces += _system_files(os_name, problems)
    if platform is not None:
        pieces.append(_network_summary(platform, problems))
    return pieces


def _command_outputs(os_name: str, runner: CommandRunner, problems: list[str]) -> list[Piece]:
    """The output of each OS tool, with its exit status and errors if it failed."""
    pieces = []
    for name, argv in SYSTEM_COMMANDS.get(os_name, ()):
        shown = " ".join(argv)
        try:
            result = runner.run(argv, timeout=COMMAND_TIMEOUT_S)
        except FileNotFoundError:
            problems.append(f"system: {shown}: the program is not installed")
            continue
        except subprocess.TimeoutExpired:
            problems.append(f"system: {shown}: no answer within {COMMAND_TIMEOUT_S:.0f} s")
            continue
        except OSError as err:
            problems.append(f"system: {shown}: {err}")
            continue

        text = result.stdout
        if result.returncode != 0:
            problems.append(f"system: {shown} exited with status {result.returncode}")
            text += f"\n[exit status {result.returncode}]\n{result.stderr}"
        pieces.append(Piece(f"system/{name}", f"Output of '{shown}'", text))
    return pieces


def _system_files(os_name: str, problems: list[str]) -> list[Piece]:
    """Copies of the OS's network configuration files."""
    pieces = []
    for name, path_text in SYSTEM_FILES.get(os_name, ()):
        try:
            text = read_text(Path(path_text))
        except (OSError, ValueError) as err:
            problems.append(f"system: cannot read {path_text} ({err})")
            continue
        pieces.append(Piece(f"system/{name}", f"Copy of {path_text}", text))
    return pieces


def _network_summary(platform: Platform, problems: list[str]) -> Piece:
    """``system/network.json``: what the platform layer made of the machine."""
    network: dict[str, Any] = {}
    for key, getter in (
        ("routes", platform.routes),
        ("interfaces", platform.interfaces),
        ("dns_servers", platform.dns_servers),
    ):
        try:
            value = getter()
            network[key] = [v if isinstance(v, str) else v.to_dict() for v in value]
        except (VaclientError, OSError, subprocess.SubprocessError, ValueError) as err:
            problems.append(f"system: {key} could not be read ({err})")

    return Piece(
        "system/network.json",
        "Routes, interfaces and DNS servers as vaclient understood them",
        json.dumps(network, indent=2, ensure_ascii=False) + "\n",
    )
