"""TCP connect and banner recognition against real loopback servers."""

from __future__ import annotations

import contextlib
import errno
import socket
import threading
from collections.abc import Callable, Iterator

import pytest

from vaclient.net import tcp

Handler = Callable[[socket.socket], None]


class LoopbackServer:
    """A listening socket on ::1 whose accepted connections go to ``handler``."""

    def __init__(self, handler: Handler) -> None:
        self.sock = socket.socket(socket.AF_INET6, socket.SOCK_STREAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("::1", 0))
        self.sock.listen(8)
        self.sock.settimeout(5)
        self.port = self.sock.getsockname()[1]
        self.received = b""
        self.handler = handler
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        try:
            client, _ = self.sock.accept()
        except OSError:
            return
        with client:
            client.settimeout(3)
            self.handler(client)

    def close(self) -> None:
        self.sock.close()
        self.thread.join(5)


@pytest.fixture
def serve() -> Iterator[Callable[[Handler], LoopbackServer]]:
    servers: list[LoopbackServer] = []

    def start(handler: Handler) -> LoopbackServer:
        server = LoopbackServer(handler)
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.close()


def _greet(data: bytes) -> Handler:
    def handler(client: socket.socket) -> None:
        client.sendall(data)
        with contextlib.suppress(OSError):
            client.recv(64)

    return handler


def _free_port() -> int:
    """A port on ::1 with nothing listening (bound, then closed)."""
    with socket.socket(socket.AF_INET6, socket.SOCK_STREAM) as sock:
        sock.bind(("::1", 0))
        return int(sock.getsockname()[1])


def test_connect_measures_latency_and_reads_ssh_banner(serve) -> None:
    server = serve(_greet(b"SSH-2.0-OpenSSH_9.6p1 Debian-4\r\n"))

    conn = tcp.connect("::1", server.port, timeout=2)
    try:
        assert conn.ok, conn.detail
        assert conn.latency_ms is not None and conn.latency_ms >= 0
        banner = tcp.read_banner(conn, timeout=2)
    finally:
        conn.close()

    assert banner.protocol == "ssh"
    assert banner.text == "SSH-2.0-OpenSSH_9.6p1 Debian-4"
    assert not banner.closed and not banner.silent


def test_refused_port_is_classified_refused() -> None:
    conn = tcp.connect("::1", _free_port(), timeout=2)

    assert not conn.ok
    assert conn.failure is tcp.Failure.REFUSED
    assert conn.errno == errno.ECONNREFUSED
    assert conn.sock is None


def test_mysql_greeting_gives_server_version(serve) -> None:
    payload = b"\x0a8.0.36\x00" + b"\x01\x00\x00\x00" + b"abcdefgh\x00"
    packet = len(payload).to_bytes(3, "little") + b"\x00" + payload
    server = serve(_greet(packet))

    conn = tcp.connect("::1", server.port, timeout=2)
    banner = tcp.read_banner(conn, timeout=2)
    conn.close()

    assert (banner.protocol, banner.text) == ("mysql", "8.0.36")


def test_postgresql_answers_sslrequest(serve) -> None:
    def handler(client: socket.socket) -> None:
        request = client.recv(8)
        client.sendall(b"N" if request == tcp.PG_SSL_REQUEST else b"?")
        with contextlib.suppress(OSError):
            client.recv(64)

    server = serve(handler)
    conn = tcp.connect("::1", server.port, timeout=2)
    banner = tcp.read_banner(conn, timeout=2, expect="postgresql")
    conn.close()

    assert banner.protocol == "postgresql"
    assert banner.sent_probe == "sslrequest"
    assert banner.text == "N (SSL not offered)"


def test_rdp_answers_x224_connection_confirm(serve) -> None:
    def handler(client: socket.socket) -> None:
        request = client.recv(64)
        if request == tcp.RDP_CONNECTION_REQUEST:
            client.sendall(bytes.fromhex("030000130ed000001234000201080001000000"))
        with contextlib.suppress(OSError):
            client.recv(64)

    server = serve(handler)
    conn = tcp.connect("::1", server.port, timeout=2)
    banner = tcp.read_banner(conn, timeout=2, expect="rdp")
    conn.close()

    assert banner.protocol == "rdp"
    assert banner.sent_probe == "x224"


def test_server_that_closes_at_once_is_reported_closed(serve) -> None:
    server = serve(lambda client: None)

    conn = tcp.connect("::1", server.port, timeout=2)
    banner = tcp.read_banner(conn, timeout=2)
    conn.close()

    assert banner.closed
    assert banner.protocol is None


def test_silent_server_is_reported_silent(serve) -> None:
    done = threading.Event()
    server = serve(lambda client: done.wait(3))

    conn = tcp.connect("::1", server.port, timeout=2)
    banner = tcp.read_banner(conn, timeout=0.2)
    conn.close()
    done.set()

    assert banner.silent
    assert not banner.closed


def test_read_banner_needs_an_open_connection() -> None:
    conn = tcp.connect("::1", _free_port(), timeout=1)

    with pytest.raises(ValueError, match="open connection"):
        tcp.read_banner(conn)


def test_connect_to_a_name_is_refused_without_resolving() -> None:
    conn = tcp.connect("app.example.com", 22, timeout=1)

    assert conn.failure is tcp.Failure.ERROR
    assert "not an IP address" in conn.detail


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        (errno.ECONNREFUSED, tcp.Failure.REFUSED),
        (errno.ETIMEDOUT, tcp.Failure.TIMEOUT),
        (errno.ENETUNREACH, tcp.Failure.UNREACHABLE),
        (errno.EHOSTUNREACH, tcp.Failure.UNREACHABLE),
        (errno.EACCES, tcp.Failure.UNREACHABLE),
        (errno.EPERM, tcp.Failure.UNREACHABLE),
        (errno.ECONNRESET, tcp.Failure.ERROR),
        (None, tcp.Failure.ERROR),
    ],
)
def test_classify_errno(code: int | None, expected: tcp.Failure) -> None:
    assert tcp.classify_errno(code) is expected


@pytest.mark.parametrize(
    ("data", "protocol", "text"),
    [
        (b"SSH-2.0-dropbear_2022.83\r\n", "ssh", "SSH-2.0-dropbear_2022.83"),
        (b"banner line\r\nSSH-2.0-X\r\n", "ssh", "SSH-2.0-X"),
        (b"S", "postgresql", "S (SSL offered)"),
        (b"\x03\x00\x00\x13\x0e\xd0\x00\x00", "rdp", "X.224 connection confirm"),
        (b"HTTP/1.1 400 Bad Request\r\n\r\n", None, "HTTP/1.1 400 Bad Request"),
        (
            b"\x17\x00\x00\x00\xffj\x04Host is not allowed",
            "mysql",
            "error 1130: Host is not allowed",
        ),
    ],
)
def test_identify(data: bytes, protocol: str | None, text: str) -> None:
    assert tcp.identify(data) == (protocol, text)
