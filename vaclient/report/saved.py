"""Reading a saved diagnosis report (``vaclient.report/1`` JSON).

A saved report is what ``vaclient doctor --json > FILE`` writes, or the
``report.json`` inside a support bundle. Helpdesk staff receive them from
users, so every kind of wrong file gets a clear error, never a traceback,
and nothing is read past a size cap.
"""

from __future__ import annotations

import json
from pathlib import Path

from vaclient.checks.model import REPORT_SCHEMA, Report
from vaclient.errors import UsageError
from vaclient.fileio import read_limited, read_problem

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
