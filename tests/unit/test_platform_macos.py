"""MacOSPlatform against recorded output of macOS tools and an app bundle on disk."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from vaclient.errors import UsageError, VaclientError
from vaclient.platforms.base import CommandResult, ReplayRunner
from vaclient.platforms.macos import (
    MacOSPlatform,
    parse_ifconfig,
    parse_route_get,
    parse_scutil_dns,
    parse_service_order,
)

DATA = Path(__file__).parent.parent / "data" / "platforms" / "macos"
ORDER = ("networksetup", "-listnetworkserviceorder")


def text(name: str) -> str:
    return (DATA / name).read_text(encoding="utf-8")


def getinfo(service: str) -> tuple[str, ...]:
    return ("networksetup", "-getinfo", service)


def mac(recordings: dict[tuple[str, ...], CommandResult | str], **kwargs: Any) -> MacOSPlatform:
    return MacOSPlatform(ReplayRunner(recordings), **kwargs)


def calls(platform: MacOSPlatform) -> list[tuple[str, ...]]:
    assert isinstance(platform.runner, ReplayRunner)
    return platform.runner.calls


# -- parsers ----------------------------------------------------------


def test_ifconfig_kinds_state_index_and_addresses() -> None:
    found = {i.name: i for i in parse_ifconfig(text("ifconfig_a.txt"))}

    assert list(found) == [
        "lo0",
        "gif0",
        "stf0",
        "en0",
        "en1",
        "bridge0",
        "utun0",
        "utun1",
        "utun4",
    ]
    assert (found["utun4"].kind, found["utun4"].up, found["utun4"].index) == ("tun", True, 20)
    assert found["utun4"].addresses == ("fe80::8", "2001:db8:10:20::5")
    assert found["en0"].addresses == (
        "fe80::1c2d:3e4f:5061:7283",
        "192.0.2.23",
        "2001:db8:1:2:1c2d:3e4f:5061:7283",
    )
    assert (found["en0"].kind, found["en0"].up) == ("other", True)
    assert found["bridge0"].up is False
    assert found["stf0"].up is False


def test_service_order_marks_disabled_services() -> None:
    services = parse_service_order(text("networksetup_order.txt"))

    assert [(s.name, s.device, s.enabled) for s in services] == [
        ("USB 10/100/1000 LAN", "en5", True),
        ("Wi-Fi", "en0", True),
        ("Thunderbolt Bridge", "bridge0", True),
        ("Bluetooth PAN", "en3", False),
    ]


def test_scutil_sections_domains_and_interfaces() -> None:
    resolvers = parse_scutil_dns(text("scutil_dns.txt"))

    assert [(r.section, r.domain) for r in resolvers] == [
        ("default", ""),
        ("default", "internal.example"),
        ("default", "local"),
        ("default", "254.169.in-addr.arpa"),
        ("scoped", ""),
        ("scoped", ""),
    ]
    assert resolvers[0].nameservers == ("2001:db8:1::53", "192.0.2.53")
    assert resolvers[0].interface == "en0"
    assert resolvers[2].options == "mdns"
    assert resolvers[5].interface == "utun4"


def test_route_get_prefix_from_mask_and_default() -> None:
    tunnel = parse_route_get(text("route_get_tunnel.txt"))
    default = parse_route_get(text("route_get_default.txt"))

    assert tunnel is not None and default is not None
    assert (tunnel.destination, tunnel.gateway, tunnel.interface) == (
        "2001:db8:10::/48",
        None,
        "utun4",
    )
    assert (default.destination, default.gateway, default.interface) == ("::/0", "fe80::1", "en0")
    assert parse_route_get("route: bad address: x\n") is None


# -- IPv6 -------------------------------------------------------------


def ipv6_recordings(wifi: str) -> dict[tuple[str, ...], CommandResult | str]:
    return {
        ORDER: text("networksetup_order.txt"),
        getinfo("USB 10/100/1000 LAN"): text("getinfo_usb_lan.txt"),
        getinfo("Wi-Fi"): text(wifi),
        getinfo("Thunderbolt Bridge"): text("getinfo_bridge.txt"),
    }


def test_ipv6_follows_the_active_service() -> None:
    platform = mac(ipv6_recordings("getinfo_wifi_on.txt"))

    probe = platform.ipv6_status()

    assert probe.ok is True
    assert probe.data["active"] == ["Wi-Fi"]
    assert "Bluetooth PAN" not in probe.data["services"]
    assert getinfo("Bluetooth PAN") not in calls(platform)


def test_ipv6_off_on_the_active_service_fails() -> None:
    probe = mac(ipv6_recordings("getinfo_wifi_off.txt")).ipv6_status()

    assert probe.ok is False
    assert "Wi-Fi" in probe.detail
    assert probe.data["services"]["USB 10/100/1000 LAN"] == "Automatic"


def test_ipv6_without_networksetup_is_unknown() -> None:
    assert mac({}).ipv6_status().ok is None


# -- routes, DNS, tunnel ---------------------------------------------


def test_route_for_asks_the_kernel() -> None:
    target = "2001:db8:10:20::10"
    platform = mac({("route", "-n", "get", "-inet6", target): text("route_get_tunnel.txt")})

    route = platform.route_for(target)

    assert route is not None and route.interface == "utun4"


def test_route_for_not_in_table_is_none() -> None:
    missing = CommandResult(("route",), 1, "", text("route_get_not_in_table.stderr.txt"))
    platform = mac({("route", "-n", "get", "-inet6", "2001:db8:99::1"): missing})

    assert platform.route_for("2001:db8:99::1") is None


def test_route_for_falls_back_to_the_route_table() -> None:
    odd = CommandResult(("route",), 0, "something new\n")
    platform = mac(
        {
            ("route", "-n", "get", "-inet6", "2001:db8:10:20::10"): odd,
            ("netstat", "-rn", "-f", "inet6"): text("netstat_rn_inet6.txt"),
        }
    )

    route = platform.route_for("2001:db8:10:20::10")

    assert route is not None
    assert (route.destination, route.interface) == ("2001:db8:10::/48", "utun4")


def test_route_for_rejects_a_non_address() -> None:
    with pytest.raises(UsageError):
        mac({}).route_for("app.example.com")


def test_routes_without_netstat_output_raise() -> None:
    with pytest.raises(VaclientError):
        mac({}).routes()


def test_dns_servers_general_first_without_mdns_or_scoped() -> None:
    platform = mac({("scutil", "--dns"): text("scutil_dns.txt")})

    assert platform.dns_servers() == ["2001:db8:1::53", "192.0.2.53", "2001:db8:10::53"]


def test_tunnel_is_the_utun_carrying_the_config_routes() -> None:
    recordings: dict[tuple[str, ...], CommandResult | str] = {
        ("ifconfig", "-a"): text("ifconfig_a.txt"),
        ("netstat", "-rn", "-f", "inet6"): text("netstat_rn_inet6.txt"),
    }
    any_utun = mac(recordings)
    with_routes = mac(recordings, config_routes=["2001:db8:10::/48"])

    interfaces = any_utun.interfaces()

    assert [i.name for i in interfaces if any_utun.is_tunnel_interface(i)] == [
        "utun0",
        "utun1",
        "utun4",
    ]
    assert [i.name for i in interfaces if with_routes.is_tunnel_interface(i)] == ["utun4"]


# -- installation and launch -----------------------------------------


@pytest.fixture
def app_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "Connectivity Client"
    for app in ("Connectivity Client.app", "Connectivity Client Uninstaller.app"):
        (folder / app / "Contents").mkdir(parents=True)
    shutil.copy(
        DATA / "Info.plist", folder / "Connectivity Client.app" / "Contents" / "Info.plist"
    )
    return folder


def test_client_installation_reads_the_bundle_version(app_dir: Path) -> None:
    found = mac({}, app_dir=app_dir).client_installation()

    assert found.installed is True
    assert found.version == "1.0.3"
    assert found.location == str(app_dir / "Connectivity Client.app")


def test_client_installation_with_a_configured_app_name(app_dir: Path) -> None:
    assert mac({}, app_dir=app_dir, app_name="Other").client_installation().installed is False
    named = mac({}, app_dir=app_dir, app_name="Connectivity Client").client_installation()
    assert named.version == "1.0.3"


def test_client_not_installed(tmp_path: Path) -> None:
    found = mac({}, app_dir=tmp_path / "missing").client_installation()

    assert found.installed is False
    assert "missing" in found.detail


def test_launch_opens_the_discovered_app(app_dir: Path) -> None:
    bundle = str(app_dir / "Connectivity Client.app")
    platform = mac({("open", "-a", bundle): ""}, app_dir=app_dir)

    platform.launch_client()

    assert calls(platform) == [("open", "-a", bundle)]


def test_launch_failure_is_reported(tmp_path: Path) -> None:
    failed = CommandResult(("open",), 1, "", "Unable to find application named 'X'")
    platform = mac({("open", "-a", "X"): failed}, app_dir=tmp_path)

    with pytest.raises(VaclientError, match="Unable to find"):
        platform.launch_client("X")
    with pytest.raises(VaclientError, match="not found"):
        platform.launch_client()
