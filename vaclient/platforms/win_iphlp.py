"""Windows IP Helper API through ctypes: the IPv6 route table and the adapters.

``GetIpForwardTable2`` gives the routes without parsing localised text, and
``GetAdaptersAddresses`` the adapters with description, ``IfType`` and
``OperStatus``. The module imports on every OS: ``ctypes.windll`` is only
touched inside :func:`_iphlpapi`, and the structure definitions and the
conversion helpers are plain ctypes, tested anywhere.
"""

from __future__ import annotations

import ctypes
import ipaddress
import logging
from collections.abc import Iterator
from typing import Any

from vaclient.errors import PlatformUnsupported
from vaclient.net.model import Interface, Route

logger = logging.getLogger(__name__)

AF_UNSPEC = 0
AF_INET = 2
AF_INET6 = 23
NO_ERROR = 0
ERROR_BUFFER_OVERFLOW = 111
IF_TYPE_PROP_VIRTUAL = 53
IF_OPER_STATUS_UP = 1
GAA_FLAG_INCLUDE_GATEWAYS = 0x80


class SOCKADDR_IN6(ctypes.Structure):
    """``SOCKADDR_IN6``: family, port, flow info, 16 address bytes, scope id."""

    _fields_ = (
        ("sin6_family", ctypes.c_ushort),
        ("sin6_port", ctypes.c_ushort),
        ("sin6_flowinfo", ctypes.c_uint32),
        ("sin6_addr", ctypes.c_ubyte * 16),
        ("sin6_scope_id", ctypes.c_uint),
    )


class SOCKADDR_IN(ctypes.Structure):
    """``SOCKADDR_IN``: family, port, 4 address bytes, padding."""

    _fields_ = (
        ("sin_family", ctypes.c_ushort),
        ("sin_port", ctypes.c_ushort),
        ("sin_addr", ctypes.c_ubyte * 4),
        ("sin_zero", ctypes.c_char * 8),
    )


class SOCKADDR_INET(ctypes.Union):
    """``SOCKADDR_INET``: an IPv4 or IPv6 socket address, told apart by family."""

    _fields_ = (("Ipv4", SOCKADDR_IN), ("Ipv6", SOCKADDR_IN6), ("si_family", ctypes.c_ushort))


class IP_ADDRESS_PREFIX(ctypes.Structure):
    """``IP_ADDRESS_PREFIX``: an address and a prefix length."""

    _fields_ = (("Prefix", SOCKADDR_INET), ("PrefixLength", ctypes.c_ubyte))


class MIB_IPFORWARD_ROW2(ctypes.Structure):
    """One route of ``GetIpForwardTable2`` (netioapi.h)."""

    _fields_ = (
        ("InterfaceLuid", ctypes.c_uint64),
        ("InterfaceIndex", ctypes.c_uint32),
        ("DestinationPrefix", IP_ADDRESS_PREFIX),
        ("NextHop", SOCKADDR_INET),
        ("SitePrefixLength", ctypes.c_ubyte),
        ("ValidLifetime", ctypes.c_uint32),
        ("PreferredLifetime", ctypes.c_uint32),
        ("Metric", ctypes.c_uint32),
        ("Protocol", ctypes.c_int),
        ("Loopback", ctypes.c_ubyte),
        ("AutoconfigureAddress", ctypes.c_ubyte),
        ("Publish", ctypes.c_ubyte),
        ("Immortal", ctypes.c_ubyte),
        ("Age", ctypes.c_uint32),
        ("Origin", ctypes.c_int),
    )


class MIB_IPFORWARD_TABLE2(ctypes.Structure):
    """The table header; rows follow, aligned like the first ``Table`` entry."""

    _fields_ = (("NumEntries", ctypes.c_uint32), ("Table", MIB_IPFORWARD_ROW2 * 1))


class SOCKET_ADDRESS(ctypes.Structure):
    """``SOCKET_ADDRESS``: a pointer to a sockaddr and its length."""

    _fields_ = (("lpSockaddr", ctypes.POINTER(SOCKADDR_IN6)), ("iSockaddrLength", ctypes.c_int))


class IP_ADAPTER_ADDRESS(ctypes.Structure):
    """The common head of the unicast and DNS-server address lists."""


IP_ADAPTER_ADDRESS._fields_ = (
    ("Length", ctypes.c_uint32),
    ("Flags", ctypes.c_uint32),
    ("Next", ctypes.POINTER(IP_ADAPTER_ADDRESS)),
    ("Address", SOCKET_ADDRESS),
)


class IP_ADAPTER_ADDRESSES(ctypes.Structure):
    """The head of ``IP_ADAPTER_ADDRESSES_LH``, up to ``Ipv6IfIndex``.

    Only read through pointers the API returns, so the fields after
    ``Ipv6IfIndex`` need not be declared.
    """


IP_ADAPTER_ADDRESSES._fields_ = (
    ("Length", ctypes.c_uint32),
    ("IfIndex", ctypes.c_uint32),
    ("Next", ctypes.POINTER(IP_ADAPTER_ADDRESSES)),
    ("AdapterName", ctypes.c_char_p),
    ("FirstUnicastAddress", ctypes.POINTER(IP_ADAPTER_ADDRESS)),
    ("FirstAnycastAddress", ctypes.c_void_p),
    ("FirstMulticastAddress", ctypes.c_void_p),
    ("FirstDnsServerAddress", ctypes.POINTER(IP_ADAPTER_ADDRESS)),
    ("DnsSuffix", ctypes.c_wchar_p),
    ("Description", ctypes.c_wchar_p),
    ("FriendlyName", ctypes.c_wchar_p),
    ("PhysicalAddress", ctypes.c_ubyte * 8),
    ("PhysicalAddressLength", ctypes.c_uint32),
    ("Flags", ctypes.c_uint32),
    ("Mtu", ctypes.c_uint32),
    ("IfType", ctypes.c_uint32),
    ("OperStatus", ctypes.c_int),
    ("Ipv6IfIndex", ctypes.c_uint32),
)


def sockaddr_to_address(sockaddr: SOCKADDR_INET) -> str | None:
    """The address in a ``SOCKADDR_INET`` as text, without zone; None if unknown family.

    >>> s = SOCKADDR_INET()
    >>> s.Ipv6.sin6_family = AF_INET6
    >>> s.Ipv6.sin6_addr[:] = list(bytes.fromhex("fe80" + "00" * 13 + "08"))
    >>> sockaddr_to_address(s)
    'fe80::8'
    """
    if sockaddr.si_family == AF_INET6:
        return ipaddress.IPv6Address(bytes(sockaddr.Ipv6.sin6_addr)).compressed
    if sockaddr.si_family == AF_INET:
        return str(ipaddress.IPv4Address(bytes(sockaddr.Ipv4.sin_addr)))
    return None


def route_from_row(row: MIB_IPFORWARD_ROW2) -> Route | None:
    """One forward-table row as a Route; None for an IPv4 row.

    The interface is the index, as ``route print`` shows it; a next hop of
    ``::`` means on-link. ``Metric`` is the route's own metric; ``route
    print`` adds the interface metric to it.
    """
    # TODO(win-routes): add the interface metric (GetIpInterfaceEntry) so the value
    # matches `route print`, which shows route metric + interface metric.
    prefix = row.DestinationPrefix
    destination = sockaddr_to_address(prefix.Prefix)
    if prefix.Prefix.si_family != AF_INET6 or destination is None:
        return None
    next_hop = sockaddr_to_address(row.NextHop)
    gateway = None if next_hop in (None, "::") else next_hop
    return Route(
        f"{destination}/{prefix.PrefixLength}",
        gateway,
        str(row.InterfaceIndex),
        int(row.Metric),
    )


def interface_from_adapter(adapter: IP_ADAPTER_ADDRESSES) -> Interface:
    """One ``IP_ADAPTER_ADDRESSES`` entry as an Interface.

    ``IfType`` 53 (``IF_TYPE_PROP_VIRTUAL``, what TAP-Windows reports) is
    kind ``tap``; ``up`` is ``OperStatus == IfOperStatusUp``. The name is
    the friendly name, the index ``IfIndex`` (``route print``'s number).
    """
    addresses = []
    for entry in _chain(adapter.FirstUnicastAddress):
        pointer = entry.Address.lpSockaddr
        if pointer:
            sockaddr = ctypes.cast(pointer, ctypes.POINTER(SOCKADDR_INET)).contents
            address = sockaddr_to_address(sockaddr)
            if address is not None:
                addresses.append(address)
    return Interface(
        name=adapter.FriendlyName or "",
        kind="tap" if adapter.IfType == IF_TYPE_PROP_VIRTUAL else "other",
        up=adapter.OperStatus == IF_OPER_STATUS_UP,
        description=adapter.Description or "",
        index=int(adapter.IfIndex or adapter.Ipv6IfIndex),
        addresses=tuple(addresses),
    )


def get_routes() -> list[Route]:
    """The IPv6 route table from ``GetIpForwardTable2``.

    Raises:
        PlatformUnsupported: not on Windows.
        OSError: the API failed (its error code is in the exception).
    """
    api = _iphlpapi()
    table = ctypes.POINTER(MIB_IPFORWARD_TABLE2)()
    result = api.GetIpForwardTable2(AF_INET6, ctypes.byref(table))
    if result != NO_ERROR:
        raise ctypes.WinError(result)  # type: ignore[attr-defined]  # Windows-only ctypes API
    try:
        count = table.contents.NumEntries
        offset = MIB_IPFORWARD_TABLE2.Table.offset
        rows = (MIB_IPFORWARD_ROW2 * count).from_address(ctypes.addressof(table.contents) + offset)
        routes = [route for route in map(route_from_row, rows) if route is not None]
    finally:
        api.FreeMibTable(table)
    logger.info("GetIpForwardTable2: %d IPv6 routes", len(routes))
    return routes


def get_interfaces() -> list[Interface]:
    """Every adapter from ``GetAdaptersAddresses`` (IPv4 and IPv6 addresses).

    Raises:
        PlatformUnsupported: not on Windows.
        OSError: the API failed.
    """
    api = _iphlpapi()
    size = ctypes.c_ulong(16 * 1024)
    for _ in range(3):
        buffer = ctypes.create_string_buffer(size.value)
        result = api.GetAdaptersAddresses(
            AF_UNSPEC, GAA_FLAG_INCLUDE_GATEWAYS, None, buffer, ctypes.byref(size)
        )
        if result != ERROR_BUFFER_OVERFLOW:
            break
    if result != NO_ERROR:
        raise ctypes.WinError(result)  # type: ignore[attr-defined]  # Windows-only ctypes API
    first = ctypes.cast(buffer, ctypes.POINTER(IP_ADAPTER_ADDRESSES))
    interfaces = [interface_from_adapter(adapter) for adapter in _chain(first)]
    logger.info("GetAdaptersAddresses: %d adapters", len(interfaces))
    return interfaces


def _chain(first: Any) -> Iterator[Any]:
    """Walk a linked list of ctypes structures through their ``Next`` pointers."""
    pointer = first
    while pointer:
        yield pointer.contents
        pointer = pointer.contents.Next


def _iphlpapi() -> Any:
    """``iphlpapi.dll``, or PlatformUnsupported off Windows."""
    windll = getattr(ctypes, "windll", None)
    if windll is None:
        raise PlatformUnsupported(
            "the Windows IP Helper API exists only on Windows",
            "run this on the Windows computer, or analyse pasted `route print -6` output",
        )
    return windll.iphlpapi
