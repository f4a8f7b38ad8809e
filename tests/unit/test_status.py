"""``vaclient status``: configurations, client, tunnel and routes from local state only."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

import pytest

from vaclient.net.lookup import longest_prefix_match
from vaclient.net.model import Interface, Route
from vaclient.platforms.base import ClientInstallation, Platform
from vaclient.platforms.processes import ProcessMatch
from vaclient.status import collect_status, find_tunnel, probe_address, render_text

EXAMPLE = Path(__file__).parents[2] / "resources/examples/ClientConfig-vai-0123456789abcdef0.json"
ROUTES = ("2001:db8:1400::/57", "2001:db8:2a00::/56")


class FakePlatform(Platform):
    """The OS boundary: interfaces and a route table as Windows or macOS would report."""

    name = "windows"

    def __init__(
        self,
        interfaces: list[Interface],
        routes: list[Route],
        installed: bool = True,
    ) -> None:
        super().__init__()
        self._interfaces = interfaces
        self._routes = routes
        self._installed = installed
        self.asked: list[str] = []

    def client_installation(self) -> ClientInstallation:
        return ClientInstallation(self._installed, "1.0.6" if self._installed else None)

    def interfaces(self) -> list[Interface]:
        return self._interfaces

    def route_for(self, address: str) -> Route | None:
        self.asked.append(address)
        return longest_prefix_match(self._routes, address)

    def is_tunnel_interface(self, interface: Interface) -> bool:
        return interface.description.startswith("AWS Verified Access TAP-Windows Adapter")


TAP = Interface(
    "Ethernet 3",
    "tap",
    up=True,
    description="AWS Verified Access TAP-Windows Adapter V9 for VPN",
    index=17,
    addresses=("2001:db8:1400::1002",),
)
WIFI = Interface("Wi-Fi", "other", up=True, description="Intel(R) Wi-Fi 6", index=12)
DEFAULT = Route("::/0", "fe80::1", "12", 25)


@pytest.fixture
def config_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "client"
    folder.mkdir()
    shutil.copy(EXAMPLE, folder / EXAMPLE.name)
    return folder


def test_connected_when_every_route_leaves_through_the_tunnel(config_dir: Path) -> None:
    routes = [DEFAULT] + [Route(cidr, "fe80::8", "17", 281) for cidr in ROUTES]
    platform = FakePlatform([WIFI, TAP], routes)

    status = collect_status(platform=platform, config_dir=config_dir, running_probe=lambda: True)

    assert status.connected
    assert status.tunnel.interface == "Ethernet 3"
    assert status.tunnel.addresses == ("2001:db8:1400::1002",)
    assert platform.asked == ["2001:db8:1400::", "2001:db8:2a00::"]
    (cfg,) = status.configs
    assert cfg.valid and cfg.instance_id == "vai-0123456789abcdef0" and cfg.routes_ok
    assert status.client.running is True


def test_one_route_through_another_interface_is_not_connected(config_dir: Path) -> None:
    routes = [
        DEFAULT,
        Route(ROUTES[0], "fe80::8", "17", 281),
        Route("2001:db8:2a00::/64", "fe80::9", "12", 5),  # more specific, other VPN
        Route(ROUTES[1], "fe80::8", "17", 281),
    ]
    status = collect_status(
        platform=FakePlatform([WIFI, TAP], routes),
        config_dir=config_dir,
        running_probe=lambda: True,
    )

    assert not status.connected
    (cfg,) = status.configs
    assert cfg.routes_ok is False
    assert [r.in_tunnel for r in cfg.routes] == [True, False]
    assert "route(s) not in the tunnel: 2001:db8:2a00::/56" in render_text(status)


def test_default_route_through_the_tunnel_counts(config_dir: Path) -> None:
    routes = [Route("::/0", "fe80::8", "17", 1)]
    status = collect_status(
        platform=FakePlatform([TAP], routes), config_dir=config_dir, running_probe=lambda: True
    )
    assert status.connected


def test_tunnel_down_leaves_routes_unchecked(config_dir: Path) -> None:
    down = Interface(TAP.name, "tap", up=False, description=TAP.description, index=17)
    platform = FakePlatform([WIFI, down], [DEFAULT])

    status = collect_status(platform=platform, config_dir=config_dir, running_probe=lambda: False)

    assert not status.connected
    assert status.configs[0].routes_ok is None
    assert platform.asked == []
    text = render_text(status)
    assert "Tunnel: down on Ethernet 3" in text
    assert "installed 1.0.6, not running" in text


def test_invalid_file_is_listed_with_its_problem(config_dir: Path) -> None:
    (config_dir / "ClientConfig-vai-0000000000000000f.json").write_text('{"Version": "1.0"}')
    status = collect_status(platform=FakePlatform([], []), config_dir=config_dir)

    invalid = [c for c in status.configs if not c.valid]
    assert len(invalid) == 1
    assert "VerifiedAccessInstanceId" in (invalid[0].error or "")
    assert "NOT VALID" in render_text(status)


def test_no_secret_in_json(config_dir: Path) -> None:
    raw = json.loads(EXAMPLE.read_text())
    secret = raw["OpenVpnConfigurations"][0]["Config"]
    status = collect_status(platform=FakePlatform([TAP], []), config_dir=config_dir)
    assert secret[:20] not in json.dumps(status.to_dict())


def test_tunnel_override_by_name() -> None:
    other = Interface("utun7", "tun", up=True, addresses=("2001:db8::7",))
    chosen = find_tunnel([TAP, other], FakePlatform([], []), override="utun7")
    assert (chosen.interface, chosen.chosen_by, chosen.up) == ("utun7", "settings", True)
    missing = find_tunnel([TAP], FakePlatform([], []), override="utun9")
    assert (missing.interface, missing.up) == ("utun9", False)


def test_probe_address_is_the_first_of_the_cidr() -> None:
    assert probe_address("2001:db8:1400::/57") == "2001:db8:1400::"
    assert probe_address("2001:db8:1400::5/57") == "2001:db8:1400::"


def test_cli_on_linux_says_client_not_applicable_and_exits_1(config_dir: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "vaclient", "--no-log-file", "status", "--json"],
        capture_output=True,
        text=True,
        env={**__import__("os").environ, "VACLIENT_CONFIG_DIR": str(config_dir)},
        check=False,
    )
    if sys.platform != "linux":
        pytest.skip("the Linux wording is checked on Linux")
    assert done.returncode == 1, done.stderr
    out = json.loads(done.stdout)
    assert out["connected"] is False
    assert out["client"]["supported"] is False
    assert out["configs"][0]["instance_id"] == "vai-0123456789abcdef0"


def test_status_loads_no_heavy_modules() -> None:
    code = (
        "import sys, vaclient.status as s; s.collect_status();"
        "print(sorted(m for m in ('PySide6', 'dns', 'boto3', 'requests') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


class RecordingPlatform(FakePlatform):
    """Records the process names the status asks the platform to look for."""

    def __init__(self) -> None:
        super().__init__([WIFI, TAP], [DEFAULT])
        self.names: list[tuple[str, ...]] = []

    def client_process(self, names: Sequence[str] = ()) -> ProcessMatch | None:
        self.names.append(tuple(names))
        return ProcessMatch(4242, "VA Client.exe", "", names[0]) if names else None


def test_client_process_names_are_passed_through(config_dir: Path) -> None:
    platform = RecordingPlatform()

    given = collect_status(platform=platform, config_dir=config_dir, client_processes=["VA*"])
    none = collect_status(platform=platform, config_dir=config_dir, client_processes=())

    assert platform.names == [("VA*",), ()]
    assert given.client.running is True
    assert none.client.running is False


def test_client_process_names_come_from_the_settings(config_dir: Path) -> None:
    folder = Path(os.environ["VACLIENT_SETTINGS_DIR"])
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "settings.json").write_text(json.dumps({"client_processes": ["VA Client*"]}))
    platform = RecordingPlatform()

    status = collect_status(platform=platform, config_dir=config_dir)

    assert platform.names == [("VA Client*",)]
    assert status.client.running is True


def test_broken_settings_do_not_stop_the_status(config_dir: Path) -> None:
    folder = Path(os.environ["VACLIENT_SETTINGS_DIR"])
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "settings.json").write_text("{broken")
    platform = RecordingPlatform()

    status = collect_status(platform=platform, config_dir=config_dir)

    assert platform.names == [()]
    assert status.client.running is False
