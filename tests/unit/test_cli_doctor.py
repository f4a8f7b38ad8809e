"""``vaclient doctor`` end to end through the CLI, with exact output."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

import vaclient.platforms
from tests.unit.test_checks_doctor import FakePlatform, write_config
from vaclient.checks import prereq
from vaclient.cli import main
from vaclient.platforms.base import Probe


@pytest.fixture(autouse=True)
def fake_os(monkeypatch: pytest.MonkeyPatch) -> FakePlatform:
    """The OS boundary: a fixed Linux-like machine with tun0 up; IPv6 sockets work."""
    platform = FakePlatform()
    monkeypatch.setattr(vaclient.platforms, "get_platform", lambda: platform)
    monkeypatch.setattr(prereq, "probe_ipv6_socket", lambda: Probe(True, "bound ::1"))
    return platform


def run_cli(*argv: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(["--no-log-file", "doctor", "--no-settings", *argv])
    out, err = capsys.readouterr()
    return code, out, err


CONFIG_MISSING_HINT = (
    "Ask your administrator for the ClientConfig-vai-....json file and install it with "
    "'vaclient config install FILE'."
)
NO_CLIENT = "not checked: the Connectivity Client exists only for Windows and macOS"
NO_CONFIG_TEXT = """\
FAIL  config-missing: no ClientConfig is installed in {dir}
      hint: {hint}

Prerequisites
  ok    IPv6 enabled                       IPv6 is enabled
  ok    IPv6 socket                        bound ::1
  skip  Connectivity Client installed      {no_client}
  skip  Connectivity Client version        {no_client}
  skip  Connectivity Client running        {no_client}
  skip  No conflicting VPN client          {no_client}
  skip  WebView2 Runtime                   {no_client}
  skip  TPM ready                          {no_client}

Configuration
  FAIL  ClientConfig present               [config-missing] no ClientConfig is installed in {dir}

Tunnel
  ok    Tunnel interface up                tun0 is up (no ClientConfig route on it)

Result: fail (X s)
"""


def test_no_config_text_report(tmp_path: Path, capsys) -> None:
    folder = tmp_path / "empty"

    code, out, err = run_cli("--config-dir", str(folder), capsys=capsys)

    assert code == 1
    assert err == ""
    expected = NO_CONFIG_TEXT.format(dir=folder, hint=CONFIG_MISSING_HINT, no_client=NO_CLIENT)
    assert re.sub(r"\((\d+\.\d s|\d+ ms)\)", "(X s)", out) == expected


def test_no_config_json_report(tmp_path: Path, capsys) -> None:
    code, out, _ = run_cli("--config-dir", str(tmp_path), "--json", capsys=capsys)

    doc = json.loads(out)
    assert code == 1
    assert doc["summary"]["status"] == "fail"
    assert doc["summary"]["primary"] == {
        "check": "config.present",
        "code": "config-missing",
        "message": f"no ClientConfig is installed in {tmp_path}",
        "hint": CONFIG_MISSING_HINT,
    }
    assert doc["endpoints"] == []


def test_healthy_config_exits_zero(tmp_path: Path, capsys) -> None:
    write_config(tmp_path, "2001:db8:10::/48")

    code, out, _ = run_cli("--config-dir", str(tmp_path), "--json", capsys=capsys)

    doc = json.loads(out)
    assert code == 0, doc["summary"]
    assert doc["summary"] == {
        "status": "ok",
        "primary": None,
        "duration_ms": doc["summary"]["duration_ms"],
    }


def test_explicit_config_file(tmp_path: Path, capsys) -> None:
    path = write_config(tmp_path / "downloads", "2001:db8:10::/48")

    code, out, _ = run_cli(
        "--config", str(path), "--config-dir", str(tmp_path / "none"), "--json", capsys=capsys
    )

    ids = [c["id"] for c in json.loads(out)["checks"]]
    assert code == 0
    assert f"config.valid:{path.name}" in ids
    assert f"config.permissions:{path.name}" not in ids  # not an installed file


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (
            ["--endpoint", "app.example.com"],
            "error: endpoint 'app.example.com': expected HOST:PORT with a port from 1 to 65535\n"
            "hint: Write it like app.example.com:22 (or [2001:db8::10]:22 for an address).\n",
        ),
        (
            ["--endpoint", "app.example.com:70000"],
            "error: endpoint 'app.example.com:70000': expected HOST:PORT with a port from 1 "
            "to 65535\n"
            "hint: Write it like app.example.com:22 (or [2001:db8::10]:22 for an address).\n",
        ),
        (
            ["--config", "no-such-ClientConfig.json"],
            "error: --config no-such-ClientConfig.json: no such file\n"
            "hint: Give the path of an exported ClientConfig-vai-....json file.\n",
        ),
        (
            ["--nameserver", "dns.example.com"],
            "error: nameserver 'dns.example.com' is not an IP address with an optional port "
            "('dns.example.com' does not appear to be an IPv4 or IPv6 address)\n"
            "hint: Write it like 192.0.2.53, 127.0.0.1:5353 or [2001:db8::53]:53.\n",
        ),
    ],
)
def test_bad_input_exits_2_with_message(argv: list[str], message: str, capsys) -> None:
    code, out, err = run_cli(*argv, capsys=capsys)

    assert (code, out, err) == (2, "", message)


def test_bad_timeout_is_a_usage_error(capsys) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["--no-log-file", "doctor", "--timeout", "0"])

    assert exit_info.value.code == 2
    assert "--timeout: '0': give a positive number of seconds" in capsys.readouterr().err


def test_broken_settings_file_is_exit_2(tmp_path: Path, capsys, monkeypatch) -> None:
    settings = tmp_path / "settings"
    settings.mkdir()
    (settings / "settings.json").write_text("{not json", encoding="utf-8")
    monkeypatch.setenv("VACLIENT_SETTINGS_DIR", str(settings))

    code = main(["--no-log-file", "doctor", "--config-dir", str(tmp_path)])
    err = capsys.readouterr().err

    assert code == 2
    assert err.startswith(
        f"error: {settings / 'settings.json'}: the settings file is not valid JSON"
    )


def test_html_report_is_written_next_to_the_text(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    page = tmp_path / "report.html"
    code, out, _ = run_cli("--html", str(page), capsys=capsys)

    assert code == 1
    assert out.startswith("FAIL  config-missing")
    html = page.read_text(encoding="utf-8")
    assert html.lstrip().lower().startswith("<!doctype html>")
    assert "config-missing" in html
    assert "<script" not in html.lower()
