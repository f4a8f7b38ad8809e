"""Format detection over every fixture, errors, and the parsers' worked examples."""

from __future__ import annotations

import doctest
import importlib
from pathlib import Path

import pytest

from vaclient.errors import UsageError
from vaclient.net.routes import parse_kind, parse_routes
from vaclient.net.routes.detect import detect_kind

DATA = Path(__file__).parent.parent / "data" / "routes"


@pytest.mark.parametrize(
    ("name", "kind", "count"),
    [
        ("windows_recorded_route_print.txt", "windows-route", 13),
        ("windows_route_print.txt", "windows-route", 12),
        ("windows_route_print_crlf.txt", "windows-route", 12),
        ("windows_route_print_de_indented.txt", "windows-route", 12),
        ("windows_route_print_empty.txt", "windows-route", 0),
        ("windows_netsh.txt", "windows-netsh", 7),
        ("macos_netstat_inet6.txt", "macos-netstat", 15),
        ("macos_netstat_refs.txt", "macos-netstat", 7),
        ("linux_ip_route.json", "linux-json", 9),
        ("linux_ip_route.txt", "linux-ip", 9),
        ("linux_ipv6_route.txt", "linux-proc", 5),
    ],
)
def test_every_fixture_is_detected_and_parsed(name: str, kind: str, count: int) -> None:
    text = (DATA / name).read_bytes().decode("utf-8")
    assert detect_kind(text) == kind
    found, routes = parse_kind(text)
    assert (found, len(routes)) == (kind, count)


def test_family_restricts_detection() -> None:
    text = (DATA / "linux_ip_route.txt").read_text()
    assert detect_kind(text, "windows") is None
    with pytest.raises(UsageError) as err:
        parse_routes(text, "windows", source="routes.txt")
    assert err.value.message == (
        "no IPv6 route table found in routes.txt; paste the whole output of "
        "`route print -6` (or `netsh interface ipv6 show route`)"
    )


def test_unknown_format_name() -> None:
    with pytest.raises(UsageError, match="unknown route table format 'bsd'"):
        parse_routes("", "bsd")


@pytest.mark.parametrize(
    "module",
    [
        "vaclient.net.routes",
        "vaclient.net.routes.common",
        "vaclient.net.routes.windows",
        "vaclient.net.routes.macos",
        "vaclient.net.routes.linux",
        "vaclient.net.routes.detect",
        "vaclient.net.ipconfig",
        "vaclient.net.dig",
        "vaclient.net.lookup",
        "vaclient.platforms.win_iphlp",
        "vaclient.cli.analyze_cmd",
    ],
)
def test_worked_examples_in_docstrings(module: str) -> None:
    result = doctest.testmod(importlib.import_module(module))
    assert result.attempted > 0
    assert result.failed == 0
