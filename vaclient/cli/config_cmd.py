"""The ``vaclient config`` commands: check, show, install, list, remove.

::

    vaclient config check FILE [--json]         0 valid, 2 invalid
    vaclient config show FILE                   the file with its secrets masked
    vaclient config install FILE [--config-dir DIR] [--yes] [--no-elevate]
    vaclient config install --restore INSTANCE_ID [--backup NAME] [--config-dir DIR] [--yes]
    vaclient config list [--config-dir DIR] [--json]
    vaclient config remove INSTANCE_ID [--config-dir DIR] [--no-elevate]

``install`` shows what will change and asks before writing. Without a
terminal to ask on it refuses unless ``--yes`` is given: a ClientConfig
decides where users sign in, so a script must say explicitly that it means
to replace one. Installing a file whose bytes are already installed does
nothing and needs no confirmation. ``remove`` moves the file into the
backups, so it asks nothing; ``install --restore`` brings it back.
"""

from __future__ import annotations

import argparse
import logging
import sys
from typing import Any

from vaclient.cli.common import add_config_dir, add_json, command_help, print_json
from vaclient.config.changes import Change
from vaclient.config.elevation import Elevator, NoElevation
from vaclient.config.install import (
    InstalledConfig,
    InstallPlan,
    execute_install,
    list_installed,
    plan_install,
    plan_restore,
    remove_installed,
)
from vaclient.config.model import ClientConfig, load_config
from vaclient.config.redact import redacted_json, register_config_secrets
from vaclient.config.store import backup_time
from vaclient.errors import EXIT_CANCELLED, EXIT_OK, EXIT_USAGE, ConfigError, UsageError
from vaclient.paths import client_config_dir

logger = logging.getLogger(__name__)

_LABEL_WIDTH = 25


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``config`` and its actions."""
    config = sub.add_parser(
        "config",
        help=command_help("config"),
        description="Work with the ClientConfig files of the Connectivity Client.",
    )
    config.set_defaults(func=lambda args: _usage(config))
    actions = config.add_subparsers(dest="config_command", metavar="ACTION")

    check = actions.add_parser(
        "check",
        help="validate a ClientConfig file",
        description="Validate a ClientConfig file and print its summary. "
        "Exit 0 when valid, 2 when not (the error names the file and the JSON path).",
    )
    check.add_argument("file", metavar="FILE")
    add_json(check)
    check.set_defaults(func=cmd_check)

    show = actions.add_parser(
        "show",
        help="print a ClientConfig file with its secrets masked",
        description="Print a ClientConfig file as JSON with Config and ClientSecret masked.",
    )
    show.add_argument("file", metavar="FILE")
    show.set_defaults(func=cmd_show)

    install = actions.add_parser(
        "install",
        help="install a ClientConfig file into the client's folder",
        description="Validate FILE, show what changes, ask, then install it atomically "
        "(the replaced file is kept as a backup). With --restore, FILE is an instance "
        "ID and its newest backup is installed again. Without a terminal, --yes is "
        "required.",
    )
    install.add_argument("file", metavar="FILE", help="the file (with --restore: INSTANCE_ID)")
    add_config_dir(install)
    install.add_argument("--yes", "-y", action="store_true", help="install without asking")
    install.add_argument(
        "--restore", action="store_true", help="restore a backup of the instance ID given"
    )
    install.add_argument(
        "--backup", metavar="NAME", help="with --restore: this backup instead of the newest"
    )
    _add_no_elevate(install)
    install.set_defaults(func=cmd_install)

    listing = actions.add_parser(
        "list",
        help="list the installed ClientConfig files and their backups",
        description="List the ClientConfig files in the client's folder: instance, "
        "region, issuer, routes, whether each is valid, and the backups kept.",
    )
    add_config_dir(listing)
    add_json(listing)
    listing.set_defaults(func=cmd_list)

    remove = actions.add_parser(
        "remove",
        help="remove an installed ClientConfig (kept as a backup)",
        description="Move ClientConfig-INSTANCE_ID.json into the backups; "
        "'vaclient config install --restore INSTANCE_ID' brings it back.",
    )
    remove.add_argument("instance_id", metavar="INSTANCE_ID")
    add_config_dir(remove)
    _add_no_elevate(remove)
    remove.set_defaults(func=cmd_remove)


def _add_no_elevate(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--no-elevate",
        action="store_true",
        help="never ask for administrator rights; fail instead",
    )


def _usage(parser: argparse.ArgumentParser) -> int:
    parser.print_help(sys.stderr)
    return EXIT_USAGE


def _elevator(args: argparse.Namespace) -> Elevator | None:
    return NoElevation() if args.no_elevate else None


def _out(line: str = "") -> None:
    sys.stdout.write(line + "\n")


def _field(label: str, value: object) -> str:
    return f"  {label + ':':<{_LABEL_WIDTH}}{value}"


# --- check and show ---------------------------------------------------------------


def _load(path: str) -> ClientConfig:
    """Load a file and register its secrets with the log filter at once."""
    cfg = load_config(path)
    register_config_secrets(cfg)
    return cfg


def _describe(cfg: ClientConfig) -> list[str]:
    utp = cfg.user_trust_provider
    lines = [
        _field("instance", cfg.instance_id),
        _field("region", cfg.region),
        _field("trust provider type", (utp.type if utp else None) or "-"),
        _field("issuer", (utp.issuer if utp else None) or "-"),
    ]
    lines.extend(_field("route", cidr) for cidr in cfg.routes)
    return lines


def cmd_check(args: argparse.Namespace) -> int:
    """``config check``: 0 valid (summary printed), 2 invalid (the error printed)."""
    if not args.json:
        cfg = _load(args.file)
        _out(f"{args.file}: valid ClientConfig ({cfg.file_name})")
        for line in _describe(cfg):
            _out(line)
        for warning in cfg.warnings():
            _out(f"warning: {warning}")
        return EXIT_OK

    try:
        cfg = _load(args.file)
    except ConfigError as err:
        print_json({"valid": False, "error": _error_dict(err)})
        return err.exit_code
    print_json({"valid": True, "summary": cfg.summary(), "warnings": cfg.warnings()})
    return EXIT_OK


def _error_dict(err: ConfigError) -> dict[str, Any]:
    return {
        "source": err.source,
        "json_path": err.json_path,
        "problem": err.problem,
        "message": err.message,
        "hint": err.hint,
    }


def cmd_show(args: argparse.Namespace) -> int:
    """``config show``: the file as JSON with ``Config`` and ``ClientSecret`` masked."""
    cfg = _load(args.file)
    _out(redacted_json(cfg))
    return EXIT_OK


# --- install ------------------------------------------------------------------------


def _change_line(change: Change) -> str:
    if change.field == "route":
        if change.new is None:
            return _field("route removed", change.old)
        return _field("route added", change.new)
    if change.old is None:
        return _field(change.label, change.new)
    return _field(change.label, f"{change.old} -> {change.new if change.new else '(none)'}")


def render_plan(plan: InstallPlan) -> list[str]:
    """The text shown before confirming an install (no secrets)."""
    if plan.existing is None and plan.existing_error is None:
        lines = [f"New configuration {plan.destination}:"]
    elif plan.existing_error is not None:
        lines = [
            f"Replacing {plan.destination}, which is not valid "
            f"({plan.existing_error.problem}), with:"
        ]
    else:
        lines = [f"Changes to {plan.destination}:"]
    lines.extend(_change_line(change) for change in plan.changes)
    for warning in plan.config.warnings():
        lines.append(f"warning: {warning}")
    return lines


def _confirm(question: str) -> bool:
    """Ask on the terminal; refuse without one (see the module docstring)."""
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        raise UsageError(
            "not installed: confirmation is needed and there is no terminal to ask on",
            "Review the changes above and run again with --yes.",
        )
    try:
        answer = input(f"{question} [y/N] ")
    except EOFError:
        answer = ""
    return answer.strip().lower() in ("y", "yes")


def cmd_install(args: argparse.Namespace) -> int:
    """``config install``: plan, show, confirm, install (or restore with ``--restore``)."""
    if args.backup and not args.restore:
        raise UsageError("--backup only works with --restore", "Add --restore INSTANCE_ID.")
    if args.restore:
        plan = plan_restore(args.file, args.config_dir, backup=args.backup)
    else:
        plan = plan_install(args.file, args.config_dir)
    register_config_secrets(plan.config)
    if plan.existing is not None:
        register_config_secrets(plan.existing)

    if plan.identical:
        _out(f"{plan.destination} already has this exact content; nothing to do.")
        return EXIT_OK
    for line in render_plan(plan):
        _out(line)
    if not args.yes and not _confirm("Install it?"):
        _out("Not installed.")
        return EXIT_CANCELLED

    result = execute_install(plan, elevator=_elevator(args))
    verb = "Restored" if args.restore else "Installed"
    _out(f"{verb} {result.destination}" + (" (with administrator rights)." if result.elevated
                                           else "."))  # fmt: skip
    if result.backup is not None:
        _out(f"The previous file is kept as {result.backup}")
    _out("Quit and start the Connectivity Client again to use it.")
    return EXIT_OK


# --- list and remove -----------------------------------------------------------------


def _entry_dict(entry: InstalledConfig) -> dict[str, Any]:
    cfg = entry.config
    utp = cfg.user_trust_provider if cfg else None
    return {
        "path": str(entry.path),
        "file_name": entry.path.name,
        "installed": cfg is not None or entry.error is not None,
        "valid": cfg is not None,
        "instance_id": cfg.instance_id if cfg else None,
        "region": cfg.region if cfg else None,
        "trust_provider_type": utp.type if utp else None,
        "issuer": utp.issuer if utp else None,
        "routes": list(cfg.routes) if cfg else [],
        "warnings": cfg.warnings() if cfg else [],
        "error": _error_dict(entry.error) if entry.error else None,
        "backups": [
            {"path": str(path), "created": _stamp(path.name, iso=True)} for path in entry.backups
        ],
    }


def _stamp(name: str, *, iso: bool = False) -> str | None:
    when = backup_time(name)
    if when is None:
        return None
    return (
        when.isoformat().replace("+00:00", "Z") if iso else when.strftime("%Y-%m-%d %H:%M:%S UTC")
    )


def cmd_list(args: argparse.Namespace) -> int:
    """``config list``: installed files (valid or not) and their backups."""
    folder = client_config_dir(args.config_dir)
    entries = list_installed(folder)
    for entry in entries:
        if entry.config is not None:
            register_config_secrets(entry.config)

    if args.json:
        print_json({"config_dir": str(folder), "configs": [_entry_dict(e) for e in entries]})
        return EXIT_OK
    if not entries:
        _out(f"No ClientConfig files in {folder}.")
        return EXIT_OK
    _out(f"ClientConfig files in {folder}:")
    for entry in entries:
        _out()
        if entry.config is not None:
            _out(f"{entry.path.name}: valid")
            for line in _describe(entry.config):
                _out(line)
        elif entry.error is not None:
            where = f"{entry.error.json_path}: " if entry.error.json_path else ""
            _out(f"{entry.path.name}: INVALID: {where}{entry.error.problem}")
        else:
            _out(f"{entry.path.name}: not installed")
        for backup in entry.backups:
            _out(_field("backup", f"{_stamp(backup.name)}  {backup}"))
    return EXIT_OK


def cmd_remove(args: argparse.Namespace) -> int:
    """``config remove``: move the installed file into the backups."""
    backup = remove_installed(args.instance_id, args.config_dir, elevator=_elevator(args))
    _out(f"Removed ClientConfig-{args.instance_id}.json; it is kept as {backup}")
    _out(f"To put it back: vaclient config install --restore {args.instance_id}")
    return EXIT_OK
