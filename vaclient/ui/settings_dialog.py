"""The settings dialog: endpoints, check interval, language, start at login, tunnel.

It edits a copy of :class:`~vaclient.settings.Settings`; the controller
saves the result with ``save_settings`` and applies it. Fields it does not
show (client path, extra VPN names, unknown keys) pass through unchanged.

Fields an administrator's policy sets (``Settings.managed``) are shown but
cannot be changed: their controls are disabled (the endpoints table is
read-only) and marked "Set by your administrator"; their values pass
through unchanged.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from vaclient.settings import MIN_CHECK_INTERVAL_S, Endpoint, Settings
from vaclient.ui.i18n import LANGUAGES, tr
from vaclient.ui.icons import app_icon


def managed_text() -> str:
    """The words shown on and next to a control whose value the administrator set."""
    return tr("Set by your administrator")


def _managed_label() -> QLabel:
    label = QLabel(managed_text())
    label.setStyleSheet("color: palette(mid); font-style: italic;")
    return label


class SettingsDialog(QDialog):
    """Edit the settings; :meth:`result_settings` gives the edited copy."""

    def __init__(
        self, settings: Settings, parent: QWidget | None = None, *, start_tab: int = 0
    ) -> None:
        super().__init__(parent)
        self.original = settings
        self.setWindowTitle(tr("vaclient settings"))
        self.setWindowIcon(app_icon())
        self.resize(560, 400)
        layout = QVBoxLayout(self)
        self.tabs = QTabWidget()
        layout.addWidget(self.tabs, 1)

        # endpoints tab
        endpoints_page = QWidget()
        endpoints_layout = QVBoxLayout(endpoints_page)
        endpoints_layout.addWidget(QLabel(tr("Servers to check (TCP):")))
        self.endpoints = QTableWidget(0, 3)
        self.endpoints.setAccessibleName(tr("Endpoints"))
        self.endpoints.setHorizontalHeaderLabels([tr("Name"), tr("Host"), tr("Port")])
        self.endpoints.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        for endpoint in settings.endpoints:
            self.add_endpoint_row(endpoint.name, endpoint.host, str(endpoint.port))
        endpoints_layout.addWidget(self.endpoints, 1)
        row_buttons = QHBoxLayout()
        self.add_button = QPushButton(tr("&Add"))
        self.add_button.setAccessibleName(tr("Add endpoint"))
        self.remove_button = QPushButton(tr("&Remove"))
        self.remove_button.setAccessibleName(tr("Remove endpoint"))
        self.add_button.clicked.connect(lambda: self.add_endpoint_row("", "", "22"))
        self.remove_button.clicked.connect(self._remove_current)
        row_buttons.addWidget(self.add_button)
        row_buttons.addWidget(self.remove_button)
        row_buttons.addStretch(1)
        endpoints_layout.addLayout(row_buttons)
        if self.is_managed("endpoints"):
            self.endpoints.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
            self.endpoints.setToolTip(managed_text())
            for button in (self.add_button, self.remove_button):
                button.setEnabled(False)
                button.setToolTip(managed_text())
            row_buttons.insertWidget(0, _managed_label())
        self.tabs.addTab(endpoints_page, tr("Endpoints"))

        # general tab
        general = QWidget()
        form = QFormLayout(general)
        self.interval = QSpinBox()
        self.interval.setRange(MIN_CHECK_INTERVAL_S, 24 * 3600)
        self.interval.setSuffix(tr(" s"))
        self.interval.setValue(settings.check_interval_s)
        self.interval.setAccessibleName(tr("Check interval"))
        form.addRow(tr("Check endpoints every"), self._field("check_interval_s", self.interval))

        self.language = QComboBox()
        self.language.setAccessibleName(tr("Language"))
        self.language.addItem(tr("System default"), "")
        for code, name in LANGUAGES.items():
            self.language.addItem(name, code)
        index = self.language.findData(settings.language)
        self.language.setCurrentIndex(max(index, 0))
        form.addRow(tr("Language"), self._field("language", self.language))

        self.start_at_login = QCheckBox(tr("Start vaclient when I log in"))
        self.start_at_login.setChecked(settings.start_at_login)
        form.addRow("", self._field("start_at_login", self.start_at_login))

        self.tunnel = QLineEdit(settings.tunnel_interface)
        self.tunnel.setPlaceholderText(tr("detect automatically"))
        self.tunnel.setAccessibleName(tr("Tunnel interface"))
        form.addRow(tr("Tunnel interface"), self._field("tunnel_interface", self.tunnel))
        self.tabs.addTab(general, tr("General"))
        self.tabs.setCurrentIndex(start_tab)

        self.error_label = QLabel("")
        self.error_label.setStyleSheet("color: #c62828;")
        layout.addWidget(self.error_label)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self._accept_if_valid)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def is_managed(self, name: str) -> bool:
        """Whether the administrator's policy sets the field ``name``."""
        return name in self.original.managed

    def _field(self, name: str, control: QWidget) -> QWidget:
        """``control`` as is, or disabled and marked when field ``name`` is managed."""
        if not self.is_managed(name):
            return control
        control.setEnabled(False)
        control.setToolTip(managed_text())
        row = QWidget()
        row_layout = QHBoxLayout(row)
        row_layout.setContentsMargins(0, 0, 0, 0)
        row_layout.addWidget(control, 1)
        row_layout.addWidget(_managed_label())
        return row

    def add_endpoint_row(self, name: str, host: str, port: str) -> int:
        """Append a row to the endpoints table; returns its index."""
        row = self.endpoints.rowCount()
        self.endpoints.insertRow(row)
        for column, value in enumerate((name, host, port)):
            self.endpoints.setItem(row, column, QTableWidgetItem(value))
        return row

    def _remove_current(self) -> None:
        row = self.endpoints.currentRow()
        if row >= 0:
            self.endpoints.removeRow(row)

    def _cell(self, row: int, column: int) -> str:
        item = self.endpoints.item(row, column)
        return item.text().strip() if item is not None else ""

    def edited_endpoints(self) -> tuple[Endpoint, ...]:
        """The table's endpoints; rows without a host are dropped.

        Raises:
            ValueError: a port is not a number from 1 to 65535 (the message names the row).
        """
        found = []
        for row in range(self.endpoints.rowCount()):
            name, host, port = (self._cell(row, c) for c in range(3))
            if not host:
                continue
            if not port.isdigit() or not 0 < int(port) < 65536:
                raise ValueError(
                    tr("Row {row}: the port must be a number from 1 to 65535.").format(row=row + 1)
                )
            found.append(Endpoint(host=host.strip("[]"), port=int(port), name=name))
        return tuple(found)

    def result_settings(self) -> Settings:
        """The edited settings (raises ValueError for a bad endpoint row).

        Managed fields keep the value the policy gave them.
        """
        edited: dict[str, Any] = {
            "endpoints": self.edited_endpoints(),
            "check_interval_s": self.interval.value(),
            "language": str(self.language.currentData() or ""),
            "start_at_login": self.start_at_login.isChecked(),
            "tunnel_interface": self.tunnel.text().strip(),
        }
        for name in self.original.managed:
            edited.pop(name, None)
        return dataclasses.replace(self.original, **edited)

    def _accept_if_valid(self) -> None:
        try:
            self.result_settings()
        except ValueError as err:
            self.error_label.setText(str(err))
            return
        self.accept()
