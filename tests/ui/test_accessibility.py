"""Every interactive control has a name for screen readers and is reachable with Tab."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAccessible
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QComboBox,
    QLineEdit,
    QPlainTextEdit,
    QWidget,
)

from tests.ui.conftest import EXAMPLE, make_report
from vaclient.config.install import plan_install
from vaclient.settings import Endpoint, Settings
from vaclient.ui.app import TrayController
from vaclient.ui.bundle_dialog import BundleDialog
from vaclient.ui.crash import CrashDialog
from vaclient.ui.diagnostics import DiagnosticsWindow
from vaclient.ui.import_dialog import ImportPreviewDialog
from vaclient.ui.settings_dialog import SettingsDialog

INTERACTIVE = (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QComboBox,
    QLineEdit,
    QPlainTextEdit,
)


def _controls(window: QWidget) -> list[QWidget]:
    """The visible interactive controls, without the parts inside composite widgets."""
    found = []
    for widget in window.findChildren(QWidget):
        if not isinstance(widget, INTERACTIVE) or not widget.isVisibleTo(window):
            continue
        parent = widget.parentWidget()
        inside = parent is not None and (
            isinstance(parent, (QAbstractItemView, QAbstractSpinBox, QComboBox))
            or isinstance(parent.parentWidget(), QAbstractItemView)
        )
        if not inside:
            found.append(widget)
    return found


def _name(widget: QWidget) -> str:
    interface = QAccessible.queryAccessibleInterface(widget)
    assert interface is not None
    return str(interface.text(QAccessible.Text.Name)).strip()


def _windows(qtbot: Any, windowed: TrayController, tmp_path: Path) -> dict[str, QWidget]:
    diagnostics = DiagnosticsWindow()
    diagnostics.show_report(make_report(failing=True))
    settings = Settings(endpoints=(Endpoint("db.example.com", 5432, "Database"),))
    made: dict[str, QWidget] = {
        "diagnostics": diagnostics,
        "import": ImportPreviewDialog(plan_install(EXAMPLE, tmp_path / "cfg")),
        "settings (endpoints)": SettingsDialog(settings, start_tab=0),
        "settings (general)": SettingsDialog(settings, start_tab=1),
        "bundle": BundleDialog(windowed.services, settings),
        "crash": CrashDialog("Traceback (most recent call last): ...", None),
    }
    for window in made.values():
        qtbot.addWidget(window)
    assert windowed.window is not None
    made["main window"] = windowed.window
    return made


def test_every_control_has_an_accessible_name_and_takes_tab_focus(
    qtbot: Any, windowed: TrayController, tmp_path: Path
) -> None:
    problems = []
    checked = 0
    for title, window in _windows(qtbot, windowed, tmp_path).items():
        window.show()
        qtbot.waitExposed(window)
        for control in _controls(window):
            checked += 1
            kind = type(control).__name__
            if not _name(control):
                problems.append(f"{title}: {kind} {control.objectName()!r} has no name")
            if not control.focusPolicy() & Qt.FocusPolicy.TabFocus:
                problems.append(f"{title}: {kind} {_name(control)!r} is not reachable by Tab")
        window.hide()
    assert checked > 30
    assert problems == []


@pytest.mark.parametrize("text", ["&Install", "Cancel"])
def test_import_buttons_have_plain_names(qtbot: Any, tmp_path: Path, text: str) -> None:
    dialog = ImportPreviewDialog(plan_install(EXAMPLE, tmp_path / "cfg"))
    qtbot.addWidget(dialog)
    (button,) = [b for b in dialog.buttons.buttons() if b.text() == text]
    assert _name(button) == text.replace("&", "")
