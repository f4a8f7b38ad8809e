"""The monitor: work on pool threads, one state_changed per change, not per poll."""

from __future__ import annotations

import threading
from typing import Any

from PySide6.QtCore import QThreadPool

from tests.ui.conftest import Recorder, make_report, make_status
from vaclient.settings import Settings
from vaclient.ui.monitor import Monitor
from vaclient.ui.state import TrayState


def _poll(qtbot: Any, monitor: Monitor) -> None:
    with qtbot.waitSignal(monitor.view_updated, timeout=5000):
        monitor.poll_now()


def test_state_change_is_emitted_once_per_change(qtbot: Any, pool: QThreadPool) -> None:
    recorder = Recorder()
    recorder.status = make_status(up=False)
    monitor = Monitor(recorder.services(), Settings(), pool=pool)
    changes: list[TrayState] = []
    monitor.state_changed.connect(lambda view: changes.append(view.state))

    for _ in range(3):
        _poll(qtbot, monitor)
    recorder.status = make_status()
    recorder.report = make_report(failing=False)
    with qtbot.waitSignal(monitor.report_updated, timeout=5000):
        monitor.check_now()
    for _ in range(3):
        _poll(qtbot, monitor)
    recorder.status = make_status(up=False)
    _poll(qtbot, monitor)

    assert changes == [TrayState.SIGNED_OUT, TrayState.CONNECTED, TrayState.SIGNED_OUT]
    assert recorder.names().count("quick_status") == 7


def test_work_runs_off_the_gui_thread(qtbot: Any, pool: QThreadPool) -> None:
    recorder = Recorder()
    threads: list[threading.Thread] = []
    services = recorder.services()
    services.quick_status = lambda settings: (
        threads.append(threading.current_thread()) or recorder.status
    )
    monitor = Monitor(services, Settings(), pool=pool)
    _poll(qtbot, monitor)
    assert threads and threads[0] is not threading.main_thread()


def test_a_failing_poll_becomes_the_error_state(qtbot: Any, pool: QThreadPool) -> None:
    recorder = Recorder()
    services = recorder.services()

    def broken(settings: Settings) -> Any:
        raise OSError("route table unreadable")

    services.quick_status = broken
    monitor = Monitor(services, Settings(), pool=pool)
    with qtbot.waitSignal(monitor.state_changed, timeout=5000) as signal:
        monitor.poll_now()
    assert signal.args[0].state is TrayState.ERROR
    assert "route table unreadable" in signal.args[0].detail


def test_timers_follow_the_settings(pool: QThreadPool, qtbot: Any) -> None:
    recorder = Recorder()
    monitor = Monitor(recorder.services(), Settings(check_interval_s=60), pool=pool, poll_ms=5000)
    assert monitor.poll_timer.interval() == 5000
    assert monitor.check_timer.interval() == 60_000
    monitor.apply_settings(Settings(check_interval_s=900))
    assert monitor.check_timer.interval() == 900_000
    monitor.stop()


def test_notification_only_on_change(qtbot: Any, controller: Any, recorder: Recorder) -> None:
    recorder.status = make_status(up=False)
    for _ in range(2):
        _poll(qtbot, controller.monitor)
    assert controller.notifications == []  # the first state after start is not announced
    recorder.status = make_status(configured=False)
    for _ in range(3):
        _poll(qtbot, controller.monitor)
    assert controller.notifications == [("Not configured", "Import a ClientConfig file to start.")]
