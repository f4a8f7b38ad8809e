"""The ``vaclient aws`` commands: the AWS side of a support case.

::

    vaclient aws export-config --instance vai-... [--out FILE|DIR] [--install]
    vaclient aws endpoints [--instance vai-...] [--save] [--json]
    vaclient aws access-log (--instance vai-... | --log-group NAME)
                            [--user EMAIL_OR_NAME] [--since 1h] [--json]

Every command takes ``--profile`` and ``--region`` like the AWS CLI
(``AWS_PROFILE``, ``AWS_REGION``/``AWS_DEFAULT_REGION`` and
``AWS_ENDPOINT_URL`` work too). boto3 is imported only when one runs.
"""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path
from typing import Any

from vaclient.cli.common import (
    add_config_dir,
    add_json,
    command_help,
    positive_int,
    print_json,
)

logger = logging.getLogger(__name__)


def _client(args: argparse.Namespace, service: str) -> Any:
    from vaclient.aws.session import make_client

    return make_client(service, profile=args.profile, region=args.region)


def _export(args: argparse.Namespace) -> int:
    from vaclient.aws.export import (
        check_instance_id,
        export_client_config,
        summarize_config,
        write_client_config,
    )
    from vaclient.config.model import load_config

    check_instance_id(args.instance)
    doc = export_client_config(_client(args, "ec2"), args.instance)
    path = write_client_config(doc, Path(args.out) if args.out else None)
    config = load_config(path)  # raises ConfigError naming the field if AWS sent junk
    sys.stdout.write(f"Wrote {path}\n")
    for line in summarize_config(doc):
        sys.stdout.write(f"  {line}\n")
    for warning in config.warnings():
        sys.stdout.write(f"  warning: {warning}\n")

    if args.install:
        from vaclient.config.install import execute_install, plan_install

        plan = plan_install(path, args.config_dir)
        result = execute_install(plan)
        state = "installed" if result.changed else "already installed"
        sys.stdout.write(f"{state}: {result.destination}\n")
        if result.backup:
            sys.stdout.write(f"previous file kept as {result.backup}\n")
        sys.stdout.write("Quit and start the Connectivity Client again to use it.\n")
    sys.stdout.write(
        "The file holds secrets: keep it private and delete copies you no longer need.\n"
    )
    return 0


def _endpoints(args: argparse.Namespace) -> int:
    from vaclient.aws.endpoints import list_endpoints, merge_endpoints, to_settings_endpoints
    from vaclient.aws.export import check_instance_id

    if args.instance:
        check_instance_id(args.instance)
    found = list_endpoints(_client(args, "ec2"), args.instance)

    if args.json:
        print_json([e.to_dict() for e in found])
    elif not found:
        sys.stdout.write("No Verified Access endpoints found.\n")
    for ep in [] if args.json else found:
        sys.stdout.write(
            f"{ep.endpoint_id}  {ep.endpoint_type:<17} {ep.protocol:<5} "
            f"ports {ep.ports_text():<12} {ep.status or '-':<8} {ep.domain or '-'}\n"
        )
        for ip, dns in ep.targets:
            sys.stdout.write(f"    target {ip}  {dns}\n")

    if args.save:
        from dataclasses import replace

        from vaclient.settings import load_settings, save_settings

        settings = load_settings()
        merged, added = merge_endpoints(settings.endpoints, to_settings_endpoints(found))
        path = save_settings(replace(settings, endpoints=merged))
        (sys.stderr if args.json else sys.stdout).write(
            f"{added} endpoint(s) added to {path} ({len(merged)} in total)\n"
        )
    return 0


def _access_log(args: argparse.Namespace) -> int:
    from vaclient.aws.access_log import fetch_attempts, find_log_group, format_attempt, parse_since

    since = parse_since(args.since)
    group = args.log_group or find_log_group(_client(args, "ec2"), args.instance)
    result = fetch_attempts(
        _client(args, "logs"), group, since=since, user=args.user, max_events=args.limit
    )

    if args.json:
        print_json(
            {
                "log_group": result.log_group,
                "attempts": [a.to_dict() for a in result.attempts],
                "unparsed": result.unparsed,
                "truncated": result.truncated,
            }
        )
        return 0
    who = f" for {args.user}" if args.user else ""
    sys.stdout.write(f"{group}: {len(result.attempts)} attempt(s){who} in the last {args.since}\n")
    for attempt in result.attempts:
        sys.stdout.write(format_attempt(attempt) + "\n")
    denied = [a for a in result.attempts if a.decision.lower() == "deny"]
    if denied:
        policies = sorted({a.policy for a in denied if a.policy})
        sys.stdout.write(
            f"{len(denied)} denied; deciding polic{'ies' if len(policies) != 1 else 'y'}: "
            f"{', '.join(policies) or 'not named'}. Check the Verified Access group "
            "policy and the user's trust data.\n"
        )
    if result.unparsed:
        sys.stdout.write(f"{result.unparsed} event(s) were not Verified Access records.\n")
    if result.truncated:
        sys.stdout.write(f"Stopped after {args.limit} events: narrow --since or --user.\n")
    return 0


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``aws export-config``, ``aws endpoints`` and ``aws access-log``."""
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--profile", help="AWS profile (default: AWS_PROFILE or the default)")
    common.add_argument("--region", help="AWS Region (default: AWS_REGION, AWS_DEFAULT_REGION)")

    parser = sub.add_parser(
        "aws",
        help=command_help("aws"),
        description="Helpdesk tools that call AWS with your AWS credentials.",
    )
    commands = parser.add_subparsers(dest="aws_command", metavar="ACTION", required=True)

    export = commands.add_parser(
        "export-config",
        parents=[common],
        help="export an instance's ClientConfig file",
    )
    export.add_argument("--instance", required=True, metavar="vai-ID")
    export.add_argument("--out", metavar="FILE|DIR", help="where to write (default: here)")
    export.add_argument("--install", action="store_true", help="also install it here")
    add_config_dir(export)
    export.set_defaults(func=_export)

    endpoints = commands.add_parser(
        "endpoints", parents=[common], help="list Verified Access endpoints"
    )
    endpoints.add_argument("--instance", metavar="vai-ID", help="only this instance's")
    endpoints.add_argument(
        "--save", action="store_true", help="add them to the saved endpoints for the doctor"
    )
    add_json(endpoints)
    endpoints.set_defaults(func=_endpoints)

    access = commands.add_parser(
        "access-log",
        parents=[common],
        help="show access decisions from the access logs",
    )
    source = access.add_mutually_exclusive_group(required=True)
    source.add_argument("--instance", metavar="vai-ID", help="find its CloudWatch log group")
    source.add_argument("--log-group", metavar="NAME", help="read this log group")
    access.add_argument("--user", metavar="EMAIL_OR_NAME", help="only this user's attempts")
    access.add_argument("--since", default="1h", help="how far back: 30m, 1h, 2d (default 1h)")
    access.add_argument(
        "--limit", type=positive_int, default=5000, metavar="N", help="read at most N events"
    )
    add_json(access)
    access.set_defaults(func=_access_log)
