"""``client.running``: the platform looks for the client under the configured names."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest

from vaclient.checks.model import CheckResult, Status
from vaclient.checks.prereq import CLIENT_RUNNING, client_steps
from vaclient.checks.runner import run_chains
from vaclient.platforms.base import ClientInstallation, Platform
from vaclient.platforms.processes import ProcessMatch
from vaclient.settings import Settings


class FakeMac(Platform):
    """A macOS-like boundary: the client is installed; process lookups are recorded."""

    name = "macos"

    def __init__(self, running: ProcessMatch | None) -> None:
        super().__init__()
        self.running = running
        self.asked: list[tuple[str, ...]] = []

    def client_installation(self) -> ClientInstallation:
        return ClientInstallation(True, "1.0.6", "/Applications/Connectivity Client.app")

    def client_process(self, names: Sequence[str] = ()) -> ProcessMatch | None:
        self.asked.append(tuple(names))
        return self.running


def run_client_steps(platform: Platform, settings: Settings) -> dict[str, CheckResult]:
    return {r.id: r for r in run_chains([client_steps(platform, settings)], 5.0)}


def test_client_running_uses_the_configured_names() -> None:
    platform = FakeMac(ProcessMatch(812, "VA Client", "/Applications/VA.app/VA Client", "VA*"))
    settings = Settings(client_processes=("VA*", "vaclientd"))

    results = run_client_steps(platform, settings)

    assert platform.asked == [("VA*", "vaclientd")]
    running = results[CLIENT_RUNNING]
    assert running.status is Status.OK
    assert running.message == "running as VA Client (pid 812)"


def test_client_not_running_fails() -> None:
    platform = FakeMac(None)

    results = run_client_steps(platform, Settings())

    assert platform.asked == [()]
    assert (results[CLIENT_RUNNING].status, results[CLIENT_RUNNING].code) == (
        Status.FAIL,
        "client-not-running",
    )


@pytest.fixture
def renamed_sleep(tmp_path: Path) -> Iterator[subprocess.Popen[bytes]]:
    """A real process whose executable has a name no default lists."""
    sleep = shutil.which("sleep")
    assert sleep is not None
    target = tmp_path / "AcmeVerifiedClient"
    shutil.copy(sleep, target)
    child = subprocess.Popen([str(target), "60"])
    try:
        yield child
    finally:
        child.kill()
        child.wait(timeout=10)


def test_base_platform_finds_the_client_by_a_configured_name(
    renamed_sleep: subprocess.Popen[bytes],
) -> None:
    platform = Platform()

    found = platform.client_process(["acmeverified*"])
    not_found = platform.client_process()

    assert found is not None
    assert (found.pid, found.matched) == (renamed_sleep.pid, "acmeverified*")
    assert not_found is None or not_found.pid != renamed_sleep.pid
