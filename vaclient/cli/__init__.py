"""The ``vaclient`` command line: argparse front end, one module per command group.

Each command module exposes ``register(subparsers)``, which adds its
sub-command(s) and sets ``func`` (taking the parsed namespace, returning an
exit code). :func:`main` sets up logging, dispatches, and turns every
:class:`~vaclient.errors.VaclientError` into a message, a hint and the
contract's exit code: no traceback reaches the user on bad input.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import sys
from collections.abc import Sequence

from vaclient import __version__
from vaclient.cli.common import COMMANDS
from vaclient.config.elevation import FROZEN_HELPER_ARG
from vaclient.errors import EXIT_INTERNAL, EXIT_USAGE, VaclientError
from vaclient.logsetup import mask_secrets, setup_logging

logger = logging.getLogger(__name__)


class _Parser(argparse.ArgumentParser):
    """An ArgumentParser whose errors name the problem and the way out."""

    def error(self, message: str) -> None:  # type: ignore[override]  # argparse's NoReturn
        self.print_usage(sys.stderr)
        sys.stderr.write(f"vaclient: error: {message}\n")
        sys.stderr.write(f"hint: Run '{self.prog} --help' for the options.\n")
        raise SystemExit(EXIT_USAGE)


def build_parser(full: Sequence[str] | None = None) -> argparse.ArgumentParser:
    """The parser, with the commands named in ``full`` built in full (None: all).

    The other commands are bare entries (name and one-line help), enough for
    the top-level ``--help``; their modules and dependencies are not
    imported for a run that does not use them.
    """
    parser = _Parser(
        prog="vaclient",
        description="Companion for the AWS Verified Access Connectivity Client.",
    )
    parser.add_argument("--version", action="version", version=f"vaclient {__version__}")
    parser.add_argument(
        "-v", "--verbose", action="count", default=0, help="more log output (-vv for debug)"
    )
    parser.add_argument(
        "--no-log-file", action="store_true", help="do not write the per-user log file"
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for name, (module_name, help_text) in COMMANDS.items():
        if full is None or name in full:
            importlib.import_module(module_name).register(sub)
        else:
            sub.add_parser(name, help=help_text)
    return parser


def _command_in(argv: Sequence[str]) -> str | None:
    """The command named in ``argv`` (global options take no values)."""
    first = next((arg for arg in argv if not arg.startswith("-")), None)
    return first if first in COMMANDS else None


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the process exit code."""
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == [FROZEN_HELPER_ARG]:
        # A frozen build runs the privileged install helper through its own CLI.
        from vaclient.config.elevated import main as helper_main

        return helper_main(argv[1:])

    command = _command_in(argv)
    parser = build_parser([command] if command else [])
    args = parser.parse_args(argv)
    if getattr(args, "func", None) is None:
        parser.print_help(sys.stderr)
        return EXIT_USAGE

    log_file = setup_logging(args.verbose, log_to_file=not args.no_log_file)
    logger.info("vaclient %s: %s", __version__, args.command)
    try:
        return int(args.func(args))
    except VaclientError as err:
        logger.info("%s: %s", type(err).__name__, err.message)
        sys.stderr.write(f"error: {mask_secrets(err.message)}\n")
        if err.hint:
            sys.stderr.write(f"hint: {mask_secrets(err.hint)}\n")
        return err.exit_code
    except KeyboardInterrupt:
        sys.stderr.write("interrupted\n")
        return 130
    except BrokenPipeError:
        return 0
    except Exception:
        logger.critical("unexpected error in %s", args.command, exc_info=True)
        where = f" (details in {log_file})" if log_file else ""
        sys.stderr.write(
            f"error: vaclient hit an unexpected problem{where}.\n"
            "hint: run again with -vv, and send the log to your helpdesk.\n"
        )
        return EXIT_INTERNAL
