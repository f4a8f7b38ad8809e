"""The ``vaclient doctor`` command: the full diagnosis, as text or JSON.

Exit status: 0 when no check failed (warnings allowed), 1 when one did,
2 for bad usage or unreadable input (a ``--config`` file that does not
exist, a malformed ``--endpoint``, a broken settings file).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from vaclient.cli.common import add_config_dir, add_json, command_help, positive_seconds
from vaclient.errors import EXIT_FAILED, EXIT_OK, UsageError
from vaclient.fileio import read_limited, read_problem


def _check_readable(path: Path) -> None:
    """Refuse a ``--config`` that cannot be read at all (its content is a finding).

    Raises:
        UsageError: missing, a folder, a pipe or device, or unreadable.
    """
    try:
        read_limited(path, 0)
    except OSError as err:
        problem = "no such file" if isinstance(err, FileNotFoundError) else read_problem(err)
        raise UsageError(
            f"--config {path}: {problem}",
            "Give the path of an exported ClientConfig-vai-....json file.",
        ) from err


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``doctor`` sub-command."""
    parser = sub.add_parser(
        "doctor",
        help=command_help("doctor"),
        description="Check the prerequisites, the installed ClientConfig files, the "
        "Verified Access tunnel and, per endpoint, DNS, routes and TCP reachability. "
        "Exit 0 when nothing failed (warnings allowed), 1 when a check failed, "
        "2 for bad usage.",
    )
    parser.add_argument(
        "--config",
        metavar="FILE",
        action="append",
        default=[],
        help="check this ClientConfig instead of the installed ones (repeatable)",
    )
    add_config_dir(parser)
    parser.add_argument(
        "--endpoint",
        metavar="HOST:PORT",
        action="append",
        default=[],
        help="an endpoint to check, e.g. app.example.com:22 (repeatable)",
    )
    parser.add_argument(
        "--tunnel-interface", metavar="NAME", help="the tunnel interface (default: detect)"
    )
    parser.add_argument(
        "--timeout",
        metavar="SECONDS",
        type=positive_seconds,
        default=3.0,
        help="timeout of each network operation (default: 3)",
    )
    parser.add_argument(
        "--deadline",
        metavar="SECONDS",
        type=positive_seconds,
        help="time limit of the whole run (default: twice the timeout plus 2)",
    )
    parser.add_argument(
        "--nameserver",
        metavar="ADDR[:PORT]",
        action="append",
        default=[],
        help="ask this DNS server directly (repeatable; default: the system's)",
    )
    parser.add_argument(
        "--no-settings",
        action="store_true",
        help="ignore the settings file (saved endpoints, tunnel interface)",
    )
    add_json(parser)
    parser.add_argument(
        "--html", metavar="FILE", help="also write the report as a self-contained HTML page"
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Build the options, run the diagnosis, print the report."""
    from vaclient.checks.doctor import DoctorOptions, run_doctor
    from vaclient.report import json_report, text
    from vaclient.settings import Endpoint

    endpoints = tuple(Endpoint.parse(raw) for raw in args.endpoint)
    configs = tuple(Path(raw) for raw in args.config)
    for path in configs:
        _check_readable(path)

    options = DoctorOptions(
        configs=configs,
        config_dir=Path(args.config_dir) if args.config_dir else None,
        endpoints=endpoints,
        tunnel_interface=args.tunnel_interface or None,
        timeout=args.timeout,
        deadline=args.deadline,
        use_settings=not args.no_settings,
        nameservers=tuple(args.nameserver),
    )
    report = run_doctor(options)
    if args.html:
        from vaclient.report.html import write_html

        write_html(report, Path(args.html))

    if args.json:
        json_report.write(report, sys.stdout)
    else:
        text.write(report, sys.stdout)
    sys.stdout.flush()
    return EXIT_FAILED if report.status.value == "fail" else EXIT_OK
