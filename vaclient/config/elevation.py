"""Run the privileged install helper with administrator rights, per OS.

vaclient itself never runs elevated. When the client's folder is not
writable, only the write is elevated: the caller stages the file in a
private folder and an :class:`Elevator` runs ``python -m
vaclient.config.elevated ...`` (see :mod:`vaclient.config.elevated`) as
root / administrator. That helper re-reads and re-validates the staged copy
and checks the destination itself, so nothing the unprivileged side says is
trusted beyond the file name it points at.

Each OS has its own way to ask:

- Linux: ``pkexec`` (polkit) with absolute paths; exit 126 means the dialog
  was dismissed, 127 that the user is not authorised.
- macOS: ``osascript`` running ``do shell script "..." with administrator
  privileges``; error -128 means the user cancelled.
- Windows: ``ShellExecuteExW`` with the ``runas`` verb, waiting for the
  process and reading its exit code; ``ERROR_CANCELLED`` (1223) means the
  user declined the UAC prompt.

The OS calls (running a command, calling ShellExecuteExW) are thin injected
adapters; the quoting and the mapping of cancel / deny to
:class:`~vaclient.errors.ElevationCancelled` and
:class:`~vaclient.errors.ElevationDenied` are tested with fakes.
"""

from __future__ import annotations

import logging
import re
import shlex
import shutil
import subprocess
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from vaclient.errors import ElevationCancelled, ElevationDenied, InstallError

logger = logging.getLogger(__name__)

HELPER_MODULE = "vaclient.config.elevated"
PKEXEC_DISMISSED = 126
PKEXEC_NOT_AUTHORISED = 127
ERROR_CANCELLED = 1223
OSASCRIPT_USER_CANCELED = -128

_CANCEL_HINT = "Run the install again and approve the administrator prompt."
_DENIED_HINT = "Ask an administrator to install the file, or to run: vaclient config install FILE"


class Elevator(Protocol):
    """Runs one command with administrator rights and returns its exit code."""

    name: str

    def run(self, argv: Sequence[str]) -> int:
        """Run ``argv`` elevated and wait for it.

        Raises:
            ElevationCancelled: the user dismissed the prompt.
            ElevationDenied: the system refused (not authorised).
            InstallError: the elevation tool is missing or failed to start.
        """
        ...


@dataclass(frozen=True)
class Completed:
    """What a command runner returns: exit code and captured stderr text."""

    returncode: int
    stderr: str


Runner = Callable[[Sequence[str]], Completed]


def run_command(argv: Sequence[str]) -> Completed:
    """Run ``argv`` and wait: the real runner of the POSIX elevators.

    Stdin and stdout stay attached so that pkexec's text agent can ask for a
    password in a terminal; stderr is captured for the cancel/deny mapping
    and echoed at DEBUG.
    """
    try:
        done = subprocess.run(list(argv), stderr=subprocess.PIPE, text=True, check=False)
    except OSError as err:
        raise InstallError(
            f"cannot start {argv[0]}: {err.strerror}",
            "Install the tool, or run vaclient as an administrator.",
        ) from err
    if done.stderr:
        logger.debug("%s said: %s", Path(argv[0]).name, done.stderr.strip())
    return Completed(done.returncode, done.stderr or "")


#: First argument that makes a frozen ``vaclient`` executable run the helper.
FROZEN_HELPER_ARG = "--run-elevated-helper"


def helper_argv(*args: str) -> list[str]:
    """The command that runs the privileged helper with ``args``, by absolute path.

    From Python it is ``python -I -m vaclient.config.elevated``: ``-I``
    (isolated mode) keeps the current folder, ``PYTHONPATH`` and the user's
    site-packages out of ``sys.path``, so the helper, running as root, never
    imports code that the unprivileged user could have planted there. A
    frozen build (PyInstaller) has no ``-m``, so the ``vaclient`` executable
    next to the running one is called with :data:`FROZEN_HELPER_ARG` instead.
    """
    executable = Path(sys.executable).absolute()
    if getattr(sys, "frozen", False):
        cli_name = "vaclient.exe" if sys.platform == "win32" else "vaclient"
        return [str(executable.with_name(cli_name)), FROZEN_HELPER_ARG, *args]
    return [str(executable), "-I", "-m", HELPER_MODULE, *args]


# --- the elevators ---------------------------------------------------------------


class NoElevation:
    """Refuse to elevate: for administrators' scripts and for tests."""

    name = "none"

    def run(self, argv: Sequence[str]) -> int:
        """Always raises :class:`InstallError` (nothing is run)."""
        raise InstallError(
            "this needs administrator rights and elevation is turned off",
            "Run the command as an administrator (for example with sudo).",
        )


class DirectElevator:
    """Run the helper as this same user, without asking for rights.

    For processes that already are root/administrator and for tests that
    exercise the real helper; it elevates nothing.
    """

    name = "direct"

    def __init__(self, runner: Runner = run_command) -> None:
        self._runner = runner

    def run(self, argv: Sequence[str]) -> int:
        """Run ``argv`` and return its exit code."""
        return self._runner(argv).returncode


class PkexecElevator:
    """Linux: ``pkexec /abs/python -I -m vaclient.config.elevated ...``."""

    name = "pkexec"

    def __init__(self, pkexec: str | None = None, runner: Runner = run_command) -> None:
        self._pkexec = pkexec
        self._runner = runner

    def command(self, argv: Sequence[str]) -> list[str]:
        """The full command line; pkexec needs absolute paths (it resets PATH).

        Raises:
            InstallError: pkexec is not installed, or ``argv[0]`` is not absolute.
        """
        pkexec = self._pkexec or shutil.which("pkexec")
        if not pkexec:
            raise InstallError(
                "cannot ask for administrator rights: pkexec (polkit) is not installed",
                "Install polkit, or run the command with sudo.",
            )
        if not Path(argv[0]).is_absolute():
            raise InstallError(f"internal: the helper path {argv[0]!r} is not absolute")
        return [str(Path(pkexec).absolute()), *argv]

    def run(self, argv: Sequence[str]) -> int:
        """Run through pkexec and map 126 / 127 to cancelled / denied."""
        done = self._runner(self.command(argv))
        if done.returncode == PKEXEC_DISMISSED:
            raise ElevationCancelled("the administrator prompt was dismissed", _CANCEL_HINT)
        if done.returncode == PKEXEC_NOT_AUTHORISED:
            raise ElevationDenied(
                "the system refused administrator rights (pkexec: not authorised)", _DENIED_HINT
            )
        return done.returncode


def applescript_string(text: str) -> str:
    r"""Quote ``text`` as an AppleScript string literal.

    Example:
        >>> applescript_string('say "hi" \\ bye')
        '"say \\"hi\\" \\\\ bye"'
    """
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def osascript_command(argv: Sequence[str]) -> list[str]:
    """``osascript -e 'do shell script "…" with administrator privileges'`` for ``argv``.

    Each argument is shell-quoted (``shlex.quote``) for the ``/bin/sh`` that
    ``do shell script`` runs, then the whole line is quoted for AppleScript.
    """
    shell_line = shlex.join(argv)
    script = f"do shell script {applescript_string(shell_line)} with administrator privileges"
    return ["/usr/bin/osascript", "-e", script]


_OSA_ERROR = re.compile(r"\((-?\d+)\)\s*$")


class OsascriptElevator:
    """macOS: the standard administrator dialog through ``osascript``."""

    name = "osascript"

    def __init__(self, runner: Runner = run_command) -> None:
        self._runner = runner

    def run(self, argv: Sequence[str]) -> int:
        """Run through osascript; error -128 is a cancel, ``(N)`` is the helper's exit code."""
        done = self._runner(osascript_command(argv))
        if done.returncode == 0:
            return 0
        match = _OSA_ERROR.search(done.stderr.strip())
        number = int(match.group(1)) if match else done.returncode
        if number == OSASCRIPT_USER_CANCELED:
            raise ElevationCancelled("the administrator prompt was cancelled", _CANCEL_HINT)
        return number if number > 0 else 1


class ShellExecute(Protocol):
    """Thin adapter: start ``file`` with ``params`` via the ``runas`` verb, wait, exit code.

    Implementations raise ``OSError`` with ``winerror`` set when the process
    cannot be started (1223 when the user declined the prompt).
    """

    def __call__(self, file: str, params: str) -> int:
        """Run and wait; return the process's exit code."""
        ...


class RunasElevator:
    """Windows: ``ShellExecuteExW(verb="runas")`` and wait for the exit code."""

    name = "runas"

    def __init__(self, shell_execute: ShellExecute | None = None) -> None:
        self._shell_execute = shell_execute or shell_execute_runas

    def run(self, argv: Sequence[str]) -> int:
        """Run elevated; a declined UAC prompt becomes :class:`ElevationCancelled`."""
        params = subprocess.list2cmdline(list(argv[1:]))
        try:
            return self._shell_execute(argv[0], params)
        except OSError as err:
            if getattr(err, "winerror", None) == ERROR_CANCELLED:
                raise ElevationCancelled(
                    "the administrator prompt (UAC) was declined", _CANCEL_HINT
                ) from err
            raise InstallError(
                f"cannot start the elevated helper: {err}", "Run vaclient as an administrator."
            ) from err


def shell_execute_runas(file: str, params: str) -> int:  # pragma: no cover - Windows only
    """The real :class:`ShellExecute`: ShellExecuteExW, WaitForSingleObject, GetExitCodeProcess."""
    import ctypes
    from ctypes import wintypes

    class ShellExecuteInfo(ctypes.Structure):
        _fields_ = [  # ctypes declares fields as a class list
            ("cbSize", wintypes.DWORD),
            ("fMask", ctypes.c_ulong),
            ("hwnd", wintypes.HWND),
            ("lpVerb", wintypes.LPCWSTR),
            ("lpFile", wintypes.LPCWSTR),
            ("lpParameters", wintypes.LPCWSTR),
            ("lpDirectory", wintypes.LPCWSTR),
            ("nShow", ctypes.c_int),
            ("hInstApp", wintypes.HINSTANCE),
            ("lpIDList", ctypes.c_void_p),
            ("lpClass", wintypes.LPCWSTR),
            ("hkeyClass", wintypes.HKEY),
            ("dwHotKey", wintypes.DWORD),
            ("hIconOrMonitor", wintypes.HANDLE),
            ("hProcess", wintypes.HANDLE),
        ]

    see_mask_nocloseprocess = 0x40
    see_mask_noasync = 0x100
    sw_hide = 0
    infinite = 0xFFFFFFFF

    info = ShellExecuteInfo()
    info.cbSize = ctypes.sizeof(info)
    info.fMask = see_mask_nocloseprocess | see_mask_noasync
    info.lpVerb = "runas"
    info.lpFile = file
    info.lpParameters = params
    info.nShow = sw_hide

    shell32 = ctypes.WinDLL("shell32", use_last_error=True)  # type: ignore[attr-defined]  # Windows only
    kernel32 = ctypes.WinDLL("kernel32", use_last_error=True)  # type: ignore[attr-defined]  # Windows only
    if not shell32.ShellExecuteExW(ctypes.byref(info)):
        raise ctypes.WinError(ctypes.get_last_error())  # type: ignore[attr-defined]  # Windows only
    try:
        kernel32.WaitForSingleObject(info.hProcess, infinite)
        code = wintypes.DWORD()
        if not kernel32.GetExitCodeProcess(info.hProcess, ctypes.byref(code)):
            raise ctypes.WinError(ctypes.get_last_error())  # type: ignore[attr-defined]  # Windows only
        return int(code.value)
    finally:
        kernel32.CloseHandle(info.hProcess)


def default_elevator(os_name: str | None = None) -> Elevator:
    """The elevator for this OS (logged at INFO with the reason)."""
    from vaclient.paths import current_os

    os_name = os_name or current_os()
    elevator: Elevator
    if os_name == "windows":
        elevator = RunasElevator()
    elif os_name == "macos":
        elevator = OsascriptElevator()
    else:
        elevator = PkexecElevator()
    logger.info("elevation: using %s for %s", elevator.name, os_name)
    return elevator
