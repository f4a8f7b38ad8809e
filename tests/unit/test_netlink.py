"""rtnetlink route queries: message encoding/decoding, and the real kernel in a namespace."""

from __future__ import annotations

import errno
import ipaddress
import json
import os
import secrets
import struct
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.lab.labkit.env import require_lab
from vaclient.platforms import netlink

ADDR = ipaddress.IPv6Address("2001:db8:10:20::10")


def nlmsg(kind: int, seq: int, payload: bytes) -> bytes:
    """A netlink message as the kernel frames it (padded to 4 bytes)."""
    length = 16 + len(payload)
    return struct.pack("=IHHII", length, kind, 0, seq, 0) + payload + b"\0" * (-length % 4)


def route_payload(dst_len: int, attrs: bytes, *, kind: int = 1, flags: int = 0) -> bytes:
    return struct.pack("=BBBBBBBBI", 10, dst_len, 0, 0, 254, 4, 0, kind, flags) + attrs


def attr(kind: int, value: bytes) -> bytes:
    length = 4 + len(value)
    return struct.pack("=HH", length, kind) + value + b"\0" * (-length % 4)


# -- pure encoding and decoding --------------------------------------


def test_request_carries_the_address_and_the_fib_match_flag() -> None:
    plain = netlink.encode_get_route(ADDR, 7)
    fib = netlink.encode_get_route(ADDR, 8, fib_match=True)

    length, kind, flags, seq, pid = struct.unpack_from("=IHHII", plain)
    assert (length, kind, flags, seq, pid) == (len(plain), netlink.RTM_GETROUTE, 1, 7, 0)
    family, dst_len, *_, rtm_flags = struct.unpack_from("=BBBBBBBBI", plain, 16)
    assert (family, dst_len, rtm_flags) == (10, 128, 0)
    assert netlink.parse_attributes(plain[28:]) == {netlink.RTA_DST: ADDR.packed}
    assert struct.unpack_from("=I", fib, 24)[0] == netlink.RTM_F_FIB_MATCH


def test_route_reply_is_decoded() -> None:
    gateway = ipaddress.IPv6Address("2001:db8:1::1")
    payload = route_payload(
        48,
        attr(netlink.RTA_TABLE, struct.pack("=I", 254))
        + attr(netlink.RTA_DST, ipaddress.IPv6Address("2001:db8:10::").packed)
        + attr(netlink.RTA_GATEWAY, gateway.packed)
        + attr(netlink.RTA_OIF, struct.pack("=I", 3))
        + attr(netlink.RTA_PRIORITY, struct.pack("=I", 1024)),
        flags=0x4 | 0x10,
    )

    route = netlink.decode_reply(nlmsg(netlink.RTM_NEWROUTE, 5, payload), 5)

    assert route is not None
    assert (route.prefix, route.gateway, route.oif, route.priority) == (
        "2001:db8:10::/48",
        "2001:db8:1::1",
        3,
        1024,
    )
    assert route.flag_words == "onlink linkdown"


def test_default_route_has_no_destination_attribute() -> None:
    route = netlink.decode_route(route_payload(0, attr(netlink.RTA_OIF, struct.pack("=I", 2))))

    assert (route.destination, route.prefix, route.gateway) == (None, "::/0", None)


def test_no_route_errors_mean_none_and_others_raise() -> None:
    unreachable = nlmsg(netlink.NLMSG_ERROR, 1, struct.pack("=i", -errno.ENETUNREACH))
    invalid = nlmsg(netlink.NLMSG_ERROR, 2, struct.pack("=i", -errno.EINVAL))

    assert netlink.decode_reply(unreachable, 1) is None
    with pytest.raises(netlink.NetlinkError) as err:
        netlink.decode_reply(invalid, 2)
    assert err.value.errno == errno.EINVAL


def test_blackhole_route_counts_as_no_route() -> None:
    payload = route_payload(128, attr(netlink.RTA_DST, ADDR.packed), kind=6)

    assert netlink.decode_reply(nlmsg(netlink.RTM_NEWROUTE, 1, payload), 1) is None


def test_reply_to_another_request_is_not_taken() -> None:
    data = nlmsg(netlink.RTM_NEWROUTE, 9, route_payload(0, b""))

    with pytest.raises(netlink.NetlinkError, match="no answer"):
        netlink.decode_reply(data, 1)


def test_truncated_message_is_rejected() -> None:
    data = nlmsg(netlink.RTM_NEWROUTE, 1, route_payload(0, b""))

    with pytest.raises(netlink.NetlinkError, match="truncated"):
        netlink.split_messages(data[:-4])


# -- the real kernel, in a throwaway namespace -----------------------

LOOKUP = """
import json, sys
from vaclient.platforms.linux import LinuxPlatform
out = {}
for text in sys.argv[1:]:
    route = LinuxPlatform().route_for(text)
    out[text] = route.to_dict() if route else None
print(json.dumps(out))
"""


def ns(name: str, *argv: str) -> str:
    """Run ``argv`` in namespace ``name`` (with this checkout importable); its stdout."""
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).parents[2])}
    return subprocess.run(
        ["ip", "netns", "exec", name, *argv],
        capture_output=True,
        text=True,
        check=True,
        timeout=30,
        env=env,
    ).stdout


@pytest.fixture
def namespace() -> Iterator[str]:
    require_lab()
    name = f"vactest-{secrets.token_hex(4)}"
    subprocess.run(["ip", "netns", "add", name], check=True, timeout=10)
    try:
        yield name
    finally:
        subprocess.run(["ip", "netns", "del", name], check=False, timeout=10)


@pytest.mark.lab
def test_kernel_choice_matches_ip_route_get(namespace: str) -> None:
    ns(namespace, "ip", "link", "set", "lo", "up")
    ns(namespace, "ip", "link", "add", "vaveth0", "type", "veth", "peer", "name", "vaveth1")
    for dev in ("vaveth0", "vaveth1"):
        ns(namespace, "ip", "link", "set", dev, "up")
    ns(namespace, "ip", "-6", "addr", "add", "2001:db8:1::2/64", "dev", "vaveth0", "nodad")
    ns(namespace, "ip", "-6", "route", "add", "2001:db8:10::/48", "dev", "vaveth1")
    ns(namespace, "ip", "-6", "route", "add", "default", "via", "2001:db8:1::1", "metric", "900")
    ns(namespace, "ip", "-6", "route", "add", "blackhole", "2001:db8:66::/48")
    targets = ["2001:db8:10:20::10", "2001:db8:99::1", "2001:db8:66::1"]

    seen = json.loads(ns(namespace, sys.executable, "-c", LOOKUP, *targets))
    by_ip = json.loads(ns(namespace, "ip", "-j", "-6", "route", "get", targets[0]))[0]

    assert seen["2001:db8:10:20::10"] == {
        "destination": "2001:db8:10::/48",
        "gateway": None,
        "interface": by_ip["dev"],
        "metric": by_ip["metric"],
    }
    assert seen["2001:db8:99::1"] == {
        "destination": "::/0",
        "gateway": "2001:db8:1::1",
        "interface": "vaveth0",
        "metric": 900,
    }
    assert seen["2001:db8:66::1"] is None


@pytest.mark.lab
def test_no_route_at_all_is_none(namespace: str) -> None:
    ns(namespace, "ip", "link", "set", "lo", "up")
    code = (
        "import ipaddress; from vaclient.platforms import netlink;"
        "print(netlink.lookup(ipaddress.IPv6Address('2001:db8:99::1')).chosen)"
    )

    assert ns(namespace, sys.executable, "-c", code).strip() == "None"


def test_route_for_falls_back_to_ip_when_netlink_fails(monkeypatch: pytest.MonkeyPatch) -> None:
    from tests.unit.test_platform_linux import DATA, get, recorded

    def broken(address: ipaddress.IPv6Address, timeout: float = 1.0) -> netlink.Lookup:
        raise netlink.NetlinkError(errno.EPROTONOSUPPORT, "no netlink here")

    monkeypatch.setattr(netlink, "lookup", broken)
    platform = recorded(**{get(str(ADDR)): (DATA / "ip_route_get_tunnel.json").read_text()})
    platform._use_netlink = True

    route = platform.route_for(str(ADDR))

    assert route is not None
    assert (route.destination, route.interface) == ("2001:db8:10::/48", "tun0")
