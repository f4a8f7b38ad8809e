"""The ``vaclient status`` command: a quick, local look at the connection.

Exit status: 0 when connected (a valid configuration is installed, the
tunnel is up and all its routes go into the tunnel), 1 otherwise. No network
traffic is made; ``vaclient doctor`` checks the endpoints.
"""

from __future__ import annotations

import argparse
import sys

from vaclient.cli.common import add_config_dir, add_json, command_help, print_json
from vaclient.errors import EXIT_FAILED, EXIT_OK, VaclientError


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``status`` sub-command."""
    parser = sub.add_parser(
        "status",
        help=command_help("status"),
        description="Show installed configurations, the client, the tunnel and whether "
        "each configuration's routes go into the tunnel. Exit 0 when connected, 1 otherwise.",
    )
    add_config_dir(parser)
    add_json(parser)
    parser.add_argument(
        "--tunnel-interface", metavar="NAME", help="the tunnel interface (default: detect)"
    )
    parser.set_defaults(func=run)


def _tunnel_override(args: argparse.Namespace) -> str:
    """``--tunnel-interface``, else the saved setting; a broken settings file is ignored."""
    if args.tunnel_interface:
        return str(args.tunnel_interface)
    from vaclient.settings import load_settings

    try:
        return load_settings().tunnel_interface
    except VaclientError as err:
        sys.stderr.write(f"warning: {err.message}\n")
        return ""


def run(args: argparse.Namespace) -> int:
    """Collect and print the quick status."""
    from vaclient.status import collect_status, render_text

    status = collect_status(config_dir=args.config_dir, tunnel_interface=_tunnel_override(args))
    if args.json:
        print_json(status.to_dict())
    else:
        sys.stdout.write(render_text(status) + "\n")
    return EXIT_OK if status.connected else EXIT_FAILED
