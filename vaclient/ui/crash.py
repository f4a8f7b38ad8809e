"""Unexpected errors in the tray: log CRITICAL, then show a copyable dialog.

The tray has no terminal, so an exception that reaches Qt's event loop
would otherwise vanish. The hook writes the traceback to the log (through
the secret filter) and shows it in a dialog with a Copy button, so the user
can hand it to helpdesk.
"""

from __future__ import annotations

import logging
import sys
import traceback
from collections.abc import Callable
from pathlib import Path
from types import TracebackType

from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from vaclient.logsetup import mask_secrets
from vaclient.ui.i18n import tr

logger = logging.getLogger(__name__)

ExceptHook = Callable[[type[BaseException], BaseException, TracebackType | None], None]


class CrashDialog(QDialog):
    """Shows a traceback that the user can copy."""

    def __init__(self, details: str, log_file: Path | None, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(tr("vaclient: unexpected error"))
        layout = QVBoxLayout(self)
        where = tr("Details were written to {path}.").format(path=log_file) if log_file else ""
        intro = QLabel(
            tr(
                "vaclient hit an unexpected problem. Copy the details below and send them to "
                "your helpdesk."
            )
            + (" " + where if where else "")
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.details = QPlainTextEdit(details)
        self.details.setReadOnly(True)
        self.details.setAccessibleName(tr("Error details"))
        layout.addWidget(self.details, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.copy_button = buttons.addButton(tr("&Copy"), QDialogButtonBox.ButtonRole.ActionRole)
        self.copy_button.clicked.connect(self.copy)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(640, 400)

    def copy(self) -> None:
        """Put the details on the clipboard."""
        QGuiApplication.clipboard().setText(self.details.toPlainText())


def make_excepthook(log_file: Path | None, show: bool = True) -> ExceptHook:
    """An excepthook that logs CRITICAL and (with a QApplication) shows the dialog."""
    dialogs: list[CrashDialog] = []

    def hook(kind: type[BaseException], error: BaseException, tb: TracebackType | None) -> None:
        if issubclass(kind, KeyboardInterrupt):
            sys.__excepthook__(kind, error, tb)
            return
        logger.critical("unexpected error", exc_info=(kind, error, tb))
        details = mask_secrets("".join(traceback.format_exception(kind, error, tb)))
        if show and QApplication.instance() is not None:
            dialog = CrashDialog(details, log_file)
            dialogs.append(dialog)
            dialog.show()

    hook.dialogs = dialogs  # type: ignore[attr-defined]  # lets tests find the dialog
    return hook


def install_excepthook(log_file: Path | None) -> ExceptHook:
    """Install :func:`make_excepthook` as ``sys.excepthook``."""
    hook = make_excepthook(log_file)
    sys.excepthook = hook
    return hook
