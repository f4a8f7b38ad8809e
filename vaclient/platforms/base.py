"""The one interface every operating system implements.

The doctor, the status command and the tray talk only to :class:`Platform`.
Each OS module (``windows``, ``macos``, ``linux``) subclasses it and imports
on every OS: calls into the OS go through small injectable adapters
(a command runner, a registry reader) so the logic is tested anywhere with
recorded output. A method that has no meaning on an OS returns a value
saying so (``supported=False`` with a reason) instead of raising.
"""

from __future__ import annotations

import logging
import platform
import subprocess
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from vaclient.errors import PlatformUnsupported
from vaclient.net.lookup import longest_prefix_match
from vaclient.net.model import Interface, Route

if TYPE_CHECKING:
    from vaclient.config.safety import SecurityInfo
    from vaclient.platforms.processes import ProcessMatch

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class CommandResult:
    """What a command printed and how it ended."""

    argv: tuple[str, ...]
    returncode: int
    stdout: str
    stderr: str = ""


class CommandRunner:
    """Runs OS tools; tests replace it with one that replays recorded output.

    On Windows no console window flashes up (``CREATE_NO_WINDOW``).
    """

    def run(self, argv: Sequence[str], *, timeout: float = 10.0) -> CommandResult:
        """Run ``argv`` and capture its output as text; never raises for exit codes.

        Raises:
            FileNotFoundError: the program does not exist.
            subprocess.TimeoutExpired: it ran longer than ``timeout``.
        """
        flags = getattr(subprocess, "CREATE_NO_WINDOW", 0) if sys.platform == "win32" else 0
        logger.debug("running %s", list(argv))
        proc = subprocess.run(
            list(argv),
            capture_output=True,
            text=True,
            encoding="utf-8",
            errors="replace",
            timeout=timeout,
            check=False,
            creationflags=flags,
        )
        return CommandResult(tuple(argv), proc.returncode, proc.stdout, proc.stderr)


class ReplayRunner(CommandRunner):
    """A :class:`CommandRunner` that answers from recorded output (for tests and demos).

    Each argv tuple maps to a :class:`CommandResult` or to plain stdout text
    (exit status 0). A command with no recording behaves like a program
    that is not installed. Every call is kept in :attr:`calls`.
    """

    def __init__(self, recordings: Mapping[tuple[str, ...], CommandResult | str]) -> None:
        self.recordings = dict(recordings)
        self.calls: list[tuple[str, ...]] = []

    def run(self, argv: Sequence[str], *, timeout: float = 10.0) -> CommandResult:
        """Return the recording for ``argv``.

        Raises:
            FileNotFoundError: nothing was recorded for ``argv``.
        """
        key = tuple(argv)
        self.calls.append(key)
        if key not in self.recordings:
            raise FileNotFoundError(2, "no recording for this command", key[0] if key else "")
        found = self.recordings[key]
        return found if isinstance(found, CommandResult) else CommandResult(key, 0, found)


@dataclass(frozen=True)
class Probe:
    """The answer to a yes/no question about the machine.

    Attributes:
        ok: True when the prerequisite is met; None when it cannot be told.
        supported: False when the question has no meaning on this OS.
        detail: a sentence for the report ("DisabledComponents = 0xff").
        data: machine-readable details.
    """

    ok: bool | None
    detail: str = ""
    supported: bool = True
    data: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class ClientInstallation:
    """Where and which Connectivity Client is installed, if any."""

    installed: bool
    version: str | None = None
    location: str | None = None
    supported: bool = True
    detail: str = ""


class Platform:
    """Base class: defaults that say "not available here" with a reason.

    Subclasses override what their OS can answer.
    """

    name = "unknown"

    def __init__(self, runner: CommandRunner | None = None) -> None:
        self.runner = runner or CommandRunner()

    # -- prerequisites -------------------------------------------------
    def ipv6_status(self) -> Probe:
        """Whether IPv6 is enabled in the OS configuration (not the live probe)."""
        return Probe(None, "no IPv6 configuration check on this OS", supported=False)

    def webview2(self) -> Probe:
        """Whether the WebView2 Runtime is installed (Windows only)."""
        return Probe(None, "WebView2 is only needed on Windows", supported=False)

    def tpm(self) -> Probe:
        """Whether a ready TPM is present (Windows only)."""
        return Probe(None, "the TPM is only checked on Windows", supported=False)

    def client_installation(self) -> ClientInstallation:
        """Whether the Connectivity Client is installed, and which version."""
        return ClientInstallation(
            False,
            supported=False,
            detail="the Connectivity Client exists only for Windows and macOS",
        )

    # -- network state -------------------------------------------------
    def interfaces(self) -> list[Interface]:
        """Every network interface with its kind, state and addresses."""
        return []

    def routes(self) -> list[Route]:
        """The IPv6 route table."""
        return []

    def route_for(self, address: str) -> Route | None:
        """The route the OS would choose for ``address``.

        The default does a longest-prefix match over :meth:`routes`;
        platforms that can ask the kernel do so instead.
        """
        return longest_prefix_match(self.routes(), address)

    def dns_servers(self) -> list[str]:
        """The system's DNS resolvers, most preferred first."""
        return []

    def is_tunnel_interface(self, interface: Interface) -> bool:
        """Whether ``interface`` looks like the Verified Access tunnel."""
        return interface.kind in ("tun", "tap")

    # -- files -----------------------------------------------------------
    def file_security(self, path: Path) -> SecurityInfo:
        """The Windows owner, access list and reparse flag of ``path``.

        Only Windows has access lists that decide who may change the
        client's folder; other systems are checked with ``lstat``.

        Raises:
            PlatformUnsupported: this OS has no Windows access lists.
            OSError: the entry cannot be read.
        """
        raise PlatformUnsupported(
            f"cannot read a Windows access list of {path} on {self.name}",
            "Run the check on the Windows computer.",
        )

    # -- the client ----------------------------------------------------
    def client_process(self, names: Sequence[str] = ()) -> ProcessMatch | None:
        """The first running Connectivity Client process, or None.

        Args:
            names: process names (or shell patterns) from the settings
                (``client_processes``), looked for in addition to this OS's
                unverified defaults
                (:data:`~vaclient.platforms.processes.DEFAULT_CLIENT_PROCESS_NAMES`).
        """
        from vaclient.platforms import processes

        defaults = processes.DEFAULT_CLIENT_PROCESS_NAMES.get(self.name, ())
        wanted = list(dict.fromkeys([*defaults, *names]))
        logger.info(
            "looking for the client as %s (defaults are guesses%s)",
            wanted,
            f"; {list(names)} from the settings" if names else "",
        )
        return processes.client_running(wanted, os_name=self.name)

    def launch_client(self, path: str | None = None) -> None:
        """Start the Connectivity Client (path from settings, else the default)."""
        raise PlatformUnsupported(
            "The Connectivity Client exists only for Windows and macOS.",
            "Run vaclient on the Windows or macOS computer that connects.",
        )

    def os_version(self) -> str:
        """A human-readable OS version for reports."""
        return platform.platform()
