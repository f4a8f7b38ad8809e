"""The diagnostics window renders a report: statuses, hints, fix buttons, copy and save."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication

from tests.ui.conftest import Recorder, make_report
from vaclient.checks.model import CheckResult, Report, Stage, Status
from vaclient.ui.app import TrayController
from vaclient.ui.diagnostics import DiagnosticsWindow, summary_text
from vaclient.ui.services import WEBVIEW2_URL


def _window(qtbot: Any, report: Report) -> DiagnosticsWindow:
    window = DiagnosticsWindow()
    qtbot.addWidget(window)
    window.show_report(report)
    return window


def test_every_check_is_shown_with_message_hint_and_fix(qtbot: Any) -> None:
    window = _window(qtbot, make_report(failing=True))

    assert [r.check.id for r in window.rows] == [
        "prereq.ipv6",
        "prereq.webview2",
        "tcp.connect:db.example.com:5432",
    ]
    ok, webview, tcp = window.rows
    assert ok.hint_label is None and ok.fix_button is None
    assert webview.message_label.text() == "The WebView2 Runtime is not installed"
    assert webview.hint_label is not None
    assert webview.hint_label.text().endswith(
        "Install the Microsoft Edge WebView2 Runtime (Evergreen)."
    )
    assert webview.fix_button is not None
    assert webview.fix_button.text() == "Open the WebView2 download page"
    assert tcp.fix_button is None  # no automatic fix for a timeout, only the hint
    assert "A problem was found." in window.summary_label.text()
    assert "WebView2 Runtime is not installed" in window.summary_label.text()


def test_saved_report_is_read_only(qtbot: Any) -> None:
    window = DiagnosticsWindow()
    qtbot.addWidget(window)
    window.show_report(make_report(failing=True), fixable=False)

    assert [r.fix_button for r in window.rows] == [None, None, None]
    assert window.rows[1].hint_label is not None  # the hint is still shown
    assert not window.rerun_button.isEnabled()
    assert window.copy_button.isEnabled()


def test_fix_button_emits_its_action(qtbot: Any) -> None:
    window = _window(qtbot, make_report(failing=True))
    button = window.rows[1].fix_button
    assert button is not None
    with qtbot.waitSignal(window.fix_requested) as signal:
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert signal.args == ["open-webview2"]


def test_fix_actions_reach_the_os_boundary(controller: TrayController, recorder: Recorder) -> None:
    controller.fix("open-webview2")
    controller.fix("ipv6-settings")
    controller.fix("start-client")
    assert recorder.calls[0] == ("open_url", (WEBVIEW2_URL,))
    assert recorder.calls[1] == ("open_ipv6_settings", ())
    assert recorder.calls[2][0] == "launch_client"
    assert controller.monitor.connecting


def test_import_fix_for_a_missing_configuration(
    qtbot: Any, controller: TrayController, recorder: Recorder
) -> None:
    report = Report.build(
        [
            CheckResult(
                "config.installed",
                "ClientConfig installed",
                Status.FAIL,
                code="config-missing",
                message="No ClientConfig file in /cfg",
                hint="Install it with 'vaclient config install FILE'.",
                stage=Stage.CONFIG,
            )
        ],
        host_os="windows",
        os_version="10",
        tool_version="0.1.0",
    )
    controller.diagnostics.show_report(report)
    button = controller.diagnostics.rows[0].fix_button
    assert button is not None and button.text() == "Import a configuration…"
    button.click()
    assert recorder.names()[:2] == ["plan_install", "execute_install"]


def test_copy_and_save(qtbot: Any, tmp_path: Path) -> None:
    report = make_report(failing=True)
    window = _window(qtbot, report)

    text = window.copy_summary()
    assert QGuiApplication.clipboard().text() == text
    assert text == summary_text(report)
    assert "primary: [webview2-missing] The WebView2 Runtime is not installed" in text
    assert "endpoint db.example.com:5432: fail [tcp-timeout]" in text

    target = tmp_path / "report.json"
    window.save_report(target)
    saved = json.loads(target.read_text(encoding="utf-8"))
    assert saved["schema"] == "vaclient.report/1"
    assert Report.from_dict(saved).primary == report.primary


def test_rerun_asks_the_controller(qtbot: Any) -> None:
    window = _window(qtbot, make_report(failing=False))
    assert "Everything checked is fine." in window.summary_label.text()
    with qtbot.waitSignal(window.rerun_requested):
        window.rerun_button.click()
    assert not window.rerun_button.isEnabled()
