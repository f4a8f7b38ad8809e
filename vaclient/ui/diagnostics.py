"""The diagnostics window: every check with its status, message, hint and fix.

It renders a :class:`~vaclient.checks.model.Report` and nothing else. Fix
buttons do not act themselves: they emit :attr:`DiagnosticsWindow.fix_requested`
with an action name (see :data:`FIX_ACTIONS`) and the controller carries it
out, so the window is tested without touching the OS.
"""

from __future__ import annotations

import itertools
import json
import logging
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QFileDialog,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from vaclient.checks.model import CheckResult, Report, Status
from vaclient.ui.i18n import tr
from vaclient.ui.icons import app_icon, status_icon

logger = logging.getLogger(__name__)

#: Finding code -> the fix action the controller knows how to carry out.
FIX_ACTIONS = {
    "webview2-missing": "open-webview2",
    "config-missing": "import-config",
    "config-invalid": "import-config",
    "client-not-running": "start-client",
    "tunnel-down": "start-client",
    "client-not-installed": "open-client-download",
    "client-outdated": "open-client-download",
    "ipv6-disabled": "ipv6-settings",
}


def fix_label(action: str) -> str:
    """The button text for a fix action."""
    labels = {
        "open-webview2": tr("Open the WebView2 download page"),
        "import-config": tr("Import a configuration…"),
        "start-client": tr("Start the Connectivity Client"),
        "open-client-download": tr("Open the client download page"),
        "ipv6-settings": tr("Open the network settings"),
    }
    return labels[action]


def summary_text(report: Report) -> str:
    """A plain-text summary safe to paste anywhere: statuses, messages and hints only.

    Check ``data`` (addresses, routes, banners) is left out on purpose; no
    part of a ClientConfig is ever in a check's message.
    """
    lines = [
        f"vaclient {report.tool_version} on {report.host_os} {report.os_version}",
        f"generated {report.generated_at}: {report.status.value}",
    ]
    primary = report.primary
    if primary is not None:
        lines.append(f"primary: [{primary.code}] {primary.message}")
        if primary.hint:
            lines.append(f"hint: {primary.hint}")
    lines.append("")
    for check in report.checks:
        code = f" [{check.code}]" if check.code else ""
        lines.append(f"{check.status.value:4} {check.title}{code}: {check.message}")
    if report.endpoints:
        lines.append("")
        for endpoint in report.endpoints:
            code = f" [{endpoint.code}]" if endpoint.code else ""
            lines.append(f"endpoint {endpoint.target}: {endpoint.status.value}{code}")
    return "\n".join(lines) + "\n"


class CheckRow(QFrame):
    """One check: status icon, title, message, hint and an optional fix button."""

    def __init__(
        self,
        check: CheckResult,
        on_fix: Callable[[str], None] | None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.check = check
        self.setFrameShape(QFrame.Shape.StyledPanel)
        layout = QGridLayout(self)

        icon = QLabel()
        icon.setPixmap(status_icon(check.status).pixmap(20, 20))
        icon.setAccessibleName(check.status.value)
        layout.addWidget(icon, 0, 0, Qt.AlignmentFlag.AlignTop)

        title = check.title + (f" — {check.target}" if check.target else "")
        self.title_label = QLabel(f"<b>{_escape(title)}</b>")
        layout.addWidget(self.title_label, 0, 1)
        self.message_label = QLabel(check.message)
        self.message_label.setWordWrap(True)
        self.message_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.message_label, 1, 1)

        self.hint_label: QLabel | None = None
        if check.hint and check.status in (Status.FAIL, Status.WARN):
            next_step = tr("Next step: ")
            self.hint_label = QLabel(f"<i>{_escape(next_step)}</i>{_escape(check.hint)}")
            self.hint_label.setWordWrap(True)
            self.hint_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            layout.addWidget(self.hint_label, 2, 1)

        self.fix_button: QPushButton | None = None
        action = FIX_ACTIONS.get(check.code or "")
        if action and check.status in (Status.FAIL, Status.WARN) and on_fix is not None:
            self.fix_button = QPushButton(fix_label(action))
            self.fix_button.setAccessibleName(fix_label(action))
            self.fix_button.setProperty("fix_action", action)
            self.fix_button.clicked.connect(lambda: on_fix(action))
            layout.addWidget(self.fix_button, 0, 2, Qt.AlignmentFlag.AlignTop)
        layout.setColumnStretch(1, 1)
        self.setAccessibleName(f"{check.title}: {check.status.value}")


class DiagnosticsWindow(QWidget):
    """Shows a report; asks the controller to rerun or fix.

    Signals:
        rerun_requested(): the user wants a new run.
        fix_requested(str): the user pressed a fix button (an action name).
    """

    rerun_requested = Signal()
    fix_requested = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.report: Report | None = None
        self.rows: list[CheckRow] = []
        self.setWindowTitle(tr("vaclient diagnostics"))
        self.setWindowIcon(app_icon())
        self.resize(760, 560)
        self.setAcceptDrops(False)

        layout = QVBoxLayout(self)
        self.summary_label = QLabel(tr("No diagnosis yet."))
        self.summary_label.setWordWrap(True)
        self.summary_label.setAccessibleName(tr("Summary"))
        layout.addWidget(self.summary_label)

        self.scroll_area = QScrollArea()
        self.scroll_area.setWidgetResizable(True)
        self.list_widget = QWidget()
        self.list_layout = QVBoxLayout(self.list_widget)
        self.list_layout.addStretch(1)
        self.scroll_area.setWidget(self.list_widget)
        layout.addWidget(self.scroll_area, 1)

        buttons = QHBoxLayout()
        self.rerun_button = QPushButton(tr("&Run again"))
        self.copy_button = QPushButton(tr("&Copy summary"))
        self.save_button = QPushButton(tr("&Save report…"))
        self.close_button = QPushButton(tr("Close"))
        for button in (self.rerun_button, self.copy_button, self.save_button):
            button.setAccessibleName(button.text().replace("&", ""))
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.close_button)
        layout.addLayout(buttons)

        self.rerun_button.clicked.connect(self._rerun)
        self.copy_button.clicked.connect(self.copy_summary)
        self.save_button.clicked.connect(self._ask_save)
        self.close_button.clicked.connect(self.close)
        self.copy_button.setEnabled(False)
        self.save_button.setEnabled(False)

    def _rerun(self) -> None:
        self.set_running()
        self.rerun_requested.emit()

    def set_running(self) -> None:
        """Show that a new run is under way."""
        self.summary_label.setText(tr("Checking…"))
        self.rerun_button.setEnabled(False)

    def show_report(self, report: Report, *, fixable: bool = True) -> None:
        """Replace the shown checks with ``report``'s.

        ``fixable`` False (a report saved on another computer) leaves out the
        fix buttons and "Run again", which would act on this computer.
        """
        self.report = report
        for row in self.rows:
            self.list_layout.removeWidget(row)
            row.hide()
            row.deleteLater()
        self.rows = []

        primary = report.primary
        words = {
            Status.OK: tr("Everything checked is fine."),
            Status.WARN: tr("Working, with warnings."),
            Status.FAIL: tr("A problem was found."),
        }
        text = f"<b>{_escape(words.get(report.status, report.status.value))}</b>"
        if primary is not None:
            text += f"<br>{_escape(primary.message)}"
            if primary.hint:
                next_step = tr("Next step: ")
                text += f"<br><i>{_escape(next_step + primary.hint)}</i>"
        self.summary_label.setText(text)

        for index, check in enumerate(report.checks):
            on_fix = self.fix_requested.emit if fixable else None
            row = CheckRow(check, on_fix, self.list_widget)
            self.list_layout.insertWidget(index, row)
            self.rows.append(row)
        self._order_tabs()
        self.rerun_button.setEnabled(fixable)
        self.rerun_button.setVisible(fixable)
        self.copy_button.setEnabled(True)
        self.save_button.setEnabled(True)

    def _order_tabs(self) -> None:
        """Tab through the fix buttons top to bottom, then the buttons under the list.

        Rows are made after the buttons, so without this Tab would reach the
        fix buttons only after Close, the reverse of what the window shows.
        """
        chain: list[QWidget] = [r.fix_button for r in self.rows if r.fix_button is not None]
        chain += [self.rerun_button, self.copy_button, self.save_button, self.close_button]
        for first, second in itertools.pairwise(chain):
            QWidget.setTabOrder(first, second)

    def copy_summary(self) -> str:
        """Put the plain-text summary on the clipboard and return it."""
        if self.report is None:
            return ""
        text = summary_text(self.report)
        QGuiApplication.clipboard().setText(text)
        return text

    def save_report(self, path: Path) -> None:
        """Write the report as JSON (the ``vaclient.report/1`` contract)."""
        if self.report is None:
            return
        payload = json.dumps(self.report.to_dict(), indent=2, ensure_ascii=False) + "\n"
        path.write_text(payload, encoding="utf-8")
        logger.info("report saved to %s", path)

    def _ask_save(self) -> None:
        name, _filter = QFileDialog.getSaveFileName(
            self, tr("Save report"), "vaclient-report.json", tr("JSON files (*.json)")
        )
        if name:
            self.save_report(Path(name))


def _escape(text: str) -> str:
    """Escape text for a rich-text label."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def show_report_window(report: Report, title: str = "") -> int:
    """Open a saved report read-only in its own window and run Qt until it closes.

    Used by ``vaclient report view``: a helpdesk person looks at a user's
    report, so nothing in the window acts on this computer.
    """
    from PySide6.QtWidgets import QApplication

    from vaclient.settings import load_settings
    from vaclient.ui.i18n import choose_language, install_translator, remove_translator

    app = QApplication.instance() or QApplication([])
    translator = install_translator(choose_language(load_settings().language))
    window = DiagnosticsWindow()
    if title:
        window.setWindowTitle(f"{window.windowTitle()} — {title}")
    window.show_report(report, fixable=False)
    window.show()
    try:
        return int(app.exec())
    finally:
        remove_translator(translator)
