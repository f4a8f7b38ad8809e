"""Argument helpers and output helpers shared by the command modules."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any


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
