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
import json
import logging
import sys
from pathlib import Path

from vaclient.checks.model import REPORT_SCHEMA, Report
from vaclient.cli.common import add_json, command_help, print_json, require_display
from vaclient.errors import UsageError
from vaclient.fileio import read_limited, read_problem

logger = logging.getLogger(__name__)

#: The largest report read: a saved diagnosis is a few KiB, even with many endpoints.
MAX_REPORT_BYTES = 8 * 1024 * 1024

_NOT_A_REPORT_HINT = (
    "Give a file written by 'vaclient doctor --json > FILE' or the report.json "
    "from a support bundle."
)


def load_report(path: Path) -> Report:
    """Read a saved ``vaclient.report/1`` file.

    Raises:
        UsageError: the file is missing, unreadable, not JSON or not a vaclient report.
    """
    try:
        data = read_limited(path, MAX_REPORT_BYTES)
    except FileNotFoundError as err:
        raise UsageError(f"{path}: no such file", _NOT_A_REPORT_HINT) from err
    except OSError as err:
        raise UsageError(f"{path}: {read_problem(err)}", _NOT_A_REPORT_HINT) from err
    if len(data) > MAX_REPORT_BYTES:
        raise UsageError(
            f"{path}: not a vaclient report (larger than {MAX_REPORT_BYTES // (1024 * 1024)} "
            "MiB; a report is a few KiB)",
            _NOT_A_REPORT_HINT,
        )
    text = _report_text(path, data)
    try:
        raw = json.loads(text)
    except json.JSONDecodeError as err:
        raise UsageError(
            f"{path}: not a vaclient report (not JSON: line {err.lineno})", _NOT_A_REPORT_HINT
        ) from err
    except RecursionError as err:
        raise UsageError(
            f"{path}: not a vaclient report (JSON nested too deeply)", _NOT_A_REPORT_HINT
        ) from err
    if not isinstance(raw, dict) or raw.get("schema") != REPORT_SCHEMA:
        schema = raw.get("schema") if isinstance(raw, dict) else None
        raise UsageError(
            f"{path}: not a vaclient report (schema {schema!r}, expected {REPORT_SCHEMA!r})",
            _NOT_A_REPORT_HINT,
        )
    try:
        return Report.from_dict(raw)
    except (KeyError, ValueError, TypeError) as err:
        raise UsageError(
            f"{path}: the report is damaged ({type(err).__name__}: {err})", _NOT_A_REPORT_HINT
        ) from err


def _report_text(path: Path, data: bytes) -> str:
    """The report's bytes as text: UTF-8, or UTF-16 with a byte order mark.

    Windows PowerShell 5 writes ``vaclient doctor --json > FILE`` as UTF-16,
    so that form is read too.

    Raises:
        UsageError: the bytes are not text in either encoding.
    """
    encoding = "utf-16" if data.startswith((b"\xff\xfe", b"\xfe\xff")) else "utf-8-sig"
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as err:
        raise UsageError(
            f"{path}: not a vaclient report (not {encoding.upper().removesuffix('-SIG')} "
            f"text: byte 0x{data[err.start]:02x} at offset {err.start})",
            _NOT_A_REPORT_HINT,
        ) from err


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
