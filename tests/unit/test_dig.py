"""dig parser: recorded answers, documented failure shapes, and real dig output."""

from __future__ import annotations

import shutil
import socket
import subprocess
import threading
from pathlib import Path

import pytest

from vaclient.errors import UsageError
from vaclient.net.dig import parse_dig

DATA = Path(__file__).parent.parent / "data" / "dig"
NAME = "itismydomain.vai-0d25a84f343f84fe3.prod.verified-access.ap-northeast-1.amazonaws.com."


def test_recorded_aaaa_answer() -> None:
    (result,) = parse_dig((DATA / "recorded_aaaa.txt").read_text(encoding="utf-8"))
    assert (result.qname, result.qtype, result.status) == (NAME, "AAAA", "NOERROR")
    assert result.flags == ("qr", "rd", "ra")
    assert result.aaaa == ("2406:da14:1428:900::40dc:b8d9",)
    assert result.answers[0].ttl == 237
    assert (result.server, result.query_time_ms, result.finding) == ("10.0.0.2", 0, None)


def test_recorded_a_query_without_answer_is_not_a_finding() -> None:
    (result,) = parse_dig((DATA / "recorded_a.txt").read_text(encoding="utf-8"))
    assert (result.qtype, result.answers, result.finding) == ("A", (), None)
    assert [r.rtype for r in result.authority] == ["SOA"]
    assert result.authority[0].name == "prod.verified-access.ap-northeast-1.amazonaws.com."


def test_two_runs_in_one_paste() -> None:
    text = (DATA / "recorded_aaaa.txt").read_text() + (DATA / "recorded_a.txt").read_text()
    assert [r.qtype for r in parse_dig(text)] == ["AAAA", "A"]


@pytest.mark.parametrize(
    ("name", "status", "finding"),
    [
        ("nxdomain.txt", "NXDOMAIN", "dns-nxdomain"),
        ("servfail.txt", "SERVFAIL", "dns-servfail"),
        ("refused.txt", "REFUSED", "dns-servfail"),
        ("cname_no_aaaa.txt", "NOERROR", "dns-no-aaaa"),
        ("timeout.txt", None, "dns-timeout"),
    ],
)
def test_failure_shapes(name: str, status: str | None, finding: str) -> None:
    (result,) = parse_dig((DATA / name).read_text())
    assert (result.status, result.finding) == (status, finding)


def test_refused_server_is_ipv6() -> None:
    (result,) = parse_dig((DATA / "refused.txt").read_text())
    assert (result.server, result.flags) == ("2001:db8::53", ("qr", "rd"))


def test_not_dig() -> None:
    with pytest.raises(UsageError, match="no dig output found in x"):
        parse_dig("2001:db8::1", source="x")


def _serve_once(sock: socket.socket, rcode: int, aaaa: str | None) -> None:
    """Answer one query on ``sock`` with dnspython's message builder."""
    import dns.message
    import dns.rrset

    data, peer = sock.recvfrom(4096)
    query = dns.message.from_wire(data)
    response = dns.message.make_response(query)
    response.set_rcode(rcode)
    if aaaa is not None:
        name = query.question[0].name
        response.answer.append(dns.rrset.from_text(name, 60, "IN", "AAAA", aaaa))
    sock.sendto(response.to_wire(), peer)


@pytest.mark.skipif(shutil.which("dig") is None, reason="dig is not installed")
@pytest.mark.parametrize(
    ("rcode", "aaaa", "status", "finding"),
    [
        (0, "2001:db8::10", "NOERROR", None),
        (3, None, "NXDOMAIN", "dns-nxdomain"),
        (2, None, "SERVFAIL", "dns-servfail"),
        (0, None, "NOERROR", "dns-no-aaaa"),
    ],
)
def test_real_dig_against_a_loopback_server(
    rcode: int, aaaa: str | None, status: str, finding: str | None
) -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        sock.bind(("127.0.0.1", 0))
        sock.settimeout(10)
        port = sock.getsockname()[1]
        server = threading.Thread(target=_serve_once, args=(sock, rcode, aaaa))
        server.start()
        out = subprocess.run(
            [
                "dig",
                "@127.0.0.1",
                "-p",
                str(port),
                "+tries=1",
                "+time=5",
                "app.example.com",
                "AAAA",
            ],
            capture_output=True,
            text=True,
            check=False,
            timeout=20,
        ).stdout
        server.join(timeout=10)
    (result,) = parse_dig(out)
    assert (result.qname, result.qtype, result.status) == ("app.example.com.", "AAAA", status)
    assert result.aaaa == ((aaaa,) if aaaa else ())
    assert (result.server, result.finding) == ("127.0.0.1", finding)
