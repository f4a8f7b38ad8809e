"""The "what will change" preview shown before a ClientConfig is installed.

It shows the file's instance, region and routes, where it goes, and each
change against the installed file (from the install plan; secrets are
already masked there as ``***``). Installing happens only after the user
presses Install: the dialog emits :attr:`ImportPreviewDialog.install_requested`
and the controller runs ``execute_install`` on a worker thread. While it runs
(the OS may be waiting for the administrator prompt) the dialog shows a busy
bar and cannot be submitted again or closed; the controller then closes it
(installed) or hands it back (cancelled at the prompt, or failed) with
:meth:`ImportPreviewDialog.set_installing`.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
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
    """Shows an install plan, asks for confirmation and shows the install's progress.

    Signals:
        install_requested(): the user pressed Install (never while installing).
    """

    install_requested = Signal()

    def __init__(self, plan: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.plan = plan
        self.installing = False
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

        self.busy_label = QLabel(tr("Installing… confirm the administrator prompt."))
        self.busy_label.setWordWrap(True)
        self.busy_bar = QProgressBar()
        self.busy_bar.setRange(0, 0)
        self.busy_bar.setAccessibleName(tr("Installing"))
        busy_row = QHBoxLayout()
        busy_row.addWidget(self.busy_label, 1)
        busy_row.addWidget(self.busy_bar)
        layout.addLayout(busy_row)
        self.note_label = QLabel("")
        self.note_label.setWordWrap(True)
        self.note_label.setAccessibleName(tr("Installation status"))
        self.note_label.hide()
        layout.addWidget(self.note_label)

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.install_button = self.buttons.addButton(
            tr("&Install"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.install_button.setAccessibleName(tr("Install"))
        self.cancel_button = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self._request_install)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.set_installing(False)

    def _request_install(self) -> None:
        """Ask the controller to install, once: the button is off until it answers."""
        if self.installing or self.plan.identical:
            return
        self.set_installing(True)
        self.install_requested.emit()

    def set_installing(self, installing: bool) -> None:
        """Show the busy bar and lock the buttons while the install runs, or undo that."""
        self.installing = installing
        self.busy_label.setVisible(installing)
        self.busy_bar.setVisible(installing)
        self.install_button.setEnabled(not installing and not self.plan.identical)
        self.cancel_button.setEnabled(not installing)
        if installing:
            self.note_label.hide()

    def show_note(self, text: str) -> None:
        """A calm line under the table (a cancelled prompt, an install already running)."""
        self.note_label.setText(text)
        self.note_label.show()

    def reject(self) -> None:  # Qt override
        """Cancel and Escape close the dialog, except while the install runs."""
        if self.installing:
            return
        super().reject()
