"""The support bundle preview: what goes in, what was removed, then Save or Send.

The dialog plans a bundle with :func:`vaclient.report.bundle.plan_bundle`
(through ``Services.plan_bundle``) and lists every file with its size and
description, the secrets removed (counts by kind, never values), what was
anonymised and what could not be collected. Planning runs the doctor and
the OS tools, so it happens on a worker thread while a busy bar shows;
saving and sending do too. Nothing is written before the user presses
Save… or Send to helpdesk. After a send the support ID is shown large and
selectable, for the user to read out to the helpdesk.
"""

from __future__ import annotations

import logging
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, QThreadPool
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from vaclient.errors import VaclientError
from vaclient.report.bundle import BundleOptions, BundlePlan
from vaclient.report.upload import check_upload_url
from vaclient.settings import Settings
from vaclient.ui.i18n import tr
from vaclient.ui.icons import app_icon
from vaclient.ui.jobs import JobRunner
from vaclient.ui.services import Services

logger = logging.getLogger(__name__)


def kind_words(kind: str) -> str:
    """A redaction or anonymisation kind (a key of the plan's counts) in words."""
    words = {
        "config_fields": tr("configuration secret fields"),
        "config_secrets": tr("configuration secrets in text"),
        "pem_blocks": tr("certificates and keys"),
        "openvpn_key_blocks": tr("OpenVPN key blocks"),
        "bearer_tokens": tr("bearer tokens"),
        "jwt_tokens": tr("JSON web tokens"),
        "aws_access_keys": tr("AWS access keys"),
        "url_passwords": tr("passwords in URLs"),
        "presigned_url_signatures": tr("signatures of upload links"),
        "key_values": tr("passwords and tokens"),
        "base64_blobs": tr("encoded keys or tokens"),
        "user": tr("user names"),
        "host": tr("host names"),
        "email": tr("e-mail addresses"),
        "ipv4": tr("IPv4 addresses"),
        "ipv6": tr("IPv6 addresses"),
    }
    return words.get(kind, kind.replace("_", " "))


def size_text(size: int) -> str:
    """A byte count for people: ``512 B``, ``4.2 KB``, ``3.1 MB``."""
    if size < 1024:
        return f"{size} B"
    if size < 1024 * 1024:
        return f"{size / 1024:.1f} KB"
    return f"{size / (1024 * 1024):.1f} MB"


def counts_text(counts: dict[str, int]) -> str:
    """``AWS access keys: 3, bearer tokens: 1``: counts by kind, largest first."""
    ordered = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    return ", ".join(f"{kind_words(kind)}: {count}" for kind, count in ordered if count)


def removed_text(plan: BundlePlan) -> str:
    """One or two lines: secrets removed, and (when asked) what was anonymised."""
    removed = counts_text(plan.redactions)
    lines = [
        tr("Secrets removed ({counts}).").format(counts=removed)
        if removed
        else tr("No secrets were found; configuration secrets are never included.")
    ]
    if plan.is_anonymized:
        replaced = counts_text(plan.anonymized)
        lines.append(
            tr("Names and addresses replaced ({counts}).").format(counts=replaced)
            if replaced
            else tr("Anonymised: no names or addresses were found.")
        )
    return "\n".join(lines)


class BundleDialog(QDialog):
    """Plans a support bundle in the background, shows it, and saves or sends it.

    Args:
        services: the OS boundary (``plan_bundle``, ``write_bundle``, ``upload_bundle``).
        settings: the effective settings; ``upload_url`` decides whether
            "Send to helpdesk" is offered.
        pool: where the blocking work runs.
        ask_save_path: asks for the file to save to, given the default name;
            returns "" when cancelled (tests pass a function).
    """

    def __init__(
        self,
        services: Services,
        settings: Settings,
        *,
        pool: QThreadPool | None = None,
        ask_save_path: Callable[[str], str] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.services = services
        self.settings = settings
        self.jobs = JobRunner(pool)
        self.ask_save_path = ask_save_path or self._ask_save_path
        self.plan: BundlePlan | None = None
        self.plan_count = 0
        self.saved_path: Path | None = None
        self.upload_result: Any = None
        self.setWindowTitle(tr("Support bundle"))
        self.setWindowIcon(app_icon())
        self.resize(720, 520)
        layout = QVBoxLayout(self)

        intro = QLabel(
            tr(
                "A support bundle holds the diagnosis, network settings, logs and "
                "configurations for the helpdesk. Secrets are always removed."
            )
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.anonymize_box = QCheckBox(tr("Replace names and addresses (anonymise)"))
        self.anonymize_box.toggled.connect(lambda _checked: self.replan())
        layout.addWidget(self.anonymize_box)

        self.busy_label = QLabel(tr("Collecting…"))
        self.busy_bar = QProgressBar()
        self.busy_bar.setRange(0, 0)
        self.busy_bar.setAccessibleName(tr("Working"))
        busy_row = QHBoxLayout()
        busy_row.addWidget(self.busy_label)
        busy_row.addWidget(self.busy_bar, 1)
        layout.addLayout(busy_row)

        self.table = QTableWidget(0, 3)
        self.table.setAccessibleName(tr("Files in the bundle"))
        self.table.setHorizontalHeaderLabels([tr("File"), tr("Size"), tr("Contents")])
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        layout.addWidget(self.table, 1)

        self.removed_label = QLabel("")
        self.removed_label.setWordWrap(True)
        self.removed_label.setAccessibleName(tr("What was removed"))
        layout.addWidget(self.removed_label)
        self.problems_label = QLabel("")
        self.problems_label.setWordWrap(True)
        self.problems_label.setAccessibleName(tr("Problems"))
        self.problems_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.problems_label)

        self.status_label = QLabel("")
        self.status_label.setWordWrap(True)
        self.status_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.status_label)
        self.support_id_label = QLabel("")
        font = self.support_id_label.font()
        font.setPointSizeF(font.pointSizeF() * 2.2)
        font.setBold(True)
        self.support_id_label.setFont(font)
        self.support_id_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.support_id_label.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse
            | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )
        self.support_id_label.setAccessibleName(tr("Support ID"))
        self.support_id_label.hide()
        layout.addWidget(self.support_id_label)

        buttons = QHBoxLayout()
        self.save_button = QPushButton(tr("&Save…"))
        self.save_button.setAccessibleName(tr("Save bundle"))
        self.send_button = QPushButton(tr("Send to &helpdesk"))
        self.send_button.setAccessibleName(tr("Send to helpdesk"))
        self.send_button.setVisible(bool(settings.upload_url))
        self.close_button = QPushButton(tr("Close"))
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.send_button)
        buttons.addStretch(1)
        buttons.addWidget(self.close_button)
        layout.addLayout(buttons)
        self.save_button.clicked.connect(self.save)
        self.send_button.clicked.connect(self.send)
        self.close_button.clicked.connect(self.reject)
        self._set_busy(False)

    # -- background work -------------------------------------------------------
    @property
    def busy(self) -> bool:
        """Whether planning, saving or sending is under way."""
        return self.jobs.busy

    def _set_busy(self, busy: bool, text: str = "") -> None:
        self.busy_label.setText(text)
        self.busy_label.setVisible(busy)
        self.busy_bar.setVisible(busy)
        self.anonymize_box.setEnabled(not busy)
        ready = not busy and self.plan is not None
        self.save_button.setEnabled(ready)
        self.send_button.setEnabled(ready)

    def _start(
        self,
        text: str,
        work: Callable[[], Any],
        done: Callable[[Any], None],
        what: str,
    ) -> None:
        """Run ``work`` on the pool; ``done`` gets its result on the GUI thread."""
        self._set_busy(True, text)
        self.status_label.setStyleSheet("")
        self.status_label.setText("")

        def finished(result: Any) -> None:
            done(result)
            self._set_busy(False)

        def failed(message: str) -> None:
            self._set_busy(False)
            self.status_label.setStyleSheet("color: #c62828;")
            self.status_label.setText(what.format(message=message))

        self.jobs.start(work, finished, failed)

    def options(self) -> BundleOptions:
        """What to collect: a new diagnosis of the settings' endpoints, anonymised or not."""
        return BundleOptions(
            run_doctor=True,
            endpoints=tuple(self.settings.endpoints),
            anonymize=self.anonymize_box.isChecked(),
            settings=self.settings,
        )

    def replan(self) -> None:
        """Collect the bundle again (at start and when the anonymise box changes)."""
        if self.busy:
            return
        options = self.options()
        self.plan = None
        self.support_id_label.hide()
        self.plan_count += 1
        logger.info("planning a support bundle (anonymise: %s)", options.anonymize)
        self._start(
            tr("Collecting the diagnosis, network settings and logs…"),
            lambda: self.services.plan_bundle(options),
            self.show_plan,
            tr("The bundle could not be prepared: {message}"),
        )

    def show_plan(self, plan: BundlePlan) -> None:
        """Fill the table and the lines under it from ``plan``."""
        self.plan = plan
        self.table.setRowCount(len(plan.files))
        for row, (name, description, size) in enumerate(plan.files):
            size_item = QTableWidgetItem(size_text(size))
            size_item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self.table.setItem(row, 0, QTableWidgetItem(name))
            self.table.setItem(row, 1, size_item)
            self.table.setItem(row, 2, QTableWidgetItem(description))
        total = sum(size for _name, _description, size in plan.files)
        summary = tr("{count} files, {size} before compression.").format(
            count=len(plan.files), size=size_text(total)
        )
        self.removed_label.setText(summary + "\n" + removed_text(plan))
        if plan.problems:
            lines = [tr("Not included:")] + [f"• {problem}" for problem in plan.problems]
            self.problems_label.setText("\n".join(lines))
        else:
            self.problems_label.setText("")
        self.problems_label.setVisible(bool(plan.problems))

    # -- save and send ---------------------------------------------------------
    def _ask_save_path(self, default_name: str) -> str:
        name, _filter = QFileDialog.getSaveFileName(
            self,
            tr("Save support bundle"),
            str(Path.home() / default_name),
            tr("Zip files (*.zip)"),
        )
        return str(name)

    def save(self) -> None:
        """Ask where to, then write the bundle there on a worker thread."""
        plan = self.plan
        if plan is None or self.busy:
            return
        name = self.ask_save_path(plan.default_name)
        if not name:
            return
        target = Path(name)

        def saved(path: Path) -> None:
            self.saved_path = path
            self.status_label.setText(
                tr("Saved as {path}. Support ID: {support_id}").format(
                    path=path, support_id=plan.support_id
                )
            )

        self._start(
            tr("Writing the bundle…"),
            lambda: self.services.write_bundle(plan, target),
            saved,
            tr("The bundle could not be saved: {message}"),
        )

    def send(self) -> None:
        """Write the bundle to a temporary file and upload it to ``settings.upload_url``."""
        plan = self.plan
        if plan is None or self.busy or not self.settings.upload_url:
            return
        try:
            url = check_upload_url(self.settings.upload_url)
        except VaclientError as err:
            self.status_label.setStyleSheet("color: #c62828;")
            self.status_label.setText(err.message + (f"\n{err.hint}" if err.hint else ""))
            return
        services = self.services

        def work() -> Any:
            with tempfile.TemporaryDirectory(prefix="vaclient-bundle-") as tmp:
                path = services.write_bundle(plan, Path(tmp) / plan.default_name)
                return services.upload_bundle(path, url, plan.support_id)

        self._start(
            tr("Sending the bundle to the helpdesk…"),
            work,
            lambda result: self.show_sent(plan, result),
            tr("The bundle could not be sent: {message}"),
        )

    def show_sent(self, plan: BundlePlan, result: Any) -> None:
        """Show the support ID, large and selectable, after a successful upload."""
        self.upload_result = result
        self.status_label.setText(tr("Sent. Tell the helpdesk this support ID:"))
        self.support_id_label.setText(plan.support_id)
        self.support_id_label.show()
