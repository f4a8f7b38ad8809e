"""The tray: state -> icon and tooltip, and what each menu entry does."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication

from tests.ui.conftest import Recorder, make_report, make_status
from vaclient.paths import log_dir
from vaclient.ui.app import TrayController
from vaclient.ui.icons import icon_path, state_icon
from vaclient.ui.import_dialog import ImportPreviewDialog
from vaclient.ui.settings_dialog import SettingsDialog
from vaclient.ui.state import TrayState, derive_state


@pytest.mark.parametrize(
    ("status", "report", "connecting", "expected"),
    [
        (make_status(configured=False), None, False, TrayState.NOT_CONFIGURED),
        (make_status(up=False), None, False, TrayState.SIGNED_OUT),
        (make_status(up=False), None, True, TrayState.CONNECTING),
        (make_status(), make_report(failing=False), False, TrayState.CONNECTED),
        (make_status(), make_report(failing=True), False, TrayState.DEGRADED),
        (make_status(routes_ok=False), None, False, TrayState.ERROR),
    ],
)
def test_derive_state(status: Any, report: Any, connecting: bool, expected: TrayState) -> None:
    assert derive_state(status, report, connecting=connecting).state is expected


def test_poll_error_is_an_error_state_with_the_message() -> None:
    view = derive_state(make_status(), None, error="cannot read the route table")
    assert view.state is TrayState.ERROR
    assert view.tooltip == "vaclient: Problem found\ncannot read the route table"


def test_every_state_has_a_colour_and_a_template_icon(qapp: QApplication) -> None:
    for state in TrayState:
        for template in (False, True):
            assert Path(icon_path(state, template)).is_file()
            icon = state_icon(state, template)
            assert not icon.isNull()
            assert icon.isMask() is template


@pytest.mark.parametrize(
    ("status", "report", "state", "words"),
    [
        (make_status(), make_report(failing=False), TrayState.CONNECTED, "Connected"),
        (
            make_status(),
            make_report(failing=True),
            TrayState.DEGRADED,
            "Connected, some endpoints fail",
        ),
        (make_status(up=False), None, TrayState.SIGNED_OUT, "Signed out (tunnel down)"),
    ],
)
def test_icon_and_tooltip_follow_the_state(
    qtbot: Any,
    controller: TrayController,
    recorder: Recorder,
    status: Any,
    report: Any,
    state: TrayState,
    words: str,
) -> None:
    recorder.status, recorder.report = status, report or make_report(failing=False)
    with qtbot.waitSignal(controller.monitor.report_updated, timeout=5000):
        controller.monitor.check_now()
    with qtbot.waitSignal(controller.monitor.view_updated, timeout=5000):
        controller.monitor.poll_now()

    assert controller.tray is not None
    assert controller.tray.toolTip().splitlines()[0] == f"vaclient: {words}"
    assert controller.tray.icon().cacheKey() == state_icon(state).cacheKey()
    if state is TrayState.DEGRADED:
        assert "db.example.com:5432" in controller.tray.toolTip()


def _menu_texts(controller: TrayController) -> list[str]:
    controller.menu.aboutToShow.emit()
    return [a.text() for a in controller.menu.actions() if not a.isSeparator()]


def test_menu_is_rebuilt_for_the_state(
    qtbot: Any, controller: TrayController, recorder: Recorder
) -> None:
    texts = _menu_texts(controller)
    assert texts[1:] == [
        "&Sign in",
        "&Run diagnostics",
        "&Import configuration…",
        "&Endpoints…",
        "&Copy diagnostic summary",
        "Make support &bundle…",
        "Open &log folder",
        "Se&ttings…",
        "&About vaclient",
        "&Quit",
    ]
    assert not controller.actions["state"].isEnabled()

    recorder.report = make_report(failing=False)
    with qtbot.waitSignal(controller.monitor.report_updated, timeout=5000):
        controller.monitor.check_now()
    with qtbot.waitSignal(controller.monitor.state_changed, timeout=5000):
        controller.monitor.poll_now()
    texts = _menu_texts(controller)
    assert texts[:2] == ["Connected", "&Open Connectivity Client"]


def test_menu_accelerators_are_unique(qtbot: Any, controller: TrayController) -> None:
    keys = [text[text.index("&") + 1].lower() for text in _menu_texts(controller) if "&" in text]
    assert len(keys) == 10 and len(set(keys)) == len(keys)


def test_sign_in_launches_the_client_and_shows_connecting(
    qtbot: Any, controller: TrayController, recorder: Recorder
) -> None:
    recorder.status = make_status(up=False)
    controller.actions["sign_in"].trigger()
    qtbot.waitUntil(lambda: controller.monitor.connecting, timeout=5000)
    assert recorder.names()[0] == "launch_client"
    qtbot.waitUntil(lambda: controller.view.state is TrayState.CONNECTING, timeout=5000)

    recorder.status = make_status()
    with qtbot.waitSignal(controller.monitor.state_changed, timeout=5000):
        controller.monitor.poll_now()
    assert not controller.monitor.connecting


def test_run_diagnostics_shows_the_window_with_the_report(
    qtbot: Any, controller: TrayController, recorder: Recorder
) -> None:
    controller.actions["diagnostics"].trigger()
    assert controller.diagnostics.isVisible()
    qtbot.waitUntil(lambda: controller.diagnostics.report is not None, timeout=5000)
    assert "run_doctor" in recorder.names()
    assert len(controller.diagnostics.rows) == 3


def test_import_asks_for_a_file_and_plans_it(
    qtbot: Any, controller: TrayController, recorder: Recorder
) -> None:
    controller.actions["import"].trigger()
    assert recorder.names() == ["plan_install"]
    assert recorder.calls[0][1][0].name == "ClientConfig-vai-0123456789abcdef0.json"
    (preview,) = [d for d in controller._dialogs if isinstance(d, ImportPreviewDialog)]
    preview.install_button.click()
    qtbot.waitUntil(lambda: "execute_install" in recorder.names(), timeout=5000)


def test_endpoints_and_settings_open_the_dialog(controller: TrayController) -> None:
    controller.actions["endpoints"].trigger()
    dialogs = [d for d in controller._dialogs if isinstance(d, SettingsDialog)]
    assert len(dialogs) == 1 and dialogs[0].tabs.currentIndex() == 0
    assert dialogs[0].endpoints.item(0, 1).text() == "db.example.com"
    dialogs[0].reject()
    controller.actions["settings"].trigger()
    dialogs = [d for d in controller._dialogs if isinstance(d, SettingsDialog)]
    assert dialogs[-1].tabs.currentIndex() == 1
    dialogs[-1].reject()


def test_copy_summary_has_no_secrets(
    qtbot: Any, controller: TrayController, recorder: Recorder
) -> None:
    with qtbot.waitSignal(controller.monitor.report_updated, timeout=5000):
        controller.monitor.check_now()
    controller.actions["copy"].trigger()
    text = QGuiApplication.clipboard().text()
    assert "tcp-timeout" in text and "db.example.com:5432" in text
    example = Path(__file__).parents[2] / "resources/examples"
    raw = next(example.glob("ClientConfig-*.json")).read_text()
    assert "Config" in raw and '"Config"' not in text


def test_open_log_folder_and_about(controller: TrayController, recorder: Recorder) -> None:
    controller.actions["logs"].trigger()
    assert recorder.calls[-1] == ("open_folder", (log_dir(),))
    controller.actions["about"].trigger()
    assert controller.messages[-1][0] == "About vaclient"
    assert "0.1.0" in controller.messages[-1][1]


def test_quit_stops_the_monitor_and_leaves_the_loop(
    controller: TrayController, monkeypatch: pytest.MonkeyPatch
) -> None:
    quits: list[bool] = []
    monkeypatch.setattr(QApplication, "quit", lambda *_a: quits.append(True))
    controller.start_monitor()
    assert controller.monitor.poll_timer.isActive()
    controller.actions["quit"].trigger()
    assert quits == [True]
    assert not controller.monitor.poll_timer.isActive()
    assert not controller.monitor.check_timer.isActive()


def test_launch_failure_is_shown(qtbot: Any, controller: TrayController) -> None:
    from vaclient.errors import PlatformUnsupported

    def fail(settings: Any) -> None:
        raise PlatformUnsupported("The Connectivity Client exists only for Windows and macOS.")

    controller.services.launch_client = fail
    controller.actions["sign_in"].trigger()
    qtbot.waitUntil(lambda: bool(controller.messages), timeout=5000)
    title, text = controller.messages[-1]
    assert title == "Cannot start the Connectivity Client"
    assert text == "The Connectivity Client exists only for Windows and macOS."
    assert not controller.monitor.connecting


def test_launching_the_client_does_not_hold_the_gui_thread(
    qtbot: Any, controller: TrayController, recorder: Recorder
) -> None:
    recorder.status = make_status(up=False)
    threads: list[threading.Thread] = []
    release = threading.Event()

    def slow_launch(settings: Any) -> None:
        threads.append(threading.current_thread())
        assert release.wait(10)

    controller.services.launch_client = slow_launch
    controller.actions["sign_in"].trigger()
    qtbot.waitUntil(lambda: bool(threads), timeout=5000)
    assert threads[0] is not threading.main_thread()
    assert not controller.monitor.connecting  # not before the client was started
    release.set()
    qtbot.waitUntil(lambda: controller.monitor.connecting, timeout=5000)


def test_without_a_tray_a_window_has_the_same_actions(
    qtbot: Any, windowed: TrayController, recorder: Recorder
) -> None:
    assert windowed.tray is None and windowed.window is not None
    # Every diagnosis from now on passes, including the one show() starts, so
    # the outcome does not depend on which run finishes first.
    recorder.report = make_report(failing=False)
    windowed.show()
    assert windowed.window.isVisible()
    names = [b.accessibleName() for b in windowed.window.buttons]
    assert names[:3] == ["Sign in", "Run diagnostics", "Import configuration…"]
    windowed.window.buttons[0].click()
    qtbot.waitUntil(lambda: "launch_client" in recorder.names(), timeout=5000)

    with qtbot.waitSignal(windowed.monitor.report_updated, timeout=5000):
        windowed.monitor.check_now()
    windowed.monitor.poll_now()
    qtbot.waitUntil(lambda: windowed.view.state is TrayState.CONNECTED, timeout=5000)
    names = [b.accessibleName() for b in windowed.window.buttons]
    assert len(names) == 10 and names[0] == "Open Connectivity Client"
    assert windowed.window.state_label.text() == "<b>Connected</b>"
