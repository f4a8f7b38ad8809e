"""Run ``vaclient doctor --json`` inside the lab's client namespace.

The doctor runs as its own process, as a helpdesk person would run it, with
settings and logs sent to folders of the caller's choosing. Wall time is
measured around the whole subprocess so tests can prove that nothing hangs.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tests.lab.labkit import procs

# How long past its own deadline a doctor run may take before it is killed;
# the tests assert much tighter bounds, this only stops a hung run.
HARD_LIMIT_EXTRA_S = 30.0


@dataclass(frozen=True)
class DoctorRun:
    """What one ``vaclient doctor --json`` run produced."""

    argv: tuple[str, ...]
    returncode: int
    stdout: str
    stderr: str
    elapsed: float
    report: dict[str, Any] | None

    @property
    def primary_code(self) -> str | None:
        """``summary.primary.code``, or None when there is no primary finding."""
        primary = (self.report or {}).get("summary", {}).get("primary")
        return str(primary["code"]) if primary and primary.get("code") else None

    @property
    def status(self) -> str | None:
        """``summary.status``."""
        status = (self.report or {}).get("summary", {}).get("status")
        return str(status) if status is not None else None

    @property
    def endpoint_codes(self) -> dict[str, str | None]:
        """``endpoints[].code`` keyed by ``endpoints[].target``."""
        return {e["target"]: e.get("code") for e in (self.report or {}).get("endpoints", [])}

    def describe(self) -> str:
        """A short account for assertion messages."""
        return (
            f"exit {self.returncode} after {self.elapsed:.1f} s\nargv: {' '.join(self.argv)}\n"
            f"stdout: {self.stdout[-3000:]}\nstderr: {self.stderr[-2000:]}"
        )


def run_doctor(
    namespace: str,
    *,
    home: Path,
    configs: Sequence[Path] = (),
    endpoints: Sequence[str] = (),
    timeout: float = 2.0,
    extra: Sequence[str] = (),
    python: str = sys.executable,
) -> DoctorRun:
    """Run the doctor in ``namespace`` and parse its JSON report.

    Args:
        namespace: the client namespace to run in.
        home: a folder for the run's settings, logs and client-config folder.
        configs: ClientConfig files passed with ``--config``.
        endpoints: ``HOST:PORT`` strings passed with ``--endpoint``.
        timeout: the doctor's ``--timeout``.
        extra: more doctor arguments.
        python: the interpreter that has vaclient installed.

    Returns:
        The run; ``report`` is None when stdout was not JSON.
    """
    argv = [python, "-m", "vaclient", "--no-log-file", "doctor", "--json"]
    for config in configs:
        argv += ["--config", str(config)]
    for endpoint in endpoints:
        argv += ["--endpoint", endpoint]
    argv += ["--timeout", f"{timeout:g}", *extra]

    env = dict(os.environ)
    env.update(
        VACLIENT_SETTINGS_DIR=str(home / "settings"),
        VACLIENT_LOG_DIR=str(home / "logs"),
        VACLIENT_CONFIG_DIR=str(home / "client-configs"),
    )
    full = procs.in_ns(namespace, argv)
    start = time.monotonic()
    proc = subprocess.run(
        full,
        capture_output=True,
        text=True,
        env=env,
        timeout=2 * timeout + HARD_LIMIT_EXTRA_S,
        check=False,
    )
    elapsed = time.monotonic() - start

    try:
        report = json.loads(proc.stdout)
    except ValueError:
        report = None
    return DoctorRun(tuple(full), proc.returncode, proc.stdout, proc.stderr, elapsed, report)
