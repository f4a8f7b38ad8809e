"""Windows route parsers over recorded and documented-format output."""

from __future__ import annotations

from pathlib import Path

import pytest

from vaclient.net.lookup import longest_prefix_match
from vaclient.net.model import Route
from vaclient.net.routes import parse_routes
from vaclient.net.routes.windows import parse_interface_list, parse_netsh, parse_route_print

DATA = Path(__file__).parent.parent / "data" / "routes"

RECORDED = [
    Route("::1/128", None, "1", 331),
    Route("2406:da14:1428:900::/57", "fe80::8", "72", 281),
    Route("2406:da14:1428:980::5000/116", "fe80::8", "72", 25),
    Route("2406:da14:1428:980::5002/128", None, "72", 281),
    Route("fe80::/64", None, "11", 281),
    Route("fe80::/64", None, "27", 281),
    Route("fe80::/64", None, "63", 271),
    Route("fe80::/64", None, "72", 281),
    Route("ff00::/8", None, "1", 331),
    Route("ff00::/8", None, "11", 281),
    Route("ff00::/8", None, "27", 281),
    Route("ff00::/8", None, "63", 271),
    Route("ff00::/8", None, "72", 281),
]

ALIGNED = [
    Route("::1/128", None, "1", 331),
    Route("::/0", "fe80::1", "11", 25),
    Route("2001:db8:900::/57", "fe80::8", "72", 281),
    Route("2001:db8:980::5000/116", "fe80::8", "72", 25),
    Route("2001:db8:980::5002/128", None, "72", 281),
    Route("2001:db8:aaaa:bbbb:cccc:dddd:eeee:1/128", "fe80::1", "11", 281),
    Route("2001:db8:900:1::/64", None, "63", 271),
    Route("fe80::/64", None, "11", 281),
    Route("fe80::/64", None, "72", 281),
    Route("fe80::8480:1598:3308:f348/128", None, "72", 281),
    Route("ff00::/8", None, "1", 331),
    Route("ff00::/8", None, "72", 281),
]


def read(name: str) -> str:
    return (DATA / name).read_text(encoding="utf-8")


def test_recorded_paste_without_leading_spaces() -> None:
    assert parse_route_print(read("windows_recorded_route_print.txt")) == RECORDED


@pytest.mark.parametrize(
    "name",
    ["windows_route_print.txt", "windows_route_print_de_indented.txt"],
)
def test_aligned_english_and_german_indented(name: str) -> None:
    assert parse_route_print(read(name)) == ALIGNED


def test_crlf_file_read_as_bytes() -> None:
    text = (DATA / "windows_route_print_crlf.txt").read_bytes().decode()
    assert "\r\n" in text
    assert parse_route_print(text) == ALIGNED


def test_empty_table_is_an_empty_list_not_an_error() -> None:
    assert parse_route_print(read("windows_route_print_empty.txt")) == []


def test_no_table_is_none() -> None:
    assert parse_route_print("C:\\>route print -6\nThe requested operation failed.") is None


def test_wrapped_row_at_end_of_table_with_exactly_24_characters_fitting() -> None:
    text = (
        " 17    281 2001:db8:10:20:30:40::/96  fe80::8\n"
        " 17    281 2001:db8:10:20:30:40:50:60/128\n"
        "                                    2001:db8::1\n"
    )
    assert len("2001:db8:10:20:30:40::/96") > 24
    assert parse_route_print(text) == [
        Route("2001:db8:10:20:30:40::/96", "fe80::8", "17", 281),
        Route("2001:db8:10:20:30:40:50:60/128", "2001:db8::1", "17", 281),
    ]


def test_persistent_routes_are_not_active_routes() -> None:
    text = read("windows_route_print.txt").replace(
        "Persistent Routes:\n  None",
        "Persistent Routes:\n If Metric Network Destination      Gateway\n"
        "  0 4294967295 2001:db8:77::/48         fe80::77",
    )
    routes = parse_route_print(text)
    assert routes == ALIGNED


def test_interface_list_finds_the_verified_access_adapter() -> None:
    interfaces = parse_interface_list(read("windows_route_print.txt"))
    assert [(i.name, i.kind, i.index) for i in interfaces] == [
        ("72", "tap", 72),
        ("11", "other", 11),
        ("27", "other", 27),
        ("63", "tap", 63),
        ("1", "other", 1),
        ("14", "other", 14),
    ]
    assert interfaces[0].description == "AWS Verified Access TAP-Windows Adapter V9 for VPN"
    assert interfaces[5].description == "Microsoft ISATAP Adapter #2"


def test_netsh_crlf_names_with_spaces_and_isatap() -> None:
    text = (DATA / "windows_netsh.txt").read_bytes().decode()
    assert parse_netsh(text) == [
        Route("::/0", "fe80::1", "11", 256),
        Route("::1/128", None, "1", 256),
        Route("2001:db8:900::/57", "fe80::8", "72", 256),
        Route("2001:db8:980::5000/116", "fe80::8", "72", 0),
        Route("2001:db8:980::5002/128", None, "72", 256),
        Route("fe80::/64", None, "11", 256),
        Route("fe80::5efe:c000:201/128", None, "14", 256),
    ]


def test_endpoint_address_goes_to_the_tunnel_index_in_the_recording() -> None:
    routes = parse_routes(read("windows_recorded_route_print.txt"), "windows")
    chosen = longest_prefix_match(routes, "2406:da14:1428:900::40dc:b8d9")
    assert chosen == Route("2406:da14:1428:900::/57", "fe80::8", "72", 281)
