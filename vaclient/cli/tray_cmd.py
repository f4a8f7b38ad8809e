"""The ``vaclient tray`` command: the tray icon (a window where there is no tray).

PySide6 is imported only here, when the command runs, so the other
commands start fast and work without a display.
"""

from __future__ import annotations

import argparse

from vaclient.cli.common import command_help


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``tray`` sub-command."""
    parser = sub.add_parser(
        "tray",
        help=command_help("tray"),
        description="Run the tray app. A ClientConfig FILE is imported (after a preview). "
        "If the tray already runs, the file is handed to it.",
    )
    parser.add_argument("files", nargs="*", metavar="FILE", help="a ClientConfig file to import")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Start the Qt application."""
    from vaclient.ui.main import run_tray

    return run_tray(list(args.files))
