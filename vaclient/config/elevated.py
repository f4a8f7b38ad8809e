"""The privileged helper: ``python -m vaclient.config.elevated install|remove ...``.

Run by an :class:`~vaclient.config.elevation.Elevator` as root /
administrator, never by people. It trusts nothing but the paths it is
given: it re-reads and re-validates the staged file, compares its SHA-256
with the one the user reviewed, checks the destination folder itself, and
does the atomic install (or the move to backup) from
:mod:`vaclient.config.store`.

Usage::

    python -m vaclient.config.elevated install --dest-dir DIR --staged FILE \\
        --sha256 HEX [--expect-existing HEX|absent|any] --result FILE
    python -m vaclient.config.elevated remove --dest-dir DIR \\
        --instance-id vai-... --result FILE

Exit codes: 0 done, 1 install failed (nothing lost), 2 invalid file or
usage, 4 unsafe destination or permission denied (never 126/127, which
pkexec uses for itself). The outcome is also written as JSON to
``--result`` (a new file in a private 0700 folder; an existing entry or
link there is never followed), because some elevation paths (UAC, osascript) show the caller
no stderr.
"""

from __future__ import annotations

import argparse
import errno
import json
import logging
import os
import stat
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from vaclient.config.atomic import DirHandle
from vaclient.config.safety import system_privileges
from vaclient.config.store import ANY_EXISTING, install_bytes, remove_file, sha256_hex
from vaclient.errors import (
    EXIT_FAILED,
    EXIT_OK,
    EXIT_USAGE,
    ConfigError,
    InstallError,
    UsageError,
    VaclientError,
)

logger = logging.getLogger(__name__)

_O_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_O_BINARY = getattr(os, "O_BINARY", 0)


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]  # argparse's NoReturn
        raise UsageError(f"elevated helper: {message}")


def build_parser() -> argparse.ArgumentParser:
    """The helper's arguments (see the module docstring)."""
    parser = _Parser(prog="python -m vaclient.config.elevated", add_help=False)
    sub = parser.add_subparsers(dest="op", required=True, parser_class=_Parser)
    install = sub.add_parser("install", add_help=False)
    install.add_argument("--dest-dir", required=True)
    install.add_argument("--staged", required=True)
    install.add_argument("--sha256", required=True)
    install.add_argument("--expect-existing", default=ANY_EXISTING)
    install.add_argument("--result", required=True)
    remove = sub.add_parser("remove", add_help=False)
    remove.add_argument("--dest-dir", required=True)
    remove.add_argument("--instance-id", required=True)
    remove.add_argument("--result", required=True)
    return parser


def _read_staged(path: Path) -> bytes:
    """Read the staged copy without following a link at its last step."""
    from vaclient.config.model import MAX_CONFIG_BYTES

    try:
        with DirHandle.open(path.parent) as folder:
            found = folder.read(path.name)
    except OSError as err:
        raise ConfigError(str(path), "", f"cannot read the staged file: {err.strerror}") from err
    if found is None:
        raise ConfigError(str(path), "", "file not found")
    return found[0][: MAX_CONFIG_BYTES + 1]


def _run(args: argparse.Namespace) -> dict[str, Any]:
    privileged = system_privileges().is_privileged()
    # TODO(config-install): --dest-dir comes from the unprivileged caller, so
    # the helper will create folders and a valid ClientConfig in any folder
    # that passes the safety checks; it should choose the destination itself
    # (the OS's client folder, or one an administrator configured) once tests
    # can point that setting at a temporary folder.
    dest_dir = Path(args.dest_dir)
    logger.info("elevated helper: %s into %s (privileged: %s)", args.op, dest_dir, privileged)

    if args.op == "remove":
        backup = remove_file(dest_dir, args.instance_id, privileged=privileged)
        return {"backup": str(backup)}

    staged = Path(args.staged)
    data = _read_staged(staged)
    if sha256_hex(data) != args.sha256:
        raise InstallError(
            "the staged file changed after it was reviewed; nothing was written",
            "Run the install again.",
        )
    result = install_bytes(
        dest_dir,
        data,
        staged.name,
        expect_existing=args.expect_existing,
        privileged=privileged,
        elevated=True,
    )
    return {
        "destination": str(result.destination),
        "backup": None if result.backup is None else str(result.backup),
        "changed": result.changed,
    }


def _error_record(err: VaclientError) -> dict[str, Any]:
    record: dict[str, Any] = {
        "ok": False,
        "error": type(err).__name__,
        "message": err.message,
        "hint": err.hint,
    }
    if isinstance(err, ConfigError):
        record.update(source=err.source, json_path=err.json_path, problem=err.problem)
    return record


def write_result(path: str, record: dict[str, Any]) -> None:
    """Write the outcome as JSON to a new file at ``path`` (never following a link).

    The helper runs as root but the path comes from its unprivileged caller,
    so it must not become a way to create a root-owned file anywhere: the
    file is only created inside a private folder (mode 0700, like the
    caller's staging folder), opened without following a link, relative to
    that open folder, and never over an existing entry.

    Raises:
        OSError: the folder is not private, or the file cannot be created.
    """
    target = Path(path)
    with DirHandle.open(target.parent) as folder:
        # Windows has no POSIX modes; its temporary folders are private by ACL.
        if folder.fd is not None and stat.S_IMODE(folder.stat().st_mode) & 0o077:
            raise OSError(errno.EPERM, "not a private folder (mode 0700)", str(target.parent))
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | _O_NOFOLLOW | _O_BINARY
        if folder.fd is not None:
            fd = os.open(target.name, flags, 0o644, dir_fd=folder.fd)
        else:
            fd = os.open(target, flags, 0o644)
    with os.fdopen(fd, "wb") as handle:
        handle.write(json.dumps(record).encode("utf-8"))


def main(argv: Sequence[str] | None = None) -> int:
    """Run the helper; returns its exit code (see the module docstring)."""
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    result_path = None
    try:
        args = build_parser().parse_args(argv)
        result_path = args.result
        record = {"ok": True, **_run(args)}
        code = EXIT_OK
    except VaclientError as err:
        record = _error_record(err)
        code = err.exit_code if err.exit_code in (1, 2, 3, 4) else EXIT_FAILED
        sys.stderr.write(f"error: {err.message}\n")
    except Exception as err:  # the caller must always get an answer
        logger.exception("elevated helper failed")
        record = {"ok": False, "error": "InstallError", "message": f"internal error: {err}"}
        code = EXIT_FAILED
    if result_path:
        try:
            write_result(result_path, record)
        except OSError as err:
            sys.stderr.write(f"error: cannot write the result file {result_path}: {err}\n")
            code = code or EXIT_FAILED
    elif code == EXIT_OK:
        code = EXIT_USAGE
    return code


if __name__ == "__main__":
    raise SystemExit(main())
