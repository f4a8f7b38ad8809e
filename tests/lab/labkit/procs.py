"""Namespaces and daemons that are always cleaned up, even after a crash.

Every namespace is named ``valab-<pid>-<suffix>-<role>`` so that
:func:`sweep_stale` can remove what an earlier, killed test run left behind
(its pid is gone). Daemons run in their own process group and are killed by
group; anything still left in a namespace is killed by ``ip netns pids``
before the namespace is deleted. ``atexit`` closes whatever a crashed
fixture did not.
"""

from __future__ import annotations

import atexit
import contextlib
import logging
import os
import re
import secrets
import shutil
import signal
import subprocess
import time
from collections.abc import Callable, Sequence
from pathlib import Path

logger = logging.getLogger(__name__)

NS_PREFIX = "valab"
_NS_RE = re.compile(rf"^{NS_PREFIX}-(\d+)-[0-9a-f]+-\w+$")
_CLEANUPS: dict[int, Callable[[], None]] = {}


def new_suffix() -> str:
    """Six random hex digits: short enough for 15-character interface names."""
    return secrets.token_hex(3)


def ns_name(suffix: str, role: str) -> str:
    """The namespace name for ``role`` (``c`` client, ``v`` VPC) of one lab."""
    return f"{NS_PREFIX}-{os.getpid()}-{suffix}-{role}"


def run(
    argv: Sequence[str], *, timeout: float = 20.0, check: bool = True, input: str | None = None
) -> str:
    """Run a short command, return its stdout; raise with its stderr when it fails."""
    proc = subprocess.run(
        list(argv), capture_output=True, text=True, timeout=timeout, check=False, input=input
    )
    if check and proc.returncode != 0:
        raise RuntimeError(f"{' '.join(argv)} failed ({proc.returncode}): {proc.stderr.strip()}")
    return proc.stdout


def in_ns(ns: str, argv: Sequence[str]) -> list[str]:
    """``argv`` prefixed to run inside namespace ``ns``."""
    return ["ip", "netns", "exec", ns, *argv]


def start_daemon(ns: str, argv: Sequence[str], log: Path) -> subprocess.Popen[bytes]:
    """Start a foreground daemon inside ``ns`` in its own process group.

    Output goes to ``log``; ``ip netns exec`` execs the program, so the
    returned Popen's pid is the daemon's own.
    """
    with open(log, "ab") as out:
        return subprocess.Popen(
            in_ns(ns, argv),
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )


def stop_daemon(proc: subprocess.Popen[bytes], grace: float = 2.0) -> None:
    """SIGTERM the daemon's process group, then SIGKILL it after ``grace`` seconds."""
    if proc.poll() is not None:
        return
    for sig in (signal.SIGTERM, signal.SIGKILL):
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, sig)
        try:
            proc.wait(timeout=grace)
            return
        except subprocess.TimeoutExpired:
            continue


def delete_namespace(ns: str) -> None:
    """Kill every process left in ``ns``, delete it and its /etc/netns folder."""
    pids = run(["ip", "netns", "pids", ns], check=False).split()
    for pid in pids:
        with contextlib.suppress(ProcessLookupError, ValueError):
            os.kill(int(pid), signal.SIGKILL)
    run(["ip", "netns", "del", ns], check=False)
    shutil.rmtree(Path("/etc/netns") / ns, ignore_errors=True)


def wait_for(what: str, probe: Callable[[], bool], timeout: float = 15.0) -> None:
    """Poll ``probe`` every 50 ms until it returns True; raise after ``timeout``."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if probe():
            return
        time.sleep(0.05)
    raise RuntimeError(f"lab: {what} not ready after {timeout:.0f} s")


def register_cleanup(key: int, cleanup: Callable[[], None]) -> None:
    """Run ``cleanup`` at interpreter exit unless :func:`unregister_cleanup` ran."""
    _CLEANUPS[key] = cleanup


def unregister_cleanup(key: int) -> None:
    """Forget a cleanup that already ran."""
    _CLEANUPS.pop(key, None)


@atexit.register
def _cleanup_all() -> None:
    """Close every lab still open when the interpreter exits."""
    for key, cleanup in list(_CLEANUPS.items()):
        with contextlib.suppress(Exception):
            cleanup()
        _CLEANUPS.pop(key, None)


def sweep_stale() -> list[str]:
    """Delete lab namespaces whose creating process no longer exists.

    Returns the names removed. Safe to call while other labs run: a
    namespace is only touched when the pid in its name is dead.
    """
    removed = []
    for line in run(["ip", "netns", "list"], check=False).splitlines():
        name = line.split()[0] if line.strip() else ""
        match = _NS_RE.match(name)
        if not match or Path(f"/proc/{match.group(1)}").exists():
            continue
        delete_namespace(name)
        removed.append(name)
    if removed:
        logger.info("removed stale lab namespaces: %s", ", ".join(removed))
    return removed
