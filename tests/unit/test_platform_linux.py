"""LinuxPlatform: a recorded /sys, /proc and /etc tree, and the real kernel in a namespace."""

from __future__ import annotations

import json
import logging
import os
import secrets
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.lab.labkit.env import require_lab
from vaclient.errors import UsageError, VaclientError
from vaclient.platforms.base import CommandResult, ReplayRunner
from vaclient.platforms.linux import LinuxPlatform

DATA = Path(__file__).parent.parent / "data" / "platforms" / "linux"
SYSROOT = DATA / "sysroot"
SHOW = ("ip", "-j", "-6", "route", "show")
ADDRESSES = {"tun0": ["2001:db8:5::1", "fe80::1"], "eth0": ["192.0.2.2", "2001:db8:1::2"]}


def recorded(**extra: CommandResult | str) -> LinuxPlatform:
    recordings: dict[tuple[str, ...], CommandResult | str] = {
        SHOW: (DATA / "ip_route_show.json").read_text(),
    }
    recordings.update({tuple(k.split("|")): v for k, v in extra.items()})
    return LinuxPlatform(ReplayRunner(recordings), root=SYSROOT, addresses=lambda: ADDRESSES)


def get(address: str) -> str:
    return "|".join(("ip", "-j", "-6", "route", "get", address))


# -- recorded tree ----------------------------------------------------


def test_interfaces_kind_state_and_addresses() -> None:
    found = {i.name: i for i in recorded().interfaces()}

    assert sorted(found) == ["eth0", "lo", "tap0", "tun0", "tun1"]
    assert (found["tun0"].kind, found["tun0"].up, found["tun0"].index) == ("tun", True, 5)
    assert found["tun0"].addresses == ("2001:db8:5::1", "fe80::1")
    assert (found["tap0"].kind, found["tap0"].up) == ("tap", False)  # no carrier
    assert (found["tun1"].kind, found["tun1"].up) == ("tun", False)  # administratively down
    assert (found["eth0"].kind, found["eth0"].up) == ("other", True)
    assert found["lo"].addresses == ()


def test_ipv6_enabled_lists_interfaces_switched_off() -> None:
    probe = recorded().ipv6_status()

    assert probe.ok is True
    assert probe.data["disabled_interfaces"] == ["tun1"]
    assert "tun1" in probe.detail


@pytest.mark.parametrize("scope", ["all", "default"])
def test_ipv6_switched_off(tmp_path: Path, scope: str) -> None:
    root = tmp_path / "root"
    shutil.copytree(SYSROOT, root)
    (root / "proc/sys/net/ipv6/conf" / scope / "disable_ipv6").write_text("1\n")

    probe = LinuxPlatform(root=root, addresses=dict).ipv6_status()

    assert probe.ok is False
    assert f"net.ipv6.conf.{scope}.disable_ipv6 = 1" in probe.detail


def test_ipv6_disabled_at_boot(tmp_path: Path) -> None:
    (tmp_path / "proc/sys/net").mkdir(parents=True)

    probe = LinuxPlatform(root=tmp_path, addresses=dict).ipv6_status()

    assert probe.ok is False
    assert probe.data == {"boot_disabled": True}
    assert "ipv6.disable=1" in probe.detail


def test_dns_servers_from_resolv_conf() -> None:
    assert recorded().dns_servers() == ["2001:db8:53::53", "192.0.2.53"]


def test_systemd_resolved_stub_is_logged(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    (tmp_path / "etc").mkdir()
    (tmp_path / "etc/resolv.conf").write_text("nameserver 127.0.0.53\noptions edns0 trust-ad\n")
    caplog.set_level(logging.INFO, logger="vaclient.platforms.linux")

    servers = LinuxPlatform(root=tmp_path, addresses=dict).dns_servers()

    assert servers == ["127.0.0.53"]
    assert "resolvectl" in caplog.text


def test_no_resolv_conf_means_no_servers(tmp_path: Path) -> None:
    assert LinuxPlatform(root=tmp_path, addresses=dict).dns_servers() == []


def test_routes_from_ip_json() -> None:
    routes = recorded().routes()

    first = routes[0]
    assert (first.destination, first.gateway, first.interface, first.metric) == (
        "2001:db8:10::/48",
        None,
        "tun0",
        1024,
    )
    assert routes[-1].destination == "::/0"


def test_route_for_reports_the_table_prefix_of_the_kernel_choice() -> None:
    platform = recorded(
        **{
            get("2001:db8:10:20::10"): (DATA / "ip_route_get_tunnel.json").read_text(),
            get("2001:db8:99::1"): (DATA / "ip_route_get_default.json").read_text(),
        }
    )

    tunnel = platform.route_for("2001:db8:10:20::10")
    default = platform.route_for("2001:db8:99::1")

    assert tunnel is not None and default is not None
    assert (tunnel.destination, tunnel.interface) == ("2001:db8:10::/48", "tun0")
    assert (default.destination, default.gateway, default.interface) == (
        "::/0",
        "2001:db8:1::1",
        "eth0",
    )


def test_route_for_unreachable_is_none() -> None:
    failed = CommandResult((), 2, "", "RTNETLINK answers: Network is unreachable\n")

    assert recorded(**{get("2001:db8:99::1"): failed}).route_for("2001:db8:99::1") is None


def test_route_for_rejects_a_non_address() -> None:
    with pytest.raises(UsageError):
        recorded().route_for("192.0.2.1")


def test_missing_ip_command_is_explained() -> None:
    platform = LinuxPlatform(ReplayRunner({}), root=SYSROOT, addresses=dict)

    with pytest.raises(VaclientError) as err:
        platform.routes()

    assert "iproute2" in (err.value.hint or "")


def test_client_is_not_supported_on_linux() -> None:
    found = recorded().client_installation()

    assert (found.supported, found.installed) == (False, False)
    assert "Windows and macOS" in found.detail


# -- the real kernel, in a throwaway namespace -----------------------

HOLD_TUN = """
import fcntl, os, struct, sys
fd = os.open("/dev/net/tun", os.O_RDWR)
fcntl.ioctl(fd, 0x400454CA, struct.pack("16sH", b"vatun0", 0x0001 | 0x1000))
print("attached", flush=True)
sys.stdin.read()
"""

REPORT = """
import json
from vaclient.platforms.linux import LinuxPlatform
from vaclient.platforms.ipv6 import probe_ipv6_socket
p = LinuxPlatform()
route = p.route_for("2001:db8:10:20::10")
print(json.dumps({
    "interfaces": [i.to_dict() for i in p.interfaces()],
    "route": route.to_dict() if route else None,
    "unreachable": p.route_for("2001:db8:99::1") is None,
    "dns": p.dns_servers(),
    "ipv6": p.ipv6_status().ok,
    "probe": [probe_ipv6_socket().ok, probe_ipv6_socket().data],
}))
"""


def ns(name: str, *argv: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["ip", "netns", "exec", name, *argv],
        capture_output=True,
        text=True,
        check=True,
        timeout=30,
    )


@pytest.fixture
def namespace() -> Iterator[str]:
    require_lab()
    name = f"vactest-{secrets.token_hex(4)}"
    etc = Path("/etc/netns") / name
    subprocess.run(["ip", "netns", "add", name], check=True, timeout=10)
    try:
        etc.mkdir(parents=True)
        (etc / "resolv.conf").write_text("nameserver 2001:db8:53::53\n")
        yield name
    finally:
        shutil.rmtree(etc, ignore_errors=True)
        subprocess.run(["ip", "netns", "del", name], check=False, timeout=10)


def report(name: str) -> dict[str, Any]:
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).parents[2])}
    out = subprocess.run(
        ["ip", "netns", "exec", name, sys.executable, "-c", REPORT],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
        env=env,
    )
    result: dict[str, Any] = json.loads(out.stdout)
    return result


@pytest.mark.lab
def test_real_tun_device_in_a_namespace(namespace: str) -> None:
    ns(namespace, "ip", "link", "set", "lo", "up")
    ns(namespace, "ip", "tuntap", "add", "dev", "vatun0", "mode", "tun")
    ns(namespace, "ip", "link", "set", "vatun0", "up")
    ns(namespace, "ip", "-6", "addr", "add", "2001:db8:5::1/64", "dev", "vatun0", "nodad")
    with subprocess.Popen(
        ["ip", "netns", "exec", namespace, sys.executable, "-c", HOLD_TUN],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    ) as holder:
        try:
            assert holder.stdout is not None and holder.stdout.readline().strip() == "attached"
            ns(namespace, "ip", "-6", "route", "add", "2001:db8:10::/48", "dev", "vatun0")

            seen = report(namespace)
        finally:
            holder.kill()
            holder.wait(timeout=10)

    interfaces = {i["name"]: i for i in seen["interfaces"]}
    assert interfaces["vatun0"]["kind"] == "tun"
    assert interfaces["vatun0"]["up"] is True
    assert "2001:db8:5::1" in interfaces["vatun0"]["addresses"]
    assert interfaces["lo"]["kind"] == "other"
    assert seen["route"] == {
        "destination": "2001:db8:10::/48",
        "gateway": None,
        "interface": "vatun0",
        "metric": 1024,
    }
    assert seen["unreachable"] is True
    assert seen["dns"] == ["2001:db8:53::53"]
    assert seen["ipv6"] is True
    assert seen["probe"] == [True, {"errno": None}]


@pytest.mark.lab
def test_tun_without_a_process_is_not_up(namespace: str) -> None:
    ns(namespace, "ip", "tuntap", "add", "dev", "vatun0", "mode", "tun")
    ns(namespace, "ip", "link", "set", "vatun0", "up")

    interfaces = {i["name"]: i for i in report(namespace)["interfaces"]}

    assert interfaces["vatun0"]["kind"] == "tun"
    assert interfaces["vatun0"]["up"] is False


@pytest.mark.lab
def test_ipv6_switched_off_in_a_namespace(namespace: str) -> None:
    ns(namespace, "ip", "link", "set", "lo", "up")
    ns(namespace, "sysctl", "-q", "-w", "net.ipv6.conf.all.disable_ipv6=1")

    seen = report(namespace)

    assert seen["ipv6"] is False
    assert seen["probe"] == [False, {"errno": "EADDRNOTAVAIL"}]
