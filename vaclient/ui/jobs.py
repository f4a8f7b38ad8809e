"""Background work for the GUI: blocking calls on a thread pool, results on the GUI thread.

The GUI thread never waits on the network or on an administrator prompt.
Every window that needs a blocking call (the monitor, the controller, the
bundle dialog) hands it to :class:`JobRunner`, which runs it on a
:class:`QThreadPool` and calls back on the GUI thread through queued
signals. The runner keeps each job alive until it has reported, since Qt
does not own Python runnables.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

logger = logging.getLogger(__name__)


class JobSignals(QObject):
    """Carries a job's outcome back to the GUI thread."""

    finished = Signal(object)
    failed = Signal(str)


class Job(QRunnable):
    """Runs one blocking call on a pool thread."""

    def __init__(self, fn: Callable[[], Any]) -> None:
        super().__init__()
        self.fn = fn
        self.signals = JobSignals()
        self.setAutoDelete(False)

    def run(self) -> None:
        """Call the function; report its result or its error (never raise into Qt)."""
        try:
            result = self.fn()
        except Exception as err:  # any failure becomes a state, not a crash
            logger.warning("background job failed: %s", err, exc_info=True)
            self.signals.failed.emit(str(getattr(err, "message", None) or err))
            return
        self.signals.finished.emit(result)


class JobRunner:
    """Starts jobs on a pool and keeps them alive until they report."""

    def __init__(self, pool: QThreadPool | None = None) -> None:
        self.pool = pool or QThreadPool.globalInstance()
        self._running: set[Job] = set()

    @property
    def busy(self) -> bool:
        """Whether any job started here has not reported yet."""
        return bool(self._running)

    def start(
        self,
        work: Callable[[], Any],
        done: Callable[[Any], None],
        failed: Callable[[str], None],
    ) -> Job:
        """Run ``work`` on the pool; ``done`` or ``failed`` is called on the GUI thread."""
        job = Job(work)
        self._running.add(job)

        def finished(result: Any) -> None:
            self._running.discard(job)
            done(result)

        def errored(message: str) -> None:
            self._running.discard(job)
            failed(message)

        job.signals.finished.connect(finished)
        job.signals.failed.connect(errored)
        self.pool.start(job)
        return job
