"""The HTML report: self-contained, escaped, primary finding first."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from vaclient.checks.model import CheckResult, EndpointVerdict, Report, Stage, Status
from vaclient.errors import UsageError
from vaclient.report.html import render_html, write_html

HOSTILE = '<script>alert("x")</script> & <img src=http://evil.example/x.png>'


def _report(primary_status: Status = Status.FAIL) -> Report:
    checks = [
        CheckResult("ipv6", "IPv6 enabled", Status.OK, message="IPv6 works", stage=Stage.PREREQ),
        CheckResult(
            "dns.aaaa:app.example.com",
            "AAAA record",
            Status.OK,
            message="app.example.com is 2001:db8::10",
            target="app.example.com:22",
            data={"note": HOSTILE},
            stage=Stage.DNS,
        ),
        CheckResult(
            "tcp:app.example.com:22",
            "TCP connection",
            primary_status,
            code="tcp-refused" if primary_status is Status.FAIL else None,
            message=f"refused by [2001:db8::10]:22 {HOSTILE}",
            hint="Start the service on the server.",
            target="app.example.com:22",
            stage=Stage.TCP,
            duration_ms=3.2,
        ),
        CheckResult(
            "route:app.example.com:22",
            "Route",
            Status.SKIP,
            blocked_by="tunnel",
            stage=Stage.ROUTE,
        ),
    ]
    verdict = EndpointVerdict(
        "app.example.com:22",
        primary_status,
        "tcp-refused" if primary_status is Status.FAIL else None,
        "2001:db8::10",
        4.25,
    )
    return Report.build(
        checks, [verdict], host_os="linux", os_version="Debian <12>", tool_version="0.1.0"
    )


def test_self_contained_and_printable() -> None:
    page = render_html(_report())

    assert page.startswith("<!DOCTYPE html>")
    assert "@media print" in page
    assert "<script" not in page
    assert not re.search(r"<[^>]*\b(src|href)\s*=", page, re.IGNORECASE)  # no loaded resource
    assert not re.search(r"@import|url\(", page, re.IGNORECASE)


def test_all_text_is_escaped() -> None:
    page = render_html(_report())

    assert HOSTILE not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &lt;img" in page
    assert "Debian &lt;12&gt;" in page


def test_primary_finding_and_hint_come_first() -> None:
    page = render_html(_report())

    primary = page.index('class="primary fail"')
    assert primary < page.index("<h2>Endpoints</h2>") < page.index("<h2>Checks</h2>")
    assert page.index("Next step: Start the service on the server.") < page.index("<h2>")
    assert "(<code>tcp-refused</code>)" in page[primary:]
    stages = [
        page.index(f"<h3>{t}</h3>") for t in ("Prerequisites", "DNS", "Route", "TCP connection")
    ]
    assert stages == sorted(stages)
    assert "Not run: blocked by <code>tunnel</code>" in page
    assert "<td>4.2 ms</td>" in page or "<td>4.3 ms</td>" in page


def test_ok_report_says_so() -> None:
    page = render_html(_report(Status.OK))

    assert 'class="primary ok"' in page
    assert "Everything checked is working." in page


def test_write_html(tmp_path: Path) -> None:
    report = _report()

    path = write_html(report, tmp_path / "r.html")

    assert path.read_text(encoding="utf-8") == render_html(report)
    assert list(tmp_path.iterdir()) == [path]


def test_write_html_to_missing_folder(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="cannot write the HTML report"):
        write_html(_report(), tmp_path / "missing" / "r.html")
