"""Can this machine run the namespace lab? Skip locally, fail in CI.

Every test that needs root and network namespaces calls
:func:`require_lab` (or uses the ``lab_required`` fixture in
``tests/lab/conftest.py``). On a developer machine without root the test is
skipped with the reason; when ``CI=true`` the same condition fails the test,
so CI can never pass by skipping the lab.
"""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
import sys

import pytest

# Programs the lab starts or drives; all come from Debian packages listed in
# scripts/bootstrap.sh.
LAB_TOOLS = (
    "ip",
    "nft",
    "openvpn",
    "dnsmasq",
    "sshd",
    "ssh-keygen",
    "redis-server",
    "ss",
    "dig",
)


def _find(tool: str) -> str | None:
    """``shutil.which`` that also looks in the sbin folders a non-login PATH may lack."""
    return shutil.which(tool) or shutil.which(tool, path="/usr/sbin:/sbin")


@functools.cache
def lab_unavailable_reason() -> str | None:
    """Why the lab cannot run here, or None when it can.

    Checked once per process: root, every tool in :data:`LAB_TOOLS`, and a
    working ``ip netns`` (some containers forbid creating namespaces).
    """
    if not sys.platform.startswith("linux"):
        return "the namespace lab needs Linux network namespaces"
    if os.geteuid() != 0:
        return "the namespace lab needs root (run the tests as root or in CI)"

    missing = [tool for tool in LAB_TOOLS if _find(tool) is None]
    if missing:
        return f"the namespace lab needs {', '.join(missing)} (run scripts/bootstrap.sh as root)"

    probe = f"valabprobe{os.getpid()}"
    try:
        subprocess.run(["ip", "netns", "add", probe], check=True, capture_output=True, timeout=10)
    except (OSError, subprocess.SubprocessError) as err:
        return f"'ip netns add' does not work here: {err}"
    finally:
        subprocess.run(["ip", "netns", "del", probe], capture_output=True, timeout=10, check=False)
    if not os.path.exists("/dev/net/tun"):
        return "the namespace lab needs /dev/net/tun for its OpenVPN tunnel"
    return None


def require_lab() -> None:
    """Skip the calling test when the lab cannot run; fail instead when CI=true."""
    reason = lab_unavailable_reason()
    if reason is None:
        return
    if os.environ.get("CI") == "true":
        pytest.fail(f"CI=true but {reason}", pytrace=False)
    pytest.skip(reason)


def tool_path(tool: str) -> str:
    """Absolute path of ``tool`` (sbin included); the bare name when not found."""
    return _find(tool) or tool
