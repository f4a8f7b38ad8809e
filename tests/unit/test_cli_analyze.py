"""`vaclient analyze`: exact output for the common cases, and clean errors."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from vaclient.cli import main

DATA = Path(__file__).parent.parent / "data"


def run_cli(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(["--no-log-file", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_routes_json_contract(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_cli(
        ["analyze", "routes", str(DATA / "routes" / "macos_netstat_refs.txt"), "--json"], capsys
    )
    assert code == 0
    assert json.loads(out) == [
        {"destination": "::/0", "gateway": "fe80::1", "interface": "en0", "metric": None},
        {"destination": "::/0", "gateway": "fe80::", "interface": "utun0", "metric": None},
        {"destination": "::1/128", "gateway": "::1", "interface": "lo0", "metric": None},
        {
            "destination": "2001:db8::/32",
            "gateway": "2001:db8:ffff:ffff:ffff:ffff:ffff:fffe",
            "interface": "utun2",
            "metric": None,
        },
        {"destination": "2001:db8:1:2::/64", "gateway": None, "interface": "en0", "metric": None},
        {
            "destination": "2001:db8:1:2::1/128",
            "gateway": None,
            "interface": "en0",
            "metric": None,
        },
        {"destination": "fe80::/64", "gateway": "fe80::1", "interface": "lo0", "metric": None},
    ]


def test_routes_text_with_addresses_windows(capsys: pytest.CaptureFixture[str]) -> None:
    path = str(DATA / "routes" / "windows_route_print.txt")
    argv = ["analyze", "routes", path, "--address", "2001:db8:900::40dc:b8d9"]
    code, out, _ = run_cli([*argv, "--address", "2001:db8:4242::1"], capsys)
    assert code == 0
    assert out == (
        f"12 routes in {path} (Windows route print -6).\n"
        "\n"
        "Destination                              Gateway  Interface  Metric\n"
        "::1/128                                  on-link  1          331\n"
        "::/0                                     fe80::1  11         25\n"
        "2001:db8:900::/57                        fe80::8  72         281\n"
        "2001:db8:980::5000/116                   fe80::8  72         25\n"
        "2001:db8:980::5002/128                   on-link  72         281\n"
        "2001:db8:aaaa:bbbb:cccc:dddd:eeee:1/128  fe80::1  11         281\n"
        "2001:db8:900:1::/64                      on-link  63         271\n"
        "fe80::/64                                on-link  11         281\n"
        "fe80::/64                                on-link  72         281\n"
        "fe80::8480:1598:3308:f348/128            on-link  72         281\n"
        "ff00::/8                                 on-link  1          331\n"
        "ff00::/8                                 on-link  72         281\n"
        "\n"
        "Tunnel interface: 72 (AWS Verified Access TAP-Windows Adapter V9 for VPN)\n"
        "Route for 2001:db8:900::40dc:b8d9: 2001:db8:900::/57 via fe80::8 on 72"
        " - through the tunnel\n"
        "Route for 2001:db8:4242::1: ::/0 via fe80::1 on 11 - NOT through the tunnel\n"
    )


def test_routes_json_with_address_from_stdin(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    data = (DATA / "routes" / "macos_netstat_inet6.txt").read_bytes()
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(data)))
    argv = ["analyze", "routes", "-", "--json", "--address", "2001:db8:900::5"]
    code, out, _ = run_cli([*argv, "--address", "2001:db8:4242::1"], capsys)
    assert code == 0
    document = json.loads(out)
    assert len(document["routes"]) == 15
    assert document["lookups"] == [
        {
            "address": "2001:db8:900::5",
            "route": {
                "destination": "2001:db8:900::/57",
                "gateway": None,
                "interface": "utun4",
                "metric": None,
            },
            "through_tunnel": True,
        },
        {
            "address": "2001:db8:4242::1",
            "route": {
                "destination": "::/1",
                "gateway": "fe80::",
                "interface": "utun4",
                "metric": None,
            },
            "through_tunnel": True,
        },
    ]


def test_routes_recorded_without_interface_list_says_unknown(
    capsys: pytest.CaptureFixture[str],
) -> None:
    path = str(DATA / "routes" / "windows_recorded_route_print.txt")
    code, out, _ = run_cli(
        ["analyze", "routes", path, "--address", "2406:da14:1428:900::1"], capsys
    )
    assert code == 0
    assert out.splitlines()[-2:] == [
        "Tunnel interface: unknown: the input has no Interface List entry for the Verified "
        "Access adapter (paste the whole `route print -6` output, or pass --tunnel-interface)",
        "Route for 2406:da14:1428:900::1: 2406:da14:1428:900::/57 via fe80::8 on 72"
        " - tunnel unknown",
    ]
    argv = ["analyze", "routes", path, "--tunnel-interface", "72", "--address", "::1"]
    code, out, _ = run_cli(argv, capsys)
    assert out.splitlines()[-1] == "Route for ::1: ::1/128 on-link on 1 - NOT through the tunnel"


def test_routes_utf16_file_from_powershell(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    text = (DATA / "routes" / "windows_route_print_de_indented.txt").read_text(encoding="utf-8")
    path = tmp_path / "routes.txt"
    path.write_bytes(text.replace("\n", "\r\n").encode("utf-16"))
    code, out, _ = run_cli(["analyze", "routes", str(path), "--json"], capsys)
    assert code == 0
    assert len(json.loads(out)) == 12


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (
            ["analyze", "routes", str(DATA / "dig" / "recorded_a.txt"), "--format", "windows"],
            f"error: no IPv6 route table found in {DATA / 'dig' / 'recorded_a.txt'}; paste the "
            "whole output of `route print -6` (or `netsh interface ipv6 show route`)\n",
        ),
        (
            ["analyze", "ipconfig", str(DATA / "missing.txt")],
            f"error: cannot read {DATA / 'missing.txt'}: No such file or directory\n",
        ),
        (
            ["analyze", "routes", str(DATA / "routes" / "linux_ip_route.txt"), "--address", "x"],
            "error: --address 'x' is not an IPv6 address\n",
        ),
        (
            ["analyze", "dig", str(DATA / "routes" / "linux_ip_route.txt")],
            f"error: no dig output found in {DATA / 'routes' / 'linux_ip_route.txt'}; paste the "
            "whole output of `dig NAME AAAA`\n",
        ),
    ],
)
def test_bad_input_exits_2_without_traceback(
    argv: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run_cli(argv, capsys)
    assert (code, out) == (2, "")
    first, hint = err.splitlines(keepends=True)
    assert first == message
    assert hint.startswith("hint: ")
    assert "Traceback" not in err


def test_ipconfig_text(capsys: pytest.CaptureFixture[str]) -> None:
    path = str(DATA / "ipconfig" / "recorded_va_adapter.txt")
    code, out, _ = run_cli(["analyze", "ipconfig", path], capsys)
    assert code == 0
    assert out == (
        f"1 adapter in {path}.\n"
        "\n"
        "Unknown adapter AWS Verified Access TAP-Windows Adapter #4434\n"
        "  Description:      AWS Verified Access TAP-Windows Adapter V9 for VPN\n"
        "  State:            up\n"
        "  Index:            72\n"
        "  Physical address: 00-FF-6D-5F-03-C1\n"
        "  IPv6 addresses:   2406:da14:1428:980::5002\n"
        "  Link-local:       fe80::8480:1598:3308:f348\n"
        "  IPv4 addresses:   169.254.12.76\n"
        "  DNS servers:      fec0:0:0:ffff::1, fec0:0:0:ffff::2, fec0:0:0:ffff::3\n"
        "                    (fec0:0:0:ffff::N are placeholders: no IPv6 DNS server set)\n"
        "\n"
        "Verified Access adapter: present, up, index 72, 2406:da14:1428:980::5002\n"
        "Finding: none\n"
    )


def test_ipconfig_json_tunnel_down(capsys: pytest.CaptureFixture[str]) -> None:
    path = str(DATA / "ipconfig" / "windows_all_de.txt")
    code, out, _ = run_cli(["analyze", "ipconfig", path, "--json"], capsys)
    document = json.loads(out)
    assert code == 0
    assert [a["name"] for a in document["adapters"]] == [
        "Ethernet 2",
        "AWS Verified Access TAP-Windows Adapter #12",
    ]
    assert document["verified_access"] == {
        "present": True,
        "up": False,
        "name": "AWS Verified Access TAP-Windows Adapter #12",
        "index": None,
        "addresses": [],
    }
    assert document["finding"] == "tunnel-down"


def test_dig_text_and_json(capsys: pytest.CaptureFixture[str]) -> None:
    path = str(DATA / "dig" / "nxdomain.txt")
    code, out, _ = run_cli(["analyze", "dig", path], capsys)
    assert code == 0
    assert out.splitlines()[:3] == [
        "nope.example.com. AAAA: NXDOMAIN, 0 answers from 192.0.2.53 in 12 ms",
        "  Flags: qr rd ra",
        "  Finding: dns-nxdomain (Name does not exist)",
    ]
    code, out, _ = run_cli(
        ["analyze", "dig", str(DATA / "dig" / "recorded_aaaa.txt"), "--json"], capsys
    )
    (result,) = json.loads(out)
    assert (result["status"], result["aaaa"], result["finding"]) == (
        "NOERROR",
        ["2406:da14:1428:900::40dc:b8d9"],
        None,
    )
