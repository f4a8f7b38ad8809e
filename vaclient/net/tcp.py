"""TCP reachability: connect with a timeout, then recognise the service.

:func:`connect` opens a connection to an address (never a name: resolution
is the DNS check's job), measures how long the handshake took and sorts a
failure into refused, timed out or unreachable/prohibited. :func:`read_banner`
then spends a short, bounded time finding out what answers: SSH and MySQL
greet first; PostgreSQL and RDP speak only when spoken to, so on their ports
a harmless opening request is sent (PostgreSQL's SSLRequest, RDP's X.224
connection request) and the reply recognised.
"""

from __future__ import annotations

import enum
import errno
import logging
import socket
import struct
import time
from dataclasses import dataclass, field
from typing import Any

logger = logging.getLogger(__name__)

#: Ports whose service is known well enough to expect a protocol.
WELL_KNOWN_PORTS: dict[int, str] = {22: "ssh", 3306: "mysql", 5432: "postgresql", 3389: "rdp"}

BANNER_TIMEOUT_S = 1.0
BANNER_MAX_BYTES = 512

#: PostgreSQL SSLRequest: length 8, request code 80877103.
PG_SSL_REQUEST = struct.pack("!II", 8, 80877103)
#: RDP: TPKT header, X.224 Connection Request, RDP negotiation request (TLS|CredSSP).
RDP_CONNECTION_REQUEST = bytes.fromhex("030000130ee000000000000100080003000000")

_UNREACHABLE_ERRNOS = frozenset(
    code
    for code in (
        errno.ENETUNREACH,
        errno.EHOSTUNREACH,
        errno.EACCES,
        errno.EPERM,
        getattr(errno, "EADDRNOTAVAIL", None),
        getattr(errno, "ENETDOWN", None),
        getattr(errno, "EHOSTDOWN", None),
        getattr(errno, "WSAENETUNREACH", None),
        getattr(errno, "WSAEHOSTUNREACH", None),
        getattr(errno, "WSAEACCES", None),
    )
    if code is not None
)
_REFUSED_ERRNOS = frozenset(
    code
    for code in (errno.ECONNREFUSED, getattr(errno, "WSAECONNREFUSED", None))
    if code is not None
)
_TIMEOUT_ERRNOS = frozenset(
    code for code in (errno.ETIMEDOUT, getattr(errno, "WSAETIMEDOUT", None)) if code is not None
)


class Failure(str, enum.Enum):
    """Why a connection attempt failed."""

    REFUSED = "refused"
    TIMEOUT = "timeout"
    UNREACHABLE = "unreachable"
    ERROR = "error"


@dataclass
class Connection:
    """The outcome of a connection attempt; ``sock`` is open when it succeeded.

    The caller owns the socket and must :meth:`close` the connection.
    """

    address: str
    port: int
    latency_ms: float | None = None
    failure: Failure | None = None
    errno: int | None = None
    detail: str = ""
    sock: socket.socket | None = field(default=None, repr=False)

    @property
    def ok(self) -> bool:
        """True when the handshake completed."""
        return self.failure is None

    def close(self) -> None:
        """Close the socket, if any; safe to call twice."""
        if self.sock is not None:
            try:
                self.sock.close()
            finally:
                self.sock = None


@dataclass(frozen=True)
class Banner:
    """What the service said (or did not say) after the connection opened.

    Attributes:
        protocol: ``ssh``, ``mysql``, ``postgresql``, ``rdp``, or None when
            not recognised.
        text: a printable excerpt: the SSH identification line, the MySQL
            server version, or the first bytes.
        closed: the server closed the connection without sending anything.
        silent: nothing arrived within the banner timeout.
        sent_probe: the opening request sent (``"sslrequest"``, ``"x224"``), if any.
    """

    protocol: str | None
    text: str = ""
    closed: bool = False
    silent: bool = False
    sent_probe: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """JSON-friendly form for a check's data."""
        return {
            "protocol": self.protocol,
            "banner": self.text,
            "closed": self.closed,
            "silent": self.silent,
            "probe": self.sent_probe,
        }


def classify_errno(code: int | None) -> Failure:
    """Sort a connect() errno into refused, timeout, unreachable or other.

    ICMP "administratively prohibited" arrives as EHOSTUNREACH or EACCES,
    and a local firewall reject as EPERM: all count as unreachable.

    >>> classify_errno(errno.ECONNREFUSED).value
    'refused'
    >>> classify_errno(errno.EACCES).value
    'unreachable'
    """
    if code in _REFUSED_ERRNOS:
        return Failure.REFUSED
    if code in _TIMEOUT_ERRNOS:
        return Failure.TIMEOUT
    if code in _UNREACHABLE_ERRNOS:
        return Failure.UNREACHABLE
    return Failure.ERROR


def connect(address: str, port: int, timeout: float = 3.0) -> Connection:
    """Open a TCP connection to ``address`` (an IP literal) and time the handshake.

    Never raises for network errors: the returned :class:`Connection` says
    what happened.
    """
    conn = Connection(address=address, port=port)
    try:
        family, kind, proto, _, sockaddr = socket.getaddrinfo(
            address, port, type=socket.SOCK_STREAM, flags=socket.AI_NUMERICHOST
        )[0]
    except (socket.gaierror, UnicodeError) as err:
        conn.failure = Failure.ERROR
        conn.detail = f"{address} is not an IP address ({err})"
        return conn

    sock = socket.socket(family, kind, proto)
    sock.settimeout(timeout)
    started = time.perf_counter()
    try:
        sock.connect(sockaddr)
    except TimeoutError:
        sock.close()
        conn.failure = Failure.TIMEOUT
        conn.detail = f"no answer from {_hostport(address, port)} within {timeout:g} s"
    except OSError as err:
        sock.close()
        conn.errno = err.errno
        conn.failure = classify_errno(err.errno)
        reason = err.strerror or type(err).__name__
        conn.detail = f"{_hostport(address, port)}: {reason}"
    else:
        conn.latency_ms = (time.perf_counter() - started) * 1000
        conn.sock = sock
        conn.detail = f"connected to {_hostport(address, port)} in {conn.latency_ms:.1f} ms"
    logger.debug("connect %s: %s", _hostport(address, port), conn.detail)
    return conn


def _hostport(address: str, port: int) -> str:
    """``[v6]:port`` or ``v4:port``."""
    return f"[{address}]:{port}" if ":" in address else f"{address}:{port}"


def identify(data: bytes) -> tuple[str | None, str]:
    """Recognise a server's first bytes; returns (protocol, printable excerpt).

    >>> identify(b"SSH-2.0-OpenSSH_9.6\\r\\n")
    ('ssh', 'SSH-2.0-OpenSSH_9.6')
    >>> identify(b"N")
    ('postgresql', 'N (SSL not offered)')
    >>> identify(b"hello")
    (None, 'hello')
    """
    for line in data.split(b"\n"):
        if line.startswith(b"SSH-"):
            return "ssh", _printable(line)
    mysql = _mysql_greeting(data)
    if mysql is not None:
        return "mysql", mysql
    if data in (b"S", b"N"):
        return "postgresql", "S (SSL offered)" if data == b"S" else "N (SSL not offered)"
    if len(data) >= 7 and data[0] == 3 and data[1] == 0 and data[5] == 0xD0:
        return "rdp", "X.224 connection confirm"
    return None, _printable(data.split(b"\n", 1)[0])


def _mysql_greeting(data: bytes) -> str | None:
    """The server version from a MySQL handshake (or error) packet, else None.

    A packet is a 3-byte little-endian length, a sequence number (0 for
    the greeting), then protocol version 10 and a NUL-terminated version,
    or 0xff and an error code when the server turns the client away.
    """
    if len(data) < 6 or data[3] != 0:
        return None
    length = int.from_bytes(data[:3], "little")
    if length < 2 or length > 0xFFFF:
        return None
    if data[4] == 10:
        version, nul, _ = data[5 : 5 + min(length, 64)].partition(b"\0")
        if nul and version and version[:1].isdigit():
            return _printable(version)
        return None
    if data[4] == 0xFF and len(data) >= 7:
        code = int.from_bytes(data[5:7], "little")
        return f"error {code}: {_printable(data[7 : 4 + length])}"
    return None


def _printable(raw: bytes, limit: int = 120) -> str:
    """ASCII text of ``raw`` with control bytes dropped, at most ``limit`` characters."""
    text = raw.decode("ascii", errors="replace").replace("\ufffd", "?")
    text = "".join(ch for ch in text if ch.isprintable()).strip()
    return text[:limit]


def read_banner(
    conn: Connection,
    timeout: float = BANNER_TIMEOUT_S,
    max_bytes: int = BANNER_MAX_BYTES,
    *,
    expect: str | None = None,
) -> Banner:
    """Find out which service answers on an open connection.

    On the PostgreSQL and RDP ports an opening request is sent first;
    elsewhere the server's greeting is awaited. Reads at most ``max_bytes``
    within ``timeout`` seconds. ``expect`` names the protocol to speak to
    (``postgresql``, ``rdp``) when the port is not its usual one.

    Raises:
        ValueError: the connection is not open.
    """
    if conn.sock is None:
        raise ValueError("read_banner needs an open connection")
    sock = conn.sock
    expected = expect or WELL_KNOWN_PORTS.get(conn.port)
    probe: str | None = None
    deadline = time.monotonic() + timeout
    data = b""
    try:
        if expected == "postgresql":
            sock.sendall(PG_SSL_REQUEST)
            probe = "sslrequest"
        elif expected == "rdp":
            sock.sendall(RDP_CONNECTION_REQUEST)
            probe = "x224"
        while len(data) < max_bytes:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                break
            sock.settimeout(remaining)
            chunk = sock.recv(max_bytes - len(data))
            if not chunk:
                if not data:
                    return Banner(None, closed=True, sent_probe=probe)
                break
            data += chunk
            if probe or b"\n" in data or _mysql_greeting(data) is not None:
                break
    except TimeoutError:
        pass
    except OSError as err:
        logger.debug("banner read on %s failed: %s", conn.address, err)
        if not data:
            return Banner(None, text=err.strerror or "", closed=True, sent_probe=probe)
    if not data:
        return Banner(None, silent=True, sent_probe=probe)
    protocol, text = identify(data)
    return Banner(protocol, text=text, sent_probe=probe)
