"""Plain-text rendering of a diagnosis report for a terminal.

The primary finding and its hint come first, because that is what a user
acts on; then one line per check, grouped (prerequisites, configuration,
tunnel, then each endpoint), and a line per endpoint verdict. Colour is
used only when asked for (the CLI asks when stdout is a terminal and
``NO_COLOR`` is not set).

Example (no colour)::

    FAIL  tunnel-down: no tunnel interface exists
          hint: Open the Connectivity Client and sign in; ...

    Prerequisites
      ok    IPv6 enabled                  IPv6 is enabled on every interface
    ...
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from typing import IO

from vaclient.checks.endpoint import EndpointIds
from vaclient.checks.model import CheckResult, Report, Stage, Status
from vaclient.errors import VaclientError
from vaclient.settings import Endpoint

SYMBOLS: Mapping[Status, str] = {
    Status.OK: "ok",
    Status.WARN: "WARN",
    Status.FAIL: "FAIL",
    Status.SKIP: "skip",
}
_COLOURS: Mapping[Status, str] = {
    Status.OK: "\x1b[32m",
    Status.WARN: "\x1b[33m",
    Status.FAIL: "\x1b[31;1m",
    Status.SKIP: "\x1b[2m",
}
_RESET = "\x1b[0m"
_GROUPS = (
    ("Prerequisites", (Stage.PREREQ,)),
    ("Configuration", (Stage.CONFIG,)),
    ("Tunnel", (Stage.TUNNEL,)),
)
TITLE_WIDTH = 34


def want_colour(stream: IO[str], environ: Mapping[str, str] | None = None) -> bool:
    """Colour only on a terminal and only when ``NO_COLOR`` is unset (no-color.org)."""
    env = os.environ if environ is None else environ
    if env.get("NO_COLOR"):
        return False
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


def _tag(status: Status, colour: bool) -> str:
    """The status word, padded to a column, coloured when asked."""
    word = f"{SYMBOLS[status]:<5}"
    return f"{_COLOURS[status]}{word}{_RESET}" if colour else word


def _line(check: CheckResult, colour: bool) -> str:
    """One check as one line: status, title, message (and the blocking check)."""
    message = check.message
    if check.status is Status.SKIP and check.blocked_by and check.blocked_by not in message:
        message = f"{message} (blocked by {check.blocked_by})"
    code = f"[{check.code}] " if check.code and check.status in (Status.FAIL, Status.WARN) else ""
    return f"  {_tag(check.status, colour)} {check.title:<{TITLE_WIDTH}} {code}{message}".rstrip()


def _endpoint_checks(report: Report, target: str) -> list[CheckResult]:
    """Checks that belong to one endpoint, host-level ones included, in causal order."""
    try:
        ids = set(EndpointIds.of(Endpoint.parse(target)).all())
    except VaclientError:
        return []
    return sorted((c for c in report.checks if c.id in ids), key=lambda c: c.stage.value)


def render(report: Report, *, colour: bool = False) -> str:
    """The whole report as text (ends with a newline)."""
    out: list[str] = []
    primary = report.primary
    if primary is None:
        out.append(f"{_tag(Status.OK, colour)} everything checked is fine")
    else:
        out.append(
            f"{_tag(primary.status, colour)} {primary.code or primary.id}: {primary.message}"
        )
        if primary.hint:
            out.append(f"      hint: {primary.hint}")
    out.append("")

    for heading, stages in _GROUPS:
        checks = [c for c in report.checks if c.stage in stages]
        if checks:
            out.append(heading)
            out.extend(_line(c, colour) for c in checks)
            out.append("")

    for verdict in report.endpoints:
        code = f" [{verdict.code}]" if verdict.code else ""
        extra = []
        if verdict.address:
            extra.append(verdict.address)
        if verdict.latency_ms is not None:
            extra.append(f"{verdict.latency_ms:.1f} ms")
        detail = f" ({', '.join(extra)})" if extra else ""
        out.append(
            f"Endpoint {verdict.target}: {_tag(verdict.status, colour).strip()}{code}{detail}"
        )
        out.extend(_line(c, colour) for c in _endpoint_checks(report, verdict.target))
        out.append("")

    summary = f"Result: {report.status.value}"
    if report.duration_ms is not None:
        summary += f" ({_duration(report.duration_ms)})"
    out.append(summary)
    return "\n".join(out) + "\n"


def _duration(ms: float) -> str:
    """``25 ms`` under a second, ``1.2 s`` above: a fast run should not read "0.0 s".

    >>> _duration(24.6), _duration(1234.0)
    ('25 ms', '1.2 s')
    """
    return f"{ms:.0f} ms" if ms < 1000 else f"{ms / 1000:.1f} s"


def write(report: Report, stream: IO[str], *, colour: bool | None = None) -> None:
    """Render ``report`` to ``stream``; colour decided by :func:`want_colour` when None."""
    stream.write(render(report, colour=want_colour(stream) if colour is None else colour))


def summarise(checks: Iterable[CheckResult]) -> dict[str, int]:
    """How many checks ended in each status (for a one-line summary)."""
    counts = {s.value: 0 for s in Status}
    for check in checks:
        counts[check.status.value] += 1
    return counts
