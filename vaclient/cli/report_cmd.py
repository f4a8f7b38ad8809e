"""The ``vaclient report`` commands: look at a saved diagnosis.

- ``report show FILE [--json]``: the saved JSON report as text (or as
  normalised JSON);
- ``report html FILE [--out OUT]``: the same report as a self-contained
  HTML page;
- ``report view FILE``: open it in the tray app's diagnostics window.

A saved report is what ``vaclient doctor --json > FILE`` writes, or the
``report.json`` inside a support bundle.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import sys
from pathlib import Path

from vaclient.cli.common import add_json, command_help, print_json, require_display
from vaclient.errors import UsageError
from vaclient.report.saved import load_report

logger = logging.getLogger(__name__)


def _show(args: argparse.Namespace) -> int:
    report = load_report(Path(args.file))
    if args.json:
        print_json(report.to_dict())
    else:
        from vaclient.report import text

        text.write(report, sys.stdout)
    return 0


def _html(args: argparse.Namespace) -> int:
    from vaclient.report.html import write_html

    source = Path(args.file)
    report = load_report(source)
    out = Path(args.out) if args.out else source.with_suffix(".html")
    write_html(report, out)
    sys.stdout.write(f"{out}\n")
    return 0


def _view(args: argparse.Namespace) -> int:
    report = load_report(Path(args.file))
    require_display(
        f"Use 'vaclient report show {args.file}', or 'vaclient report html {args.file}' "
        "and open the page in a browser."
    )
    try:
        diagnostics = importlib.import_module("vaclient.ui.diagnostics")
    except ImportError as err:
        raise UsageError(
            "the diagnostics window needs the desktop part of vaclient (PySide6), "
            f"which cannot be loaded here ({err})",
            f"Use 'vaclient report show {args.file}' or 'vaclient report html {args.file}'.",
        ) from err
    show = getattr(diagnostics, "show_report_window", None)
    if show is None:
        raise UsageError(
            "this version's diagnostics window cannot open saved reports",
            f"Use 'vaclient report html {args.file}' and open the page in a browser.",
        )
    logger.info("opening %s in the diagnostics window", args.file)
    return int(show(report, Path(args.file).name) or 0)


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``report show``, ``report html`` and ``report view``."""
    parser = sub.add_parser(
        "report",
        help=command_help("report"),
        description="Show, convert or open a report saved with 'vaclient doctor --json'.",
    )
    commands = parser.add_subparsers(dest="report_command", metavar="ACTION", required=True)

    show = commands.add_parser("show", help="print a saved report as text")
    show.add_argument("file", metavar="FILE", help="the saved JSON report")
    add_json(show)
    show.set_defaults(func=_show)

    html = commands.add_parser("html", help="write a saved report as an HTML page")
    html.add_argument("file", metavar="FILE", help="the saved JSON report")
    html.add_argument("--out", metavar="OUT", help="the HTML file (default: FILE with .html)")
    html.set_defaults(func=_html)

    view = commands.add_parser("view", help="open a saved report in the diagnostics window")
    view.add_argument("file", metavar="FILE", help="the saved JSON report")
    view.set_defaults(func=_view)
