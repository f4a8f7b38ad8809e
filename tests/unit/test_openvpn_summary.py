"""The OpenVPN summary: the directives that matter, never any key material."""

from __future__ import annotations

import base64
import doctest
import json
from pathlib import Path
from types import ModuleType

import pytest

from vaclient.config import _validate, redact
from vaclient.config.openvpn import (
    OpenVpnSummary,
    decode_config,
    inline_block_contents,
    summarise_openvpn,
    summarise_openvpn_text,
)

OVPN = Path(__file__).resolve().parents[1] / "data" / "openvpn" / "client-inline.ovpn"


def block_lines(text: str) -> list[str]:
    """Every non-marker line inside an inline block of ``text``."""
    lines = []
    for block in inline_block_contents(text):
        lines.extend(
            line.strip()
            for line in block.splitlines()
            if line.strip() and not line.strip().startswith(("-----", "#"))
        )
    return lines


def test_realistic_config_summary() -> None:
    text = OVPN.read_text()
    summary = summarise_openvpn(base64.b64encode(text.encode()).decode())
    assert summary.remotes == (
        ("edge.vai-0123456789abcdef0.example.net", 443, None),
        ("edge-backup.vai-0123456789abcdef0.example.net", 1194, "tcp-client"),
    )
    assert (summary.proto, summary.port, summary.device, summary.device_type) == (
        "udp",
        None,
        "tun",
        "tun",
    )
    assert summary.routes == ("2001:db8:1400::/57", "198.51.100.0/24")
    assert summary.is_client
    assert not summary.redirect_gateway
    assert summary.inline_blocks == ("ca", "cert", "key", "tls-crypt")
    assert summary.has_inline_keys
    assert summary.file_references == ()
    assert summary.ciphers == ("AES-256-GCM:AES-128-GCM", "AES-256-GCM")
    assert "block-outside-dns" not in summary.directives  # a comment
    assert summary.problems == ()


def test_summary_never_contains_key_material() -> None:
    text = OVPN.read_text()
    secrets = block_lines(text)
    assert len(secrets) == 8  # two lines in each of the four blocks

    summary = summarise_openvpn_text(text)
    rendered = json.dumps(summary.to_dict()) + repr(summary)
    for line in secrets:
        assert line not in rendered
    assert "BEGIN" not in rendered


def test_blocks_are_read_whole_even_when_they_look_like_directives() -> None:
    text = "client\n<key>\nremote evil.example 1\nroute-ipv6 2001:db8:ffff::/48\n</key>\n"
    summary = summarise_openvpn_text(text)
    assert summary.remotes == ()
    assert summary.routes == ()
    assert summary.directives == ("client",)
    assert inline_block_contents(text) == ("remote evil.example 1\nroute-ipv6 2001:db8:ffff::/48",)


def test_unclosed_block_is_a_problem_and_hides_the_rest() -> None:
    text = "remote a.example.com 443\n<tls-crypt>\n0fa1ce0fa1ce\nremote b.example.com 1\n"
    summary = summarise_openvpn_text(text)
    assert summary.remotes == (("a.example.com", 443, None),)
    assert summary.problems == ("inline block <tls-crypt> is not closed",)
    assert summary.has_inline_keys
    assert "0fa1ce" not in json.dumps(summary.to_dict())


@pytest.mark.parametrize(
    ("text", "field", "value"),
    [
        ("dev tap0\n", "device_type", "tap"),
        ("dev mytun\ndev-type tun\n", "device_type", "tun"),
        ("dev vpn\n", "device_type", None),
        ("port 1194\nremote h\n", "port", 1194),
        ("rport 443\nport 1194\n", "port", 443),
        ("port 99999\n", "port", None),
        ("PROTO TCP-CLIENT\n", "proto", "tcp-client"),
        ("remote h 70000 udp\n", "remotes", (("h", None, "udp"),)),
        ("remote\n", "remotes", ()),
        ("  remote h 443   # primary\n", "remotes", (("h", 443, None),)),
        ('remote "h" 443\n', "remotes", (("h", 443, None),)),
        ("--remote h 443\n", "remotes", (("h", 443, None),)),
        ("route 192.0.2.7 255.255.255.0\n", "routes", ("192.0.2.0/24",)),
        ("route 192.0.2.7\n", "routes", ("192.0.2.7/32",)),
        ("route vpn.example.com\n", "routes", ("vpn.example.com",)),
        ("route-ipv6 2001:DB8:0:0::/48 fe80::1\n", "routes", ("2001:db8::/48",)),
        ("redirect-gateway def1 ipv6\n", "redirect_gateway", True),
        ("tls-client\npull\n", "is_client", True),
        ("ca /etc/ca.pem\nkey client.key\n<cert>\nx\n</cert>\n", "file_references", ("ca", "key")),
        ("<ca>\nx\n</ca>\n", "has_inline_keys", False),
        ("# only a comment\n; another\n", "directives", ()),
        ("client\r\ndev tun\r\n", "directives", ("client", "dev")),
    ],
)
def test_directive_table(text: str, field: str, value: object) -> None:
    assert getattr(summarise_openvpn_text(text), field) == value


def test_unknown_lines_are_counted_not_shown() -> None:
    stray = "MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgFAKEPRIVATEKEYFAKE"
    text = f"client\n{stray}\nopt-from-the-future 1\nremote h 443\n"
    summary = summarise_openvpn_text(text)
    assert summary.directives == ("client", "remote")
    assert summary.unknown_directives == 2
    assert stray.lower() not in json.dumps(summary.to_dict()).lower()


def test_empty_text_gives_an_empty_summary() -> None:
    assert summarise_openvpn_text("") == OpenVpnSummary()
    assert OpenVpnSummary().to_dict()["remotes"] == []


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("Y2xpZW50CmRldiB0dW4K secret BuYW1l", "Config is not valid base64"),
        ("Y2xp\u00e9", "Config is not valid base64"),
        (base64.b64encode(b"\xff\xfe").decode(), "Config does not decode to UTF-8 text"),
    ],
)
def test_bad_base64_raises_without_echo(value: str, message: str) -> None:
    with pytest.raises(ValueError) as info:
        summarise_openvpn(value)
    assert str(info.value) == message
    assert value not in str(info.value)
    with pytest.raises(ValueError, match=message):
        decode_config(value)


@pytest.mark.parametrize("module", [_validate, redact], ids=lambda m: m.__name__)
def test_docstring_examples_hold(module: ModuleType) -> None:
    result = doctest.testmod(module)
    assert (result.failed, result.attempted > 0) == (0, True)
