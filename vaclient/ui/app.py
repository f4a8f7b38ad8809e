"""The tray controller: icon, menu, windows, and what each action does.

:class:`TrayController` owns the monitor, the tray icon (or, where the
system has no tray, a small main window with the same actions), and the
windows. Everything that touches the OS goes through
:class:`~vaclient.ui.services.Services`; dialogs that would block a test
(file chooser, install confirmation) are injectable callables.
"""

from __future__ import annotations

import logging
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
from vaclient.errors import VaclientError
from vaclient.paths import log_dir
from vaclient.settings import Settings
from vaclient.status import render_text
from vaclient.ui.diagnostics import DiagnosticsWindow, summary_text
from vaclient.ui.i18n import install_translator, remove_translator, tr
from vaclient.ui.icons import app_icon, state_icon
from vaclient.ui.import_dialog import ImportPreviewDialog
from vaclient.ui.monitor import Monitor, _Job
from vaclient.ui.services import CLIENT_GUIDE_URL, WEBVIEW2_URL, Services
from vaclient.ui.settings_dialog import SettingsDialog
from vaclient.ui.state import StateView, TrayState, state_words

if TYPE_CHECKING:
    from vaclient.ui.bundle_dialog import BundleDialog

logger = logging.getLogger(__name__)


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
            button.setAccessibleName(action.text().replace("&", ""))
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
        confirm_install: Callable[[Any], bool] | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.services = services
        self.settings = settings
        self.tray_available = tray_available
        self.pool = pool or QThreadPool.globalInstance()
        self.ask_open_file = ask_open_file or self._ask_open_file
        self.confirm_install = confirm_install or self._confirm_install
        self.messages: list[tuple[str, str]] = []
        self.notifications: list[tuple[str, str]] = []
        self.translator: Any = None
        self._dialogs: list[QWidget] = []
        self._jobs: set[_Job] = set()
        self._doctor_running = False

        self.monitor = Monitor(services, settings, pool=self.pool, poll_ms=poll_ms, parent=self)
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
            add("sign_in", tr("Open Connectivity Client"), self.open_client)
        else:
            add("sign_in", tr("Sign in"), self.sign_in)
        add("diagnostics", tr("Run diagnostics"), self.run_diagnostics)
        add("import", tr("Import configuration…"), self.import_configuration)
        add("endpoints", tr("Endpoints…"), self.show_endpoints)
        add("copy", tr("Copy diagnostic summary"), self.copy_summary)
        add("bundle", tr("Make support bundle…"), self.show_bundle)
        add("logs", tr("Open log folder"), self.open_log_folder)
        self.menu.addSeparator()
        add("settings", tr("Settings…"), self.show_settings)
        add("about", tr("About vaclient"), self.show_about)
        self.menu.addSeparator()
        add("quit", tr("Quit"), self.quit)
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

    # -- actions ---------------------------------------------------------------
    def sign_in(self) -> None:
        """Start the Connectivity Client and show "connecting" until the tunnel is up."""
        try:
            self.services.launch_client(self.settings)
        except VaclientError as err:
            self._show_error(tr("Cannot start the Connectivity Client"), err)
            return
        self.monitor.begin_connecting()

    def open_client(self) -> None:
        """Bring up the Connectivity Client's own window."""
        try:
            self.services.launch_client(self.settings)
        except VaclientError as err:
            self._show_error(tr("Cannot start the Connectivity Client"), err)

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
        job = _Job(lambda: self.services.run_doctor(settings))
        job.setAutoDelete(False)
        self._jobs.add(job)

        def done(report: Any) -> None:
            self._jobs.discard(job)
            self._doctor_running = False
            self.monitor._check_done(report)

        def failed(message: str) -> None:
            self._jobs.discard(job)
            self._doctor_running = False
            self.diagnostics.summary_label.setText(tr("The diagnosis could not run: ") + message)
            self.diagnostics.rerun_button.setEnabled(True)

        job.signals.finished.connect(done)
        job.signals.failed.connect(failed)
        self.pool.start(job)

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

    def _confirm_install(self, plan: Any) -> bool:
        dialog = ImportPreviewDialog(plan)
        return dialog.exec() == ImportPreviewDialog.DialogCode.Accepted

    def import_file(self, path: Path) -> bool:
        """Preview what installing ``path`` changes, then install it after a yes."""
        logger.info("import requested: %s", path)
        try:
            plan = self.services.plan_install(path)
        except VaclientError as err:
            self._show_error(tr("Cannot import {name}").format(name=path.name), err)
            return False
        if not self.confirm_install(plan):
            logger.info("import of %s cancelled", path)
            return False
        # TODO(tray): run the install on a worker thread; today the GUI waits here while
        # the OS asks for administrator rights (the prompt is modal anyway).
        try:
            result = self.services.execute_install(plan)
        except VaclientError as err:
            self._show_error(tr("Cannot import {name}").format(name=path.name), err)
            return False
        self.inform(
            tr("Configuration installed"),
            tr("Installed as {path}. Start the Connectivity Client again to use it.").format(
                path=result.destination
            ),
        )
        self.monitor.poll_now()
        return True

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

        dialog = BundleDialog(self.services, self.settings, pool=self.pool)
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
