"""The diagnostics window renders a report: statuses, hints, fix buttons, copy and save."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication

from tests.ui.conftest import Recorder, make_report, make_status
from vaclient.checks.model import CheckResult, Report, Stage, Status
from vaclient.ui.app import TrayController
from vaclient.ui.diagnostics import DiagnosticsWindow, summary_text
from vaclient.ui.import_dialog import ImportPreviewDialog
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


def test_fix_actions_reach_the_os_boundary(
    qtbot: Any, controller: TrayController, recorder: Recorder
) -> None:
    controller.fix("open-webview2")
    controller.fix("ipv6-settings")
    assert recorder.calls[0] == ("open_url", (WEBVIEW2_URL,))
    assert recorder.calls[1] == ("open_ipv6_settings", ())
    recorder.status = make_status(up=False)
    controller.fix("start-client")
    qtbot.waitUntil(lambda: controller.monitor.connecting, timeout=5000)
    assert recorder.calls[2][0] == "launch_client"


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
    assert recorder.names() == ["plan_install"]
    previews = [d for d in controller._dialogs if isinstance(d, ImportPreviewDialog)]
    assert len(previews) == 1 and previews[0].isVisible()
    previews[0].reject()


def test_tab_reaches_fix_buttons_before_the_bottom_buttons(qtbot: Any) -> None:
    window = _window(qtbot, make_report(failing=True))
    window.show()
    qtbot.waitExposed(window)
    fix = window.rows[1].fix_button
    assert fix is not None
    order: list[Any] = []
    widget = fix
    for _ in range(50):
        if widget.isEnabled() and widget.focusPolicy() & Qt.FocusPolicy.TabFocus:
            order.append(widget)
        widget = widget.nextInFocusChain()
        if widget is fix:
            break
    buttons = [window.rerun_button, window.copy_button, window.save_button, window.close_button]
    positions = [order.index(b) for b in buttons]
    assert order[0] is fix and positions == sorted(positions) and positions[0] == 1


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
