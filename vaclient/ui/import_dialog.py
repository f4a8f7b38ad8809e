"""The "what will change" preview shown before a ClientConfig is installed.

It shows the file's instance, region and routes, where it goes, and each
change against the installed file (from the install plan; secrets are
already masked there as ``***``). Installing happens only after the user
presses Install; the controller then calls ``execute_install``.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from vaclient.ui.i18n import tr
from vaclient.ui.icons import app_icon


def _text(value: Any) -> str:
    """A change's value for the table: a dash for "none"."""
    return "—" if value is None else str(value)


class ImportPreviewDialog(QDialog):
    """Shows an install plan and asks for confirmation."""

    def __init__(self, plan: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.plan = plan
        self.setWindowTitle(tr("Import configuration"))
        self.setWindowIcon(app_icon())
        self.resize(620, 420)
        layout = QVBoxLayout(self)

        config = plan.config
        routes = ", ".join(config.routes)
        intro = tr("Instance {instance} in {region}, routes: {routes}").format(
            instance=config.instance_id, region=config.region, routes=routes
        )
        self.intro_label = QLabel(intro)
        self.intro_label.setWordWrap(True)
        layout.addWidget(self.intro_label)

        if plan.identical:
            where = tr("The same file is already installed at {path}.")
        elif plan.existing:
            where = tr("It replaces the installed file {path} (a backup is kept).")
        else:
            where = tr("It will be installed as {path}.")
        self.where_label = QLabel(where.format(path=plan.destination))
        self.where_label.setWordWrap(True)
        layout.addWidget(self.where_label)

        changes = tuple(plan.changes)
        self.table = QTableWidget(len(changes), 3)
        self.table.setAccessibleName(tr("Changes"))
        self.table.setHorizontalHeaderLabels([tr("Setting"), tr("Installed"), tr("New")])
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        for row, change in enumerate(changes):
            label = getattr(change, "label", change.field)
            for column, value in enumerate((label, _text(change.old), _text(change.new))):
                self.table.setItem(row, column, QTableWidgetItem(value))
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        layout.addWidget(self.table, 1)

        note = QLabel(tr("Installing needs administrator rights; the system will ask."))
        note.setWordWrap(True)
        layout.addWidget(note)

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.install_button = self.buttons.addButton(
            tr("Install"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.install_button.setAccessibleName(tr("Install"))
        self.install_button.setEnabled(not plan.identical)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
