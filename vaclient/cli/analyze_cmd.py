"""The ``vaclient analyze`` command group: read pasted or recorded command output.

Helpdesk staff receive ``route print -6``, ``netstat -rn -f inet6``,
``ip -6 route``, ``ipconfig /all`` or ``dig`` output by mail or chat; these
commands parse it with the same pure parsers the checks use and say what
it shows. ``FILE`` may be ``-`` for standard input. Files saved by
PowerShell (UTF-16) or a console code page are decoded too.
"""

from __future__ import annotations

import argparse
import ipaddress
import logging
import sys
from collections.abc import Callable, Sequence
from typing import Any

from vaclient.checks.codes import finding
from vaclient.cli.common import add_json, command_help, print_json
from vaclient.errors import EXIT_OK, UsageError
from vaclient.fileio import read_limited
from vaclient.net.dig import DigResult, parse_dig
from vaclient.net.ipconfig import Adapter, parse_ipconfig
from vaclient.net.lookup import longest_prefix_match
from vaclient.net.model import Route
from vaclient.net.routes import DESCRIPTIONS, FORMATS, family_of, parse_kind
from vaclient.net.routes.windows import VERIFIED_ACCESS_TAP_PREFIX, parse_interface_list

logger = logging.getLogger(__name__)

#: The largest input read: a desktop's route table or ``ipconfig /all`` is a few
#: KiB; more than this is not pasted command output (or is a whole router's table).
MAX_INPUT_BYTES = 8 * 1024 * 1024

_TUNNEL_PREFIXES = {"macos": ("utun",), "linux": ("tun", "tap")}


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``analyze routes``, ``analyze ipconfig`` and ``analyze dig``."""
    analyze = sub.add_parser("analyze", help=command_help("analyze"))
    commands = analyze.add_subparsers(dest="analyze_command", metavar="WHAT", required=True)

    routes = commands.add_parser(
        "routes",
        help="parse an IPv6 route table (route print -6, netstat -rn -f inet6, ip -6 route)",
        description="Parse an IPv6 route table. With --json and no --address, print the "
        "routes as a JSON list; with --address, a JSON object with 'routes' and 'lookups'.",
    )
    routes.add_argument("file", metavar="FILE", help="the saved output ('-' for stdin)")
    routes.add_argument("--format", choices=FORMATS, default="auto", help="default: auto")
    routes.add_argument(
        "--address",
        action="append",
        default=[],
        metavar="ADDR",
        help="show the route the table chooses for this IPv6 address (repeatable)",
    )
    routes.add_argument(
        "--tunnel-interface",
        metavar="NAME",
        help="the tunnel's interface as the table prints it (Windows: its index)",
    )
    add_json(routes)
    routes.set_defaults(func=run_routes)

    ipconfig = commands.add_parser("ipconfig", help="parse Windows ipconfig /all output")
    ipconfig.add_argument("file", metavar="FILE", help="the saved output ('-' for stdin)")
    add_json(ipconfig)
    ipconfig.set_defaults(func=run_ipconfig)

    dig = commands.add_parser("dig", help="parse dig output (one or more runs)")
    dig.add_argument("file", metavar="FILE", help="the saved output ('-' for stdin)")
    add_json(dig)
    dig.set_defaults(func=run_dig)


def read_input(path: str) -> tuple[str, str]:
    """The text of ``path`` (``-`` = stdin) and a name for it in messages.

    Reads at most :data:`MAX_INPUT_BYTES`; a folder, pipe or device is
    refused instead of waited on.

    Raises:
        UsageError: the file cannot be read, or is larger than the limit.
    """
    if path == "-":
        data, source = sys.stdin.buffer.read(MAX_INPUT_BYTES + 1), "<stdin>"
    else:
        try:
            data, source = read_limited(path, MAX_INPUT_BYTES), path
        except OSError as err:
            raise UsageError(
                f"cannot read {path}: {err.strerror or err}",
                "check the file name; use '-' to read the output from standard input",
            ) from err
    if len(data) > MAX_INPUT_BYTES:
        raise UsageError(
            f"{source} is larger than {MAX_INPUT_BYTES // (1024 * 1024)} MiB; "
            "that is not the saved output of one command",
            "save only the output of the one command (route print -6, ipconfig /all "
            "or dig) and pass that file",
        )
    return decode(data), source


def decode(data: bytes) -> str:
    """Bytes as text: UTF-16 (PowerShell's ``>``), UTF-8, else Latin-1 (never fails).

    >>> decode("Aktive Routen:".encode("utf-16"))
    'Aktive Routen:'
    """
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace")
    if len(data) > 1 and data.count(b"\x00") > len(data) // 4:
        return data.decode("utf-16-le", errors="replace")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def run_routes(args: argparse.Namespace) -> int:
    """``analyze routes``: the table, and the chosen route per ``--address``."""
    addresses = [_ipv6_argument(value) for value in args.address]
    text, source = read_input(args.file)
    kind, routes = parse_kind(text, args.format, source=source)
    is_tunnel, tunnel_note = _tunnel_test(kind, text, args.tunnel_interface)

    lookups: list[tuple[str, Route | None, bool | None]] = []
    for address in addresses:
        route = longest_prefix_match(routes, address)
        through = None if route is None or is_tunnel is None else is_tunnel(route.interface)
        logger.info("route for %s: %s (tunnel: %s)", address, route, through)
        lookups.append((address, route, through))

    if args.json:
        listed = [route.to_dict() for route in routes]
        if not addresses:
            print_json(listed)
            return EXIT_OK
        print_json(
            {
                "routes": listed,
                "lookups": [
                    {
                        "address": address,
                        "route": route.to_dict() if route else None,
                        "through_tunnel": through,
                    }
                    for address, route, through in lookups
                ],
            }
        )
        return EXIT_OK

    out = [f"{_count(len(routes), 'route')} in {source} ({DESCRIPTIONS[kind]})."]
    if routes:
        out += ["", *_route_table(routes)]
    out += ["", f"Tunnel interface: {tunnel_note}"]
    out += [_lookup_line(*item) for item in lookups]
    sys.stdout.write("\n".join(out) + "\n")
    return EXIT_OK


def run_ipconfig(args: argparse.Namespace) -> int:
    """``analyze ipconfig``: the adapters, and the Verified Access adapter's state."""
    text, source = read_input(args.file)
    adapters = parse_ipconfig(text, source=source)
    tunnel = next((a for a in adapters if a.is_verified_access), None)
    code = None if tunnel is not None and tunnel.up else "tunnel-down"

    if args.json:
        print_json(
            {
                "adapters": [a.to_dict() for a in adapters],
                "verified_access": {
                    "present": tunnel is not None,
                    "up": bool(tunnel and tunnel.up),
                    "name": tunnel.name if tunnel else None,
                    "index": tunnel.index if tunnel else None,
                    "addresses": list(tunnel.ipv6_addresses) if tunnel else [],
                },
                "finding": code,
            }
        )
        return EXIT_OK

    out = [f"{_count(len(adapters), 'adapter')} in {source}."]
    for adapter in adapters:
        out += ["", *_adapter_lines(adapter)]
    out.append("")
    if tunnel is None:
        out.append(
            f"Verified Access adapter: not found (no description starts with "
            f"'{VERIFIED_ACCESS_TAP_PREFIX}')"
        )
    else:
        state = "up" if tunnel.up else "down"
        addresses = ", ".join(tunnel.ipv6_addresses) or "no IPv6 address"
        index = "unknown" if tunnel.index is None else tunnel.index
        out.append(f"Verified Access adapter: present, {state}, index {index}, {addresses}")
    out += _finding_lines(code)
    sys.stdout.write("\n".join(out) + "\n")
    return EXIT_OK


def run_dig(args: argparse.Namespace) -> int:
    """``analyze dig``: status, AAAA answers and the finding of each run."""
    text, source = read_input(args.file)
    results = parse_dig(text, source=source)

    if args.json:
        print_json([result.to_dict() for result in results])
        return EXIT_OK

    out: list[str] = []
    for result in results:
        if out:
            out.append("")
        out += _dig_lines(result)
    sys.stdout.write("\n".join(out) + "\n")
    return EXIT_OK


def _ipv6_argument(value: str) -> str:
    """A ``--address`` value, checked to be IPv6."""
    try:
        return ipaddress.IPv6Address(value.split("%", 1)[0]).compressed
    except ValueError as err:
        raise UsageError(
            f"--address {value!r} is not an IPv6 address",
            "give the endpoint's AAAA address, e.g. --address 2001:db8::10",
        ) from err


def _tunnel_test(
    kind: str, text: str, explicit: str | None
) -> tuple[Callable[[str], bool] | None, str]:
    """How to tell a tunnel interface in this table, and a sentence saying so."""
    if explicit:
        return (lambda name: name == explicit), f"{explicit} (given)"

    family = family_of(kind)
    if family in _TUNNEL_PREFIXES:
        prefixes = _TUNNEL_PREFIXES[family]
        return (lambda name: name.startswith(prefixes)), " or ".join(f"{p}*" for p in prefixes)

    found = [
        i
        for i in parse_interface_list(text)
        if i.description.startswith(VERIFIED_ACCESS_TAP_PREFIX)
    ]
    if not found:
        return None, (
            "unknown: the input has no Interface List entry for the Verified Access "
            "adapter (paste the whole `route print -6` output, or pass --tunnel-interface)"
        )
    names = {i.name for i in found}
    described = ", ".join(f"{i.name} ({i.description})" for i in found)
    return (lambda name: name in names), described


def _route_table(routes: Sequence[Route]) -> list[str]:
    """Aligned rows: destination, gateway, interface, metric (and scope notes)."""
    rows = [("Destination", "Gateway", "Interface", "Metric", "")]
    for route in routes:
        metric = "-" if route.metric is None else str(route.metric)
        note = "scoped" if route.scoped else ""
        rows.append((route.destination, route.gateway or "on-link", route.interface, metric, note))
    widths = [max(len(row[column]) for row in rows) for column in range(4)]
    return [
        "  ".join(
            cell.ljust(width) for cell, width in zip(row, [*widths, 0], strict=True)
        ).rstrip()
        for row in rows
    ]


def _lookup_line(address: str, route: Route | None, through: bool | None) -> str:
    """One sentence about the route chosen for ``address``."""
    if route is None:
        return f"Route for {address}: none (no route covers it, not even a default)"
    via = f"via {route.gateway}" if route.gateway else "on-link"
    verdict = {True: "through the tunnel", False: "NOT through the tunnel", None: "tunnel unknown"}
    return (
        f"Route for {address}: {route.destination} {via} on {route.interface} - {verdict[through]}"
    )


def _adapter_lines(adapter: Adapter) -> list[str]:
    """A short description of one adapter."""
    state = "up" if adapter.up else "down"
    if not adapter.media_connected:
        state = "down (media disconnected)"
    lines = [adapter.heading.rstrip(":").strip()]
    fields: list[tuple[str, Any]] = [
        ("Description", adapter.description),
        ("State", state),
        ("Index", adapter.index),
        ("Physical address", adapter.physical_address),
        ("IPv6 addresses", ", ".join(adapter.ipv6_addresses)),
        ("Link-local", ", ".join(adapter.link_local)),
        ("IPv4 addresses", ", ".join(adapter.ipv4_addresses)),
        ("Gateways", ", ".join(adapter.gateways)),
        ("DNS servers", ", ".join(adapter.dns_servers)),
    ]
    for label, value in fields:
        if value not in (None, ""):
            lines.append(f"  {label + ':':<18}{value}")
    if adapter.dns_placeholders:
        lines.append(f"  {'':<18}(fec0:0:0:ffff::N are placeholders: no IPv6 DNS server set)")
    return lines


def _dig_lines(result: DigResult) -> list[str]:
    """A short description of one dig run."""
    question = f"{result.qname or '?'} {result.qtype or '?'}"
    if result.timed_out:
        lines = [f"{question}: no answer (timed out)"]
    else:
        server = f" from {result.server}" if result.server else ""
        took = f" in {result.query_time_ms} ms" if result.query_time_ms is not None else ""
        lines = [
            f"{question}: {result.status}, {_count(len(result.answers), 'answer')}{server}{took}",
            f"  Flags: {' '.join(result.flags) or '-'}",
        ]
    lines += [f"  {r.rtype} {r.data}" for r in result.answers]
    return lines + [f"  {line}" for line in _finding_lines(result.finding)]


def _finding_lines(code: str | None) -> list[str]:
    """The finding code with its title and hint, or "none"."""
    if code is None:
        return ["Finding: none"]
    entry = finding(code)
    return [f"Finding: {code} ({entry.title})", f"Hint: {entry.hint}"]


def _count(number: int, noun: str) -> str:
    """``1 route``, ``2 routes``."""
    return f"{number} {noun}{'' if number == 1 else 's'}"
