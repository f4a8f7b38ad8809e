"""DNS outcomes against a real, tiny DNS server on 127.0.0.1."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator

import dns.message
import dns.rcode
import dns.rdatatype
import dns.rrset
import pytest

from vaclient.net import dns as vdns

ZONE_AAAA = {"app.example.test.": ["2001:db8:10::20", "2001:db8:10::10"]}
ZONE_A = {"app.example.test.": ["192.0.2.10"], "v4only.example.test.": ["192.0.2.11"]}


class TinyDns:
    """Answers by name: records from the zone, or NXDOMAIN/SERVFAIL/REFUSED/silence.

    ``nx.*`` gets NXDOMAIN, ``fail.*`` SERVFAIL, ``refused.*`` REFUSED,
    ``silent.*`` nothing at all; names with no record of the type get an
    empty NOERROR answer.
    """

    def __init__(
        self, aaaa: dict[str, list[str]] | None = None, a: dict[str, list[str]] | None = None
    ) -> None:
        self.zone_aaaa = ZONE_AAAA if aaaa is None else aaaa
        self.zone_a = ZONE_A if a is None else a
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.queries: list[tuple[str, str]] = []
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    @property
    def address(self) -> str:
        return f"127.0.0.1:{self.port}"

    def _serve(self) -> None:
        while not self.stop.is_set():
            try:
                wire, peer = self.sock.recvfrom(4096)
            except TimeoutError:
                continue
            except OSError:
                return
            query = dns.message.from_wire(wire)
            question = query.question[0]
            name = question.name.to_text()
            rdtype = dns.rdatatype.to_text(question.rdtype)
            self.queries.append((name, rdtype))
            reply = self._answer(query, name, rdtype)
            if reply is not None:
                self.sock.sendto(reply.to_wire(), peer)

    def _answer(
        self, query: dns.message.Message, name: str, rdtype: str
    ) -> dns.message.Message | None:
        reply = dns.message.make_response(query)
        if name.startswith("silent."):
            return None
        if name.startswith("nx."):
            reply.set_rcode(dns.rcode.NXDOMAIN)
        elif name.startswith("fail."):
            reply.set_rcode(dns.rcode.SERVFAIL)
        elif name.startswith("refused."):
            reply.set_rcode(dns.rcode.REFUSED)
        else:
            zone = self.zone_aaaa if rdtype == "AAAA" else self.zone_a
            if zone.get(name):
                reply.answer.append(dns.rrset.from_text_list(name, 60, "IN", rdtype, zone[name]))
        return reply

    def close(self) -> None:
        self.stop.set()
        self.sock.close()
        self.thread.join(2)


@pytest.fixture
def tiny_dns() -> Iterator[TinyDns]:
    server = TinyDns()
    yield server
    server.close()


def test_aaaa_answer_lists_sorted_addresses(tiny_dns: TinyDns) -> None:
    result = vdns.query("app.example.test", "AAAA", nameservers=[tiny_dns.address], timeout=2)

    assert result.outcome is vdns.Outcome.ANSWER
    assert result.addresses == ("2001:db8:10::10", "2001:db8:10::20")
    assert result.nameservers == (tiny_dns.address,)
    assert ("app.example.test.", "AAAA") in tiny_dns.queries


def test_nxdomain(tiny_dns: TinyDns) -> None:
    result = vdns.query("nx.example.test", "AAAA", nameservers=[tiny_dns.address], timeout=2)

    assert result.outcome is vdns.Outcome.NXDOMAIN
    assert result.detail == "nx.example.test does not exist (NXDOMAIN)"


def test_no_aaaa_but_a_record(tiny_dns: TinyDns) -> None:
    aaaa = vdns.query("v4only.example.test", "AAAA", nameservers=[tiny_dns.address], timeout=2)
    a = vdns.query("v4only.example.test", "A", nameservers=[tiny_dns.address], timeout=2)

    assert aaaa.outcome is vdns.Outcome.NO_ANSWER
    assert a.outcome is vdns.Outcome.ANSWER
    assert a.addresses == ("192.0.2.11",)


@pytest.mark.parametrize("label", ["fail", "refused"])
def test_servfail_and_refused_are_server_failures(tiny_dns: TinyDns, label: str) -> None:
    result = vdns.query(f"{label}.example.test", "AAAA", nameservers=[tiny_dns.address], timeout=2)

    assert result.outcome is vdns.Outcome.SERVFAIL
    rcode = "SERVFAIL" if label == "fail" else "REFUSED"
    assert result.server_errors == (f"{tiny_dns.address} answered {rcode}",)


def test_silent_server_times_out(tiny_dns: TinyDns) -> None:
    result = vdns.query("silent.example.test", "AAAA", nameservers=[tiny_dns.address], timeout=0.5)

    assert result.outcome is vdns.Outcome.TIMEOUT
    assert result.detail == f"no DNS server ({tiny_dns.address}) answered within 0.5 s"
    assert result.duration_ms >= 400


def test_closed_port_counts_as_no_answer() -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]

    result = vdns.query("app.example.test", "AAAA", nameservers=[f"127.0.0.1:{port}"], timeout=1)

    assert result.outcome is vdns.Outcome.TIMEOUT


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("192.0.2.53", ("192.0.2.53", 53)),
        ("127.0.0.1:5353", ("127.0.0.1", 5353)),
        ("[2001:db8::53]:5300", ("2001:db8::53", 5300)),
        ("2001:db8::53", ("2001:db8::53", 53)),
    ],
)
def test_parse_nameserver(text: str, expected: tuple[str, int]) -> None:
    assert vdns.parse_nameserver(text) == expected


@pytest.mark.parametrize("text", ["dns.example.com", "127.0.0.1:0", "127.0.0.1:x", "[::1]x"])
def test_parse_nameserver_rejects(text: str) -> None:
    with pytest.raises(ValueError):
        vdns.parse_nameserver(text)


def test_system_lookup_uses_the_hosts_file() -> None:
    result = vdns.system_lookup("localhost", socket.AF_INET, timeout=2)

    assert "127.0.0.1" in result.addresses
    assert result.error is None and not result.timed_out


def test_system_lookup_of_an_address_literal_needs_no_dns() -> None:
    result = vdns.system_lookup("2001:db8::10", socket.AF_INET6, timeout=2)

    assert result.addresses == ("2001:db8::10",)
