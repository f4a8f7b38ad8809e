"""Fixtures for the Qt tests (offscreen): fake OS boundary, a controller per test."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QThreadPool

from vaclient.checks.model import CheckResult, EndpointVerdict, Report, Stage, Status
from vaclient.config.install import plan_install
from vaclient.config.safety import Privileges
from vaclient.config.store import InstallResult
from vaclient.settings import Endpoint, Settings
from vaclient.status import ClientState, ConfigState, QuickStatus, RouteState, TunnelState
from vaclient.ui.app import TrayController
from vaclient.ui.services import Services

EXAMPLE = Path(__file__).parents[2] / "resources/examples/ClientConfig-vai-0123456789abcdef0.json"
#: A user who may not write the configuration folder: installs go through the elevator.
UNPRIVILEGED = Privileges(is_privileged=lambda: False, can_write=lambda path: False)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every test in this folder uses Qt."""
    for item in items:
        if "tests/ui/" in str(item.fspath).replace("\\", "/"):
            item.add_marker(pytest.mark.gui)


def make_status(
    *, configured: bool = True, up: bool = True, routes_ok: bool = True
) -> QuickStatus:
    """A quick status as the real collector builds it (no OS needed)."""
    routes = (
        RouteState(
            "2001:db8:1400::/57", "2001:db8:1400::", "utun4" if routes_ok else "en0", routes_ok
        ),
    )
    configs = (
        (
            ConfigState(
                "/cfg/ClientConfig-vai-0123456789abcdef0.json",
                True,
                "vai-0123456789abcdef0",
                "eu-central-1",
                routes=routes if up else (),
                routes_ok=routes_ok if up else None,
            ),
        )
        if configured
        else ()
    )
    return QuickStatus(
        "/cfg",
        configs,
        ClientState(True, True, True, "1.0.4"),
        TunnelState(up, "utun4", ("2001:db8:1400::1002",) if up else ()),
        "macos",
    )


def make_report(*, failing: bool = True) -> Report:
    """A report with a prerequisite warning, a fix-able failure and an endpoint."""
    checks = [
        CheckResult(
            "prereq.ipv6",
            "IPv6 enabled",
            Status.OK,
            message="IPv6 is enabled",
            stage=Stage.PREREQ,
        ),
        CheckResult(
            "prereq.webview2",
            "WebView2 Runtime",
            Status.FAIL if failing else Status.OK,
            code="webview2-missing" if failing else None,
            message="The WebView2 Runtime is not installed" if failing else "installed (120.0)",
            hint="Install the Microsoft Edge WebView2 Runtime (Evergreen)." if failing else None,
            stage=Stage.PREREQ,
        ),
        CheckResult(
            "tcp.connect:db.example.com:5432",
            "TCP connection",
            Status.FAIL if failing else Status.OK,
            code="tcp-timeout" if failing else None,
            message="No answer from [2001:db8:1400::10]:5432 within 3 s" if failing else "ok",
            hint="Ask helpdesk to check the access log." if failing else None,
            target="db.example.com:5432",
            stage=Stage.TCP,
        ),
    ]
    endpoint = EndpointVerdict(
        "db.example.com:5432",
        Status.FAIL if failing else Status.OK,
        "tcp-timeout" if failing else None,
        "2001:db8:1400::10",
    )
    return Report.build(
        checks, [endpoint], host_os="macos", os_version="15.2", tool_version="0.1.0"
    )


class Recorder:
    """Fake OS boundary: records every call, returns canned local results.

    ``plan_install`` plans for real against ``config_dir`` (nothing is
    written); ``execute_install`` only records and says where it installed.
    """

    def __init__(self, config_dir: Path | None = None) -> None:
        self.config_dir = config_dir
        self.calls: list[tuple[str, Any]] = []
        self.status = make_status()
        self.report = make_report()
        self.saved: list[Settings] = []

    def services(self) -> Services:
        def record(name: str, result: Any = None) -> Any:
            def call(*args: Any) -> Any:
                self.calls.append((name, args))
                return result() if callable(result) else result

            return call

        def save(settings: Settings) -> Path:
            self.saved.append(settings)
            return Path("settings.json")

        return Services(
            quick_status=record("quick_status", lambda: self.status),
            run_doctor=record("run_doctor", lambda: self.report),
            launch_client=record("launch_client"),
            plan_install=self.plan,
            execute_install=self.install,
            open_url=record("open_url", True),
            open_folder=record("open_folder", True),
            open_ipv6_settings=record("open_ipv6_settings", True),
            set_autostart=record("set_autostart"),
            load_settings=Settings,
            save_settings=save,
        )

    def plan(self, path: Path) -> Any:
        self.calls.append(("plan_install", (path,)))
        assert self.config_dir is not None, "give the Recorder a config_dir to import"
        return plan_install(path, self.config_dir, privileges=UNPRIVILEGED)

    def install(self, plan: Any) -> InstallResult:
        self.calls.append(("execute_install", (plan,)))
        return InstallResult(plan.destination, None, changed=True, elevated=True)

    def names(self) -> list[str]:
        return [name for name, _args in self.calls]


@pytest.fixture
def recorder(tmp_path: Path) -> Recorder:
    return Recorder(tmp_path / "Connectivity Client")


@pytest.fixture
def pool() -> Iterator[QThreadPool]:
    own = QThreadPool()
    yield own
    own.waitForDone(5000)


def _controller(qtbot: Any, recorder: Recorder, pool: QThreadPool, tray: bool) -> TrayController:
    settings = Settings(endpoints=(Endpoint("db.example.com", 5432, "Database"),))
    controller = TrayController(
        recorder.services(),
        settings,
        tray_available=tray,
        pool=pool,
        ask_open_file=lambda: str(EXAMPLE),
    )
    qtbot.addWidget(controller.diagnostics)
    if controller.window is not None:
        qtbot.addWidget(controller.window)
    return controller


@pytest.fixture
def controller(qtbot: Any, recorder: Recorder, pool: QThreadPool) -> Iterator[TrayController]:
    """A controller with a tray icon (Qt offscreen still builds one)."""
    made = _controller(qtbot, recorder, pool, tray=True)
    yield made
    made.monitor.stop()


@pytest.fixture
def windowed(qtbot: Any, recorder: Recorder, pool: QThreadPool) -> Iterator[TrayController]:
    """A controller as on a system without a tray: a main window."""
    made = _controller(qtbot, recorder, pool, tray=False)
    yield made
    made.monitor.stop()
