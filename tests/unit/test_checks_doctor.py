"""The whole diagnosis against a fake OS boundary, real DNS and real loopback TCP.

Only the platform (interfaces, route table, OS configuration) is a test
double; DNS goes to a tiny server on 127.0.0.1 and TCP to servers on ::1.
"""

from __future__ import annotations

import json
import os
import socket
import threading
import time
from collections.abc import Iterator, Sequence
from pathlib import Path

import psutil
import pytest

from tests.unit.test_dns import TinyDns
from vaclient.checks.doctor import DoctorOptions, merge_endpoints, run_doctor
from vaclient.checks.model import Report, Status
from vaclient.net.model import Interface, Route
from vaclient.platforms.base import ClientInstallation, Platform, Probe
from vaclient.platforms.processes import ProcessMatch
from vaclient.settings import Endpoint

DATA = Path(__file__).resolve().parents[1] / "data" / "configs"
HOST = "app.example.test"
INSTANCE = "vai-0d25a84f343f84fe3"


class FakePlatform(Platform):
    """The OS boundary with a fixed machine state (Linux-like by default)."""

    name = "linux"

    def __init__(
        self,
        *,
        interfaces: list[Interface] | None = None,
        routes: list[Route] | None = None,
        ipv6: Probe | None = None,
    ) -> None:
        super().__init__()
        self._interfaces = (
            interfaces
            if interfaces is not None
            else [Interface("eth0", up=True), Interface("tun0", kind="tun", up=True)]
        )
        self._routes = (
            routes
            if routes is not None
            else [Route("::/0", "fe80::1", "eth0", 1024), Route("::1/128", None, "tun0", 50)]
        )
        self._ipv6 = ipv6 or Probe(True, "IPv6 is enabled")

    def ipv6_status(self) -> Probe:
        return self._ipv6

    def interfaces(self) -> list[Interface]:
        return list(self._interfaces)

    def routes(self) -> list[Route]:
        return list(self._routes)

    def os_version(self) -> str:
        return "Fake 1.0"


class FakeWindows(FakePlatform):
    """A Windows-like boundary: the client exists, is installed and runs."""

    name = "windows"

    def client_installation(self) -> ClientInstallation:
        return ClientInstallation(True, "1.0.6", r"C:\Program Files\Connectivity Client")

    def client_process(self, names: Sequence[str] = ()) -> ProcessMatch:
        return ProcessMatch(4242, "Connectivity Client.exe", "", "Connectivity Client.exe")

    def webview2(self) -> Probe:
        return Probe(True, "WebView2 Runtime 126.0.2592.87")

    def tpm(self) -> Probe:
        return Probe(True, "TPM 2.0 ready")


def write_config(folder: Path, cidr: str = "::1/128", name: str | None = None) -> Path:
    """A valid ClientConfig whose only route is ``cidr``."""
    raw = json.loads((DATA / "good-minimal.json").read_text(encoding="utf-8"))
    for conf in raw["OpenVpnConfigurations"]:
        conf["Routes"] = [{"Cidr": cidr}]
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / (name or f"ClientConfig-{raw['VerifiedAccessInstanceId']}.json")
    path.write_text(json.dumps(raw), encoding="utf-8")
    path.chmod(0o644)
    return path


class SshServer:
    """Accepts connections on ::1 and greets like OpenSSH, until closed."""

    def __init__(self) -> None:
        self.sock = socket.socket(socket.AF_INET6, socket.SOCK_STREAM)
        self.sock.bind(("::1", 0))
        self.sock.listen(8)
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        while not self.stop.is_set():
            try:
                client, _ = self.sock.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            with client:
                client.sendall(b"SSH-2.0-OpenSSH_9.6\r\n")

    def close(self) -> None:
        self.stop.set()
        self.sock.close()
        self.thread.join(2)


@pytest.fixture
def dns_server() -> Iterator[TinyDns]:
    server = TinyDns(
        aaaa={f"{HOST}.": ["::1"], "outside.example.test.": ["2001:db8:10::10"]}, a={}
    )
    yield server
    server.close()


@pytest.fixture
def ssh() -> Iterator[SshServer]:
    server = SshServer()
    yield server
    server.close()


@pytest.fixture
def config_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "client-configs"
    folder.mkdir(mode=0o755)
    folder.chmod(0o755)
    return folder


def diagnose(
    platform: Platform,
    config_dir: Path,
    dns_server: TinyDns | None,
    *endpoints: str,
    **kw: object,
) -> Report:
    options = DoctorOptions(
        config_dir=config_dir,
        endpoints=tuple(Endpoint.parse(e) for e in endpoints),
        timeout=kw.pop("timeout", 2.0),  # type: ignore[arg-type]
        use_settings=kw.pop("use_settings", False),  # type: ignore[arg-type]
        nameservers=(dns_server.address,) if dns_server else ("127.0.0.1:9",),
        compare_system_dns=False,
        **kw,  # type: ignore[arg-type]
    )
    return run_doctor(options, platform, socket_probe=lambda: Probe(True, "bound ::1"))


def statuses(report: Report) -> dict[str, tuple[str, str | None, str | None]]:
    return {c.id: (c.status.value, c.code, c.blocked_by) for c in report.checks}


def test_healthy_endpoint_passes_every_check(config_dir, dns_server, ssh) -> None:
    write_config(config_dir)
    target = f"{HOST}:{ssh.port}"

    report = diagnose(FakePlatform(), config_dir, dns_server, target)

    assert report.status is Status.OK, report.to_dict()["summary"]
    assert report.primary is None
    got = statuses(report)
    for check_id in (
        "ipv6.config",
        "ipv6.socket",
        "config.present",
        f"config.valid:ClientConfig-{INSTANCE}.json",
        f"config.permissions:ClientConfig-{INSTANCE}.json",
        "tunnel.interface",
        f"dns.aaaa:{HOST}",
        f"route.cidr:{HOST}",
        f"route.table:{HOST}",
        f"tcp.connect:{target}",
        f"tcp.banner:{target}",
    ):
        assert got[check_id][0] == "ok", (check_id, got[check_id])
    assert got["client.installed"] == ("skip", None, None)
    assert got[f"dns.system:{HOST}"] == ("skip", None, None)
    # The A record only explains a missing AAAA answer: not asked here.
    assert got[f"dns.a:{HOST}"] == ("skip", None, None)
    a_check = report.check(f"dns.a:{HOST}")
    assert a_check is not None and a_check.message == "not needed: the name has an AAAA record"
    assert (f"{HOST}.", "A") not in dns_server.queries

    (verdict,) = report.endpoints
    assert (verdict.target, verdict.status, verdict.code) == (target, Status.OK, None)
    assert verdict.address == "::1"
    assert verdict.latency_ms is not None
    banner = report.check(f"tcp.banner:{target}")
    assert banner is not None and banner.data["protocol"] == "ssh"
    tunnel = report.check("tunnel.interface")
    assert tunnel is not None and tunnel.data["interface"]["name"] == "tun0"
    assert tunnel.data["carries_config_route"] is True


def test_report_json_matches_the_contract(config_dir, dns_server, ssh) -> None:
    write_config(config_dir)
    target = f"{HOST}:{ssh.port}"

    doc = diagnose(FakePlatform(), config_dir, dns_server, target).to_dict()

    assert doc["schema"] == "vaclient.report/1"
    assert doc["host"] == {"os": "linux", "os_version": "Fake 1.0"}
    assert doc["summary"]["status"] == "ok" and doc["summary"]["primary"] is None
    assert doc["endpoints"][0]["target"] == target
    assert set(doc["endpoints"][0]) >= {"target", "status", "code", "address", "latency_ms"}
    for check in doc["checks"]:
        assert set(check) >= {
            "id",
            "title",
            "status",
            "code",
            "message",
            "hint",
            "target",
            "blocked_by",
            "duration_ms",
            "data",
        }
    json.dumps(doc)  # serialisable as is


def test_no_config_is_the_primary_finding(config_dir, dns_server, ssh) -> None:
    report = diagnose(FakePlatform(), config_dir, dns_server, f"{HOST}:{ssh.port}")

    assert report.primary is not None
    assert (report.primary.id, report.primary.code) == ("config.present", "config-missing")
    assert report.primary.message == f"no ClientConfig is installed in {config_dir}"
    got = statuses(report)
    assert got[f"route.cidr:{HOST}"] == ("skip", None, "config.present")
    # The endpoint itself is reachable: its verdict says so, the report fails.
    assert (report.endpoints[0].status, report.endpoints[0].code) == (Status.OK, None)


def test_invalid_config_names_file_and_json_path(config_dir) -> None:
    bad = config_dir / f"ClientConfig-{INSTANCE}.json"
    bad.write_bytes((DATA / "bad-region.json").read_bytes())
    bad.chmod(0o644)

    report = diagnose(FakePlatform(), config_dir, None)

    check = report.check(f"config.valid:{bad.name}")
    assert check is not None
    assert (check.status, check.code) == (Status.FAIL, "config-invalid")
    assert check.data["json_path"] == "Region"
    assert check.message.startswith(f"{bad}: Region: ")
    assert report.primary is not None and report.primary.id == check.id


@pytest.mark.parametrize("mode", [0o666, 0o664])
def test_writable_config_fails_permissions(config_dir, mode: int) -> None:
    path = write_config(config_dir)
    path.chmod(mode)

    report = diagnose(FakePlatform(), config_dir, None)

    check = report.check(f"config.permissions:{path.name}")
    assert check is not None and check.code == "config-permissions"
    assert f"{path} is writable by group" in check.message


def test_symlinked_config_fails_permissions(config_dir, tmp_path) -> None:
    real = write_config(tmp_path / "elsewhere")
    (config_dir / real.name).symlink_to(real)

    report = diagnose(FakePlatform(), config_dir, None)

    check = report.check(f"config.permissions:{real.name}")
    assert check is not None and check.code == "config-permissions"
    assert "is a symbolic link" in check.message


def test_tunnel_down_blocks_route_and_tcp(config_dir, dns_server, ssh) -> None:
    write_config(config_dir)
    target = f"{HOST}:{ssh.port}"
    platform = FakePlatform(
        interfaces=[Interface("eth0", up=True), Interface("tun0", kind="tun", up=False)]
    )

    report = diagnose(platform, config_dir, dns_server, target)

    assert report.primary is not None
    assert (report.primary.id, report.primary.code) == ("tunnel.interface", "tunnel-down")
    assert report.primary.message == "no tunnel interface is up (tun0 down)"
    got = statuses(report)
    assert got[f"dns.aaaa:{HOST}"][0] == "ok"
    assert got[f"route.cidr:{HOST}"][0] == "ok"
    assert got[f"route.table:{HOST}"] == ("skip", None, "tunnel.interface")
    assert got[f"tcp.connect:{target}"] == ("skip", None, "tunnel.interface")
    assert report.endpoints[0].status is Status.SKIP


def _write_settings(**values: object) -> None:
    folder = Path(os.environ["VACLIENT_SETTINGS_DIR"])
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "settings.json").write_text(json.dumps(values), encoding="utf-8")


@pytest.mark.parametrize("tunnel_up", [False, True])
def test_conflicting_vpn_is_primary_when_the_tunnel_is_down(config_dir, tunnel_up) -> None:
    write_config(config_dir)
    # This very test process plays the other VPN client: a real process, found by name.
    _write_settings(extra_vpn_processes=[psutil.Process().name()])
    platform = FakeWindows(
        interfaces=[Interface("eth0", up=True), Interface("tun0", kind="tun", up=tunnel_up)]
    )

    report = diagnose(platform, config_dir, None, use_settings=True)

    vpn = report.check("vpn.conflicts")
    assert vpn is not None and vpn.code == "conflicting-vpn"
    assert psutil.Process().name() in vpn.message
    if tunnel_up:
        assert vpn.status is Status.WARN
        assert report.status is Status.WARN
    else:
        assert vpn.status is Status.FAIL
        assert report.primary is not None and report.primary.id == "vpn.conflicts"
        tunnel = report.check("tunnel.interface")
        assert tunnel is not None and tunnel.code == "tunnel-down"
    assert statuses(report)["client.running"][0] == "ok"
    assert statuses(report)["client.version"][0] == "ok"


def test_saved_endpoints_are_checked_unless_settings_are_off(config_dir, ssh, dns_server) -> None:
    write_config(config_dir)
    _write_settings(endpoints=[{"host": HOST, "port": ssh.port, "name": "ssh"}])

    with_settings = diagnose(FakePlatform(), config_dir, dns_server, use_settings=True)
    without = diagnose(FakePlatform(), config_dir, dns_server, use_settings=False)

    assert [v.target for v in with_settings.endpoints] == [f"{HOST}:{ssh.port}"]
    assert without.endpoints == ()


def test_ipv6_disabled_blocks_every_endpoint_check(config_dir, dns_server, ssh) -> None:
    write_config(config_dir)
    platform = FakePlatform(ipv6=Probe(False, "disable_ipv6 = 1 on all", data={"all": 1}))
    target = f"{HOST}:{ssh.port}"

    report = diagnose(platform, config_dir, dns_server, target)

    assert report.primary is not None
    assert (report.primary.id, report.primary.code) == ("ipv6.config", "ipv6-disabled")
    got = statuses(report)
    for check_id in (f"dns.aaaa:{HOST}", f"route.table:{HOST}", f"tcp.connect:{target}"):
        assert got[check_id] == ("skip", None, "ipv6.config")
    assert dns_server.queries == []


def test_nxdomain_is_the_endpoint_code(config_dir, dns_server) -> None:
    write_config(config_dir)

    report = diagnose(FakePlatform(), config_dir, dns_server, "nx.example.test:22")

    (verdict,) = report.endpoints
    assert (verdict.status, verdict.code) == (Status.FAIL, "dns-nxdomain")
    got = statuses(report)
    assert got["route.cidr:nx.example.test"] == ("skip", None, "dns.aaaa:nx.example.test")
    assert got["tcp.connect:nx.example.test:22"] == ("skip", None, "dns.aaaa:nx.example.test")
    assert got["dns.a:nx.example.test"] == ("skip", None, None)
    assert ("nx.example.test.", "A") not in dns_server.queries


def test_name_with_only_an_a_record_shows_it(config_dir) -> None:
    write_config(config_dir)
    server = TinyDns(aaaa={}, a={"v4only.example.test.": ["192.0.2.80"]})
    try:
        report = diagnose(FakePlatform(), config_dir, server, "v4only.example.test:22")
    finally:
        server.close()

    (verdict,) = report.endpoints
    assert (verdict.status, verdict.code) == (Status.FAIL, "dns-no-aaaa")
    a_check = report.check("dns.a:v4only.example.test")
    assert a_check is not None and a_check.status is Status.OK
    assert a_check.data["addresses"] == ["192.0.2.80"]
    assert server.queries.count(("v4only.example.test.", "A")) == 1


def test_address_outside_routes_and_default_route_only(config_dir, dns_server) -> None:
    write_config(config_dir)

    report = diagnose(FakePlatform(), config_dir, dns_server, "outside.example.test:22")

    got = statuses(report)
    assert got["route.cidr:outside.example.test"][:2] == ("fail", "address-outside-routes")
    assert got["route.table:outside.example.test"][:2] == ("fail", "route-missing")
    assert report.endpoints[0].code == "address-outside-routes"
    assert got["tcp.connect:outside.example.test:22"] == (
        "skip",
        None,
        "route.table:outside.example.test",
    )


def test_more_specific_route_elsewhere_is_wrong_interface(config_dir, dns_server) -> None:
    write_config(config_dir)
    platform = FakePlatform(
        routes=[Route("::/0", "fe80::1", "eth0"), Route("::1/128", None, "wg0")]
    )

    report = diagnose(platform, config_dir, dns_server, f"{HOST}:22")

    check = report.check(f"route.table:{HOST}")
    assert check is not None and check.code == "route-wrong-interface"
    assert check.message == "::1 leaves through wg0, not the tunnel (::1/128 via wg0)"


def test_refused_port(config_dir, dns_server) -> None:
    write_config(config_dir)
    with socket.socket(socket.AF_INET6, socket.SOCK_STREAM) as probe:
        probe.bind(("::1", 0))
        port = probe.getsockname()[1]

    report = diagnose(FakePlatform(), config_dir, dns_server, f"{HOST}:{port}")

    assert report.endpoints[0].code == "tcp-refused"
    assert report.primary is not None and report.primary.code == "tcp-refused"


def test_address_literal_skips_dns(config_dir, ssh) -> None:
    write_config(config_dir)
    target = f"[::1]:{ssh.port}"

    report = diagnose(FakePlatform(), config_dir, None, target)

    got = statuses(report)
    assert got["dns.aaaa:::1"] == ("skip", None, None)
    assert got[f"tcp.connect:::1:{ssh.port}"][0] == "ok"
    assert report.endpoints[0].target == target
    assert report.status is Status.OK


def test_two_ports_on_one_host_share_the_dns_checks(config_dir, dns_server, ssh) -> None:
    write_config(config_dir)
    with socket.socket(socket.AF_INET6, socket.SOCK_STREAM) as probe:
        probe.bind(("::1", 0))
        closed = probe.getsockname()[1]

    report = diagnose(
        FakePlatform(), config_dir, dns_server, f"{HOST}:{ssh.port}", f"{HOST}:{closed}"
    )

    assert [c.id for c in report.checks].count(f"dns.aaaa:{HOST}") == 1
    assert [(v.status, v.code) for v in report.endpoints] == [
        (Status.OK, None),
        (Status.FAIL, "tcp-refused"),
    ]
    assert dns_server.queries.count((f"{HOST}.", "AAAA")) == 1


def test_deadline_ends_a_silent_dns_server(config_dir) -> None:
    write_config(config_dir)
    silent = TinyDns(aaaa={}, a={})
    try:
        started = time.monotonic()
        report = diagnose(
            FakePlatform(), config_dir, silent, "silent.example.test:22", timeout=5, deadline=1
        )
        elapsed = time.monotonic() - started
    finally:
        silent.close()

    assert elapsed < 4
    check = report.check("dns.aaaa:silent.example.test")
    assert check is not None and check.code == "dns-timeout"
    assert "deadline reached" in check.message
    assert report.endpoints[0].code == "dns-timeout"


def test_merge_endpoints_keeps_given_first_without_duplicates() -> None:
    given = [Endpoint.parse("a.example.test:22"), Endpoint.parse("B.example.test:22")]
    saved = [Endpoint("b.example.test", 22, "db"), Endpoint("c.example.test", 5432)]

    merged = merge_endpoints(given, saved)

    assert [e.target for e in merged] == [
        "a.example.test:22",
        "B.example.test:22",
        "c.example.test:5432",
    ]
