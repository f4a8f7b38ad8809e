"""JobRunner: blocking work on a pool, outcomes on the GUI thread."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtCore import QThread, QThreadPool

from vaclient.errors import VaclientError
from vaclient.ui.jobs import JobRunner


@pytest.fixture
def runner(qtbot: Any) -> Iterator[JobRunner]:
    pool = QThreadPool()
    yield JobRunner(pool)
    pool.waitForDone(5000)


def test_result_arrives_on_the_gui_thread(qtbot: Any, runner: JobRunner) -> None:
    gui = QThread.currentThread()
    seen: dict[str, Any] = {}

    def work() -> int:
        seen["worker_is_gui"] = QThread.currentThread() is gui
        return 42

    def done(result: Any) -> None:
        seen["result"] = result
        seen["done_is_gui"] = QThread.currentThread() is gui

    runner.start(work, done, lambda message: seen.setdefault("failed", message))
    assert runner.busy
    qtbot.waitUntil(lambda: "result" in seen, timeout=5000)

    assert seen == {"worker_is_gui": False, "result": 42, "done_is_gui": True}
    assert not runner.busy


def test_an_error_becomes_its_message(qtbot: Any, runner: JobRunner) -> None:
    failures: list[str] = []

    def work() -> None:
        raise VaclientError("the client is not installed", "Install it.")

    runner.start(work, lambda _r: None, failures.append)
    qtbot.waitUntil(lambda: bool(failures), timeout=5000)

    assert failures == ["the client is not installed"]
    assert not runner.busy


def test_busy_until_the_last_job_reports(qtbot: Any, runner: JobRunner) -> None:
    release = threading.Event()
    results: list[str] = []
    runner.start(lambda: release.wait(5) and "slow", results.append, results.append)
    runner.start(lambda: "fast", results.append, results.append)

    qtbot.waitUntil(lambda: results == ["fast"], timeout=5000)
    assert runner.busy
    release.set()
    qtbot.waitUntil(lambda: not runner.busy, timeout=5000)
    assert results == ["fast", "slow"]
