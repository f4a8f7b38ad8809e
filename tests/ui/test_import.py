"""Importing a ClientConfig: preview first, then the real install with a fake elevator."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent, QFileOpenEvent
from PySide6.QtWidgets import QApplication

from tests.ui.conftest import EXAMPLE
from vaclient.config.elevation import DirectElevator
from vaclient.config.install import execute_install, plan_install
from vaclient.config.safety import Privileges
from vaclient.ui.app import TrayController
from vaclient.ui.import_dialog import ImportPreviewDialog


class RecordingElevator:
    """Stands in for the OS prompt: records the command, then runs the real helper."""

    name = "recording"

    def __init__(self) -> None:
        self.commands: list[list[str]] = []

    def run(self, argv: Sequence[str]) -> int:
        self.commands.append(list(argv))
        return DirectElevator().run(argv)


UNPRIVILEGED = Privileges(is_privileged=lambda: False, can_write=lambda path: False)


@pytest.fixture
def real_install(controller: TrayController, tmp_path: Path) -> tuple[Path, RecordingElevator]:
    """The controller installs for real into a temporary folder, elevating via the fake."""
    folder = tmp_path / "Connectivity Client"
    elevator = RecordingElevator()
    controller.services.plan_install = lambda path: plan_install(
        path, folder, privileges=UNPRIVILEGED
    )
    controller.services.execute_install = lambda plan: execute_install(
        plan, elevator=elevator, privileges=UNPRIVILEGED
    )
    return folder, elevator


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


def test_import_from_the_menu_installs_after_the_preview(
    controller: TrayController, real_install: tuple[Path, RecordingElevator]
) -> None:
    folder, elevator = real_install
    previews: list[Any] = []
    controller.confirm_install = lambda plan: previews.append(plan) or True

    controller.actions["import"].trigger()

    assert len(previews) == 1 and previews[0].destination == folder / EXAMPLE.name
    assert (folder / EXAMPLE.name).read_bytes() == EXAMPLE.read_bytes()
    assert len(elevator.commands) == 1
    assert controller.messages[-1][0] == "Configuration installed"


def test_cancelled_preview_installs_nothing(
    controller: TrayController, real_install: tuple[Path, RecordingElevator]
) -> None:
    folder, elevator = real_install
    controller.confirm_install = lambda plan: False
    assert controller.import_file(EXAMPLE) is False
    assert not (folder / EXAMPLE.name).exists()
    assert elevator.commands == []


def test_invalid_file_is_reported_not_installed(
    controller: TrayController, real_install: tuple[Path, RecordingElevator], tmp_path: Path
) -> None:
    bad = tmp_path / "ClientConfig-vai-0123456789abcdef0.json"
    bad.write_text('{"Version": "1.0", "Region": 5}')
    assert controller.import_file(bad) is False
    title, text = controller.messages[-1]
    assert title == f"Cannot import {bad.name}"
    assert "VerifiedAccessInstanceId" in text or "Region" in text
    assert real_install[1].commands == []


def test_drop_on_the_window_imports(windowed: TrayController, tmp_path: Path, qtbot: Any) -> None:
    imported: list[Path] = []
    windowed.import_file = lambda path: imported.append(path) or True  # type: ignore[method-assign]
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
    controller.import_file = lambda path: imported.append(path) or True  # type: ignore[method-assign]
    app = QApplication.instance()
    assert app is not None
    app.installEventFilter(controller)
    try:
        QApplication.sendEvent(app, QFileOpenEvent(str(EXAMPLE)))
    finally:
        app.removeEventFilter(controller)
    controller.handle_arguments(["--ignored", str(EXAMPLE)])
    assert imported == [EXAMPLE, EXAMPLE]
