"""The lab itself behaves like the network it claims to be.

Checked with the tools a helpdesk person would use (dig, nc, ssh-keyscan),
so a failing doctor test can be told apart from a broken lab.
"""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.lab.labkit import procs
from tests.lab.labkit.lab import CIDR, DB_ADDR, SSH_ADDR, Lab

pytestmark = pytest.mark.lab


def dig_status(lab: Lab, name: str) -> tuple[str, list[str]]:
    """The RCODE (or 'timeout') and the AAAA addresses ``dig`` gets for ``name``."""
    proc = subprocess.run(
        procs.in_ns(lab.client_ns, ["dig", "+time=2", "+tries=1", name, "AAAA"]),
        capture_output=True,
        text=True,
        timeout=20,
        check=False,
    )
    if "timed out" in proc.stdout or proc.returncode == 9:
        return "timeout", []
    status = proc.stdout.split("status: ", 1)[1].split(",", 1)[0]
    answers = [
        line.split()[-1]
        for line in proc.stdout.splitlines()
        if not line.startswith(";") and "\tAAAA\t" in line
    ]
    return status, answers


def nc_error(lab: Lab, address: str, port: int) -> str:
    """'' when a TCP connection succeeds, else nc's error text."""
    proc = subprocess.run(
        procs.in_ns(lab.client_ns, ["nc", "-6", "-z", "-v", "-w", "2", address, str(port)]),
        capture_output=True,
        text=True,
        timeout=20,
        check=False,
    )
    return "" if proc.returncode == 0 else proc.stderr.strip()


@pytest.mark.parametrize(
    ("name", "status", "answers"),
    [
        ("ssh.lab.example", "NOERROR", [SSH_ADDR]),
        ("db.lab.example", "NOERROR", [DB_ADDR]),
        ("v4only.lab.example", "NOERROR", []),
        ("outside.lab.example", "NOERROR", ["2001:db8:ff::10"]),
        ("missing.lab.example", "NXDOMAIN", []),
        ("app.fail.lab.example", "SERVFAIL", []),
        ("app.example.net", "REFUSED", []),
        ("app.silent.lab.example", "timeout", []),
    ],
)
def test_dns_answers(lab: Lab, name: str, status: str, answers: list[str]) -> None:
    assert dig_status(lab, name) == (status, answers)


def test_tunnel_carries_the_cidr(lab: Lab) -> None:
    assert lab.tunnel_route().startswith(f"{CIDR} ")
    assert f"dev {lab.tun}" in lab.tunnel_route()
    assert "Initialization Sequence Completed" in (lab.workdir / "openvpn-client.log").read_text()


def test_real_services_answer_through_the_tunnel(lab: Lab) -> None:
    keyscan = lab.client(["ssh-keyscan", "-T", "3", "-t", "ed25519", SSH_ADDR])
    assert keyscan.startswith(f"{SSH_ADDR} ssh-ed25519 ")

    ping = lab.client(["sh", "-c", f"printf 'PING\\r\\n' | nc -6 -w 2 -q 1 {DB_ADDR} 6379"])
    assert ping.startswith("+PONG")


def test_closed_port_is_refused(lab: Lab) -> None:
    assert "Connection refused" in nc_error(lab, SSH_ADDR, 23)


def test_tcp_faults_apply_and_undo(lab: Lab) -> None:
    lab.drop_syn(SSH_ADDR, 22)
    lab.reject_prohibited(DB_ADDR, 6379)

    assert "timed out" in nc_error(lab, SSH_ADDR, 22)
    assert "Permission denied" in nc_error(lab, DB_ADDR, 6379)

    lab.reset()
    assert nc_error(lab, SSH_ADDR, 22) == ""
    assert nc_error(lab, DB_ADDR, 6379) == ""


def test_dns_drop_fault(lab: Lab) -> None:
    lab.drop_dns()
    assert dig_status(lab, "ssh.lab.example")[0] == "timeout"
    lab.reset()
    assert dig_status(lab, "ssh.lab.example") == ("NOERROR", [SSH_ADDR])


def test_route_faults_apply_and_undo(lab: Lab) -> None:
    route = lab.tunnel_route()
    lab.remove_tunnel_route()
    assert lab.tunnel_route() == ""
    chosen = lab.client(["ip", "-6", "route", "get", SSH_ADDR])
    assert " via 2001:db8:c1::fe " in chosen

    lab.reset()
    assert lab.tunnel_route() == route

    other = lab.route_via_other_interface()
    chosen = lab.client(["ip", "-6", "route", "get", SSH_ADDR])
    assert f" dev {other} " in chosen
    lab.reset()
    assert f" dev {lab.tun} " in lab.client(["ip", "-6", "route", "get", SSH_ADDR])


def test_close_removes_everything(make_lab: Callable[..., Lab]) -> None:
    lab = make_lab()
    pids = [
        p
        for ns in (lab.client_ns, lab.vpc_ns)
        for p in procs.run(["ip", "netns", "pids", ns]).split()
    ]
    assert len(pids) >= 6  # openvpn x2, dnsmasq, two DNS helpers, sshd, redis

    lab.close()

    assert lab.client_ns not in procs.run(["ip", "netns", "list"])
    assert lab.vpc_ns not in procs.run(["ip", "netns", "list"])
    assert not lab.workdir.exists()
    assert not [pid for pid in pids if Path(f"/proc/{pid}").exists()]


def test_failure_inside_a_lab_still_cleans_up() -> None:
    lab = Lab()
    with pytest.raises(RuntimeError, match="boom"), lab:
        raise RuntimeError("boom")
    assert lab.client_ns not in procs.run(["ip", "netns", "list"])
    assert not lab.workdir.exists()
