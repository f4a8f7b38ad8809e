"""WindowsPlatform against recorded registry exports and PowerShell JSON."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

import pytest

from vaclient.errors import VaclientError
from vaclient.platforms.base import CommandResult, CommandRunner
from vaclient.platforms.windows import WindowsPlatform, parse_powershell_json
from vaclient.platforms.winreg_adapter import HKLM, REG_DWORD, DictRegistry

DATA = Path(__file__).parent.parent / "data" / "platforms" / "windows"


class CmdletRunner(CommandRunner):
    """Answers PowerShell by the script's first cmdlet, with recorded output."""

    def __init__(self, answers: dict[str, CommandResult | str]) -> None:
        self.answers = answers
        self.calls: list[list[str]] = []

    def run(self, argv: Sequence[str], *, timeout: float = 10.0) -> CommandResult:
        self.calls.append(list(argv))
        assert argv[:4] == ["powershell.exe", "-NoProfile", "-NonInteractive", "-Command"]
        cmdlet = argv[4].split()[0]
        if cmdlet not in self.answers:
            raise FileNotFoundError(2, "not recorded", cmdlet)
        found = self.answers[cmdlet]
        return found if isinstance(found, CommandResult) else CommandResult(tuple(argv), 0, found)


def registry(name: str) -> DictRegistry:
    return DictRegistry(json.loads((DATA / name).read_text(encoding="utf-8")))


def text(name: str) -> str:
    return (DATA / name).read_text(encoding="utf-8")


def platform(reg: str = "registry_bare.json", **answers: CommandResult | str) -> WindowsPlatform:
    return WindowsPlatform(CmdletRunner(answers), registry=registry(reg))


# -- IPv6 -------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "ok", "prefer_ipv4"),
    [
        (None, True, False),
        (0, True, False),
        (0x20, True, True),
        (0x01, True, False),
        (0x10, False, False),
        (0x11, False, False),
        (0xFF, False, True),
        (0xFFFFFFFF, False, True),
    ],
)
def test_ipv6_disabled_components(value: int | None, ok: bool, prefer_ipv4: bool) -> None:
    values = {} if value is None else {"DisabledComponents": ["REG_DWORD", value]}
    params = r"SYSTEM\CurrentControlSet\Services\Tcpip6\Parameters"
    win = WindowsPlatform(registry=DictRegistry({"HKLM": {params: values}}))

    probe = win.ipv6_status()

    assert probe.ok is ok
    assert probe.data["prefer_ipv4"] is prefer_ipv4
    assert probe.data["disabled_components"] == (value or 0)
    assert probe.data["present"] is (value is not None)


def test_ipv6_all_ones_is_named_as_the_known_mistake() -> None:
    probe = platform("registry_bare.json").ipv6_status()

    assert probe.ok is False
    assert "0xffffffff" in probe.detail
    assert "mistake" in probe.detail


def test_ipv6_prefer_ipv4_is_reported_in_the_detail() -> None:
    probe = platform("registry_user_webview2.json").ipv6_status()

    assert probe.ok is True
    assert "IPv4 is preferred" in probe.detail


def test_ipv6_unreadable_registry_is_unknown() -> None:
    reg = DictRegistry({}, denied=(r"HKLM\SYSTEM",))
    probe = WindowsPlatform(registry=reg).ipv6_status()

    assert probe.ok is None
    assert "denied" in probe.detail.lower()


# -- WebView2 ---------------------------------------------------------


def test_webview2_machine_install_in_wow6432node() -> None:
    probe = platform("registry_client_installed.json").webview2()

    assert probe.ok is True
    assert "131.0.2903.70" in probe.detail
    assert probe.data["versions"] == {"HKLM (32-bit view)": "131.0.2903.70"}


def test_webview2_per_user_install_counts_and_is_stripped() -> None:
    probe = platform("registry_user_webview2.json").webview2()

    assert probe.ok is True
    assert probe.data["versions"] == {"HKCU": "130.0.2849.80"}


def test_webview2_zero_and_empty_versions_and_preview_do_not_count() -> None:
    probe = platform("registry_bare.json").webview2()

    assert probe.ok is False
    assert probe.data["versions"] == {}
    assert probe.data["previews"] == {"beta": "132.0.2957.26"}
    assert "beta" in probe.detail


def test_webview2_dword_pv_is_not_a_version() -> None:
    key = (
        r"SOFTWARE\WOW6432Node\Microsoft\EdgeUpdate\Clients\{F3017226-FE2A-4295-8BDF-00C3A9A7E4C5}"
    )
    reg = DictRegistry({"HKLM": {key: {"pv": ["REG_DWORD", 1]}}})

    assert WindowsPlatform(registry=reg).webview2().ok is False


def test_dict_registry_redirects_the_32_bit_view() -> None:
    reg = registry("registry_client_installed.json")
    path = r"SOFTWARE\Microsoft\EdgeUpdate\Clients\{F3017226-FE2A-4295-8BDF-00C3A9A7E4C5}"

    assert reg.value(HKLM, path, "PV", "32") == ("131.0.2903.70", 1)
    assert reg.value(HKLM, path, "pv", "64") is None
    assert reg.subkeys(HKLM, r"software\microsoft\edgeupdate\clients", "32") == [
        "{F3017226-FE2A-4295-8BDF-00C3A9A7E4C5}"
    ]
    params = r"SYSTEM\CurrentControlSet\Services\Tcpip6\Parameters"
    assert registry("registry_bare.json").value(HKLM, params, "DisabledComponents", "32") == (
        0xFFFFFFFF,
        REG_DWORD,
    )


# -- TPM --------------------------------------------------------------


@pytest.mark.parametrize(
    ("fixture", "ok", "phrase"),
    [
        ("get_tpm_ready.json", True, "present and ready"),
        ("get_tpm_not_ready.json", False, "not ready"),
        ("get_tpm_absent.json", False, "no TPM"),
    ],
)
def test_tpm_from_get_tpm_json(fixture: str, ok: bool, phrase: str) -> None:
    win = platform(**{"Get-Tpm": text(fixture)})

    probe = win.tpm()

    assert probe.ok is ok
    assert phrase in probe.detail


def test_tpm_without_administrator_rights_is_unknown() -> None:
    denied = CommandResult(("powershell.exe",), 1, "", text("get_tpm_denied.stderr.txt"))

    probe = platform(**{"Get-Tpm": denied}).tpm()

    assert probe.ok is None
    assert "administrator" in probe.detail


def test_tpm_without_powershell_is_unknown() -> None:
    assert platform().tpm().ok is None


# -- installation and launch -----------------------------------------


def test_client_installation_picks_the_newest_matching_entry() -> None:
    found = platform("registry_client_installed.json").client_installation()

    assert found.installed is True
    assert found.version == "1.0.5"
    assert found.location == "C:\\Program Files\\Connectivity Client\\"
    assert found.detail == "AWS Verified Access Connectivity Client"


def test_client_installation_pattern_is_configurable() -> None:
    win = WindowsPlatform(registry=registry("registry_client_installed.json"))
    win.client_name_pattern = r"^Connectivity Client$"

    found = win.client_installation()

    assert (found.installed, found.version) == (True, "1.0.3")


def test_client_not_installed() -> None:
    found = platform("registry_bare.json").client_installation()

    assert found.installed is False
    assert "Connectivity Client" in found.detail


def test_launch_uses_the_only_program_in_the_install_folder(tmp_path: Path) -> None:
    (tmp_path / "ConnectivityClient.exe").write_bytes(b"MZ")
    (tmp_path / "unins000.exe").write_bytes(b"MZ")
    uninstall = r"SOFTWARE\Microsoft\Windows\CurrentVersion\Uninstall\{X}"
    reg = DictRegistry(
        {
            "HKLM": {
                uninstall: {
                    "DisplayName": ["REG_SZ", "Connectivity Client"],
                    "InstallLocation": ["REG_SZ", str(tmp_path)],
                }
            }
        }
    )
    started: list[str] = []
    win = WindowsPlatform(registry=reg, starter=started.append)

    win.launch_client()
    win.launch_client("D:\\Tools\\client.exe")

    assert started == [str(tmp_path / "ConnectivityClient.exe"), "D:\\Tools\\client.exe"]


def test_launch_without_a_known_program_asks_for_the_setting() -> None:
    win = WindowsPlatform(registry=registry("registry_bare.json"), starter=lambda _p: None)

    with pytest.raises(VaclientError) as err:
        win.launch_client()

    assert "client_path" in (err.value.hint or "")


# -- interfaces and DNS -----------------------------------------------


def test_interfaces_from_get_netadapter_array() -> None:
    win = platform(
        **{
            "Get-NetAdapter": text("get_netadapter_array.json"),
            "Get-NetIPAddress": text("get_netipaddress.json"),
        }
    )

    found = {i.name: i for i in win.interfaces()}

    tunnel = found["Ethernet 3"]
    assert (tunnel.kind, tunnel.up, tunnel.index) == ("tap", True, 17)
    assert tunnel.addresses == ("fe80::4d1b:9a2c:1e7f:33a0", "2001:db8:10:20::5")
    assert win.is_tunnel_interface(tunnel)
    assert found["Ethernet 2"].kind == "tap"
    assert not win.is_tunnel_interface(found["Ethernet 2"])
    assert (found["Ethernet"].kind, found["Ethernet"].up) == ("other", False)
    assert not win.is_tunnel_interface(found["Wi-Fi"])


def test_interfaces_from_a_single_adapter_object() -> None:
    win = platform(**{"Get-NetAdapter": text("get_netadapter_single.json")})

    found = win.interfaces()

    assert [(i.name, i.index, i.up, i.addresses) for i in found] == [("Wi-Fi", 9, True, ())]


def test_dns_servers_skip_placeholders_and_put_up_adapters_first() -> None:
    win = platform(
        **{
            "Get-NetAdapter": text("get_netadapter_array.json"),
            "Get-DnsClientServerAddress": text("get_dnsclientserveraddress.json"),
        }
    )

    assert win.dns_servers() == [
        "2001:db8:1::53",
        "192.0.2.1",
        "198.51.100.53",
        "203.0.113.53",
    ]


@pytest.mark.parametrize("bad", ["[1, 2]", "not json"])
def test_powershell_json_rejects_non_objects(bad: str) -> None:
    with pytest.raises(ValueError):
        parse_powershell_json(bad)


def test_powershell_json_strips_a_bom() -> None:
    assert parse_powershell_json('\ufeff[{"a": 1}]') == [{"a": 1}]
