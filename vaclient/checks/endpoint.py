"""Per-endpoint checks, in causal order: DNS, address inside routes, route, TCP.

For an endpoint ``HOST:PORT`` the doctor plans three chains:

- ``dns.aaaa:HOST`` -> ``route.cidr:HOST`` -> ``route.table:HOST`` ->
  ``tcp.connect:HOST:PORT`` -> ``tcp.banner:HOST:PORT`` (each needs the
  previous result it builds on);
- ``dns.a:HOST`` (information: Verified Access TCP endpoints have no A record;
  asked only when the AAAA query found no address, to explain why, so a
  healthy endpoint costs one direct DNS query, not two);
- ``dns.system:HOST`` (what ``getaddrinfo`` says, compared with the direct
  AAAA answer; a disagreement is a warning).

Every endpoint check needs the IPv6 prerequisites. An endpoint given as an
IPv6 address skips DNS. The route decision is :func:`judge_route`, a pure
function.
"""

from __future__ import annotations

import ipaddress
import logging
import socket
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from vaclient.checks.model import CheckResult, Stage, Status
from vaclient.checks.runner import Outcome, Step, StepContext, fail, ok, skip, warn
from vaclient.checks.tunnel import TUNNEL_INTERFACE, tunnel_ids
from vaclient.net import dns, tcp
from vaclient.net.model import Route
from vaclient.platforms.base import Platform
from vaclient.settings import Endpoint

logger = logging.getLogger(__name__)

_DNS_CODES = {
    dns.Outcome.NXDOMAIN: "dns-nxdomain",
    dns.Outcome.NO_ANSWER: "dns-no-aaaa",
    dns.Outcome.TIMEOUT: "dns-timeout",
    dns.Outcome.SERVFAIL: "dns-servfail",
    dns.Outcome.ERROR: "dns-servfail",
}
_TCP_CODES = {
    tcp.Failure.REFUSED: "tcp-refused",
    tcp.Failure.TIMEOUT: "tcp-timeout",
    tcp.Failure.UNREACHABLE: "tcp-unreachable",
    tcp.Failure.ERROR: "tcp-unreachable",
}


@dataclass(frozen=True)
class EndpointIds:
    """The check ids of one endpoint."""

    aaaa: str
    a: str
    system: str
    cidr: str
    table: str
    connect: str
    banner: str

    @classmethod
    def of(cls, endpoint: Endpoint) -> EndpointIds:
        """Ids for ``endpoint`` (host in DNS and route ids, host:port in TCP ids)."""
        host, hp = endpoint.host, f"{endpoint.host}:{endpoint.port}"
        return cls(
            aaaa=f"dns.aaaa:{host}",
            a=f"dns.a:{host}",
            system=f"dns.system:{host}",
            cidr=f"route.cidr:{host}",
            table=f"route.table:{host}",
            connect=f"tcp.connect:{hp}",
            banner=f"tcp.banner:{hp}",
        )

    def all(self) -> tuple[str, ...]:
        """Every id, in causal order."""
        return (self.aaaa, self.a, self.system, self.cidr, self.table, self.connect, self.banner)


@dataclass(frozen=True)
class RouteVerdict:
    """The route check's decision."""

    status: Status
    code: str | None
    message: str


def judge_route(route: Route | None, tunnel: set[str], address: str) -> RouteVerdict:
    """Decide whether the route the OS chose for ``address`` enters the tunnel.

    Passes when the route leaves through the tunnel, whatever its prefix
    (a default route through the tunnel counts). No route, or only a
    default route through another interface: ``route-missing``. A more
    specific route through another interface: ``route-wrong-interface``.

    >>> judge_route(Route("::/0", "fe80::1", "eth0"), {"tun0"}, "2001:db8::10").code
    'route-missing'
    >>> judge_route(Route("2001:db8::/32", None, "wg0"), {"tun0"}, "2001:db8::10").code
    'route-wrong-interface'
    """
    if route is None:
        return RouteVerdict(Status.FAIL, "route-missing", f"no route to {address}")
    shown = f"{route.destination} via {route.interface}"
    if route.interface in tunnel:
        return RouteVerdict(Status.OK, None, f"{address} is routed into the tunnel ({shown})")
    try:
        prefix = route.network.prefixlen
    except ValueError:
        prefix = 0
    if prefix == 0:
        return RouteVerdict(
            Status.FAIL,
            "route-missing",
            f"only the default route ({shown}) covers {address}; none enters the tunnel",
        )
    return RouteVerdict(
        Status.FAIL,
        "route-wrong-interface",
        f"{address} leaves through {route.interface}, not the tunnel ({shown})",
    )


def judge_banner(port: int, seen: tcp.Banner) -> Outcome:
    """Decide whether the service on ``port`` spoke the protocol the port promises.

    Only well-known ports (22 SSH, 3306 MySQL, 5432 PostgreSQL, 3389 RDP)
    promise a protocol; on those, anything else (including silence or an
    immediate close) is a ``protocol-unexpected`` warning. Other ports pass
    with what was seen in the data.

    >>> judge_banner(22, tcp.Banner("ssh", "SSH-2.0-OpenSSH_9.6")).status.value
    'ok'
    >>> judge_banner(22, tcp.Banner(None, "HTTP/1.1 400 Bad Request")).code
    'protocol-unexpected'
    """
    expected = tcp.WELL_KNOWN_PORTS.get(port)
    data = {"expected": expected, **seen.to_dict()}
    if seen.closed:
        said = "nothing (the server closed the connection)"
    elif seen.silent:
        said = "nothing in time"
    elif seen.protocol:
        said = f"{seen.protocol} ({seen.text})"
    else:
        said = repr(seen.text)
    if expected is None or seen.protocol == expected:
        return ok(f"the service said {said}", **data)
    return warn(
        "protocol-unexpected", f"port {port} usually speaks {expected}; it said {said}", **data
    )


def compare_answers(lookup: dns.SystemLookup, direct: Sequence[str]) -> Outcome:
    """Compare what ``getaddrinfo`` found with the DNS servers' AAAA answer.

    The same set of addresses (or nothing on both sides) passes; anything
    else is a ``dns-mismatch`` warning naming both answers.

    >>> compare_answers(dns.SystemLookup(("2001:db8::10",)), ["2001:db8::10"]).status.value
    'ok'
    >>> compare_answers(dns.SystemLookup((), "Name or service not known"), ["2001:db8::10"]).code
    'dns-mismatch'
    """
    data = {"addresses": list(lookup.addresses), "error": lookup.error}
    if set(lookup.addresses) == set(direct):
        if direct:
            return ok("the system resolver gives the same addresses", **data)
        return ok(f"the system resolver finds no IPv6 address either ({lookup.error})", **data)
    system_view = ", ".join(lookup.addresses) or f"nothing ({lookup.error})"
    direct_view = ", ".join(sorted(direct)) or "nothing"
    return warn(
        "dns-mismatch",
        f"the system resolver answers {system_view}; the DNS servers answer {direct_view}",
        **data,
    )


def _a_query_reason(aaaa: CheckResult | None) -> str | None:
    """Why the A query is not worth sending after ``aaaa``; None to send it.

    The A answer only explains an AAAA failure: a name with IPv4 only
    (``dns-no-aaaa``) or a server that fails AAAA queries but answers A
    ones. After an AAAA answer it is not needed; after NXDOMAIN it would
    say the same; after a timeout it would wait as long again, doubling
    the run for information only.

    >>> _a_query_reason(None)
    'not asked: the AAAA query did not finish'
    """
    if aaaa is None:
        return "not asked: the AAAA query did not finish"
    if aaaa.status is Status.OK:
        return "not needed: the name has an AAAA record"
    if aaaa.code == "dns-nxdomain":
        return "not needed: the name does not exist"
    if aaaa.code == "dns-timeout":
        return "not asked: the AAAA query got no answer in time, an A query would wait as long"
    if aaaa.status is Status.SKIP:
        return "not asked: the AAAA query did not run"
    return None


def _ip(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    """The address in ``text``, or None when it is a name."""
    try:
        return ipaddress.ip_address(text.split("%", 1)[0])
    except ValueError:
        return None


def _address(ctx: StepContext, aaaa_id: str) -> str | None:
    """The address the AAAA check settled on (or the literal it skipped for)."""
    result = ctx.result(aaaa_id)
    value = result.data.get("address") if result is not None else None
    return str(value) if value else None


def endpoint_chains(
    endpoint: Endpoint,
    *,
    platform: Platform,
    nameservers: Sequence[str],
    timeout: float,
    config_routes: Callable[[StepContext], tuple[list[str], str | None]],
    gates: Sequence[str],
    compare_system: bool = True,
    host_checks: bool = True,
) -> list[list[Step]]:
    """The three chains of one endpoint (see the module docstring).

    Args:
        endpoint: the host and port.
        platform: the OS (route lookups).
        nameservers: DNS servers to ask directly (``ADDR[:PORT]``).
        timeout: seconds for each network operation.
        config_routes: returns the ClientConfig routes and, when there are
            none, the check that explains why (waits for the config checks).
        gates: checks every endpoint check needs (the IPv6 prerequisites).
        compare_system: also ask ``getaddrinfo`` and compare.
        host_checks: plan the DNS and route checks too; False when another
            endpoint with the same host already has them (only TCP is planned).
    """
    ids = EndpointIds.of(endpoint)
    target = endpoint.target
    host, port = endpoint.host, endpoint.port
    literal = _ip(host)
    gate = tuple(gates)

    def aaaa(_: StepContext) -> Outcome:
        if literal is not None:
            return skip(f"{host} is an address; no DNS lookup needed", address=str(literal))
        answer = dns.query(host, "AAAA", nameservers=nameservers, timeout=timeout)
        data = {
            "addresses": list(answer.addresses),
            "nameservers": list(answer.nameservers),
            "server_errors": list(answer.server_errors),
        }
        if answer.outcome is dns.Outcome.ANSWER:
            return ok(answer.detail, address=answer.addresses[0], **data)
        return fail(_DNS_CODES[answer.outcome], answer.detail, **data)

    def a_record(ctx: StepContext) -> Outcome:
        if literal is not None:
            return skip(f"{host} is an address; no DNS lookup needed")
        direct = ctx.wait(ids.aaaa)
        asked = _a_query_reason(direct)
        if asked is not None:
            return skip(asked)
        answer = dns.query(host, "A", nameservers=nameservers, timeout=timeout)
        data = {"addresses": list(answer.addresses), "outcome": answer.outcome.value}
        if answer.outcome is dns.Outcome.ANSWER:
            return ok(f"{answer.detail} (not used: the tunnel carries IPv6 only)", **data)
        if answer.outcome in (dns.Outcome.NXDOMAIN, dns.Outcome.NO_ANSWER):
            return ok("no A record, as expected for an IPv6-only endpoint", **data)
        return ok(f"A lookup gave no answer: {answer.detail} (information only)", **data)

    def system(ctx: StepContext) -> Outcome:
        if literal is not None:
            return skip(f"{host} is an address; no DNS lookup needed")
        if not compare_system:
            return skip("comparison with the system resolver switched off")
        lookup = dns.system_lookup(host, socket.AF_INET6, timeout)
        direct = ctx.wait(ids.aaaa)
        direct_addrs = direct.data.get("addresses", ()) if direct is not None else ()
        return compare_answers(lookup, [str(a) for a in direct_addrs])

    def cidr(ctx: StepContext) -> Outcome:
        address = _address(ctx, ids.aaaa)
        routes, why_none = config_routes(ctx)
        if not routes:
            return skip("no valid ClientConfig routes to compare with", blocked_by=why_none)
        ip = _ip(address or "")
        if ip is None:
            return skip("no address to compare")
        for text in routes:
            try:
                network = ipaddress.ip_network(text, strict=False)
            except ValueError:
                continue
            if ip.version == network.version and ip in network:
                return ok(f"{ip} is inside {text}", address=str(ip), cidr=text, routes=routes)
        return fail(
            "address-outside-routes",
            f"{ip} is outside every ClientConfig route ({', '.join(routes)})",
            address=str(ip),
            routes=routes,
        )

    def table(ctx: StepContext) -> Outcome:
        address = _address(ctx, ids.aaaa) or ""
        ip = _ip(address)
        if ip is None or ip.version != 6:
            return skip(f"{address or 'no address'} is not an IPv6 address")
        tunnel = tunnel_ids(ctx)
        route = platform.route_for(str(ip))
        verdict = judge_route(route, tunnel, str(ip))
        data = {"route": route.to_dict() if route else None, "tunnel": sorted(tunnel)}
        return Outcome(verdict.status, verdict.code, verdict.message, data)

    def connect(ctx: StepContext) -> Outcome:
        address = _address(ctx, ids.aaaa) or host
        budget = min(timeout, max(0.1, ctx.remaining()))
        conn = tcp.connect(address, port, budget)
        ctx.values["connection"] = conn
        ctx.values["close"] = conn.close
        data = {"address": address, "port": port, "errno": conn.errno}
        if conn.ok:
            return ok(conn.detail, latency_ms=round(conn.latency_ms or 0.0, 1), **data)
        assert conn.failure is not None
        return fail(_TCP_CODES[conn.failure], conn.detail, **data)

    def banner(ctx: StepContext) -> Outcome:
        conn = ctx.values.get("connection")
        if not isinstance(conn, tcp.Connection) or not conn.ok:
            return skip("no open connection")
        seen = tcp.read_banner(conn, min(tcp.BANNER_TIMEOUT_S, max(0.1, ctx.remaining())))
        conn.close()
        return judge_banner(port, seen)

    tcp_steps = [
        Step(
            ids.connect,
            "TCP connection",
            Stage.TCP,
            connect,
            target,
            (ids.table,),
            deadline_code="tcp-timeout",
        ),
        Step(
            ids.banner,
            "Service banner",
            Stage.PROTOCOL,
            banner,
            target,
            (ids.connect,),
            deadline_status=Status.SKIP,
            deadline_code=None,
        ),
    ]
    if not host_checks:
        return [tcp_steps]
    main = [
        Step(ids.aaaa, "AAAA record", Stage.DNS, aaaa, target, gate, deadline_code="dns-timeout"),
        Step(
            ids.cidr,
            "Address inside ClientConfig routes",
            Stage.ADDRESS,
            cidr,
            target,
            (ids.aaaa,),
        ),
        Step(
            ids.table,
            "Route into the tunnel",
            Stage.ROUTE,
            table,
            target,
            (ids.aaaa, TUNNEL_INTERFACE),
        ),
        *tcp_steps,
    ]
    info = [
        Step(
            ids.a,
            "A record (information)",
            Stage.DNS,
            a_record,
            target,
            gate,
            deadline_status=Status.SKIP,
            deadline_code=None,
        )
    ]
    compare = [
        Step(
            ids.system,
            "System resolver agrees",
            Stage.DNS,
            system,
            target,
            gate,
            deadline_status=Status.WARN,
            deadline_code="dns-mismatch",
        )
    ]
    return [main, info, compare]
