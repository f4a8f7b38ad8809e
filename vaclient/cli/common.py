"""Argument helpers and output helpers shared by the command modules."""

from __future__ import annotations

import argparse
import json
import math
import os
import sys
from pathlib import Path
from typing import Any

from vaclient.errors import UsageError

#: Every command: name -> (module that implements it, one-line help). The
#: front end imports a command's module only when that command runs (or for
#: ``--help``), so each command starts without the others' dependencies.
COMMANDS: dict[str, tuple[str, str]] = {
    "doctor": (
        "vaclient.cli.doctor_cmd",
        "diagnose prerequisites, configuration, tunnel and endpoints",
    ),
    "config": (
        "vaclient.cli.config_cmd",
        "check, show, install, list and remove ClientConfig files",
    ),
    "analyze": (
        "vaclient.cli.analyze_cmd",
        "explain pasted route tables, ipconfig /all or dig output",
    ),
    "status": (
        "vaclient.cli.status_cmd",
        "quick local status: configurations, client, tunnel, routes (no network)",
    ),
    "login": (
        "vaclient.cli.login_cmd",
        "start the Connectivity Client, wait for the tunnel, then check the endpoints",
    ),
    "tray": (
        "vaclient.cli.tray_cmd",
        "run the tray icon (status, sign-in, diagnostics, configuration import)",
    ),
    "report": ("vaclient.cli.report_cmd", "show a saved diagnosis report"),
    "bundle": ("vaclient.cli.bundle_cmd", "make a support bundle (zip) for the helpdesk"),
    "aws": (
        "vaclient.cli.aws_cmd",
        "AWS side: export configurations, list endpoints, read access logs",
    ),
}


def command_help(name: str) -> str:
    """The one-line help of a top-level command."""
    return COMMANDS[name][1]


def positive_seconds(text: str) -> float:
    """argparse type: a positive, finite number of seconds (``nan``, ``inf``, 0 refused)."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of seconds") from None
    if not math.isfinite(value) or value <= 0:
        raise argparse.ArgumentTypeError(f"{text!r}: give a positive number of seconds")
    return value


def positive_int(text: str) -> int:
    """argparse type: a whole number of at least 1."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"{text!r}: give a number of at least 1")
    return value


def folder(text: str) -> str:
    """argparse type: a folder path; one that exists as something else is refused.

    A folder that does not exist yet is accepted (``config install`` creates it).
    """
    if not text.strip():
        raise argparse.ArgumentTypeError("give the path of a folder")
    path = Path(text)
    if path.exists() and not path.is_dir():
        raise argparse.ArgumentTypeError(f"{text!r} is a file, not a folder")
    return text


def require_display(instead: str) -> None:
    """Refuse to start a window where Qt has no display to open it on.

    Without this, Qt aborts the whole process on a Linux machine without
    X11 or Wayland (an SSH session, a server) instead of raising an error.

    Args:
        instead: the next step that works without a display, for the hint.

    Raises:
        UsageError: Linux (or another X11 system) with no display and no
            ``QT_QPA_PLATFORM`` chosen.
    """
    if sys.platform in ("win32", "darwin") or os.environ.get("QT_QPA_PLATFORM"):
        return
    if os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"):
        return
    raise UsageError(
        "no display to open a window on (DISPLAY and WAYLAND_DISPLAY are unset)", instead
    )


def add_config_dir(parser: argparse.ArgumentParser) -> None:
    """``--config-dir DIR``: where ClientConfig files are installed."""
    parser.add_argument(
        "--config-dir",
        metavar="DIR",
        type=folder,
        help="folder of installed ClientConfig files "
        "(default: the Connectivity Client's; env VACLIENT_CONFIG_DIR)",
    )


def add_json(parser: argparse.ArgumentParser) -> None:
    """``--json``: machine-readable output on stdout."""
    parser.add_argument("--json", action="store_true", help="print JSON instead of text")


def print_json(value: Any) -> None:
    """Print ``value`` as indented JSON with a trailing newline."""
    sys.stdout.write(json.dumps(value, indent=2, ensure_ascii=False) + "\n")
