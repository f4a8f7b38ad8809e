"""Process detection against real child processes with chosen names."""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

import psutil
import pytest

from vaclient.errors import UsageError
from vaclient.platforms.processes import (
    client_running,
    conflicting_vpns,
    find_processes,
    load_vpn_catalogue,
)

Spawn = Callable[..., subprocess.Popen[bytes]]


@pytest.fixture
def spawn(tmp_path: Path) -> Iterator[Spawn]:
    """Start ``sleep`` under a chosen file name (in a chosen folder); kill them all after."""
    children: list[subprocess.Popen[bytes]] = []
    sleep = shutil.which("sleep")
    assert sleep is not None

    def start(name: str, folder: str = "bin") -> subprocess.Popen[bytes]:
        target = tmp_path / folder / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(sleep, target)
        child = subprocess.Popen([str(target), "60"])
        children.append(child)
        return child

    try:
        yield start
    finally:
        for child in children:
            child.kill()
            child.wait(timeout=10)


def only(*children: subprocess.Popen[bytes]) -> Callable[[], Iterator[psutil.Process]]:
    """A process source limited to our children: the lab may run a real openvpn meanwhile."""
    return lambda: iter([psutil.Process(c.pid) for c in children])


def test_find_by_name_ignoring_case_and_exe(spawn: Spawn) -> None:
    child = spawn("vpnagent")

    found = find_processes(["VPNAgent.exe"])

    assert [(m.pid, m.name, m.matched) for m in found] == [(child.pid, "vpnagent", "VPNAgent.exe")]
    assert found[0].exe.endswith("/vpnagent")


def test_find_by_shell_pattern(spawn: Spawn) -> None:
    child = spawn("ZSATunnel")

    assert [m.pid for m in find_processes(["zsa*"])] == [child.pid]


def test_a_process_that_is_gone_is_skipped(spawn: Spawn) -> None:
    child = spawn("vpnui")
    proc = psutil.Process(child.pid)
    child.kill()
    child.wait(timeout=10)

    assert find_processes(["vpnui"], process_iter=lambda: iter([proc])) == []


def test_nothing_wanted_finds_nothing() -> None:
    assert find_processes(["", "  "]) == []


def test_conflicting_vpn_is_named_by_product(spawn: Spawn) -> None:
    agent = spawn("vpnagent")
    gps = spawn("PanGPS")
    source = only(agent, gps)

    windows = {m.product: m for m in conflicting_vpns(os_name="windows", process_iter=source)}
    macos = {m.product for m in conflicting_vpns(os_name="macos", process_iter=source)}

    assert windows["Cisco Secure Client (AnyConnect)"].process.pid == agent.pid
    assert windows["Cisco Secure Client (AnyConnect)"].verified is False
    assert "Palo Alto GlobalProtect" in windows
    assert macos == {"Palo Alto GlobalProtect"}


def test_extra_names_from_the_settings(spawn: Spawn) -> None:
    child = spawn("corpvpnd")

    found = conflicting_vpns(["corpvpnd"], os_name="windows", process_iter=only(child))

    assert [(m.product, m.process.pid) for m in found] == [("corpvpnd", child.pid)]


def test_openvpn_inside_the_client_folder_is_not_a_conflict(spawn: Spawn) -> None:
    outside = spawn("openvpn")
    inside = spawn("openvpn", folder="Connectivity Client/Resources")

    found = conflicting_vpns(os_name="macos", process_iter=only(outside, inside))

    assert [m.process.pid for m in found] == [outside.pid]


def test_catalogue_has_no_linux_names() -> None:
    """Linux has no client: the lab's own OpenVPN must never count as a conflict."""
    catalogue = load_vpn_catalogue()

    assert all("linux" not in c["processes"] for c in catalogue)
    assert {"AWS VPN Client", "Tailscale", "WireGuard"} <= {c["product"] for c in catalogue}


def test_broken_catalogue_is_reported(tmp_path: Path) -> None:
    bad = tmp_path / "vpn.json"
    bad.write_text(json.dumps({"clients": [{"product": 1, "processes": {}}]}))

    with pytest.raises(UsageError, match=r"vpn\.json"):
        conflicting_vpns(os_name="windows", catalogue=bad)


def test_client_running_with_configured_names(spawn: Spawn) -> None:
    child = spawn("Connectivity Client")

    found = client_running(os_name="macos")
    other = client_running(["NotTheClient"])

    assert found is not None and found.pid == child.pid
    assert other is None
