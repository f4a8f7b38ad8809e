"""Importing a ClientConfig: preview first, then the real install on a worker thread.

The install is the real ``execute_install`` into a temporary folder; only the
administrator prompt, which cannot exist here, is a fake that blocks until the
test answers it, as the OS prompt blocks until the user does.
"""

from __future__ import annotations

import dataclasses
import json
import threading
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QMimeData, QPointF, Qt, QTimer, QUrl
from PySide6.QtGui import QDropEvent, QFileOpenEvent
from PySide6.QtWidgets import QApplication

from tests.ui.conftest import EXAMPLE, UNPRIVILEGED, Recorder, make_status
from vaclient.config.elevation import DirectElevator
from vaclient.config.install import execute_install, plan_install
from vaclient.errors import ElevationCancelled
from vaclient.ui.app import TrayController
from vaclient.ui.import_dialog import ImportPreviewDialog


class BlockingElevator:
    """Stands in for the OS prompt: waits until the test answers it, then runs the helper.

    ``answer`` None runs the real helper (as if the user confirmed),
    ``"cancel"`` raises what a dismissed prompt raises, and an exit code
    returns it without running the helper (the prompt failed).
    """

    name = "blocking"

    def __init__(self) -> None:
        self.commands: list[list[str]] = []
        self.threads: list[threading.Thread] = []
        self.prompted = threading.Event()
        self.answered = threading.Event()
        self.answer: str | int | None = None

    def run(self, argv: Sequence[str]) -> int:
        self.commands.append(list(argv))
        self.threads.append(threading.current_thread())
        self.prompted.set()
        if not self.answered.wait(20):
            raise TimeoutError("the test never answered the prompt")
        if self.answer == "cancel":
            raise ElevationCancelled("the administrator prompt was dismissed")
        if isinstance(self.answer, int):
            return self.answer
        return DirectElevator().run(argv)

    def confirm(self, answer: str | int | None = None) -> None:
        self.answer = answer
        self.answered.set()


@pytest.fixture
def real_install(
    controller: TrayController, tmp_path: Path
) -> Iterator[tuple[Path, BlockingElevator]]:
    """The controller installs for real into a temporary folder, elevating via the fake."""
    folder = tmp_path / "Connectivity Client"
    elevator = BlockingElevator()
    controller.services.plan_install = lambda path: plan_install(
        path, folder, privileges=UNPRIVILEGED
    )
    controller.services.execute_install = lambda plan: execute_install(
        plan, elevator=elevator, privileges=UNPRIVILEGED
    )
    yield folder, elevator
    elevator.answered.set()  # never leave a pool thread waiting


def test_preview_lists_routes_and_masks_secrets(qtbot: Any, tmp_path: Path) -> None:
    plan = plan_install(EXAMPLE, tmp_path / "cfg")
    dialog = ImportPreviewDialog(plan)
    qtbot.addWidget(dialog)

    rows = [
        tuple(dialog.table.item(r, c).text() for c in range(3))
        for r in range(dialog.table.rowCount())
    ]
    assert ("route", "—", "2001:db8:1400::/57") in rows
    assert ("instance", "—", "vai-0123456789abcdef0") in rows
    assert "vai-0123456789abcdef0" in dialog.intro_label.text()
    assert str(tmp_path / "cfg" / EXAMPLE.name) in dialog.where_label.text()
    secret = json.loads(EXAMPLE.read_text())["OpenVpnConfigurations"][0]["Config"]
    shown = " ".join(" ".join(r) for r in rows) + dialog.intro_label.text()
    assert secret[:16] not in shown
    assert dialog.install_button.isEnabled()
    assert not dialog.busy_bar.isVisibleTo(dialog)


def _preview(qtbot: Any, controller: TrayController) -> ImportPreviewDialog:
    """Import the example from the menu; return the preview it opens."""
    controller.menu.aboutToShow.emit()
    controller.actions["import"].trigger()
    (dialog,) = [d for d in controller._dialogs if isinstance(d, ImportPreviewDialog)]
    qtbot.waitExposed(dialog)
    return dialog


def test_install_waits_for_the_prompt_on_a_worker_and_the_gui_keeps_running(
    qtbot: Any, controller: TrayController, real_install: tuple[Path, BlockingElevator]
) -> None:
    folder, elevator = real_install
    dialog = _preview(qtbot, controller)
    assert dialog.plan.destination == folder / EXAMPLE.name
    assert elevator.commands == []  # nothing happens before Install

    qtbot.mouseClick(dialog.install_button, Qt.MouseButton.LeftButton)
    assert elevator.prompted.wait(10)

    # The prompt is "open": the event loop still runs, the dialog is locked.
    ticks: list[int] = []
    timer = QTimer()
    timer.timeout.connect(lambda: ticks.append(1))
    timer.start(10)
    qtbot.waitUntil(lambda: len(ticks) >= 3, timeout=5000)
    timer.stop()
    assert elevator.threads[0] is not threading.main_thread()
    assert dialog.installing and dialog.busy_bar.isVisible() and dialog.busy_label.isVisible()
    assert "administrator prompt" in dialog.busy_label.text()
    assert not dialog.install_button.isEnabled() and not dialog.cancel_button.isEnabled()
    dialog.buttons.accepted.emit()  # Enter on the default button: not a second install
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)  # Escape does not abandon the install
    assert dialog.isVisible() and controller.installing is dialog
    assert not (folder / EXAMPLE.name).exists()

    polls = controller.services.quick_status
    polled: list[Any] = []
    controller.services.quick_status = lambda settings: polled.append(1) or polls(settings)
    elevator.confirm()
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=20000)

    assert len(elevator.commands) == 1
    assert (folder / EXAMPLE.name).read_bytes() == EXAMPLE.read_bytes()
    title, text = controller.messages[-1]
    assert title == "Configuration installed"
    assert f"Installed as {folder / EXAMPLE.name}." in text
    assert "kept as" not in text  # a fresh install replaced nothing
    assert controller.installing is None and dialog.result() == dialog.DialogCode.Accepted
    qtbot.waitUntil(lambda: bool(polled), timeout=5000)  # the status is refreshed


def test_replacing_a_configuration_names_the_backup_and_asks_for_a_restart(
    qtbot: Any,
    controller: TrayController,
    real_install: tuple[Path, BlockingElevator],
    tmp_path: Path,
) -> None:
    folder, elevator = real_install
    older = tmp_path / EXAMPLE.name
    older.write_text(json.dumps(json.loads(EXAMPLE.read_text()), indent=4), encoding="utf-8")
    execute_install(plan_install(older, folder), elevator=DirectElevator())
    with qtbot.waitSignal(controller.monitor.status_updated, timeout=5000):
        controller.monitor.poll_now()
    assert controller.monitor.status is not None and controller.monitor.status.client.running

    dialog = _preview(qtbot, controller)
    assert "a backup is kept" in dialog.where_label.text()
    dialog.install_button.click()
    elevator.confirm()
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=20000)

    title, text = controller.messages[-1]
    assert title == "Configuration installed"
    (backup,) = (folder / ".backup").iterdir()
    assert backup.read_bytes() == older.read_bytes()
    assert f"The file it replaced was kept as {backup}." in text
    assert "The Connectivity Client is running" in text and "start it again" in text


@pytest.mark.parametrize(
    ("running", "advice"),
    [
        (False, "Start the Connectivity Client to use it."),
        (None, "If the Connectivity Client is running, quit it and start it again"),
    ],
)
def test_restart_advice_follows_the_client_state(
    qtbot: Any,
    controller: TrayController,
    recorder: Recorder,
    running: bool | None,
    advice: str,
) -> None:
    status = make_status()
    recorder.status = dataclasses.replace(
        status, client=dataclasses.replace(status.client, running=running)
    )
    with qtbot.waitSignal(controller.monitor.status_updated, timeout=5000):
        controller.monitor.poll_now()
    dialog = _preview(qtbot, controller)
    dialog.install_button.click()
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=5000)
    assert "execute_install" in recorder.names()
    assert advice in controller.messages[-1][1]


def test_dismissed_prompt_is_a_calm_note_and_install_can_be_tried_again(
    qtbot: Any, controller: TrayController, real_install: tuple[Path, BlockingElevator]
) -> None:
    folder, elevator = real_install
    dialog = _preview(qtbot, controller)
    dialog.install_button.click()
    assert elevator.prompted.wait(10)
    elevator.confirm("cancel")
    qtbot.waitUntil(lambda: not dialog.installing, timeout=10000)

    assert controller.messages == []  # no error box
    assert dialog.isVisible() and dialog.note_label.isVisible()
    assert dialog.note_label.text() == (
        "Cancelled at the administrator prompt; nothing was changed."
    )
    assert not dialog.busy_bar.isVisible()
    assert dialog.install_button.isEnabled() and dialog.cancel_button.isEnabled()
    assert not (folder / EXAMPLE.name).exists()

    elevator.answered.clear()
    dialog.install_button.click()
    assert not dialog.note_label.isVisible()
    elevator.confirm()
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=20000)
    assert (folder / EXAMPLE.name).read_bytes() == EXAMPLE.read_bytes()
    assert len(elevator.commands) == 2


def test_failed_install_shows_message_and_hint(
    qtbot: Any, controller: TrayController, real_install: tuple[Path, BlockingElevator]
) -> None:
    folder, elevator = real_install
    dialog = _preview(qtbot, controller)
    dialog.install_button.click()
    elevator.confirm(1)  # the prompt ended without running the helper
    qtbot.waitUntil(lambda: bool(controller.messages), timeout=10000)

    title, text = controller.messages[-1]
    assert title == f"Cannot import {EXAMPLE.name}"
    assert "the elevated helper ended with code 1 and left no result" in text
    assert "Run again with -vv" in text  # the hint
    assert dialog.isVisible() and not dialog.installing
    assert dialog.install_button.isEnabled()
    assert not (folder / EXAMPLE.name).exists()


def test_unexpected_install_error_is_shown_not_raised(
    qtbot: Any, controller: TrayController
) -> None:
    def broken(plan: Any) -> Any:
        raise OSError("disk full")

    controller.services.execute_install = broken
    dialog = _preview(qtbot, controller)
    dialog.install_button.click()
    qtbot.waitUntil(lambda: bool(controller.messages), timeout=5000)
    assert controller.messages[-1] == (f"Cannot import {EXAMPLE.name}", "disk full")
    assert dialog.isVisible() and dialog.install_button.isEnabled()


def test_one_install_at_a_time(
    qtbot: Any, controller: TrayController, real_install: tuple[Path, BlockingElevator]
) -> None:
    _folder, elevator = real_install
    first = controller.import_file(EXAMPLE)
    second = controller.import_file(EXAMPLE)
    assert first is not None and second is not None
    first.install_button.click()
    assert elevator.prompted.wait(10)
    second.install_button.click()
    assert not second.installing and second.install_button.isEnabled()
    assert "Another configuration is being installed" in second.note_label.text()
    elevator.confirm()
    qtbot.waitUntil(lambda: not first.isVisible(), timeout=20000)
    assert len(elevator.commands) == 1
    second.reject()


def test_cancelled_preview_installs_nothing(
    qtbot: Any, controller: TrayController, real_install: tuple[Path, BlockingElevator]
) -> None:
    folder, elevator = real_install
    dialog = _preview(qtbot, controller)
    dialog.cancel_button.click()
    assert not dialog.isVisible() and dialog not in controller._dialogs
    assert not (folder / EXAMPLE.name).exists()
    assert elevator.commands == []


def test_invalid_file_is_reported_not_installed(
    controller: TrayController, real_install: tuple[Path, BlockingElevator], tmp_path: Path
) -> None:
    bad = tmp_path / "ClientConfig-vai-0123456789abcdef0.json"
    bad.write_text('{"Version": "1.0", "Region": 5}')
    assert controller.import_file(bad) is None
    title, text = controller.messages[-1]
    assert title == f"Cannot import {bad.name}"
    assert "VerifiedAccessInstanceId" in text or "Region" in text
    assert real_install[1].commands == []


def test_drop_on_the_window_imports(windowed: TrayController, tmp_path: Path, qtbot: Any) -> None:
    imported: list[Path] = []
    windowed.import_file = imported.append  # type: ignore[method-assign]
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(EXAMPLE))])
    event = QDropEvent(
        QPointF(10, 10),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    assert windowed.window is not None
    windowed.window.dropEvent(event)
    assert imported == [EXAMPLE]


def test_file_open_event_and_command_line_path_import(controller: TrayController) -> None:
    imported: list[Path] = []
    controller.import_file = imported.append  # type: ignore[method-assign]
    app = QApplication.instance()
    assert app is not None
    app.installEventFilter(controller)
    try:
        QApplication.sendEvent(app, QFileOpenEvent(str(EXAMPLE)))
    finally:
        app.removeEventFilter(controller)
    controller.handle_arguments(["--ignored", str(EXAMPLE)])
    assert imported == [EXAMPLE, EXAMPLE]
