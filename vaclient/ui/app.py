"""The tray controller: icon, menu, windows, and what each action does.

:class:`TrayController` owns the monitor, the tray icon (or, where the
system has no tray, a small main window with the same actions), and the
windows. Everything that touches the OS goes through
:class:`~vaclient.ui.services.Services`, and whatever may wait (starting the
client, installing a configuration behind the administrator prompt, the
doctor) runs on the thread pool with its outcome delivered back to the GUI
thread by a queued signal. The file chooser, which would block a test, is an
injectable callable.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QObject, Qt, QThreadPool, QUrl
from PySide6.QtGui import QAction, QDragEnterEvent, QDropEvent, QFileOpenEvent, QGuiApplication
from PySide6.QtWidgets import (
    QApplication,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QMenu,
    QMessageBox,
    QPushButton,
    QSystemTrayIcon,
    QVBoxLayout,
    QWidget,
)

from vaclient import __version__
from vaclient.errors import ElevationCancelled, VaclientError
from vaclient.paths import log_dir
from vaclient.settings import Settings
from vaclient.status import render_text
from vaclient.ui.diagnostics import DiagnosticsWindow, summary_text
from vaclient.ui.i18n import install_translator, remove_translator, tr
from vaclient.ui.icons import app_icon, state_icon
from vaclient.ui.import_dialog import ImportPreviewDialog
from vaclient.ui.jobs import Job, JobRunner
from vaclient.ui.monitor import Monitor
from vaclient.ui.services import CLIENT_GUIDE_URL, WEBVIEW2_URL, Services
from vaclient.ui.settings_dialog import SettingsDialog
from vaclient.ui.state import StateView, TrayState, state_words

if TYPE_CHECKING:
    from vaclient.ui.bundle_dialog import BundleDialog

logger = logging.getLogger(__name__)


def plain_text(text: str) -> str:
    """Menu text without its keyboard accelerator, for accessible names.

    Example: ``"&Run diagnostics"`` -> ``"Run diagnostics"``, and the Japanese
    style ``"診断を実行(&R)"`` -> ``"診断を実行"``.
    """
    text = re.sub(r"\(&[^&]\)", "", text)
    return text.replace("&&", "\0").replace("&", "").replace("\0", "&")


def _capture(fn: Callable[[], Any]) -> Any:
    """Run ``fn`` (on a worker): its result, or the VaclientError it raised.

    A VaclientError is an outcome to show with its hint, not a crash, so it
    is returned to the GUI thread as a value; anything else reaches the
    job's ``failed`` signal as before.
    """
    try:
        return fn()
    except VaclientError as err:
        return err


def config_paths_from_urls(urls: list[QUrl]) -> list[Path]:
    """The local ``.json`` files among dropped or opened URLs."""
    found = []
    for url in urls:
        if url.isLocalFile() and url.toLocalFile().lower().endswith(".json"):
            found.append(Path(url.toLocalFile()))
    return found


class MainWindow(QMainWindow):
    """The window shown instead of a tray icon; accepts dropped ClientConfig files."""

    def __init__(self, controller: TrayController) -> None:
        super().__init__()
        self.controller = controller
        self.setWindowTitle("vaclient")
        self.setWindowIcon(app_icon())
        self.setAcceptDrops(True)
        central = QWidget()
        layout = QVBoxLayout(central)
        top = QHBoxLayout()
        self.icon_label = QLabel()
        self.state_label = QLabel()
        self.state_label.setAccessibleName(tr("Connection state"))
        self.detail_label = QLabel()
        self.detail_label.setWordWrap(True)
        top.addWidget(self.icon_label)
        top.addWidget(self.state_label, 1)
        layout.addLayout(top)
        layout.addWidget(self.detail_label)
        self.buttons_layout = QVBoxLayout()
        layout.addLayout(self.buttons_layout)
        hint = QLabel(tr("Drop a ClientConfig file here to import it."))
        hint.setWordWrap(True)
        layout.addWidget(hint)
        layout.addStretch(1)
        self.setCentralWidget(central)
        self.buttons: list[QPushButton] = []
        self.resize(380, 420)

    def show_view(self, view: StateView) -> None:
        """Show the state's icon, words and detail."""
        self.icon_label.setPixmap(state_icon(view.state, False).pixmap(40, 40))
        self.state_label.setText(f"<b>{state_words(view.state)}</b>")
        self.detail_label.setText(view.detail)

    def set_actions(self, actions: list[QAction]) -> None:
        """One button per menu action (separators and disabled state lines skipped)."""
        for button in self.buttons:
            self.buttons_layout.removeWidget(button)
            button.hide()
            button.deleteLater()
        self.buttons = []
        for action in actions:
            if action.isSeparator() or not action.isEnabled():
                continue
            button = QPushButton(action.text())
            button.setAccessibleName(plain_text(action.text()))
            button.clicked.connect(action.trigger)
            self.buttons_layout.addWidget(button)
            self.buttons.append(button)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # Qt override
        """Accept drags that carry a local JSON file."""
        if config_paths_from_urls(event.mimeData().urls()):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:  # Qt override
        """Import the first dropped JSON file."""
        paths = config_paths_from_urls(event.mimeData().urls())
        if paths:
            event.acceptProposedAction()
            self.controller.import_file(paths[0])

    def closeEvent(self, event: Any) -> None:  # Qt override
        """Closing the window quits the app (there is no tray to return to)."""
        self.controller.quit()
        event.accept()


class TrayController(QObject):
    """Wires the monitor, the icon or window, the menu and the actions together."""

    def __init__(
        self,
        services: Services,
        settings: Settings,
        *,
        tray_available: bool,
        pool: QThreadPool | None = None,
        poll_ms: int = 5000,
        ask_open_file: Callable[[], str] | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.services = services
        self.settings = settings
        self.tray_available = tray_available
        self.jobs = JobRunner(pool)
        self.ask_open_file = ask_open_file or self._ask_open_file
        self.messages: list[tuple[str, str]] = []
        self.notifications: list[tuple[str, str]] = []
        self.translator: Any = None
        self._dialogs: list[QWidget] = []
        self._doctor_running = False
        self.installing: ImportPreviewDialog | None = None

        self.monitor = Monitor(
            services, settings, pool=self.jobs.pool, poll_ms=poll_ms, parent=self
        )
        self.monitor.view_updated.connect(self._show_view)
        self.monitor.state_changed.connect(self._notify_state)
        self.monitor.report_updated.connect(self._report_ready)

        self.diagnostics = DiagnosticsWindow()
        self.diagnostics.rerun_requested.connect(self.run_diagnostics)
        self.diagnostics.fix_requested.connect(self.fix)

        self.menu = QMenu()
        self.menu.aboutToShow.connect(self.rebuild_menu)
        self.actions: dict[str, QAction] = {}
        self.tray: QSystemTrayIcon | None = None
        self.window: MainWindow | None = None
        self.rebuild_menu()

        initial = StateView(TrayState.SIGNED_OUT)
        if tray_available:
            self.tray = QSystemTrayIcon(state_icon(initial.state), self)
            self.tray.setContextMenu(self.menu)
            self.tray.activated.connect(self._tray_activated)
        else:
            logger.info("no system tray here: showing a window instead")
            self.window = MainWindow(self)
            self.rebuild_menu()
        self._show_view(initial)

    # -- start and stop ------------------------------------------------------
    def show(self) -> None:
        """Show the icon (or the window) and start the monitor."""
        if self.tray is not None:
            self.tray.show()
        if self.window is not None:
            self.window.show()

    def start_monitor(self) -> None:
        """Begin polling and periodic checks."""
        self.monitor.start()

    def quit(self) -> None:
        """Stop the monitor and leave the event loop."""
        logger.info("quitting")
        self.monitor.stop()
        if self.tray is not None:
            self.tray.hide()
        app = QApplication.instance()
        if app is not None:
            app.quit()

    # -- icon, tooltip, menu ------------------------------------------------
    @property
    def view(self) -> StateView:
        """The current state and detail."""
        return self.monitor.view or StateView(TrayState.SIGNED_OUT)

    def _show_view(self, view: StateView) -> None:
        if self.tray is not None:
            self.tray.setIcon(state_icon(view.state))
            self.tray.setToolTip(view.tooltip)
        if self.window is not None:
            self.window.show_view(view)
            self.window.setToolTip(view.tooltip)
        state_action = self.actions.get("state")
        if state_action is not None:
            state_action.setText(state_words(view.state))

    def _notify_state(self, view: StateView) -> None:
        """A message when the state changes (not for the first state after start)."""
        if self.window is not None:
            self.rebuild_menu()
        if not getattr(self, "_first_state_seen", False):
            self._first_state_seen = True
            return
        title = state_words(view.state)
        self.notifications.append((title, view.detail))
        if self.tray is not None:
            icon = {
                TrayState.ERROR: QSystemTrayIcon.MessageIcon.Critical,
                TrayState.DEGRADED: QSystemTrayIcon.MessageIcon.Warning,
            }.get(view.state, QSystemTrayIcon.MessageIcon.Information)
            self.tray.showMessage(f"vaclient: {title}", view.detail, icon, 8000)

    def rebuild_menu(self) -> None:
        """Rebuild the menu for the current state (called on aboutToShow)."""
        self.menu.clear()
        self.actions = {}
        view = self.view

        def add(key: str, text: str, slot: Callable[[], Any]) -> QAction:
            action = QAction(text, self.menu)
            action.triggered.connect(lambda _checked=False: slot())
            self.menu.addAction(action)
            self.actions[key] = action
            return action

        state = QAction(state_icon(view.state, False), state_words(view.state), self.menu)
        state.setEnabled(False)
        self.menu.addAction(state)
        self.actions["state"] = state
        self.menu.addSeparator()
        if view.state is TrayState.CONNECTED or view.state is TrayState.DEGRADED:
            add("sign_in", tr("&Open Connectivity Client"), self.open_client)
        else:
            add("sign_in", tr("&Sign in"), self.sign_in)
        add("diagnostics", tr("&Run diagnostics"), self.run_diagnostics)
        add("import", tr("&Import configuration…"), self.import_configuration)
        add("endpoints", tr("&Endpoints…"), self.show_endpoints)
        add("copy", tr("&Copy diagnostic summary"), self.copy_summary)
        add("bundle", tr("Make support &bundle…"), self.show_bundle)
        add("logs", tr("Open &log folder"), self.open_log_folder)
        self.menu.addSeparator()
        add("settings", tr("Se&ttings…"), self.show_settings)
        add("about", tr("&About vaclient"), self.show_about)
        self.menu.addSeparator()
        add("quit", tr("&Quit"), self.quit)
        if self.window is not None:
            self.window.set_actions(list(self.menu.actions()))

    def _tray_activated(self, reason: QSystemTrayIcon.ActivationReason) -> None:
        if reason in (
            QSystemTrayIcon.ActivationReason.Trigger,
            QSystemTrayIcon.ActivationReason.DoubleClick,
        ):
            self.run_diagnostics()

    # -- messages ------------------------------------------------------------
    def inform(self, title: str, text: str, *, error: bool = False) -> None:
        """Show a non-blocking message box (recorded for tests)."""
        self.messages.append((title, text))
        box = QMessageBox(
            QMessageBox.Icon.Warning if error else QMessageBox.Icon.Information,
            title,
            text,
            QMessageBox.StandardButton.Ok,
        )
        box.setWindowIcon(app_icon())
        box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self._dialogs.append(box)
        box.finished.connect(lambda _r, b=box: self._dialogs.remove(b))
        box.open()

    def _show_error(self, title: str, err: VaclientError) -> None:
        text = err.message + (f"\n\n{err.hint}" if err.hint else "")
        self.inform(title, text, error=True)

    # -- background work ---------------------------------------------------------
    def _start_job(
        self,
        work: Callable[[], Any],
        done: Callable[[Any], None],
        failed: Callable[[str], None],
    ) -> Job:
        """Run ``work`` on the pool; ``done`` or ``failed`` is called on the GUI thread."""
        return self.jobs.start(work, done, failed)

    # -- actions ---------------------------------------------------------------
    def sign_in(self) -> None:
        """Start the Connectivity Client and show "connecting" until the tunnel is up."""
        self._launch_client(connect=True)

    def open_client(self) -> None:
        """Bring up the Connectivity Client's own window."""
        self._launch_client(connect=False)

    def _launch_client(self, *, connect: bool) -> None:
        """Start the client on a worker: finding it may walk the registry or run ``open``."""
        settings = self.settings
        title = tr("Cannot start the Connectivity Client")

        def done(outcome: Any) -> None:
            if isinstance(outcome, VaclientError):
                self._show_error(title, outcome)
            elif connect:
                self.monitor.begin_connecting()

        self._start_job(
            lambda: _capture(lambda: self.services.launch_client(settings)),
            done,
            lambda message: self.inform(title, message, error=True),
        )

    def run_diagnostics(self) -> None:
        """Show the diagnostics window and run the doctor on a worker thread."""
        self.diagnostics.show()
        self.diagnostics.raise_()
        if self.monitor.report is not None and self.diagnostics.report is None:
            self.diagnostics.show_report(self.monitor.report)
        if self._doctor_running:
            return
        self._doctor_running = True
        self.diagnostics.set_running()
        settings = self.settings

        def done(report: Any) -> None:
            self._doctor_running = False
            self.monitor._check_done(report)

        def failed(message: str) -> None:
            self._doctor_running = False
            self.diagnostics.summary_label.setText(tr("The diagnosis could not run: ") + message)
            self.diagnostics.rerun_button.setEnabled(True)

        self._start_job(lambda: self.services.run_doctor(settings), done, failed)

    def _report_ready(self, report: Any) -> None:
        if self.diagnostics.isVisible() or self.diagnostics.report is None:
            self.diagnostics.show_report(report)

    def fix(self, action: str) -> None:
        """Carry out a fix button's action."""
        logger.info("fix action: %s", action)
        if action == "open-webview2":
            self.services.open_url(WEBVIEW2_URL)
        elif action == "open-client-download":
            self.services.open_url(CLIENT_GUIDE_URL)
        elif action == "import-config":
            self.import_configuration()
        elif action == "start-client":
            self.sign_in()
        elif action == "ipv6-settings" and not self.services.open_ipv6_settings():
            self.inform(tr("IPv6 settings"), tr("Open your network settings and enable IPv6."))

    def import_configuration(self) -> None:
        """Ask for a ClientConfig file, then import it."""
        name = self.ask_open_file()
        if name:
            self.import_file(Path(name))

    def _ask_open_file(self) -> str:
        name, _filter = QFileDialog.getOpenFileName(
            None,
            tr("Import configuration"),
            str(Path.home()),
            tr("ClientConfig files (ClientConfig-*.json *.json)"),
        )
        return str(name)

    def import_file(self, path: Path) -> ImportPreviewDialog | None:
        """Open the preview of what installing ``path`` changes; Install in it installs.

        Returns the preview (not modal, so the tray keeps working), or None
        when the file cannot be installed (the error is shown).
        """
        logger.info("import requested: %s", path)
        try:
            plan = self.services.plan_install(path)
        except VaclientError as err:
            self._show_error(tr("Cannot import {name}").format(name=path.name), err)
            return None
        dialog = ImportPreviewDialog(plan)
        dialog.install_requested.connect(lambda: self.install(dialog))
        dialog.rejected.connect(lambda: logger.info("import of %s cancelled", path.name))
        self._dialogs.append(dialog)
        dialog.finished.connect(lambda _r: self._dialogs.remove(dialog))
        dialog.open()
        return dialog

    def install(self, dialog: ImportPreviewDialog) -> None:
        """Install the preview's plan on a worker; the OS may show its administrator prompt.

        One install runs at a time. The outcome comes back on the GUI thread:
        installed (the preview closes, a message names the file and the
        backup, the status is polled again), cancelled at the prompt (a calm
        note in the preview, which stays open) or failed (the error with its
        hint; the preview stays open to try again).
        """
        if self.installing is not None:
            dialog.set_installing(False)
            dialog.show_note(tr("Another configuration is being installed; try again after it."))
            return
        self.installing = dialog
        dialog.set_installing(True)
        plan = dialog.plan
        name = plan.destination.name
        logger.info("installing %s (the administrator prompt may appear)", name)

        def done(outcome: Any) -> None:
            self.installing = None
            dialog.set_installing(False)
            if isinstance(outcome, ElevationCancelled):
                logger.info("install of %s cancelled at the administrator prompt", name)
                dialog.show_note(tr("Cancelled at the administrator prompt; nothing was changed."))
            elif isinstance(outcome, VaclientError):
                self._show_error(tr("Cannot import {name}").format(name=name), outcome)
            else:
                dialog.accept()
                self._installed(outcome)

        def failed(message: str) -> None:
            self.installing = None
            dialog.set_installing(False)
            self.inform(tr("Cannot import {name}").format(name=name), message, error=True)

        self._start_job(
            lambda: _capture(lambda: self.services.execute_install(plan)), done, failed
        )

    def _installed(self, result: Any) -> None:
        """Tell what was installed and what to do next; poll the status again."""
        lines = [tr("Installed as {path}.").format(path=result.destination)]
        if getattr(result, "backup", None):
            lines.append(tr("The file it replaced was kept as {path}.").format(path=result.backup))
        lines.append(self._restart_advice())
        self.inform(tr("Configuration installed"), "\n\n".join(lines))
        self.monitor.poll_now()

    def _restart_advice(self) -> str:
        """What to do with the client so that it reads the new file.

        Whether a running Connectivity Client reloads its configurations is
        not documented, so a running client is always asked to restart.
        """
        status = self.monitor.status
        running = status.client.running if status is not None else None
        if running:
            return tr(
                "The Connectivity Client is running and may not read the new file until it "
                "starts again: quit it and start it again."
            )
        if running is None:
            return tr(
                "If the Connectivity Client is running, quit it and start it again so that "
                "it reads the new file."
            )
        return tr("Start the Connectivity Client to use it.")

    def show_endpoints(self) -> None:
        """The settings dialog, on its endpoints tab."""
        self.show_settings(start_tab=0)

    def show_settings(self, start_tab: int = 1) -> SettingsDialog:
        """Open the settings dialog; saving applies the settings at once."""
        dialog = SettingsDialog(self.settings, start_tab=start_tab)
        dialog.accepted.connect(lambda: self.apply_settings(dialog.result_settings()))
        self._dialogs.append(dialog)
        dialog.finished.connect(lambda _r: self._dialogs.remove(dialog))
        dialog.open()
        return dialog

    def apply_settings(self, new: Settings) -> None:
        """Save ``new`` and apply it: interval, language, start at login."""
        old = self.settings
        try:
            self.services.save_settings(new)
        except (OSError, VaclientError) as err:
            self.inform(tr("Cannot save the settings"), str(err), error=True)
            return
        self.settings = new
        self.monitor.apply_settings(new)
        if new.start_at_login != old.start_at_login:
            try:
                self.services.set_autostart(new.start_at_login)
            except VaclientError as err:
                self._show_error(tr("Cannot change start at login"), err)
        if new.language != old.language:
            self.set_language(new.language)
        if new.endpoints != old.endpoints or new.tunnel_interface != old.tunnel_interface:
            self.monitor.poll_now()
            self.monitor.check_now()

    def set_language(self, setting: str) -> None:
        """Switch the translation; menus and windows opened later use it."""
        from vaclient.ui.i18n import choose_language

        remove_translator(self.translator)
        self.translator = install_translator(choose_language(setting))
        self.rebuild_menu()
        self._show_view(self.view)

    def copy_summary(self) -> str:
        """Copy a summary without secrets: the last report, else the quick status."""
        if self.monitor.report is not None:
            text = summary_text(self.monitor.report)
        elif self.monitor.status is not None:
            text = render_text(self.monitor.status) + "\n"
        else:
            text = f"vaclient {__version__}: {state_words(self.view.state)}\n"
        QGuiApplication.clipboard().setText(text)
        return text

    def show_bundle(self) -> BundleDialog:
        """Open the support bundle preview; it starts collecting at once.

        The dialog module is imported here so that the tray starts without
        loading the bundle code.
        """
        from vaclient.ui.bundle_dialog import BundleDialog

        dialog = BundleDialog(self.services, self.settings, pool=self.jobs.pool)
        self._dialogs.append(dialog)
        dialog.finished.connect(lambda _r: self._dialogs.remove(dialog))
        dialog.open()
        dialog.replan()
        return dialog

    def open_log_folder(self) -> None:
        """Open the per-user log folder in the file manager."""
        self.services.open_folder(log_dir())

    def show_about(self) -> None:
        """A short About box."""
        self.inform(
            tr("About vaclient"),
            tr(
                "vaclient {version}\nA companion for the AWS Verified Access "
                "Connectivity Client: configuration install, diagnostics and status."
            ).format(version=__version__),
        )

    # -- other instances and the OS ---------------------------------------------
    def handle_arguments(self, args: list[str]) -> None:
        """Arguments from a second launch or the command line: files to import."""
        for arg in args:
            if arg.lower().endswith(".json"):
                self.import_file(Path(arg))
                return
        if self.window is not None:
            self.window.raise_()
            self.window.activateWindow()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # Qt override
        """Files opened with the app on macOS arrive as QFileOpenEvent."""
        if isinstance(event, QFileOpenEvent) and event.file():
            self.import_file(Path(event.file()))
            return True
        return super().eventFilter(watched, event)
