"""Ask the Linux kernel which IPv6 route it would use, over rtnetlink.

One ``RTM_GETROUTE`` request on an ``AF_NETLINK`` socket is what
``ip -6 route get ADDR`` sends, without starting a process: the doctor asks
once per endpoint, and a subprocess each time costs more than the lookup.
Two questions go over the same socket:

- the plain lookup: the kernel's choice (interface, gateway, metric), the
  same answer ``ip route get`` prints, with the host as destination;
- the same lookup with ``RTM_F_FIB_MATCH`` (Linux 4.13+, ``ip route get
  fibmatch``): the table entry that matched, whose prefix reports show
  (``2001:db8::/32`` rather than ``/128``).

Message layouts (``linux/netlink.h``, ``linux/rtnetlink.h``): a 16-byte
``nlmsghdr``, a 12-byte ``rtmsg``, then attributes (``rtattr``: length,
type, value padded to 4 bytes). The encoders and decoders are pure
functions of bytes; :func:`lookup` is the only part that touches a socket.
The module imports on every OS; :func:`lookup` raises :class:`NetlinkError`
where there is no netlink.
"""

from __future__ import annotations

import errno
import ipaddress
import logging
import os
import socket
import struct
from dataclasses import dataclass

from vaclient.net.model import Route

logger = logging.getLogger(__name__)

NETLINK_ROUTE = 0
NLMSG_ERROR = 2
NLMSG_DONE = 3
RTM_NEWROUTE = 24
RTM_GETROUTE = 26
NLM_F_REQUEST = 0x1
#: Return the FIB entry that matched instead of the host route (Linux 4.13+).
RTM_F_FIB_MATCH = 0x2000

RTA_DST = 1
RTA_OIF = 4
RTA_GATEWAY = 5
RTA_PRIORITY = 6
RTA_TABLE = 15

RTN_UNICAST = 1
RTN_LOCAL = 2
#: Route types that carry traffic; the others (unreachable, blackhole,
#: prohibit, throw) are what ``ip route get`` reports as an error.
USABLE_TYPES = frozenset({RTN_UNICAST, RTN_LOCAL})
#: ``rtm_flags`` / next-hop flags, as ``ip -j`` names them.
FLAG_NAMES = (
    (0x1, "dead"),
    (0x2, "pervasive"),
    (0x4, "onlink"),
    (0x8, "offload"),
    (0x10, "linkdown"),
)
#: Errors that mean "no route", not "netlink does not work".
NO_ROUTE_ERRNOS = frozenset({errno.ENETUNREACH, errno.EHOSTUNREACH})

_NLMSGHDR = struct.Struct("=IHHII")
_RTMSG = struct.Struct("=BBBBBBBBI")
_RTATTR = struct.Struct("=HH")
_RECV_BYTES = 65536


class NetlinkError(OSError):
    """Netlink is unavailable or answered with an error other than "no route"."""


@dataclass(frozen=True)
class KernelRoute:
    """One ``RTM_NEWROUTE`` message, decoded.

    Attributes:
        dst_len: prefix length of the destination (128 for a plain lookup).
        destination: the destination address (None for the default route).
        gateway: the next hop, or None when on-link.
        oif: the outgoing interface's index, or None (multipath entries).
        priority: the metric.
        type: the route type (``RTN_UNICAST`` = 1, ...).
        flags: ``rtm_flags``.
    """

    dst_len: int
    destination: str | None
    gateway: str | None
    oif: int | None
    priority: int | None
    type: int
    flags: int = 0

    @property
    def prefix(self) -> str:
        """The destination in CIDR form (``::/0`` when there is none)."""
        network = ipaddress.IPv6Network(f"{self.destination or '::'}/{self.dst_len}", strict=False)
        return str(network)

    @property
    def flag_words(self) -> str | None:
        """``rtm_flags`` as space-separated words (``"onlink linkdown"``), or None."""
        words = [name for bit, name in FLAG_NAMES if self.flags & bit]
        return " ".join(words) or None


def _attr(kind: int, value: bytes) -> bytes:
    """One ``rtattr``, padded to a multiple of 4 bytes."""
    length = _RTATTR.size + len(value)
    return _RTATTR.pack(length, kind) + value + b"\0" * (-length % 4)


def encode_get_route(
    address: ipaddress.IPv6Address, seq: int, *, fib_match: bool = False
) -> bytes:
    """The ``RTM_GETROUTE`` request for ``address`` (what ``ip -6 route get`` sends).

    >>> data = encode_get_route(ipaddress.IPv6Address("2001:db8::1"), 7)
    >>> len(data), data[4:6] == RTM_GETROUTE.to_bytes(2, "little"), data[16:18].hex()
    (48, True, '0a80')
    """
    flags = RTM_F_FIB_MATCH if fib_match else 0
    body = _RTMSG.pack(socket.AF_INET6, 128, 0, 0, 0, 0, 0, 0, flags)
    body += _attr(RTA_DST, address.packed)
    header = _NLMSGHDR.pack(_NLMSGHDR.size + len(body), RTM_GETROUTE, NLM_F_REQUEST, seq, 0)
    return header + body


def split_messages(data: bytes) -> list[tuple[int, int, bytes]]:
    """Split a netlink datagram into ``(type, seq, payload)`` triples.

    >>> split_messages(_NLMSGHDR.pack(20, NLMSG_ERROR, 0, 3, 0) + b"\\x9b\\xff\\xff\\xff")
    [(2, 3, b'\\x9b\\xff\\xff\\xff')]

    Raises:
        NetlinkError: a message's length runs past the datagram.
    """
    messages = []
    offset = 0
    while offset + _NLMSGHDR.size <= len(data):
        length, kind, _flags, seq, _pid = _NLMSGHDR.unpack_from(data, offset)
        if length < _NLMSGHDR.size or offset + length > len(data):
            raise NetlinkError(f"truncated netlink message (length {length} at {offset})")
        messages.append((kind, seq, data[offset + _NLMSGHDR.size : offset + length]))
        offset += (length + 3) & ~3
    return messages


def parse_attributes(data: bytes) -> dict[int, bytes]:
    """The ``rtattr`` list in ``data`` as type -> value (the last one wins).

    >>> parse_attributes(_attr(RTA_OIF, (5).to_bytes(4, "little")))
    {4: b'\\x05\\x00\\x00\\x00'}
    """
    found: dict[int, bytes] = {}
    offset = 0
    while offset + _RTATTR.size <= len(data):
        length, kind = _RTATTR.unpack_from(data, offset)
        if length < _RTATTR.size or offset + length > len(data):
            break
        found[kind & 0x3FFF] = data[offset + _RTATTR.size : offset + length]
        offset += (length + 3) & ~3
    return found


def decode_route(payload: bytes) -> KernelRoute:
    """Decode an ``RTM_NEWROUTE`` payload (``rtmsg`` and its attributes).

    Raises:
        NetlinkError: the payload is too short or not IPv6.
    """
    if len(payload) < _RTMSG.size:
        raise NetlinkError(f"route message of {len(payload)} bytes is too short")
    family, dst_len, _src, _tos, _table, _proto, _scope, kind, flags = _RTMSG.unpack_from(payload)
    if family != socket.AF_INET6:
        raise NetlinkError(f"expected an IPv6 route, got address family {family}")
    attrs = parse_attributes(payload[_RTMSG.size :])

    def address(key: int) -> str | None:
        raw = attrs.get(key)
        return str(ipaddress.IPv6Address(raw)) if raw is not None and len(raw) == 16 else None

    def number(key: int) -> int | None:
        raw = attrs.get(key)
        return int.from_bytes(raw[:4], "little") if raw is not None and len(raw) >= 4 else None

    return KernelRoute(
        dst_len=dst_len,
        destination=address(RTA_DST),
        gateway=address(RTA_GATEWAY),
        oif=number(RTA_OIF),
        priority=number(RTA_PRIORITY),
        type=kind,
        flags=flags,
    )


def decode_reply(data: bytes, seq: int) -> KernelRoute | None:
    """The route in the reply to request ``seq``; None when the kernel has no route.

    Raises:
        NetlinkError: the kernel answered with another error, or not at all.
    """
    for kind, got_seq, payload in split_messages(data):
        if got_seq != seq:
            continue
        if kind == NLMSG_ERROR:
            code = -struct.unpack_from("=i", payload)[0] if len(payload) >= 4 else 0
            if code in NO_ROUTE_ERRNOS:
                return None
            raise NetlinkError(code, f"RTM_GETROUTE failed: {os.strerror(code)}")
        if kind == RTM_NEWROUTE:
            route = decode_route(payload)
            return route if route.type in USABLE_TYPES else None
    raise NetlinkError(f"no answer to netlink request {seq}")


def interface_name(index: int | None) -> str:
    """The name of interface ``index`` in this network namespace (the index if gone)."""
    if index is None:
        return ""
    try:
        return socket.if_indextoname(index)
    except OSError:
        return str(index)


@dataclass(frozen=True)
class Lookup:
    """The kernel's answer for one address.

    Attributes:
        chosen: the plain lookup (host route), or None when there is no route.
        matched: the table entry (``RTM_F_FIB_MATCH``), or None when the
            kernel cannot say (older than 4.13) or has no route.
    """

    chosen: KernelRoute | None
    matched: KernelRoute | None

    def route(self, prefix: str | None = None) -> Route | None:
        """The chosen route with ``prefix`` (default: the matched entry's) as destination."""
        if self.chosen is None:
            return None
        chosen = self.chosen
        if prefix is None:
            prefix = self.matched.prefix if self.matched is not None else chosen.prefix
        return Route(
            prefix, chosen.gateway, interface_name(chosen.oif), chosen.priority, chosen.flag_words
        )


def lookup(address: ipaddress.IPv6Address, timeout: float = 1.0) -> Lookup:
    """Ask the kernel for its route to ``address`` (plain, then FIB match).

    Raises:
        NetlinkError: no netlink here, or the plain lookup failed for a
            reason other than "no route". A failed FIB match only leaves
            ``matched`` empty.
    """
    family = getattr(socket, "AF_NETLINK", None)
    if family is None:
        raise NetlinkError("this OS has no netlink sockets")
    try:
        sock = socket.socket(family, socket.SOCK_RAW, NETLINK_ROUTE)
    except OSError as err:
        raise NetlinkError(err.errno, f"cannot open a netlink socket: {err}") from err
    with sock:
        try:
            sock.settimeout(timeout)
            sock.bind((0, 0))
            chosen = _ask(sock, address, 1, fib_match=False)
            if chosen is None:
                return Lookup(None, None)
            try:
                matched = _ask(sock, address, 2, fib_match=True)
            except NetlinkError as err:
                logger.debug("FIB match for %s failed: %s", address, err)
                matched = None
        except NetlinkError:
            raise
        except OSError as err:
            raise NetlinkError(err.errno, f"netlink route query failed: {err}") from err
    return Lookup(chosen, matched)


def _ask(
    sock: socket.socket, address: ipaddress.IPv6Address, seq: int, *, fib_match: bool
) -> KernelRoute | None:
    """Send one request on ``sock`` and decode its reply."""
    sock.sendto(encode_get_route(address, seq, fib_match=fib_match), (0, 0))
    while True:
        data = sock.recv(_RECV_BYTES)
        if any(got == seq for _, got, _ in split_messages(data)):
            return decode_reply(data, seq)
