"""ipconfig /all parser over the recorded adapter and documented variants."""

from __future__ import annotations

from pathlib import Path

import pytest

from vaclient.errors import UsageError
from vaclient.net.ipconfig import parse_ipconfig

DATA = Path(__file__).parent.parent / "data" / "ipconfig"


def test_recorded_verified_access_adapter() -> None:
    (adapter,) = parse_ipconfig((DATA / "recorded_va_adapter.txt").read_text(encoding="utf-8"))
    assert adapter.to_dict() == {
        "type": "Unknown",
        "name": "AWS Verified Access TAP-Windows Adapter #4434",
        "description": "AWS Verified Access TAP-Windows Adapter V9 for VPN",
        "physical_address": "00-FF-6D-5F-03-C1",
        "media_connected": True,
        "up": True,
        "index": 72,
        "ipv6_addresses": ["2406:da14:1428:980::5002"],
        "link_local": ["fe80::8480:1598:3308:f348"],
        "ipv4_addresses": ["169.254.12.76"],
        "gateways": [],
        "dns_servers": ["fec0:0:0:ffff::1", "fec0:0:0:ffff::2", "fec0:0:0:ffff::3"],
        "dns_placeholders": True,
        "verified_access": True,
    }
    assert adapter.states["169.254.12.76"] == "Tentative"


def test_english_crlf_with_several_adapters() -> None:
    text = (DATA / "windows_all_en_crlf.txt").read_bytes().decode()
    ethernet, wifi, tunnel = parse_ipconfig(text)
    assert (ethernet.type, ethernet.name, ethernet.media_connected, ethernet.up) == (
        "Ethernet",
        "Ethernet",
        False,
        False,
    )
    assert ethernet.description == "Intel(R) Ethernet Connection (7) I219-LM"
    assert (wifi.type, wifi.name, wifi.index) == ("Wireless LAN", "Wi-Fi", 27)
    assert wifi.ipv6_addresses == ("2001:db8:1:2::5", "2001:db8:1:2:a1b2:c3d4:e5f6:1")
    assert wifi.ipv4_addresses == ("192.0.2.25",)
    assert wifi.gateways == ("fe80::1", "192.0.2.1")
    assert wifi.dns_servers == ("2001:db8:1:2::53", "192.0.2.53")
    assert not wifi.dns_placeholders
    assert tunnel.is_verified_access and tunnel.up and tunnel.index == 72
    assert tunnel.ipv6_addresses == ("2001:db8:980::5002",)


def test_german_headings_and_media_disconnected() -> None:
    ethernet, tunnel = parse_ipconfig((DATA / "windows_all_de.txt").read_text(encoding="utf-8"))
    assert (ethernet.type, ethernet.name) == ("Ethernet", "Ethernet 2")
    assert ethernet.description == "Realtek USB GbE Family Controller"
    assert (tunnel.type, tunnel.name) == (
        "Unbekannter",
        "AWS Verified Access TAP-Windows Adapter #12",
    )
    assert tunnel.is_verified_access
    assert (tunnel.media_connected, tunnel.up, tunnel.physical_address) == (
        False,
        False,
        "00-FF-6D-5F-03-C2",
    )


def test_interface_view_for_the_checks() -> None:
    (adapter,) = parse_ipconfig((DATA / "recorded_va_adapter.txt").read_text(encoding="utf-8"))
    interface = adapter.to_interface()
    assert (interface.name, interface.kind, interface.up, interface.index) == (
        "AWS Verified Access TAP-Windows Adapter #4434",
        "tap",
        True,
        72,
    )


def test_not_ipconfig() -> None:
    with pytest.raises(UsageError, match=r"no network adapter found in x\.txt"):
        parse_ipconfig("Pinging 192.0.2.1 with 32 bytes of data", source="x.txt")
