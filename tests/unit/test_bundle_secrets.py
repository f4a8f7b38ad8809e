"""Support bundles: no secret in any file; with --anonymize no identity, consistently."""

from __future__ import annotations

import base64
import hashlib
import json
import re
import secrets
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import pytest

from vaclient.checks.model import CheckResult, EndpointVerdict, Report, Stage, Status
from vaclient.net.model import Interface, Route
from vaclient.platforms.base import CommandResult, CommandRunner, Platform
from vaclient.report.bundle import BundleOptions, plan_bundle, write_bundle
from vaclient.settings import Endpoint, Settings, save_settings

EXAMPLE = Path(__file__).resolve().parents[2] / "resources" / "examples"

# Identities: none is in a range the anonymizer keeps.
USER = "mkowalski"
EMAIL = "marta.kowalski@corp-hq.example.com"
OTHER_EMAIL = "ops.oncall@helpdesk-mail.example.org"
HOST_FQDN = "ws-4711.branch.corp-hq.example.com"
MACHINE = "WS-4711"
APP = "git.int.corp-hq.example.com"
IPV4 = "10.44.12.7"
PUBLIC_V4 = "81.22.33.44"
IPV6 = "2406:da14:1428:900::40dc:b8d9"
IPV6_NET = "2406:da14:1428:900::"
TUNNEL_V6 = "2406:da14:1428:980::5002"
PROXY = "proxy.corp-hq.example.com"
IDENTITIES = [
    USER,
    EMAIL,
    OTHER_EMAIL,
    HOST_FQDN,
    MACHINE,
    APP,
    IPV4,
    PUBLIC_V4,
    IPV6,
    TUNNEL_V6,
    PROXY,
    "corp-hq.example.com",
]


@dataclass
class Secrets:
    values: list[str]


def _config(instance: str) -> tuple[dict[str, object], list[str]]:
    doc = json.loads(next(EXAMPLE.glob("ClientConfig-*.json")).read_text(encoding="utf-8"))
    vpn_text = f"client\ndev tun\nremote edge.example.net 443\n# {secrets.token_hex(32)}\n"
    doc["VerifiedAccessInstanceId"] = instance
    doc["UserTrustProvider"]["ClientSecret"] = "cs_" + secrets.token_urlsafe(32)  # type: ignore[index]
    doc["OpenVpnConfigurations"][0]["Config"] = base64.b64encode(vpn_text.encode()).decode()  # type: ignore[index]
    doc["OpenVpnConfigurations"][0]["Routes"] = [{"Cidr": f"{IPV6_NET}/57"}]  # type: ignore[index]
    return doc, [
        doc["UserTrustProvider"]["ClientSecret"],  # type: ignore[index]
        doc["OpenVpnConfigurations"][0]["Config"],  # type: ignore[index]
    ]


class ReplayRunner(CommandRunner):
    """Recorded Windows tool output with this test's identities in it."""

    def __init__(self, outputs: dict[tuple[str, ...], str]) -> None:
        self.outputs = outputs
        self.calls: list[tuple[str, ...]] = []

    def run(self, argv: Sequence[str], *, timeout: float = 10.0) -> CommandResult:
        self.calls.append(tuple(argv))
        assert timeout > 0
        if tuple(argv) not in self.outputs:
            raise FileNotFoundError(argv[0])
        return CommandResult(tuple(argv), 0, self.outputs[tuple(argv)])


class FakePlatform(Platform):
    name = "windows"

    def routes(self) -> list[Route]:
        return [Route(f"{IPV6_NET}/57", "fe80::8", "72", 281)]

    def interfaces(self) -> list[Interface]:
        return [
            Interface(
                "72", "tap", True, "AWS Verified Access TAP-Windows Adapter V9", 72, (TUNNEL_V6,)
            )
        ]

    def dns_servers(self) -> list[str]:
        return [IPV4]


def _report() -> Report:
    target = f"{APP}:22"
    checks = [
        CheckResult(
            "config", "Configuration", Status.OK, message="1 configuration", stage=Stage.CONFIG
        ),
        CheckResult(
            f"dns.aaaa:{APP}",
            "AAAA record",
            Status.OK,
            message=f"{APP} is {IPV6}",
            target=target,
            data={"addresses": [IPV6]},
            stage=Stage.DNS,
        ),
        CheckResult(
            f"tcp:{target}",
            "TCP connection",
            Status.FAIL,
            code="tcp-timeout",
            message=f"no answer from [{IPV6}]:22 (user {USER} on {HOST_FQDN})",
            hint="Check the security group.",
            target=target,
            stage=Stage.TCP,
        ),
    ]
    return Report.build(
        checks,
        [EndpointVerdict(target, Status.FAIL, "tcp-timeout", IPV6)],
        host_os="windows",
        os_version="10",
        tool_version="0.1.0",
    )


@pytest.fixture
def world(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, object]:
    """Configs, logs, settings and tool output full of unique secrets and identities."""
    config_dir = tmp_path / "client-configs"
    config_dir.mkdir()
    all_secrets: list[str] = []
    for instance in ("vai-0123456789abcdef0", "vai-0fedcba9876543210"):
        doc, found = _config(instance)
        all_secrets += found
        (config_dir / f"ClientConfig-{instance}.json").write_text(json.dumps(doc, indent=2))

    aws_key = "AKIA" + "".join(secrets.choice("ABCDEFGHJKLMNPQRSTUVWXYZ234567") for _ in range(16))
    bearer = secrets.token_urlsafe(40)
    url_password = "pw" + secrets.token_hex(8)
    signature = secrets.token_hex(32)
    pem_body = base64.b64encode(secrets.token_bytes(90)).decode()
    all_secrets += [aws_key, bearer, url_password, signature, pem_body]
    first_config, second_config = all_secrets[1], all_secrets[3]
    log_text = "\n".join(
        [
            f"2026-12-03 INFO vaclient.cli: doctor by {USER} on {HOST_FQDN} ({IPV4})",
            f"2026-12-03 DEBUG loaded Config={first_config}",
            f"2026-12-03 DEBUG json {json.dumps({'Config': second_config})}",
            f"2026-12-03 DEBUG secret {all_secrets[0]} and {all_secrets[2]}",
            f"2026-12-03 INFO connected to {APP} at {IPV6} for {EMAIL}",
            f"2026-12-03 DEBUG Authorization: Bearer {bearer}",
            f"2026-12-03 DEBUG aws key {aws_key} used",
            f"2026-12-03 DEBUG proxy http://{USER}:{url_password}@proxy.corp-hq.example.com:3128",
            "2026-12-03 DEBUG upload https://bucket.s3.amazonaws.com/x?X-Amz-Signature="
            f"{signature}&X-Amz-Date=20261203",
            "-----BEGIN PRIVATE KEY-----",
            pem_body,
            "-----END PRIVATE KEY-----",
            f"C:\\Users\\{USER}\\AppData\\Local\\vaclient\\Logs",
            f"mail from {OTHER_EMAIL} via {PUBLIC_V4}",
        ]
    )
    log_dir = Path(__import__("os").environ["VACLIENT_LOG_DIR"])
    log_dir.mkdir(parents=True, exist_ok=True)
    (log_dir / "vaclient.log").write_text(log_text + "\n", encoding="utf-8")

    client_logs = tmp_path / "client-logs"
    (client_logs / "sub").mkdir(parents=True)
    (client_logs / "client.log").write_text(
        f"tunnel up {TUNNEL_V6} route {IPV6_NET}/57 user {EMAIL}\n", encoding="utf-16"
    )
    (client_logs / "sub" / "service.log").write_text(
        f"service on {MACHINE} config {first_config[:40]}...{first_config}\n"
        f"-----BEGIN CERTIFICATE-----\n{pem_body}\n",
        encoding="utf-8",
    )
    (client_logs / "blob.bin").write_bytes(b"\x00\x01binary")

    settings = Settings(
        endpoints=(Endpoint(APP, 22),),
        client_log_dirs=(str(client_logs),),
        upload_url=f"https://up.example.com/b?X-Amz-Signature={signature}",
    )
    save_settings(settings)

    ipconfig = (
        "Windows IP Configuration\n\n"
        f"   Host Name . . . . . . . . . . . . : {MACHINE}\n"
        f"   Primary Dns Suffix  . . . . . . . : branch.corp-hq.example.com\n\n"
        "Unknown adapter AWS Verified Access TAP-Windows Adapter #4434:\n"
        f"   IPv6 Address. . . . . . . . . . . : {TUNNEL_V6}(Preferred)\n"
        "   Link-local IPv6 Address . . . . . : fe80::8480:1598:3308:f348%72(Preferred)\n"
        f"   DNS Servers . . . . . . . . . . . : {IPV4}\n"
    )
    route = (
        "IPv6 Route Table\n Active Routes:\n If Metric Network Destination      Gateway\n"
        f"  72    281 {IPV6_NET}/57    fe80::8\n   1    331 ::1/128                  On-link\n"
    )
    runner = ReplayRunner({("route", "print", "-6"): route, ("ipconfig", "/all"): ipconfig})
    return {
        "options": BundleOptions(
            config_dir=config_dir,
            settings=settings,
            os_name="windows",
            extra_users=(USER,),
            extra_hosts=(MACHINE,),
        ),
        "secrets": all_secrets,
        "runner": runner,
    }


def _make(
    world: dict[str, object], tmp_path: Path, anonymize: bool
) -> tuple[Path, dict[str, str]]:
    from dataclasses import replace

    options = replace(world["options"], anonymize=anonymize)  # type: ignore[type-var]
    plan = plan_bundle(
        options,
        platform=FakePlatform(world["runner"]),  # type: ignore[arg-type]
        doctor=lambda _o: _report(),
    )
    path = write_bundle(plan, tmp_path / f"bundle-{anonymize}.zip")
    with zipfile.ZipFile(path) as archive:
        files = {name: archive.read(name).decode("utf-8") for name in archive.namelist()}
    return path, files


@pytest.mark.parametrize("anonymize", [False, True])
def test_no_secret_in_any_file(world: dict[str, object], tmp_path: Path, anonymize: bool) -> None:
    _, files = _make(world, tmp_path, anonymize)

    assert {
        "report.json",
        "report.html",
        "manifest.json",
        "system/ipconfig-all.txt",
        "system/route-print-6.txt",
        "system/network.json",
        "logs/vaclient/vaclient.log",
        "logs/client-1/client.log",
        "logs/client-1/sub/service.log",
        "configs/ClientConfig-vai-0123456789abcdef0.json",
        "vaclient/settings.json",
    } <= set(files)
    for name, text in files.items():
        for secret in world["secrets"]:  # type: ignore[attr-defined]
            assert secret not in text, (name, secret[:6])
            assert secret[:40] not in text, (name, secret[:6])
            assert secret.replace("/", "\\/") not in text, (name, secret[:6])

    config = json.loads(files["configs/ClientConfig-vai-0123456789abcdef0.json"])
    assert config["UserTrustProvider"]["ClientSecret"] == "***"
    assert config["OpenVpnConfigurations"][0]["Config"] == "***"
    assert config["UserTrustProvider"]["ClientId"] == "0oa1example2client3id4"


def test_manifest_lists_every_file_with_hash_and_counts(
    world: dict[str, object], tmp_path: Path
) -> None:
    path, files = _make(world, tmp_path, anonymize=False)
    manifest = json.loads(files.pop("manifest.json"))

    assert {f["name"] for f in manifest["files"]} == set(files)
    for entry in manifest["files"]:
        data = files[entry["name"]].encode("utf-8")
        assert entry["sha256"] == hashlib.sha256(data).hexdigest()
        assert entry["size"] == len(data)
    counts = manifest["redactions"]
    assert counts["config_fields"] == 4
    assert counts["config_secrets"] >= 5
    for kind in (
        "pem_blocks",
        "bearer_tokens",
        "aws_access_keys",
        "url_passwords",
        "presigned_url_signatures",
    ):
        assert counts[kind] >= 1, kind
    assert manifest["tool"]["name"] == "vaclient" and manifest["created_at"].endswith("Z")
    assert re.fullmatch(r"VAC-[0-9A-Z]{4}-[0-9A-Z]{4}", manifest["support_id"])
    assert "logs: blob.bin left out (binary file)" in manifest["problems"]
    assert path.stat().st_mode & 0o077 == 0


def test_anonymized_bundle_has_no_identity(world: dict[str, object], tmp_path: Path) -> None:
    _, plain = _make(world, tmp_path, anonymize=False)
    _, files = _make(world, tmp_path, anonymize=True)

    assert IPV6 in plain["report.json"] and EMAIL in plain["logs/vaclient/vaclient.log"]
    for name, text in files.items():
        lowered = text.lower()
        for identity in IDENTITIES:
            assert identity.lower() not in lowered, (name, identity)
    manifest = json.loads(files["manifest.json"])
    assert manifest["anonymized"] is True
    assert manifest["anonymized_values"]["ipv6"] >= 3
    assert not any(name.endswith(("mapping.json", "map.json")) for name in files)


def test_anonymization_is_consistent_across_files(
    world: dict[str, object], tmp_path: Path
) -> None:
    _, files = _make(world, tmp_path, anonymize=True)

    report = json.loads(files["report.json"])
    v6_token = report["endpoints"][0]["address"]
    app_token = report["endpoints"][0]["target"].rsplit(":", 1)[0]
    log = files["logs/vaclient/vaclient.log"]
    user_token = re.search(r"doctor by (\S+) on", log).group(1)  # type: ignore[union-attr]

    assert re.fullmatch(r"2001:db8:ffff::[0-9a-f]+", v6_token)
    assert re.fullmatch(r"host-\d+\.example\.invalid", app_token)
    assert f"connected to {app_token} at {v6_token} for " in log
    assert v6_token in files["report.html"] and app_token in files["report.html"]
    assert f"C:\\Users\\{user_token}\\AppData" in log
    net_token = re.search(r"(\S+)/57", files["system/route-print-6.txt"]).group(1)  # type: ignore[union-attr]
    assert f"{net_token}/57" in files["logs/client-1/client.log"]
    assert (
        f"{net_token}/57" in json.loads(files["system/network.json"])["routes"][0]["destination"]
    )
    machine_token = re.search(r"Host Name[ .]*: (\S+)", files["system/ipconfig-all.txt"]).group(1)  # type: ignore[union-attr]
    assert f"service on {machine_token} " in files["logs/client-1/sub/service.log"]
    assert "fe80::8" in files["system/route-print-6.txt"]


def test_failed_commands_are_recorded_not_fatal(world: dict[str, object], tmp_path: Path) -> None:
    runner = ReplayRunner({})
    plan = plan_bundle(world["options"], runner=runner, doctor=lambda _o: _report())  # type: ignore[arg-type]

    assert runner.calls == [("route", "print", "-6"), ("ipconfig", "/all")]
    assert "system: route print -6: the program is not installed" in plan.problems
    assert "report.json" in {n for n, _, _ in plan.files}
    assert not any(name.startswith("system/") for name, _, _ in plan.files)


@pytest.mark.parametrize("anonymize", [False, True])
def test_problem_lines_are_scrubbed_too(world: dict[str, object], anonymize: bool) -> None:
    leaked = world["secrets"][0]  # type: ignore[index]

    def failing_doctor(_options: BundleOptions) -> Report:
        raise OSError(f"resolver said {leaked}")

    options = replace(world["options"], anonymize=anonymize)  # type: ignore[type-var]
    plan = plan_bundle(options, runner=ReplayRunner({}), doctor=failing_doctor)

    lines = [p for p in plan.problems if p.startswith("report:")]
    assert len(lines) == 1
    assert leaked not in lines[0]
    assert "***" in lines[0]
