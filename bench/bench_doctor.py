"""Benchmark ``vaclient doctor`` against the namespace lab and a by-hand baseline.

Run as root from the repository root::

    python3 bench/bench_doctor.py                 # print the table
    python3 bench/bench_doctor.py --write docs/benchmarks.md

Cases: 1, 10 and 50 healthy endpoints behind a resolver that holds every
answer for ``--delay`` seconds (user-space, as the kernel has no netem), and
10 endpoints whose SYNs are dropped. Each case times, in the same lab and
session:

- the doctor (wall time of the whole process, and its own
  ``summary.duration_ms``);
- the sequential baseline a helpdesk person would type: ``dig AAAA`` and
  ``nc -z -w T`` per endpoint, one after the other;
- the slowest single endpoint's DNS + connect (one AAAA query, one TCP
  connect), the yardstick of the target.

Target: the doctor within 1.5x the slowest single endpoint's DNS+connect
whatever the number of endpoints, and black-holed endpoints costing one
timeout in all. Figures are medians of ``--runs`` runs.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from markdown_section import write_section

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.lab.labkit import procs  # noqa: E402  (needs ROOT on sys.path first)
from tests.lab.labkit.doctor import run_doctor  # noqa: E402  (same)
from tests.lab.labkit.lab import ZONE, Lab  # noqa: E402  (same)
from tests.lab.labkit.services import Host  # noqa: E402  (same)

START, END = "<!-- bench:doctor:start -->", "<!-- bench:doctor:end -->"
PORT = 22

# One AAAA query and one connect per endpoint, timed inside the client
# namespace; prints the slowest endpoint's total in seconds.
PROBE = """
import socket, sys, time, dns.resolver
worst = 0.0
for name in sys.argv[1:]:
    start = time.monotonic()
    address = dns.resolver.resolve(name, "AAAA", lifetime=5)[0].address
    with socket.create_connection((address, 22), timeout=5):
        pass
    worst = max(worst, time.monotonic() - start)
print(worst)
"""


@dataclass
class Case:
    """One benchmark case and its measured medians (seconds)."""

    label: str
    endpoints: int
    blackholed: bool = False
    doctor_wall: float = 0.0
    doctor_internal: float = 0.0
    baseline: float = 0.0
    slowest_single: float = 0.0
    codes: str = ""


def hosts_for(count: int) -> list[Host]:
    """``count`` endpoint names, each with its own address inside the lab CIDR."""
    return [Host(f"ep{i}.{ZONE}", aaaa=(f"2001:db8:ac:2::{i:x}",)) for i in range(1, count + 1)]


def baseline_script(hosts: list[Host], timeout: float) -> str:
    """The helpdesk commands, one endpoint after the other, as a shell script."""
    lines = []
    for host in hosts:
        lines.append(f"a=$(dig +short +time={timeout:g} +tries=1 AAAA {host.name} | head -n1)")
        lines.append(f'nc -6 -z -w {timeout:g} "${{a:-::1}}" {PORT} || true')
    return "\n".join(lines)


def timed(argv: list[str]) -> float:
    """Wall time of one command."""
    start = time.monotonic()
    subprocess.run(argv, capture_output=True, check=False, timeout=600)
    return time.monotonic() - start


def measure(lab: Lab, case: Case, hosts: list[Host], runs: int, timeout: float) -> None:
    """Fill ``case`` with medians of ``runs`` runs of each measurement."""
    with tempfile.TemporaryDirectory(prefix="valab-bench-") as tmp:
        _measure_in(lab, case, hosts, runs, timeout, Path(tmp))


def _measure_in(
    lab: Lab, case: Case, hosts: list[Host], runs: int, timeout: float, home: Path
) -> None:
    """:func:`measure` with the doctor's settings, logs and config under ``home``."""
    endpoints = [f"{h.name}:{PORT}" for h in hosts]
    config = lab.write_client_config(home / "given")
    walls, internals, baselines, singles = [], [], [], []
    codes: set[str] = set()
    most_warned, warn_codes = 0, set[str]()
    script = baseline_script(hosts, timeout)
    for _ in range(runs):
        run = run_doctor(
            lab.client_ns, home=home, configs=[config], endpoints=endpoints, timeout=timeout
        )
        walls.append(run.elapsed)
        internals.append(float((run.report or {}).get("summary", {}).get("duration_ms", 0)) / 1000)
        codes.update(c or "null" for c in run.endpoint_codes.values())
        warned = [c for c in (run.report or {}).get("checks", []) if c.get("status") == "warn"]
        most_warned = max(most_warned, len(warned))
        warn_codes.update(str(c.get("code")) for c in warned)
        baselines.append(timed(procs.in_ns(lab.client_ns, ["sh", "-c", script])))
        if not case.blackholed:
            probe = [sys.executable, "-c", PROBE, *(h.name for h in hosts)]
            singles.append(float(lab.client(probe, timeout=120)))
    case.doctor_wall = statistics.median(walls)
    case.doctor_internal = statistics.median(internals)
    case.baseline = statistics.median(baselines)
    case.slowest_single = statistics.median(singles) if singles else 0.0
    case.codes = ", ".join(sorted(codes))
    if most_warned:
        case.codes += f"; up to {most_warned} warned checks ({', '.join(sorted(warn_codes))})"


def machine() -> str:
    """One line describing the machine the figures come from."""
    cpu = "unknown CPU"
    with open("/proc/cpuinfo", encoding="utf-8") as info:
        for line in info:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    return (
        f"{cpu}, {os.cpu_count()} CPUs, Linux {platform.release()}, "
        f"Python {platform.python_version()}"
    )


def render(cases: list[Case], args: argparse.Namespace, command: str) -> str:
    """The doctor section of docs/benchmarks.md."""
    rows = []
    for c in cases:
        if c.blackholed:
            factor = c.doctor_internal / args.timeout
            ratio = f"{factor:.2f} x timeout ({'met' if factor < 1.5 else 'missed'})"
        else:
            factor = c.doctor_internal / c.slowest_single
            ratio = f"{factor:.1f} x slowest ({'met' if factor <= 1.5 else 'missed'})"
        single = "-" if c.blackholed else f"{c.slowest_single:.2f}"
        rows.append(
            f"| {c.label} | {c.doctor_wall:.2f} | {c.doctor_internal:.2f} | {ratio} "
            f"| {single} | {c.baseline:.2f} | {c.codes} |"
        )
    return "\n".join(
        [
            START,
            "## vaclient doctor",
            "",
            f"Made by `{command}` on {time.strftime('%Y-%m-%d')}.",
            f"Machine: {machine()}.",
            f"DNS delay {args.delay:g} s per answer (user-space forwarder in front of dnsmasq), "
            f"`--timeout {args.timeout:g}`, medians of {args.runs} runs, seconds.",
            "",
            "| case | doctor wall | doctor own | own vs target (1.5x) | slowest single "
            "DNS+connect | sequential dig + nc | endpoint codes |",
            "| --- | ---: | ---: | ---: | ---: | ---: | --- |",
            *rows,
            "",
            "- *doctor wall*: the whole `vaclient doctor --json` process, interpreter "
            "start-up and imports included; *doctor own*: its `summary.duration_ms`.",
            "- *slowest single DNS+connect*: one AAAA query and one TCP connect for each "
            "endpoint, timed alone; the target is the doctor within 1.5x of it.",
            "- *sequential dig + nc*: `dig AAAA` then `nc -z -w T` per endpoint, one after "
            "the other, as typed by hand.",
            "- The black-holed case drops every SYN; its target is one timeout in all.",
            "- *endpoint codes*: the endpoints' failure codes (null: none), then the most "
            "warned checks in one run and their codes. The lab's single sshd answers every "
            "endpoint; with many connections at once it refuses some (`Exceeded "
            "MaxStartups`), which the banner check reports as `protocol-unexpected`.",
            "- The DNS delay comes from a single-threaded forwarder (one event loop, a "
            "timer per query): every answer is held for the delay, and the "
            "forwarder spends no thread per query, so it adds little CPU time of its own "
            "on the cores the doctor runs on.",
            END,
        ]
    )


def main() -> int:
    """Build each lab, measure, print the table and optionally write it."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="runs per case (median)")
    parser.add_argument("--delay", type=float, default=0.1, help="DNS delay, seconds")
    parser.add_argument("--timeout", type=float, default=2.0, help="doctor/nc timeout")
    parser.add_argument("--sizes", default="1,10,50", help="endpoint counts")
    parser.add_argument("--blackholed", type=int, default=10, help="SYN-dropped endpoints")
    parser.add_argument("--write", type=Path, help="update this Markdown file")
    args = parser.parse_args()
    if os.geteuid() != 0:
        parser.error("run as root: the lab creates network namespaces")

    cases = []
    procs.sweep_stale()
    sizes = [int(s) for s in args.sizes.split(",") if s]
    for size in sorted({*sizes, args.blackholed} - {0}):
        hosts = hosts_for(size)
        addresses = [h.aaaa[0] for h in hosts]
        with Lab(hosts=hosts, ssh_addresses=addresses, dns_delay=args.delay) as lab:
            if size in sizes:
                case = Case(f"{size} endpoint{'s' if size > 1 else ''}", size)
                measure(lab, case, hosts, args.runs, args.timeout)
                cases.append(case)
                print(case, flush=True)
            if size == args.blackholed:
                for address in addresses:
                    lab.drop_syn(address, PORT)
                dropped = Case(f"{size} black-holed (SYN dropped)", size, blackholed=True)
                measure(lab, dropped, hosts, args.runs, args.timeout)
                cases.append(dropped)
                print(dropped, flush=True)

    command = "sudo python3 bench/bench_doctor.py " + " ".join(
        f"--{k} {v}" for k, v in [("runs", args.runs), ("delay", args.delay)]
    )
    if args.write:
        command += f" --write {args.write}"
    section = render(cases, args, command)
    print(section)
    if args.write:
        write_section(args.write, section, START, END)
    print(json.dumps([c.__dict__ for c in cases]), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
