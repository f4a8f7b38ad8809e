"""``vaclient login``: installer address, download, signatures, and the sign-in flow."""

from __future__ import annotations

import http.server
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from vaclient.checks.model import CheckResult, EndpointVerdict, Report, Stage, Status
from vaclient.cli.login_cmd import Console, LoginDeps, login, offer_official_installer
from vaclient.config.install import execute_install, plan_install
from vaclient.errors import (
    EXIT_CANCELLED,
    EXIT_FAILED,
    EXIT_OK,
    PlatformUnsupported,
    UsageError,
)
from vaclient.login import (
    SignatureCheck,
    SignatureVerifier,
    download_installer,
    installer_url,
    open_installer,
    parse_authenticode,
    parse_pkgutil,
    wait_for_tunnel,
)
from vaclient.net.model import Interface, Route
from vaclient.platforms.base import ClientInstallation, CommandResult, CommandRunner, Platform
from vaclient.platforms.linux import LinuxPlatform
from vaclient.status import collect_status

DATA = Path(__file__).parents[1] / "data" / "login"
EXAMPLE = Path(__file__).parents[2] / "resources/examples/ClientConfig-vai-0123456789abcdef0.json"


# --- installer address ---------------------------------------------------------


@pytest.mark.parametrize(
    ("os_name", "machine", "expected"),
    [
        ("windows", "AMD64", "windows-x86_64/1.0.6/ConnectivityClientInstaller.msi"),
        ("macos", "arm64", "mac-arm64/1.0.4/ConnectivityClientInstaller.pkg"),
        ("macos", "x86_64", "mac-x86_64/1.0.4/ConnectivityClientInstaller.pkg"),
    ],
)
def test_installer_url_uses_the_newest_known_version(
    os_name: str, machine: str, expected: str
) -> None:
    url = installer_url(os_name, machine)
    assert url == "https://d1wo6wuaox5vq3.cloudfront.net/" + expected


@pytest.mark.parametrize(("os_name", "machine"), [("linux", "x86_64"), ("windows", "ARM64")])
def test_no_installer_for_linux_or_windows_on_arm(os_name: str, machine: str) -> None:
    with pytest.raises(PlatformUnsupported):
        installer_url(os_name, machine)


# --- download from a loopback server ---------------------------------------------


@pytest.fixture
def http_server(tmp_path: Path) -> Iterator[str]:
    root = tmp_path / "www"
    (root / "windows-x86_64" / "1.0.6").mkdir(parents=True)
    payload = b"MSI" + bytes(range(256)) * 400
    (root / "windows-x86_64" / "1.0.6" / "ConnectivityClientInstaller.msi").write_bytes(payload)

    class Handler(http.server.SimpleHTTPRequestHandler):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, directory=str(root), **kwargs)

        def log_message(self, format: str, *args: Any) -> None:
            return

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def test_download_refuses_plain_http(http_server: str, tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="only https:// is allowed"):
        download_installer(f"{http_server}/x.msi", tmp_path)
    assert list(tmp_path.iterdir()) == [tmp_path / "www"]


def test_download_writes_the_file(http_server: str, tmp_path: Path) -> None:
    seen: list[int] = []
    url = f"{http_server}/windows-x86_64/1.0.6/ConnectivityClientInstaller.msi"
    dest = tmp_path / "dl"
    dest.mkdir()

    path = download_installer(
        url, dest, allow_http=True, progress=lambda done, total: seen.append(done)
    )

    source = tmp_path / "www/windows-x86_64/1.0.6/ConnectivityClientInstaller.msi"
    assert path == dest / "ConnectivityClientInstaller.msi"
    assert path.read_bytes() == source.read_bytes()
    assert seen[-1] == source.stat().st_size


def test_download_default_folder_is_private(http_server: str) -> None:
    url = f"{http_server}/windows-x86_64/1.0.6/ConnectivityClientInstaller.msi"
    path = download_installer(url, allow_http=True)
    try:
        assert path.parent.name.startswith("vaclient-installer-")
        assert path.parent.stat().st_mode & 0o077 == 0
    finally:
        shutil.rmtree(path.parent)


def test_download_404_and_size_limit(http_server: str, tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="cannot download"):
        download_installer(f"{http_server}/missing.msi", tmp_path, allow_http=True)
    url = f"{http_server}/windows-x86_64/1.0.6/ConnectivityClientInstaller.msi"
    with pytest.raises(UsageError, match="larger than 1000 bytes"):
        download_installer(url, tmp_path, allow_http=True, max_bytes=1000)
    assert not (tmp_path / "ConnectivityClientInstaller.msi").exists()


# --- signatures from recorded tool output -------------------------------------------


@pytest.mark.parametrize(
    ("name", "valid", "detail"),
    [
        ("authenticode-valid.json", True, "valid signature"),
        ("authenticode-unsigned.json", False, "NotSigned"),
        ("authenticode-wrong-signer.json", False, "Example Tools Ltd"),
        ("authenticode-hash-mismatch-numeric.json", False, "HashMismatch"),
    ],
)
def test_parse_authenticode(name: str, valid: bool, detail: str) -> None:
    check = parse_authenticode((DATA / name).read_text())
    assert check.valid is valid
    assert detail in check.detail


@pytest.mark.parametrize(
    ("name", "valid", "detail"),
    [
        ("pkgutil-valid.txt", True, "valid signature"),
        ("pkgutil-unsigned.txt", False, "no signature"),
        ("pkgutil-wrong-signer.txt", False, "Example Tools Ltd"),
        ("pkgutil-untrusted.txt", False, "untrusted"),
    ],
)
def test_parse_pkgutil(name: str, valid: bool, detail: str) -> None:
    check = parse_pkgutil((DATA / name).read_text())
    assert check.valid is valid
    assert detail in check.detail


def test_parse_garbage_is_never_valid() -> None:
    assert not parse_authenticode("Get-AuthenticodeSignature : not recognized").valid
    assert not parse_pkgutil("").valid


class ReplayRunner(CommandRunner):
    """Replays one recorded output and records the argv it was asked to run."""

    def __init__(self, stdout: str) -> None:
        super().__init__()
        self.stdout = stdout
        self.argv: list[str] = []

    def run(self, argv: Any, *, timeout: float = 10.0) -> CommandResult:
        self.argv = list(argv)
        return CommandResult(tuple(argv), 0, self.stdout)


def test_verifier_runs_pkgutil_on_macos(tmp_path: Path) -> None:
    runner = ReplayRunner((DATA / "pkgutil-valid.txt").read_text())
    target = tmp_path / "ConnectivityClientInstaller.pkg"
    check = SignatureVerifier(runner, "macos").verify(target)
    assert check.valid
    assert runner.argv == ["pkgutil", "--check-signature", str(target)]


def test_verifier_runs_powershell_on_windows(tmp_path: Path) -> None:
    runner = ReplayRunner((DATA / "authenticode-wrong-signer.json").read_text())
    target = tmp_path / "ConnectivityClientInstaller.msi"
    check = SignatureVerifier(runner, "windows").verify(target)
    assert not check.valid
    assert runner.argv[0] == "powershell.exe" and runner.argv[-1] == str(target)
    assert "Get-AuthenticodeSignature" in runner.argv[-2]


def test_invalid_installer_is_never_opened(tmp_path: Path) -> None:
    opened: list[Path] = []
    target = tmp_path / "ConnectivityClientInstaller.pkg"
    for name in ("pkgutil-unsigned.txt", "pkgutil-wrong-signer.txt"):
        check = parse_pkgutil((DATA / name).read_text())
        with pytest.raises(UsageError, match="was not opened"):
            open_installer(target, check, opened.append)
    assert opened == []
    open_installer(target, SignatureCheck(True, "Amazon", "valid signature"), opened.append)
    assert opened == [target]


# --- the flow, with a fake OS boundary ---------------------------------------------------


TAP_DESC = "AWS Verified Access TAP-Windows Adapter V9 for VPN"


class FakeWindows(Platform):
    """A Windows whose tunnel comes up ``polls_until_up`` polls after the client starts."""

    name = "windows"

    def __init__(self, installed: bool = True, polls_until_up: int | None = 2) -> None:
        super().__init__()
        self.installed = installed
        self.polls_until_up = polls_until_up
        self.launched: list[str | None] = []
        self.polls = 0

    def client_installation(self) -> ClientInstallation:
        return ClientInstallation(self.installed, "1.0.6" if self.installed else None)

    def interfaces(self) -> list[Interface]:
        if self.launched:
            self.polls += 1
        up = (
            bool(self.launched)
            and self.polls_until_up is not None
            and self.polls >= self.polls_until_up
        )
        return [Interface("Ethernet 3", "tap", up=up, description=TAP_DESC, index=17)]

    def route_for(self, address: str) -> Route | None:
        return Route("2001:db8::/32", "fe80::8", "17", 281)

    def is_tunnel_interface(self, interface: Interface) -> bool:
        return interface.description == TAP_DESC

    def launch_client(self, path: str | None = None) -> None:
        self.launched.append(path)


def _report(failing: bool) -> Report:
    checks = [CheckResult("tunnel.interface", "Tunnel interface", Status.OK, stage=Stage.TUNNEL)]
    if failing:
        checks.append(
            CheckResult(
                "tcp.connect:db.example.com:5432",
                "TCP connection",
                Status.FAIL,
                code="tcp-timeout",
                message="No answer from [2001:db8:1400::10]:5432 within 3 s",
                hint="Ask helpdesk to check the access log.",
                target="db.example.com:5432",
                stage=Stage.TCP,
            )
        )
    verdict = EndpointVerdict(
        "db.example.com:5432",
        Status.FAIL if failing else Status.OK,
        "tcp-timeout" if failing else None,
    )
    return Report.build(
        checks, [verdict], host_os="windows", os_version="10", tool_version="0.1.0"
    )


def _deps(platform: Platform, report: Report, offered: list[bool] | None = None) -> LoginDeps:
    def offer(console: Console, yes: bool) -> int:
        (offered if offered is not None else []).append(yes)
        return EXIT_FAILED

    return LoginDeps(
        platform=platform,
        collect=lambda **kw: collect_status(running_probe=lambda: True, **kw),
        doctor=lambda config_dir, tunnel: report,
        plan_install=plan_install,
        execute_install=execute_install,
        offer_installer=offer,
        sleep=lambda s: None,
    )


def _console(answers: list[str] | None = None) -> tuple[Console, list[str]]:
    lines: list[str] = []
    queue = list(answers or [])
    return Console(
        interactive=answers is not None, write=lines.append, read=lambda q: queue.pop(0)
    ), lines


def _installed(tmp_path: Path) -> Path:
    folder = tmp_path / "client"
    folder.mkdir()
    shutil.copy(EXAMPLE, folder / EXAMPLE.name)
    return folder


def _run(folder: Path, deps: LoginDeps, console: Console, timeout: float = 30) -> int:
    return login(
        config_dir=str(folder),
        tunnel_interface="",
        client_path="",
        timeout=timeout,
        assume_yes=False,
        console=console,
        deps=deps,
    )


def test_login_starts_client_waits_and_checks(tmp_path: Path) -> None:
    platform = FakeWindows()
    console, lines = _console()

    code = _run(_installed(tmp_path), _deps(platform, _report(False)), console)

    assert code == EXIT_OK
    assert platform.launched == [None]
    assert any(line.startswith("... waiting for the tunnel") for line in lines)
    assert "Connected through Ethernet 3." in lines
    assert "All checks passed." in lines


def test_login_timeout_reports_the_doctors_primary_finding(tmp_path: Path) -> None:
    platform = FakeWindows(polls_until_up=None)
    console, lines = _console()

    code = _run(_installed(tmp_path), _deps(platform, _report(True)), console, timeout=0)

    assert code == EXIT_FAILED
    assert any(line.startswith("Not connected after 0 s") for line in lines)
    assert "FAIL: No answer from [2001:db8:1400::10]:5432 within 3 s" in lines
    assert "hint: Ask helpdesk to check the access log." in lines


def test_login_without_configuration_names_the_install_command(tmp_path: Path) -> None:
    folder = tmp_path / "empty"
    folder.mkdir()
    console, _lines = _console()
    with pytest.raises(UsageError) as caught:
        _run(folder, _deps(FakeWindows(), _report(False)), console)
    assert "vaclient config install FILE" in (caught.value.hint or "")


def test_login_imports_a_configuration_on_a_terminal(tmp_path: Path) -> None:
    folder = tmp_path / "client"
    console, lines = _console([str(EXAMPLE), "y"])

    code = _run(folder, _deps(FakeWindows(), _report(False)), console)

    assert (folder / EXAMPLE.name).read_bytes() == EXAMPLE.read_bytes()
    assert f"It will be installed as {folder / EXAMPLE.name}." in lines
    assert "  route: None -> 2001:db8:1400::/57" in lines
    assert code == EXIT_OK


def test_login_offers_the_installer_when_the_client_is_missing(tmp_path: Path) -> None:
    offered: list[bool] = []
    platform = FakeWindows(installed=False)
    console, _lines = _console()
    code = _run(_installed(tmp_path), _deps(platform, _report(False), offered), console)
    assert offered == [False]
    assert platform.launched == []
    assert code == EXIT_FAILED


def test_login_on_linux_says_the_client_is_windows_and_macos_only(tmp_path: Path) -> None:
    console, _lines = _console()
    with pytest.raises(PlatformUnsupported, match="only for Windows and macOS") as caught:
        _run(_installed(tmp_path), _deps(LinuxPlatform(), _report(False)), console)
    assert caught.value.exit_code == 2


def test_wait_reports_each_change_once(tmp_path: Path) -> None:
    folder = _installed(tmp_path)
    platform = FakeWindows(polls_until_up=3)
    platform.launched.append(None)
    lines: list[str] = []
    ticks = iter(range(100))

    outcome = wait_for_tunnel(
        lambda: collect_status(platform=platform, config_dir=folder, running_probe=lambda: True),
        timeout=50,
        on_progress=lines.append,
        clock=lambda: float(next(ticks)),
        sleep=lambda s: None,
    )

    assert outcome.connected
    assert platform.polls == 3
    assert lines == [
        "waiting for the tunnel (sign in in the browser window the client opens)",
        "connected through Ethernet 3",
    ]


# --- offering the installer: download, verify, open only after a yes -------------


def _offer(
    http_server: str, tmp_path: Path, recorded: str, answers: list[str]
) -> tuple[int, list[Path], list[str]]:
    opened: list[Path] = []
    console, lines = _console(answers)
    dest = tmp_path / "dl"
    dest.mkdir(exist_ok=True)
    code = offer_official_installer(
        console,
        False,
        url=f"{http_server}/windows-x86_64/1.0.6/ConnectivityClientInstaller.msi",
        download=lambda url: download_installer(url, dest, allow_http=True),
        verifier=SignatureVerifier(ReplayRunner((DATA / recorded).read_text()), "windows"),
        opener=opened.append,
    )
    return code, opened, lines


def test_verified_installer_is_opened_after_two_yeses(http_server: str, tmp_path: Path) -> None:
    code, opened, lines = _offer(http_server, tmp_path, "authenticode-valid.json", ["y", "y"])
    assert opened == [tmp_path / "dl" / "ConnectivityClientInstaller.msi"]
    assert any(line.startswith("Signature valid (CN=Amazon Web Services") for line in lines)
    assert code == EXIT_FAILED  # the user reruns login once the installer finished


@pytest.mark.parametrize(
    "recorded", ["authenticode-unsigned.json", "authenticode-wrong-signer.json"]
)
def test_bad_signature_is_never_opened(http_server: str, tmp_path: Path, recorded: str) -> None:
    code, opened, lines = _offer(http_server, tmp_path, recorded, ["y", "y"])
    assert opened == []
    assert code == EXIT_FAILED
    assert any("signature is NOT valid" in line for line in lines)


def test_declined_download_fetches_nothing(http_server: str, tmp_path: Path) -> None:
    code, opened, _lines = _offer(http_server, tmp_path, "authenticode-valid.json", ["n"])
    assert (code, opened) == (EXIT_CANCELLED, [])
    assert not (tmp_path / "dl" / "ConnectivityClientInstaller.msi").exists()


def test_declined_open_keeps_the_verified_file(http_server: str, tmp_path: Path) -> None:
    code, opened, lines = _offer(http_server, tmp_path, "authenticode-valid.json", ["y", "n"])
    assert (code, opened) == (EXIT_CANCELLED, [])
    assert lines[-1].startswith("The verified installer is at ")
