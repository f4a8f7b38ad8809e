"""Linux route parsers: recorded fixtures, and the live tables of this machine."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from vaclient.net.lookup import longest_prefix_match
from vaclient.net.model import Route
from vaclient.net.routes.linux import parse_ip_json, parse_ip_text, parse_proc

DATA = Path(__file__).parent.parent / "data" / "routes"

EXPECTED = [
    Route("2001:db8:10::/48", "fe80::8", "tun0", 1024),
    Route("2001:db8:10:0:1::/80", None, "tun0", 256),
    Route("2001:db8:1:2::/64", None, "eth0", 100),
    Route("2001:db8:5::/64", "fe80::a", "eth0", 1024),
    Route("2001:db8:5::/64", "fe80::b", "eth1", 1024, "linkdown"),
    Route("2001:db8:10::99/128", None, "tun0", 1024),
    Route("fe80::/64", None, "eth0", 256),
    Route("fe80::/64", None, "tun0", 256),
    Route("::/0", "fe80::1", "eth0", 100),
]


def test_json_and_text_agree_and_drop_unreachable() -> None:
    assert parse_ip_json((DATA / "linux_ip_route.json").read_text()) == EXPECTED
    assert parse_ip_text((DATA / "linux_ip_route.txt").read_text()) == EXPECTED


def test_proc_drops_reject_local_and_keeps_ra_default() -> None:
    routes = parse_proc((DATA / "linux_ipv6_route.txt").read_text())
    assert routes == [
        Route("2001:db8:10::/48", "fe80::8", "tun0", 1024, "0x00000003"),
        Route("2001:db8:1:2::/64", None, "eth0", 100, "0x00440001"),
        Route("fe80::/64", None, "eth0", 256, "0x00000001"),
        Route("::/0", "fe80::1", "eth0", 100, "0x00450003"),
        Route("ff00::/8", None, "eth0", 256, "0x00000001"),
    ]
    chosen = longest_prefix_match(routes or [], "2001:db8:a::1")
    assert chosen is not None and chosen.interface == "eth0"  # not the REJECT on lo


def test_not_linux_output_is_none() -> None:
    assert parse_ip_json("not json") is None
    assert parse_ip_text("Kernel IPv6 routing table") is None
    assert parse_proc("Destination Gateway") is None


def test_via_with_family_keyword_and_table_local_skipped() -> None:
    text = (
        "2001:db8:6::/64 via inet6 fe80::6 dev eth0 metric 5\n"
        "local 2001:db8:6::1 dev eth0 table local proto kernel metric 0 pref medium\n"
    )
    assert parse_ip_text(text) == [Route("2001:db8:6::/64", "fe80::6", "eth0", 5)]


def _run(*argv: str) -> str:
    return subprocess.run(list(argv), capture_output=True, text=True, check=True).stdout


@pytest.mark.skipif(shutil.which("ip") is None, reason="iproute2 is not installed")
def test_live_tables_of_this_machine_agree() -> None:
    as_json = parse_ip_json(_run("ip", "-j", "-6", "route"))
    as_text = parse_ip_text(_run("ip", "-6", "route"))
    assert as_json is not None and as_text is not None
    assert [r.to_dict() for r in as_json] == [r.to_dict() for r in as_text]
    proc = parse_proc(Path("/proc/net/ipv6_route").read_text())
    assert proc is not None
    proc_keys = {(r.destination, r.gateway, r.interface, r.metric) for r in proc}
    assert {(r.destination, r.gateway, r.interface, r.metric) for r in as_json} <= proc_keys
