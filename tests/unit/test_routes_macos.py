"""macOS netstat parser: header-driven columns, scopes, link#N, MACs, scoped defaults."""

from __future__ import annotations

from pathlib import Path

from vaclient.net.lookup import longest_prefix_match
from vaclient.net.model import Route
from vaclient.net.routes.macos import parse_netstat

DATA = Path(__file__).parent.parent / "data" / "routes"


def test_modern_table_with_full_tunnel_and_scoped_defaults() -> None:
    routes = parse_netstat((DATA / "macos_netstat_inet6.txt").read_text())
    assert routes is not None
    assert routes[:9] == [
        Route("::/0", "fe80::1", "en0", None, "UGcg"),
        Route("::/0", "fe80::", "utun0", None, "UGcIg", scoped=True),
        Route("::/0", "fe80::", "utun1", None, "UGcIg", scoped=True),
        Route("::/1", "fe80::", "utun4", None, "UGScg"),
        Route("::1/128", "::1", "lo0", None, "UHL"),
        Route("8000::/1", "fe80::", "utun4", None, "UGScg"),
        Route("2001:db8:900::/57", None, "utun4", None, "UCS"),
        Route("2001:db8:980::5002/128", None, "lo0", None, "UHS"),
        Route("2001:db8:1:2::/64", None, "en0", None, "UC"),
    ]
    assert routes[9] == Route("2001:db8:1:2::1/128", None, "en0", None, "UHLWIi", scoped=True)
    assert routes[13] == Route("fe80::/64", "fe80::a1", "utun4", None, "UcI", scoped=True)
    assert len(routes) == 15


def test_full_tunnel_halves_beat_the_default_and_scoped_defaults_are_skipped() -> None:
    routes = parse_netstat((DATA / "macos_netstat_inet6.txt").read_text())
    assert routes is not None
    chosen = longest_prefix_match(routes, "2001:db8:4242::1")
    assert chosen is not None and (chosen.destination, chosen.interface) == ("::/1", "utun4")
    only_defaults = [r for r in routes if r.destination == "::/0"]
    chosen = longest_prefix_match(only_defaults, "2001:db8:4242::1")
    assert chosen is not None and chosen.interface == "en0"


def test_older_table_with_refs_use_and_ipv4_section() -> None:
    routes = parse_netstat((DATA / "macos_netstat_refs.txt").read_text())
    assert routes == [
        Route("::/0", "fe80::1", "en0", None, "UGc"),
        Route("::/0", "fe80::", "utun0", None, "UGcI", scoped=True),
        Route("::1/128", "::1", "lo0", None, "UHL"),
        Route("2001:db8::/32", "2001:db8:ffff:ffff:ffff:ffff:ffff:fffe", "utun2", None, "UGS"),
        Route("2001:db8:1:2::/64", None, "en0", None, "UC"),
        Route("2001:db8:1:2::1/128", None, "en0", None, "UHLWIi", scoped=True),
        Route("fe80::/64", "fe80::1", "lo0", None, "UcI", scoped=True),
    ]


def test_interface_route_and_no_table() -> None:
    text = "Destination  Gateway  Flags  Netif Expire\n2001:db8:7::/64  utun3  USc  utun3\n"
    assert parse_netstat(text) == [Route("2001:db8:7::/64", None, "utun3", None, "USc")]
    assert parse_netstat("route: writing to routing socket: not in table") is None
