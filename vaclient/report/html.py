"""A diagnosis report as one self-contained, printable HTML file.

The page needs nothing but itself: CSS is inline, there are no scripts,
fonts, images or links that load anything, so it opens the same from an
e-mail attachment, a support bundle or a USB stick, and prints cleanly
(``@media print``). Every piece of text from the report is HTML-escaped;
the order follows how a helpdesk person reads it: the primary finding and
its hint first, then the endpoints, then every check grouped by stage.
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Iterable
from html import escape
from pathlib import Path

from vaclient.checks.codes import CATALOGUE
from vaclient.checks.model import CheckResult, Report, Stage, Status
from vaclient.errors import UsageError
from vaclient.fileio import write_atomic

logger = logging.getLogger(__name__)

_STAGE_TITLES = {
    Stage.PREREQ: "Prerequisites",
    Stage.CONFIG: "Configuration",
    Stage.TUNNEL: "Tunnel",
    Stage.DNS: "DNS",
    Stage.ADDRESS: "Address inside routes",
    Stage.ROUTE: "Route",
    Stage.TCP: "TCP connection",
    Stage.PROTOCOL: "Protocol",
}
#: A symbol next to each status word, so a black-and-white print still tells them apart.
_STATUS_MARK = {
    Status.OK: "\u2713 ok",
    Status.WARN: "! warn",
    Status.FAIL: "\u2717 fail",
    Status.SKIP: "\u2013 skip",
}
_DATA_LIMIT = 2000

_CSS = """
:root { color-scheme: light; }
body { font-family: -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
  margin: 2em auto; max-width: 62em; padding: 0 1em; color: #1b1b1b; line-height: 1.4; }
h1 { font-size: 1.5em; margin-bottom: 0.2em; }
h2 { font-size: 1.2em; margin-top: 1.6em; border-bottom: 1px solid #ccc; }
h3 { font-size: 1.05em; margin: 1.2em 0 0.4em; }
.meta { color: #555; font-size: 0.9em; }
.primary { border-left: 6px solid #888; padding: 0.6em 1em; background: #f5f5f5;
  margin: 1em 0; }
.primary.fail { border-color: #b00020; background: #fdecee; }
.primary.warn { border-color: #b26a00; background: #fff4e0; }
.primary.ok { border-color: #1b7f3b; background: #e9f6ee; }
.primary p { margin: 0.3em 0; }
.hint { font-weight: 600; }
table { border-collapse: collapse; width: 100%; font-size: 0.92em; }
th, td { text-align: left; vertical-align: top; padding: 0.3em 0.5em;
  border-bottom: 1px solid #e2e2e2; }
th { background: #f0f0f0; }
.status { white-space: nowrap; font-weight: 600; }
.status.ok { color: #1b7f3b; } .status.warn { color: #b26a00; }
.status.fail { color: #b00020; } .status.skip { color: #666; }
code, pre { font-family: ui-monospace, Menlo, Consolas, monospace; font-size: 0.9em; }
pre.data { margin: 0.3em 0 0; white-space: pre-wrap; word-break: break-all; color: #444; }
footer { margin-top: 2em; color: #777; font-size: 0.8em; }
@media print {
  body { margin: 0; max-width: none; font-size: 10pt; }
  .primary { break-inside: avoid; }
  tr { break-inside: avoid; }
  h2, h3 { break-after: avoid; }
  a { color: inherit; text-decoration: none; }
}
"""


def _e(value: object) -> str:
    """Escape any value for HTML text and attribute positions."""
    return escape("" if value is None else str(value), quote=True)


def _status_cell(status: Status) -> str:
    return f'<td class="status {status.value}">{_e(_STATUS_MARK[status])}</td>'


def _primary_section(report: Report) -> str:
    primary = report.primary
    status = report.status
    if primary is None:
        return (
            '<section class="primary ok"><p><strong>Everything checked is working.</strong>'
            "</p></section>"
        )
    finding = CATALOGUE.get(primary.code or "")
    heading = finding.title if finding else primary.title
    hint = primary.hint or (finding.hint if finding else None)
    parts = [
        f'<section class="primary {status.value}">',
        f"<p><strong>{_e(heading)}</strong>"
        + (f" (<code>{_e(primary.code)}</code>)" if primary.code else "")
        + "</p>",
        f"<p>{_e(primary.message)}</p>",
    ]
    if primary.target:
        parts.append(f"<p>Endpoint: <code>{_e(primary.target)}</code></p>")
    if hint:
        parts.append(f'<p class="hint">Next step: {_e(hint)}</p>')
    if finding:
        parts.append(f'<p class="meta">Documentation: {_e(finding.doc_anchor)}</p>')
    parts.append("</section>")
    return "\n".join(parts)


def _endpoint_table(report: Report) -> str:
    if not report.endpoints:
        return "<p>No endpoints were checked.</p>"
    rows = [
        "<table><thead><tr><th>Endpoint</th><th>Status</th><th>Finding</th>"
        "<th>Address</th><th>Latency</th></tr></thead><tbody>"
    ]
    for ep in report.endpoints:
        latency = "" if ep.latency_ms is None else f"{ep.latency_ms:.1f} ms"
        rows.append(
            f"<tr><td><code>{_e(ep.target)}</code></td>{_status_cell(ep.status)}"
            f"<td>{_e(ep.code or '')}</td><td><code>{_e(ep.address or '')}</code></td>"
            f"<td>{_e(latency)}</td></tr>"
        )
    rows.append("</tbody></table>")
    return "\n".join(rows)


def _check_row(check: CheckResult) -> str:
    details = [f"{_e(check.message)}"]
    if check.hint and check.status in (Status.WARN, Status.FAIL):
        details.append(f'<br><span class="hint">Next step: {_e(check.hint)}</span>')
    if check.blocked_by:
        details.append(f"<br>Not run: blocked by <code>{_e(check.blocked_by)}</code>")
    if check.data:
        text = json.dumps(check.data, indent=1, ensure_ascii=False, default=str)
        if len(text) > _DATA_LIMIT:
            text = text[:_DATA_LIMIT] + "\n\u2026"
        details.append(f'<pre class="data">{_e(text)}</pre>')
    duration = "" if check.duration_ms is None else f"{check.duration_ms:.0f} ms"
    title = _e(check.title) + (f"<br><code>{_e(check.target)}</code>" if check.target else "")
    return (
        f"<tr>{_status_cell(check.status)}<td>{title}</td><td>{''.join(details)}</td>"
        f"<td>{_e(check.code or '')}</td><td>{_e(duration)}</td></tr>"
    )


def _checks_by_stage(checks: Iterable[CheckResult]) -> str:
    groups: dict[Stage, list[CheckResult]] = {}
    for check in checks:
        groups.setdefault(check.stage, []).append(check)
    if not groups:
        return "<p>No checks were run.</p>"

    parts = []
    for stage in sorted(groups, key=lambda s: s.value):
        parts.append(f"<h3>{_e(_STAGE_TITLES.get(stage, stage.name.title()))}</h3>")
        parts.append(
            "<table><thead><tr><th>Status</th><th>Check</th><th>Result</th>"
            "<th>Code</th><th>Time</th></tr></thead><tbody>"
        )
        parts.extend(_check_row(c) for c in groups[stage])
        parts.append("</tbody></table>")
    return "\n".join(parts)


def render_html(report: Report) -> str:
    """Render ``report`` as a complete HTML document (a string).

    Args:
        report: the diagnosis to show.

    Returns:
        The page: inline CSS, no scripts, no external resources, all text
        escaped.
    """
    counts = {s: sum(1 for c in report.checks if c.status is s) for s in Status}
    summary = ", ".join(f"{counts[s]} {s.value}" for s in Status if counts[s])
    title = f"vaclient report: {report.status.value}"
    return "\n".join(
        [
            "<!DOCTYPE html>",
            '<html lang="en"><head><meta charset="utf-8">',
            '<meta name="viewport" content="width=device-width, initial-scale=1">',
            f"<title>{_e(title)}</title>",
            f"<style>{_CSS}</style></head><body>",
            "<h1>Verified Access diagnosis</h1>",
            f'<p class="meta">Created {_e(report.generated_at)} on {_e(report.host_os)} '
            f"({_e(report.os_version)}) by vaclient {_e(report.tool_version)}. "
            f'Overall: <span class="status {report.status.value}">'
            f"{_e(_STATUS_MARK[report.status])}</span>"
            + (f"; checks: {_e(summary)}" if summary else "")
            + ".</p>",
            _primary_section(report),
            "<h2>Endpoints</h2>",
            _endpoint_table(report),
            "<h2>Checks</h2>",
            _checks_by_stage(report.checks),
            "<footer>Generated by vaclient. This page contains no secrets from the "
            "client configuration.</footer>",
            "</body></html>",
            "",
        ]
    )


def write_html(report: Report, path: str | os.PathLike[str]) -> Path:
    """Write the HTML page for ``report`` to ``path`` atomically.

    Args:
        report: the diagnosis to show.
        path: the file to create or replace.

    Returns:
        The path written.

    Raises:
        UsageError: the folder does not exist or is not writable.
    """
    target = Path(path)
    page = render_html(report)
    try:
        write_atomic(target, page, prefix=".report-")
    except OSError as err:
        raise UsageError(
            f"{target}: cannot write the HTML report ({err.strerror or err})",
            "Choose a file in a folder you can write to.",
        ) from err
    logger.info("HTML report written to %s", target)
    return target
