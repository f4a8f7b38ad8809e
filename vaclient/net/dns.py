"""DNS lookups that tell the failure causes apart.

Two views of a name are compared by the doctor:

- :func:`query` asks the configured DNS servers directly (dnspython) for one
  record type and classifies the outcome: an answer, NXDOMAIN, no record of
  that type, no server answered in time, or a server failed/refused.
- :func:`system_lookup` asks the operating system (``getaddrinfo``), which
  also applies the hosts file, search domains, per-domain resolvers and
  caches. It runs in a daemon thread so a stuck resolver cannot hang the
  caller beyond its timeout.

Nameservers are given as ``ADDR``, ``ADDR:PORT`` or ``[V6ADDR]:PORT``; with
none given, dnspython reads the system configuration (``/etc/resolv.conf``
on Linux and macOS, which inside a network namespace is the namespace's
own file).
"""

from __future__ import annotations

import enum
import ipaddress
import logging
import socket
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field

import dns.exception
import dns.nameserver
import dns.rdatatype
import dns.resolver

logger = logging.getLogger(__name__)

DNS_PORT = 53


class Outcome(str, enum.Enum):
    """How a DNS query ended."""

    ANSWER = "answer"
    NXDOMAIN = "nxdomain"
    NO_ANSWER = "no-answer"
    TIMEOUT = "timeout"
    SERVFAIL = "servfail"
    ERROR = "error"


@dataclass(frozen=True)
class QueryResult:
    """The outcome of one query for one record type.

    Attributes:
        outcome: which of the cases in :class:`Outcome` happened.
        addresses: the addresses answered (empty unless ``ANSWER``).
        nameservers: the servers that were asked, as ``addr`` or ``addr:port``.
        server_errors: per server, what went wrong (``"127.0.0.1:53 SERVFAIL"``).
        detail: a sentence for the report.
        duration_ms: how long the query took.
    """

    outcome: Outcome
    addresses: tuple[str, ...] = ()
    nameservers: tuple[str, ...] = ()
    server_errors: tuple[str, ...] = ()
    detail: str = ""
    duration_ms: float = 0.0


@dataclass(frozen=True)
class SystemLookup:
    """What ``getaddrinfo`` answered for a name.

    ``addresses`` is empty and ``error`` set when the lookup failed;
    ``timed_out`` is True when it did not return within the timeout.
    """

    addresses: tuple[str, ...] = ()
    error: str | None = None
    timed_out: bool = False
    duration_ms: float = 0.0
    extra: dict[str, str] = field(default_factory=dict)


def parse_nameserver(text: str) -> tuple[str, int]:
    """Split ``ADDR``, ``ADDR:PORT`` or ``[V6ADDR]:PORT`` into address and port.

    >>> parse_nameserver("192.0.2.53")
    ('192.0.2.53', 53)
    >>> parse_nameserver("127.0.0.1:5353")
    ('127.0.0.1', 5353)
    >>> parse_nameserver("[2001:db8::53]:5300")
    ('2001:db8::53', 5300)
    >>> parse_nameserver("2001:db8::53")
    ('2001:db8::53', 53)

    Raises:
        ValueError: the address is not an IP address or the port is out of range.
    """
    text = text.strip()
    port = DNS_PORT
    if text.startswith("["):
        host, _, rest = text[1:].partition("]")
        if rest:
            if not rest.startswith(":") or not rest[1:].isdigit():
                raise ValueError(f"nameserver {text!r}: expected [ADDR]:PORT")
            port = int(rest[1:])
    elif text.count(":") == 1:
        host, _, port_text = text.partition(":")
        if not port_text.isdigit():
            raise ValueError(f"nameserver {text!r}: expected ADDR:PORT")
        port = int(port_text)
    else:
        host = text
    ipaddress.ip_address(host.split("%", 1)[0])
    if not 0 < port < 65536:
        raise ValueError(f"nameserver {text!r}: port out of range")
    return host, port


def _format_server(address: str, port: int) -> str:
    """``addr`` for port 53, else ``addr:port`` (``[v6]:port``)."""
    if port == DNS_PORT:
        return address
    return f"[{address}]:{port}" if ":" in address else f"{address}:{port}"


def make_resolver(nameservers: Sequence[str], timeout: float) -> dns.resolver.Resolver:
    """A resolver for ``nameservers`` (system configuration when empty).

    The whole query, all servers and retries included, ends after ``timeout``.
    """
    if nameservers:
        resolver = dns.resolver.Resolver(configure=False)
        servers: list[dns.nameserver.Nameserver] = []
        for text in nameservers:
            address, port = parse_nameserver(text)
            servers.append(dns.nameserver.Do53Nameserver(address, port))
        resolver.nameservers = servers
    else:
        resolver = dns.resolver.Resolver(configure=True)
    resolver.cache = None
    resolver.lifetime = timeout
    resolver.timeout = timeout
    return resolver


def _server_names(resolver: dns.resolver.Resolver) -> tuple[str, ...]:
    """The resolver's servers as ``addr`` or ``addr:port`` strings."""
    names = []
    for server in resolver.nameservers:
        if isinstance(server, dns.nameserver.Nameserver):
            names.append(_format_server(str(server.answer_nameserver()), server.answer_port()))
        else:
            names.append(_format_server(str(server), resolver.port))
    return tuple(names)


def _describe_errors(errors: Sequence[tuple[object, ...]]) -> tuple[tuple[str, ...], bool]:
    """Per-server error texts, and whether any server answered with an rcode.

    dnspython records each failed attempt as ``(server, tcp, port, error,
    response)``; ``error`` is an rcode text (``"SERVFAIL"``, ``"REFUSED"``)
    when the server answered, else an exception.
    """
    texts = []
    answered = False
    for entry in errors:
        server, _tcp, port, error = entry[0], entry[1], entry[2], entry[3]
        address = str(server)
        if address.startswith("Do53:"):  # dnspython's str() of a Do53Nameserver
            address = address[len("Do53:") :].rsplit("@", 1)[0]
        where = _format_server(address, int(port) if isinstance(port, int) else DNS_PORT)
        if isinstance(error, str):
            answered = True
            texts.append(f"{where} answered {error}")
        else:
            reason = getattr(error, "strerror", None) or type(error).__name__
            texts.append(f"{where}: {reason}")
    return tuple(texts), answered


def query(
    name: str,
    rdtype: str,
    *,
    nameservers: Sequence[str] = (),
    timeout: float = 3.0,
) -> QueryResult:
    """Ask the DNS servers for ``rdtype`` records (``"AAAA"`` or ``"A"``) of ``name``.

    Never raises for DNS failures: the outcome says what happened.

    Args:
        name: the host name, queried as an absolute name (no search domains).
        rdtype: the record type.
        nameservers: servers to ask (``ADDR[:PORT]``); the system's when empty.
        timeout: the whole query's lifetime in seconds.
    """
    started = time.perf_counter()
    try:
        resolver = make_resolver(nameservers, timeout)
    except (ValueError, dns.resolver.NoResolverConfiguration, OSError) as err:
        return QueryResult(
            Outcome.ERROR,
            detail=f"no usable DNS server configuration ({err})",
            duration_ms=(time.perf_counter() - started) * 1000,
        )
    servers = _server_names(resolver)
    absolute = name.rstrip(".") + "."

    def done(outcome: Outcome, detail: str, **kw: tuple[str, ...]) -> QueryResult:
        elapsed = (time.perf_counter() - started) * 1000
        logger.debug("DNS %s %s via %s: %s (%.1f ms)", rdtype, name, servers, outcome, elapsed)
        return QueryResult(outcome, nameservers=servers, detail=detail, duration_ms=elapsed, **kw)

    try:
        answer = resolver.resolve(absolute, rdtype, search=False, raise_on_no_answer=True)
    except dns.resolver.NXDOMAIN:
        return done(Outcome.NXDOMAIN, f"{name} does not exist (NXDOMAIN)")
    except dns.resolver.NoAnswer:
        return done(Outcome.NO_ANSWER, f"{name} exists but has no {rdtype} record")
    except dns.resolver.LifetimeTimeout as err:
        texts, _ = _describe_errors(err.kwargs.get("errors") or ())
        return done(
            Outcome.TIMEOUT,
            f"no DNS server ({', '.join(servers)}) answered within {timeout:g} s",
            server_errors=texts,
        )
    except dns.resolver.NoNameservers as err:
        texts, answered = _describe_errors(err.kwargs.get("errors") or ())
        if answered:
            return done(
                Outcome.SERVFAIL,
                f"the DNS server failed or refused the query ({'; '.join(texts)})",
                server_errors=texts,
            )
        return done(
            Outcome.TIMEOUT,
            f"no DNS server answered ({'; '.join(texts) or 'no servers'})",
            server_errors=texts,
        )
    except dns.exception.DNSException as err:
        return done(Outcome.ERROR, f"the DNS query failed ({type(err).__name__}: {err})")

    addresses = tuple(
        sorted({str(rr.address) for rr in answer if hasattr(rr, "address")}, key=_addr_key)
    )
    return done(Outcome.ANSWER, f"{name} has {rdtype} {', '.join(addresses)}", addresses=addresses)


def _addr_key(address: str) -> tuple[int, int]:
    """Sort key putting addresses in numeric order."""
    ip = ipaddress.ip_address(address)
    return ip.version, int(ip)


def system_lookup(name: str, family: int = socket.AF_INET6, timeout: float = 3.0) -> SystemLookup:
    """Resolve ``name`` the way applications do (``getaddrinfo``), with a timeout.

    The lookup runs in a daemon thread: when it does not finish in time the
    caller gets ``timed_out=True`` and moves on; the thread ends on its own.
    """
    started = time.perf_counter()
    box: dict[str, object] = {}

    def work() -> None:
        try:
            infos = socket.getaddrinfo(name, None, family, socket.SOCK_STREAM)
            box["addresses"] = tuple(
                sorted({str(info[4][0]).split("%", 1)[0] for info in infos}, key=_addr_key)
            )
        except (OSError, UnicodeError) as err:
            box["error"] = str(getattr(err, "strerror", None) or err)

    thread = threading.Thread(target=work, name=f"getaddrinfo-{name}", daemon=True)
    thread.start()
    thread.join(timeout)
    elapsed = (time.perf_counter() - started) * 1000
    if thread.is_alive():
        return SystemLookup(error="no answer in time", timed_out=True, duration_ms=elapsed)
    if "error" in box:
        return SystemLookup(error=str(box["error"]), duration_ms=elapsed)
    addresses = box.get("addresses", ())
    return SystemLookup(
        addresses=addresses if isinstance(addresses, tuple) else (), duration_ms=elapsed
    )


def system_nameservers() -> list[str]:
    """The nameservers dnspython reads from the system configuration (may be empty)."""
    try:
        resolver = dns.resolver.Resolver(configure=True)
    except (dns.resolver.NoResolverConfiguration, OSError):
        return []
    return list(_server_names(resolver))
