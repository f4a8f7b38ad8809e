"""The ``vaclient tray`` command: the tray icon (a window where there is no tray).

PySide6 is imported only here, when the command runs, so the other
commands start fast and work without a display.
"""

from __future__ import annotations

import argparse

from vaclient.cli.common import command_help, require_display
from vaclient.errors import UsageError
from vaclient.fileio import read_limited, read_problem


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


def _check_file(path: str) -> None:
    """Refuse a FILE that cannot be read at all before any window opens.

    Its content is checked by the import preview, which explains problems
    in the window; a missing file, a folder or a pipe is a typing mistake
    better named here.

    Raises:
        UsageError: the file cannot be opened as a regular file.
    """
    try:
        read_limited(path, 0)
    except OSError as err:
        raise UsageError(
            f"{path}: {read_problem(err)}",
            "Give the path of the ClientConfig-vai-....json file from your administrator.",
        ) from err


def run(args: argparse.Namespace) -> int:
    """Check the files given, then start the Qt application."""
    for path in args.files:
        _check_file(path)
    require_display(
        "Run the tray in a desktop session; here, use 'vaclient status' or 'vaclient doctor'."
    )

    from vaclient.ui.main import run_tray

    return run_tray(list(args.files))
