"""The background monitor: cheap tunnel polling and periodic endpoint checks.

Two timers on the GUI thread start jobs on a :class:`QThreadPool`; the GUI
thread never waits for a poll or a check. Results come back as queued
signals. :attr:`Monitor.state_changed` fires only when the derived
:class:`~vaclient.ui.state.TrayState` changes, not on every poll, so a
notification is shown once per change.

Signals:
    status_updated(QuickStatus): after every successful poll.
    report_updated(Report): after every doctor run.
    view_updated(StateView): after every poll or check (tooltip detail may change).
    state_changed(StateView): only when the state differs from the last one.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QThreadPool, QTimer, Signal, Slot

from vaclient.checks.model import Report
from vaclient.settings import Settings
from vaclient.status import QuickStatus
from vaclient.ui.jobs import JobRunner
from vaclient.ui.services import Services
from vaclient.ui.state import StateView, derive_state

logger = logging.getLogger(__name__)

DEFAULT_POLL_MS = 5000
DEFAULT_CONNECT_TIMEOUT_MS = 120_000


class Monitor(QObject):
    """Polls the quick status and runs the doctor in the background."""

    status_updated = Signal(object)
    report_updated = Signal(object)
    view_updated = Signal(object)
    state_changed = Signal(object)

    def __init__(
        self,
        services: Services,
        settings: Settings,
        *,
        pool: QThreadPool | None = None,
        poll_ms: int = DEFAULT_POLL_MS,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.services = services
        self.settings = settings
        self.jobs = JobRunner(pool)

        self.status: QuickStatus | None = None
        self.report: Report | None = None
        self.error = ""
        self.connecting = False
        self.view: StateView | None = None
        self._polling = False
        self._checking = False

        self.poll_timer = QTimer(self)
        self.poll_timer.setInterval(poll_ms)
        self.poll_timer.timeout.connect(self.poll_now)
        self.check_timer = QTimer(self)
        self.check_timer.setInterval(settings.check_interval_s * 1000)
        self.check_timer.timeout.connect(self.check_now)
        self.connect_timer = QTimer(self)
        self.connect_timer.setSingleShot(True)
        self.connect_timer.timeout.connect(self._connect_timed_out)

    # -- control -----------------------------------------------------------
    def start(self) -> None:
        """Poll and check now, then on the timers."""
        self.poll_timer.start()
        self.check_timer.start()
        self.poll_now()
        self.check_now()

    def stop(self, wait_ms: int = 3000) -> None:
        """Stop the timers and give running jobs a moment to end."""
        self.poll_timer.stop()
        self.check_timer.stop()
        self.connect_timer.stop()
        self.jobs.pool.waitForDone(wait_ms)

    def apply_settings(self, settings: Settings) -> None:
        """Use new settings (interval, tunnel interface) from now on."""
        self.settings = settings
        self.check_timer.setInterval(settings.check_interval_s * 1000)

    def begin_connecting(self, timeout_ms: int = DEFAULT_CONNECT_TIMEOUT_MS) -> None:
        """Show "connecting" until the tunnel is up or ``timeout_ms`` passed."""
        self.connecting = True
        self.connect_timer.start(timeout_ms)
        self._update_view()
        self.poll_now()

    # -- jobs ----------------------------------------------------------------
    def _submit(
        self, fn: Callable[[], Any], done: Callable[[Any], None], failed: Callable[[str], None]
    ) -> None:
        self.jobs.start(fn, done, failed)

    @Slot()
    def poll_now(self) -> None:
        """Start a quick-status poll unless one is running."""
        if self._polling:
            return
        self._polling = True
        settings = self.settings
        self._submit(
            lambda: self.services.quick_status(settings), self._poll_done, self._poll_failed
        )

    @Slot()
    def check_now(self) -> None:
        """Start a doctor run unless one is running."""
        if self._checking:
            return
        self._checking = True
        settings = self.settings
        self._submit(
            lambda: self.services.run_doctor(settings), self._check_done, self._check_failed
        )

    def _poll_done(self, status: QuickStatus) -> None:
        self._polling = False
        self.status = status
        self.error = ""
        if status.connected and self.connecting:
            self.connecting = False
            self.connect_timer.stop()
            self.check_now()
        self.status_updated.emit(status)
        self._update_view()

    def _poll_failed(self, message: str) -> None:
        self._polling = False
        self.error = message
        self._update_view()

    def _check_done(self, report: Report) -> None:
        self._checking = False
        self.report = report
        self.report_updated.emit(report)
        self._update_view()

    def _check_failed(self, message: str) -> None:
        self._checking = False
        logger.warning("endpoint check failed to run: %s", message)

    def _connect_timed_out(self) -> None:
        self.connecting = False
        self._update_view()

    def _update_view(self) -> None:
        view = derive_state(self.status, self.report, connecting=self.connecting, error=self.error)
        previous = self.view
        self.view = view
        self.view_updated.emit(view)
        if previous is None or previous.state is not view.state:
            logger.info("state: %s (%s)", view.state.value, view.detail)
            self.state_changed.emit(view)
