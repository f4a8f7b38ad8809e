"""The text renderer: primary first, grouped lines, colour only on a terminal."""

from __future__ import annotations

import datetime as dt
import io

from vaclient.checks.model import CheckResult, EndpointVerdict, Report, Stage, Status
from vaclient.report import json_report, text

NOW = dt.datetime(2026, 12, 3, 12, 0, tzinfo=dt.timezone.utc)


def _report() -> Report:
    checks = [
        CheckResult("ipv6.config", "IPv6 enabled", Status.OK, message="IPv6 is enabled"),
        CheckResult(
            "tunnel.interface",
            "Tunnel interface up",
            Status.FAIL,
            code="tunnel-down",
            message="no tunnel interface exists",
            hint="Open the Connectivity Client and sign in.",
            stage=Stage.TUNNEL,
        ),
        CheckResult(
            "dns.aaaa:app.example.com",
            "AAAA record",
            Status.OK,
            message="app.example.com has AAAA 2001:db8::10",
            target="app.example.com:22",
            stage=Stage.DNS,
        ),
        CheckResult(
            "tcp.connect:app.example.com:22",
            "TCP connection",
            Status.SKIP,
            message="not run",
            target="app.example.com:22",
            blocked_by="tunnel.interface",
            stage=Stage.TCP,
        ),
    ]
    verdicts = [EndpointVerdict("app.example.com:22", Status.SKIP, None, "2001:db8::10")]
    return Report.build(
        checks,
        verdicts,
        host_os="linux",
        os_version="x",
        tool_version="0.1.0",
        duration_ms=1234.0,
        now=NOW,
    )


EXPECTED = """\
FAIL  tunnel-down: no tunnel interface exists
      hint: Open the Connectivity Client and sign in.

Prerequisites
  ok    IPv6 enabled                       IPv6 is enabled

Tunnel
  FAIL  Tunnel interface up                [tunnel-down] no tunnel interface exists

Endpoint app.example.com:22: skip (2001:db8::10)
  ok    AAAA record                        app.example.com has AAAA 2001:db8::10
  skip  TCP connection                     not run (blocked by tunnel.interface)

Result: fail (1.2 s)
"""


def test_render_plain() -> None:
    assert text.render(_report()) == EXPECTED


def test_render_all_ok_says_so() -> None:
    report = Report.build(
        [CheckResult("ipv6.config", "IPv6 enabled", Status.OK, message="on")],
        host_os="linux",
        os_version="x",
        tool_version="0.1.0",
        now=NOW,
    )

    assert text.render(report).splitlines()[0] == "ok    everything checked is fine"


def test_colour_only_on_a_tty_without_no_color() -> None:
    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True

    assert text.want_colour(Tty(), {}) is True
    assert text.want_colour(Tty(), {"NO_COLOR": "1"}) is False
    assert text.want_colour(io.StringIO(), {}) is False


def test_write_uses_colour_codes_on_a_tty(monkeypatch) -> None:
    monkeypatch.delenv("NO_COLOR", raising=False)

    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True

    stream = Tty()
    text.write(_report(), stream)

    assert "\x1b[31;1mFAIL \x1b[0m tunnel-down" in stream.getvalue()
    assert "\x1b" not in text.render(_report())


def test_json_report_round_trips() -> None:
    import json

    from vaclient.checks.model import Report as R

    doc = json.loads(json_report.dumps(_report()))

    assert doc["summary"]["primary"]["code"] == "tunnel-down"
    assert R.from_dict(doc).to_dict() == doc
