"""Fixtures for the namespace lab.

- ``lab_required``: skip when the lab cannot run here, fail when CI=true
  (the same rule :func:`tests.lab.labkit.env.require_lab` applies; tests
  outside this folder import that function). Every test marked ``lab`` in
  this folder gets it automatically.
- ``lab``: the session's shared lab; faults a test applies are undone after
  it, pass or fail.
- ``make_lab``: builds a separate lab for a destructive fault (tunnel down,
  IPv6 off) and removes it after the test.
- ``doctor``: runs ``vaclient doctor --json`` in a lab's client namespace.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.lab.labkit import procs
from tests.lab.labkit.doctor import DoctorRun, run_doctor
from tests.lab.labkit.env import require_lab
from tests.lab.labkit.lab import Lab


def pytest_runtest_setup(item: pytest.Item) -> None:
    """Apply the root/namespace/CI rule to every ``lab`` test before its fixtures."""
    if item.get_closest_marker("lab") is not None:
        require_lab()


@pytest.fixture
def lab_required() -> None:
    """Skip with a reason when the lab cannot run; fail instead when CI=true."""
    require_lab()


@pytest.fixture(scope="session")
def lab_session() -> Iterator[Lab]:
    """One healthy lab for the whole session (built on first use)."""
    require_lab()
    procs.sweep_stale()
    lab = Lab().start()
    try:
        yield lab
    finally:
        lab.close()


@pytest.fixture
def lab(lab_session: Lab) -> Iterator[Lab]:
    """The shared lab; every fault applied during the test is undone afterwards."""
    try:
        yield lab_session
    finally:
        lab_session.reset()


@pytest.fixture
def make_lab() -> Iterator[Callable[..., Lab]]:
    """A factory of separate labs (same arguments as :class:`Lab`), closed after the test."""
    require_lab()
    made: list[Lab] = []

    def factory(**kwargs: Any) -> Lab:
        lab = Lab(**kwargs)
        made.append(lab)
        return lab.start()

    try:
        yield factory
    finally:
        for lab in made:
            lab.close()


@pytest.fixture
def doctor(tmp_path: Path) -> Callable[..., DoctorRun]:
    """Run the doctor in a lab: ``doctor(lab, endpoints, configs=None, timeout=2.0)``.

    Without ``configs`` a valid ClientConfig for that lab is written and used.
    """
    runs = 0

    def call(
        lab: Lab,
        endpoints: list[str],
        *,
        configs: list[Path] | None = None,
        timeout: float = 2.0,
        extra: tuple[str, ...] = (),
    ) -> DoctorRun:
        nonlocal runs
        runs += 1
        home = tmp_path / f"doctor-{runs}"
        if configs is None:
            configs = [lab.write_client_config(home / "given")]
        return run_doctor(
            lab.client_ns,
            home=home,
            configs=configs,
            endpoints=endpoints,
            timeout=timeout,
            extra=extra,
        )

    return call
