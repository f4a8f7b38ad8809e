"""The ``vaclient bundle`` command: make, list and send a support bundle.

::

    vaclient bundle [--out FILE] [--anonymize] [--config-dir DIR]
                    [--no-doctor | --report FILE] [--endpoint HOST:PORT]...
                    [--list] [--upload [URL] | --upload-s3 s3://BUCKET/PREFIX]
    vaclient bundle --set-token | --clear-token

The support ID printed at the end names the bundle and its upload; the user
reads it out to the helpdesk.
"""

from __future__ import annotations

import argparse
import getpass
import logging
import sys
from pathlib import Path

from vaclient.cli.common import add_config_dir, command_help
from vaclient.errors import UsageError
from vaclient.settings import Endpoint, load_settings

logger = logging.getLogger(__name__)


def _set_token() -> int:
    from vaclient.report.upload import store_token

    if sys.stdin.isatty():
        token = getpass.getpass("Helpdesk upload token (input hidden): ")
    else:
        token = sys.stdin.readline()
    store_token(token)
    sys.stdout.write("The upload token is stored in the system keyring.\n")
    return 0


def _clear_token() -> int:
    from vaclient.report.upload import delete_token

    removed = delete_token()
    sys.stdout.write(
        "The upload token was removed.\n" if removed else "No upload token was stored.\n"
    )
    return 0


def _run(args: argparse.Namespace) -> int:
    if args.set_token:
        return _set_token()
    if args.clear_token:
        return _clear_token()

    from vaclient.platforms import get_platform
    from vaclient.report.bundle import BundleOptions, plan_bundle, summarize, write_bundle

    if args.no_doctor and args.report:
        raise UsageError(
            "--no-doctor and --report cannot be combined",
            "Use --report FILE to include a saved report, or --no-doctor for none.",
        )
    if args.report:
        from vaclient.report.saved import load_report

        load_report(Path(args.report))  # refuse a bad file before the slow collection
    settings = load_settings()
    upload_url = None
    if args.upload is not None:
        upload_url = args.upload or settings.upload_url
        if not upload_url:
            raise UsageError(
                "--upload was given without a URL and no upload_url is set",
                "Paste the upload link from the helpdesk: vaclient bundle --upload URL",
            )
        from vaclient.report.upload import check_upload_url

        check_upload_url(upload_url)  # fail before the slow collection
    elif args.upload_s3:
        from vaclient.report.upload import parse_s3_uri

        parse_s3_uri(args.upload_s3)  # likewise: no bundle is written for a bad address

    options = BundleOptions(
        config_dir=Path(args.config_dir) if args.config_dir else None,
        run_doctor=not args.no_doctor,
        report_path=Path(args.report) if args.report else None,
        endpoints=tuple(Endpoint.parse(e) for e in args.endpoint),
        anonymize=args.anonymize,
        settings=settings,
    )
    plan = plan_bundle(options, platform=get_platform())
    for line in summarize(plan):
        sys.stdout.write(line + "\n")
    if args.list:
        sys.stdout.write("Nothing was written (--list).\n")
        return 0

    out = Path(args.out) if args.out else Path(plan.default_name)
    path = write_bundle(plan, out)
    sys.stdout.write(f"\nBundle written: {path}\nSupport ID: {plan.support_id}\n")

    if upload_url:
        from vaclient.report.upload import load_token, upload_presigned

        result = upload_presigned(path, upload_url, support_id=plan.support_id, token=load_token())
        sys.stdout.write(f"Uploaded to {result.location}\n")
    elif args.upload_s3:
        from vaclient.report.upload import upload_s3

        result = upload_s3(
            path,
            args.upload_s3,
            support_id=plan.support_id,
            profile=args.profile,
            region=args.region,
        )
        sys.stdout.write(f"Uploaded to {result.location}\n")
    if upload_url or args.upload_s3:
        sys.stdout.write(f"Tell the helpdesk this support ID: {plan.support_id}\n")
    return 0


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``bundle`` command."""
    parser = sub.add_parser(
        "bundle",
        help=command_help("bundle"),
        description="Collect a diagnosis, network state, configurations (secrets "
        "removed) and logs into one zip, and optionally send it.",
    )
    parser.add_argument(
        "--out",
        metavar="FILE",
        help="the zip to write (default: vaclient-bundle-<support ID>.zip here)",
    )
    parser.add_argument(
        "--anonymize",
        action="store_true",
        help="replace user names, e-mail and IP addresses and host names with tokens",
    )
    add_config_dir(parser)
    parser.add_argument("--no-doctor", action="store_true", help="do not run a diagnosis")
    parser.add_argument("--report", metavar="FILE", help="include this saved JSON report")
    parser.add_argument(
        "--endpoint",
        metavar="HOST:PORT",
        action="append",
        default=[],
        help="endpoint for the diagnosis (repeatable)",
    )
    parser.add_argument(
        "--list", action="store_true", help="only list what would go in; write nothing"
    )
    send = parser.add_mutually_exclusive_group()
    send.add_argument(
        "--upload",
        metavar="URL",
        nargs="?",
        const="",
        help="PUT the bundle to this https URL (default: the upload_url setting)",
    )
    send.add_argument("--upload-s3", metavar="S3URI", help="upload to s3://BUCKET/PREFIX")
    parser.add_argument("--profile", help="AWS profile for --upload-s3 (env AWS_PROFILE)")
    parser.add_argument("--region", help="AWS Region for --upload-s3 (env AWS_REGION)")
    token = parser.add_mutually_exclusive_group()
    token.add_argument(
        "--set-token",
        action="store_true",
        help="store a helpdesk upload token in the system keyring (read from stdin)",
    )
    token.add_argument("--clear-token", action="store_true", help="remove the stored upload token")
    parser.set_defaults(func=_run)
