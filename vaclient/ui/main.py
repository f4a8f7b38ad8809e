"""Entry point of ``vaclient tray``: one instance, translation, crash hook, event loop.

Start-up order matters for speed and for correctness:

1. The QApplication exists before any widget (and before a QFileOpenEvent
   can arrive on macOS).
2. A second launch hands its arguments to the first and exits at once.
3. The excepthook and the translation are installed, settings loaded, and
   the icon shown; the monitor starts after the event loop runs, so the
   icon appears before the first poll.

Set ``VACLIENT_TRAY_EXIT_AFTER_SHOW=1`` to quit right after the icon is
shown: the benchmark uses it, and it prints ``vaclient-tray-shown`` with the
seconds since the process started.
"""

from __future__ import annotations

import logging
import os
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QSystemTrayIcon

from vaclient.errors import EXIT_OK, VaclientError
from vaclient.logsetup import LOG_FILE_NAME
from vaclient.paths import log_dir
from vaclient.settings import Settings
from vaclient.ui.app import TrayController
from vaclient.ui.crash import install_excepthook
from vaclient.ui.i18n import choose_language, install_translator
from vaclient.ui.icons import app_icon
from vaclient.ui.services import Services, default_services
from vaclient.ui.single_instance import SingleInstance

logger = logging.getLogger(__name__)

EXIT_AFTER_SHOW_ENV = "VACLIENT_TRAY_EXIT_AFTER_SHOW"


def run_tray(
    files: Sequence[str] = (),
    *,
    tray_available: bool | None = None,
    services: Services | None = None,
    instance_name: str | None = None,
) -> int:
    """Run the tray until the user quits; returns the exit status.

    Args:
        files: ClientConfig files to import (from the command line or a file
            manager's "open with").
        tray_available: whether to use a tray icon; default asks Qt
            (no tray offscreen or on a bare X server: a window is shown instead).
        services: the OS boundary (tests pass fakes).
        instance_name: the single-instance server name (tests pass a unique one).
    """
    started = time.perf_counter()
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setApplicationName("vaclient")
    app.setWindowIcon(app_icon())

    # A running instance has another working folder: hand over absolute paths.
    files = [str(Path(f).resolve()) for f in files]
    instance = SingleInstance(instance_name)
    if instance.send(files):
        print("vaclient is already running; handed over to it.", flush=True)
        return EXIT_OK
    instance.listen()

    install_excepthook(log_dir() / LOG_FILE_NAME)
    services = services or default_services()
    settings_error: VaclientError | None = None
    try:
        settings = services.load_settings()
    except VaclientError as err:
        settings, settings_error = Settings(), err
    translator = install_translator(choose_language(settings.language))

    if tray_available is None:
        tray_available = QSystemTrayIcon.isSystemTrayAvailable()
    logger.info("tray available: %s", tray_available)
    app.setQuitOnLastWindowClosed(not tray_available)

    controller = TrayController(services, settings, tray_available=tray_available)
    controller.translator = translator
    app.installEventFilter(controller)
    instance.message_received.connect(controller.handle_arguments)
    controller.show()
    shown_after = time.perf_counter() - started
    logger.info("tray shown after %.3f s (from creating the QApplication)", shown_after)

    if os.environ.get(EXIT_AFTER_SHOW_ENV) == "1":
        print(f"vaclient-tray-shown {shown_after:.3f}", flush=True)
        QTimer.singleShot(0, app.quit)
    else:
        QTimer.singleShot(0, controller.start_monitor)
        if settings_error is not None:
            QTimer.singleShot(0, lambda: controller._show_error("Settings", settings_error))
        if files:
            QTimer.singleShot(0, lambda: controller.handle_arguments(list(files)))
    status = app.exec()
    controller.monitor.stop()
    instance.close()
    return int(status)


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m vaclient.ui.main [FILE]``: the tray without the CLI front end."""
    from vaclient.logsetup import setup_logging

    setup_logging(0)
    args = list(sys.argv[1:] if argv is None else argv)
    return run_tray([a for a in args if Path(a).suffix.lower() == ".json"])


if __name__ == "__main__":
    sys.exit(main())
