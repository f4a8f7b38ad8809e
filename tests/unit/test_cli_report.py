"""vaclient report show/html/view on saved reports."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from vaclient.checks.model import CheckResult, Report, Stage, Status
from vaclient.cli import main


def _saved(tmp_path: Path) -> Path:
    report = Report.build(
        [
            CheckResult(
                "tunnel",
                "Tunnel interface",
                Status.FAIL,
                code="tunnel-down",
                message="no tunnel interface is up",
                hint="Sign in to the client.",
                stage=Stage.TUNNEL,
            )
        ],
        host_os="windows",
        os_version="10",
        tool_version="0.1.0",
    )
    path = tmp_path / "report.json"
    path.write_text(json.dumps(report.to_dict()), encoding="utf-8")
    return path


def test_show_text(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["--no-log-file", "report", "show", str(_saved(tmp_path))])

    out = capsys.readouterr().out
    assert code == 0
    assert "tunnel-down: no tunnel interface is up" in out
    assert "hint: Sign in to the client." in out


def test_show_json_round_trips(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = _saved(tmp_path)

    code = main(["--no-log-file", "report", "show", str(path), "--json"])

    assert code == 0
    assert json.loads(capsys.readouterr().out) == json.loads(path.read_text())


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("not json at all", "not a vaclient report (not JSON: line 1)"),
        ('{"Version": "1.0"}', "not a vaclient report (schema None"),
        ("[1, 2]", "not a vaclient report (schema None"),
    ],
)
def test_show_refuses_other_files(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: str, expected: str
) -> None:
    path = tmp_path / "other.json"
    path.write_text(content, encoding="utf-8")

    code = main(["--no-log-file", "report", "show", str(path)])

    err = capsys.readouterr().err
    assert code == 2
    assert expected in err
    assert "hint: Give a file written by 'vaclient doctor --json > FILE'" in err
    assert "Traceback" not in err


def test_show_missing_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--no-log-file", "report", "show", str(tmp_path / "nope.json")]) == 2
    assert "no such file" in capsys.readouterr().err


def test_html_from_saved(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = _saved(tmp_path)

    code = main(["--no-log-file", "report", "html", str(path)])

    page = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert code == 0
    assert capsys.readouterr().out.strip() == str(tmp_path / "report.html")
    assert "no tunnel interface is up" in page


def test_view_uses_the_diagnostics_window(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    shown: list[tuple[Report, str]] = []
    import vaclient.ui.diagnostics as diagnostics

    def fake_window(report: Report, title: str = "") -> int:
        shown.append((report, title))
        return 0

    monkeypatch.setattr(diagnostics, "show_report_window", fake_window)
    saved = _saved(tmp_path)

    code = main(["--no-log-file", "report", "view", str(saved)])

    assert code == 0
    assert [(r.primary.code if r.primary else None, t) for r, t in shown] == [
        ("tunnel-down", saved.name)
    ]


def test_view_without_the_window_gives_a_hint(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import sys

    monkeypatch.setitem(sys.modules, "vaclient.ui.diagnostics", None)

    code = main(["--no-log-file", "report", "view", str(_saved(tmp_path))])

    err = capsys.readouterr().err
    assert code == 2
    assert "hint: Use 'vaclient report show" in err
