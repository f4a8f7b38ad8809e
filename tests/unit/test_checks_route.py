"""The route decision (pure) and the tunnel choice (pure)."""

from __future__ import annotations

import pytest

from vaclient.checks.endpoint import judge_banner, judge_route
from vaclient.checks.model import Status
from vaclient.checks.tunnel import choose_tunnel
from vaclient.net.model import Interface, Route
from vaclient.net.tcp import Banner

ADDR = "2001:db8:10::10"


@pytest.mark.parametrize(
    ("route", "status", "code"),
    [
        (Route("2001:db8:10::/48", None, "tun0"), Status.OK, None),
        (Route("::/0", None, "tun0"), Status.OK, None),  # default through the tunnel counts
        (Route("2001:db8:10::10/128", "fe80::8", "tun0"), Status.OK, None),
        (None, Status.FAIL, "route-missing"),
        (Route("::/0", "fe80::1", "eth0"), Status.FAIL, "route-missing"),
        (Route("2001:db8::/32", None, "wg0"), Status.FAIL, "route-wrong-interface"),
        (Route("2000::/3", "fe80::1", "utun5"), Status.FAIL, "route-wrong-interface"),
    ],
)
def test_judge_route(route: Route | None, status: Status, code: str | None) -> None:
    verdict = judge_route(route, {"tun0", "17"}, ADDR)

    assert (verdict.status, verdict.code) == (status, code)


def test_judge_route_matches_windows_interface_index() -> None:
    verdict = judge_route(Route("2001:db8:10::/48", "fe80::8", "17"), {"Ethernet 3", "17"}, ADDR)

    assert verdict.status is Status.OK
    assert verdict.message == f"{ADDR} is routed into the tunnel (2001:db8:10::/48 via 17)"


def test_judge_route_messages() -> None:
    assert judge_route(None, {"tun0"}, ADDR).message == f"no route to {ADDR}"
    assert judge_route(Route("::/0", "fe80::1", "eth0"), {"tun0"}, ADDR).message == (
        f"only the default route (::/0 via eth0) covers {ADDR}; none enters the tunnel"
    )


def _is_tun(interface: Interface) -> bool:
    return interface.kind in ("tun", "tap")


def test_choose_tunnel_prefers_the_one_carrying_a_config_route() -> None:
    interfaces = [
        Interface("tun0", "tun", up=True),
        Interface("tun1", "tun", up=True),
        Interface("eth0", up=True),
    ]
    routes = [Route("2001:db8:10::/48", None, "tun1"), Route("::/0", "fe80::1", "eth0")]

    choice = choose_tunnel(interfaces, routes, ["2001:db8:10::/48"], _is_tun)

    assert choice.interface is not None and choice.interface.name == "tun1"
    assert choice.routed
    assert choice.candidates == ("tun0", "tun1")
    assert choice.reason == "tun1 is up and carries a ClientConfig route"


def test_choose_tunnel_takes_any_up_tunnel_without_routes() -> None:
    interfaces = [Interface("tap0", "tap", up=False), Interface("tun3", "tun", up=True)]

    choice = choose_tunnel(interfaces, [], ["2001:db8:10::/48"], _is_tun)

    assert choice.interface is not None and choice.interface.name == "tun3"
    assert not choice.routed


@pytest.mark.parametrize(
    ("interfaces", "reason"),
    [
        ([Interface("eth0", up=True)], "no tunnel interface exists"),
        (
            [Interface("tun0", "tun", up=False), Interface("tap1", "tap")],
            "no tunnel interface is up (tun0, tap1 down)",
        ),
    ],
)
def test_choose_tunnel_none_up(interfaces: list[Interface], reason: str) -> None:
    choice = choose_tunnel(interfaces, [], [], _is_tun)

    assert choice.interface is None
    assert choice.reason == reason


def test_override_names_the_tunnel_even_if_not_tun_kind() -> None:
    interfaces = [Interface("wg-va", up=True), Interface("tun0", "tun", up=True)]

    chosen = choose_tunnel(interfaces, [], [], _is_tun, override="wg-va")
    missing = choose_tunnel(interfaces, [], [], _is_tun, override="tun9")
    down = choose_tunnel([Interface("tun9", "tun")], [], [], _is_tun, override="tun9")

    assert chosen.interface is not None and chosen.interface.name == "wg-va"
    assert (missing.interface, missing.reason) == (None, "no interface named tun9 exists")
    assert (down.interface, down.reason) == (None, "tun9 (set as the tunnel) is down")


@pytest.mark.parametrize(
    ("port", "banner", "status"),
    [
        (22, Banner("ssh", "SSH-2.0-OpenSSH_9.6"), Status.OK),
        (22, Banner(None, "HTTP/1.1 400 Bad Request"), Status.WARN),
        (22, Banner(None, closed=True), Status.WARN),
        (22, Banner(None, silent=True), Status.WARN),
        (5432, Banner("postgresql", "N (SSL not offered)"), Status.OK),
        (3306, Banner("ssh", "SSH-2.0-X"), Status.WARN),
        (8443, Banner(None, silent=True), Status.OK),
        (2222, Banner("ssh", "SSH-2.0-X"), Status.OK),
    ],
)
def test_judge_banner(port: int, banner: Banner, status: Status) -> None:
    outcome = judge_banner(port, banner)

    assert outcome.status is status
    assert outcome.code == ("protocol-unexpected" if status is Status.WARN else None)


def test_judge_banner_message() -> None:
    outcome = judge_banner(22, Banner(None, closed=True))

    assert (
        outcome.message
        == "port 22 usually speaks ssh; it said nothing (the server closed the connection)"
    )
