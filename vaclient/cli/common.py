"""Argument helpers and output helpers shared by the command modules."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

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


def add_config_dir(parser: argparse.ArgumentParser) -> None:
    """``--config-dir DIR``: where ClientConfig files are installed."""
    parser.add_argument(
        "--config-dir",
        metavar="DIR",
        help="folder of installed ClientConfig files "
        "(default: the Connectivity Client's; env VACLIENT_CONFIG_DIR)",
    )


def add_json(parser: argparse.ArgumentParser) -> None:
    """``--json``: machine-readable output on stdout."""
    parser.add_argument("--json", action="store_true", help="print JSON instead of text")


def print_json(value: Any) -> None:
    """Print ``value`` as indented JSON with a trailing newline."""
    sys.stdout.write(json.dumps(value, indent=2, ensure_ascii=False) + "\n")
