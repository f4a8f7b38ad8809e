"""The IP Helper adapter: imports anywhere; its ctypes conversions work on filled structures."""

from __future__ import annotations

import ctypes
import sys

import pytest

from vaclient.errors import PlatformUnsupported
from vaclient.net.model import Interface, Route
from vaclient.platforms import win_iphlp as iphlp


def _v6(sockaddr: iphlp.SOCKADDR_INET, text: str) -> None:
    import ipaddress

    sockaddr.Ipv6.sin6_family = iphlp.AF_INET6
    sockaddr.Ipv6.sin6_addr[:] = list(ipaddress.IPv6Address(text).packed)


def test_structure_sizes_match_the_windows_sdk() -> None:
    assert ctypes.sizeof(iphlp.SOCKADDR_INET) == 28
    assert ctypes.sizeof(iphlp.MIB_IPFORWARD_ROW2) == 104
    assert iphlp.MIB_IPFORWARD_TABLE2.Table.offset == 8


def test_route_rows_convert_gateway_and_on_link() -> None:
    row = iphlp.MIB_IPFORWARD_ROW2()
    row.InterfaceIndex = 72
    _v6(row.DestinationPrefix.Prefix, "2001:db8:900::")
    row.DestinationPrefix.PrefixLength = 57
    _v6(row.NextHop, "fe80::8")
    row.Metric = 256
    assert iphlp.route_from_row(row) == Route("2001:db8:900::/57", "fe80::8", "72", 256)

    _v6(row.NextHop, "::")
    assert iphlp.route_from_row(row) == Route("2001:db8:900::/57", None, "72", 256)

    row.DestinationPrefix.Prefix.si_family = iphlp.AF_INET
    assert iphlp.route_from_row(row) is None


def test_adapter_converts_to_interface() -> None:
    sockaddr = iphlp.SOCKADDR_INET()
    _v6(sockaddr, "2001:db8:980::5002")
    unicast = iphlp.IP_ADAPTER_ADDRESS()
    unicast.Address.lpSockaddr = ctypes.cast(
        ctypes.pointer(sockaddr), ctypes.POINTER(iphlp.SOCKADDR_IN6)
    )
    adapter = iphlp.IP_ADAPTER_ADDRESSES()
    adapter.IfIndex = 72
    adapter.FriendlyName = "Local Area Connection 3"
    adapter.Description = "AWS Verified Access TAP-Windows Adapter V9 for VPN"
    adapter.IfType = iphlp.IF_TYPE_PROP_VIRTUAL
    adapter.OperStatus = iphlp.IF_OPER_STATUS_UP
    adapter.FirstUnicastAddress = ctypes.pointer(unicast)
    assert iphlp.interface_from_adapter(adapter) == Interface(
        "Local Area Connection 3",
        "tap",
        True,
        "AWS Verified Access TAP-Windows Adapter V9 for VPN",
        72,
        ("2001:db8:980::5002",),
    )


@pytest.mark.skipif(sys.platform == "win32", reason="checks the non-Windows refusal")
def test_api_calls_refuse_politely_off_windows() -> None:
    with pytest.raises(PlatformUnsupported, match="only on Windows"):
        iphlp.get_routes()
    with pytest.raises(PlatformUnsupported):
        iphlp.get_interfaces()
