"""Install ClientConfig files into the client's folder safely: the library API.

The tray and the CLI both call these functions:

- :func:`plan_install` reads and validates a file and works out what would
  change (nothing is written);
- :func:`execute_install` carries the plan out: atomically, keeping the
  replaced file as a backup, refusing unsafe folders, and elevating only the
  write when this process may not write the folder;
- :func:`list_installed`, :func:`remove_installed`, :func:`plan_restore` and
  :func:`restore_backup` manage what is installed.

Whether this process writes the folder itself or runs the privileged helper
is decided by a :class:`~vaclient.config.safety.Privileges` (is it root /
administrator, may it write there) and an
:class:`~vaclient.config.elevation.Elevator`; both are injectable, because
tests run as root where every folder is writable.
"""

from __future__ import annotations

import errno
import json
import logging
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from vaclient.config.atomic import DirHandle
from vaclient.config.changes import Change, compute_changes
from vaclient.config.elevation import Elevator, NoElevation, default_elevator, helper_argv
from vaclient.config.model import ClientConfig, load_config, parse_config
from vaclient.config.safety import Privileges, system_privileges
from vaclient.config.store import (
    BACKUP_DIR,
    InstallResult,
    backup_names,
    config_file_name,
    install_bytes,
    is_config_name,
    load_backup,
    open_folder,
    read_existing,
    remove_file,
    sha256_hex,
)
from vaclient.errors import (
    ConfigError,
    InstallError,
    PermissionDenied,
    UnsafeDestination,
    UsageError,
    VaclientError,
)
from vaclient.paths import client_config_dir

__all__ = [
    "Change",
    "InstallPlan",
    "InstallResult",
    "InstalledConfig",
    "execute_install",
    "list_installed",
    "plan_install",
    "plan_restore",
    "remove_installed",
    "restore_backup",
]

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class InstallPlan:
    """An install worked out: made by :func:`plan_install`, run by :func:`execute_install`.

    Attributes:
        config: the validated new configuration (``raw`` holds the bytes to write).
        destination: the file to create or replace.
        existing: the installed configuration, or None (none, or not valid).
        identical: the installed file already has exactly these bytes.
        changes: what changes, for the user to confirm (empty when identical).
        existing_error: why the installed file is not valid, when it is not.
        existing_sha256: SHA-256 of the installed bytes (``absent`` when none),
            so that an install refuses a file changed after the review.
    """

    config: ClientConfig
    destination: Path
    existing: ClientConfig | None
    identical: bool
    changes: tuple[Change, ...]
    existing_error: ConfigError | None = None
    existing_sha256: str = "absent"


@dataclass(frozen=True)
class InstalledConfig:
    """One ``ClientConfig-*.json`` in the folder, valid or not, with its backups."""

    path: Path
    config: ClientConfig | None
    error: ConfigError | None
    backups: tuple[Path, ...]


def _privileges(privileges: Privileges | None) -> Privileges:
    return privileges or system_privileges()


def _plan(cfg: ClientConfig, config_dir: Path, privileges: Privileges) -> InstallPlan:
    """Compare ``cfg`` with what is installed (checking the folder on the way)."""
    privileged = privileges.is_privileged()
    destination = config_dir / cfg.file_name
    handle = open_folder(config_dir, privileged=privileged)
    current = None
    if handle is not None:
        with handle:
            try:
                current = read_existing(handle, cfg.file_name, privileged=privileged)
            except PermissionError as err:
                raise PermissionDenied(
                    f"cannot read {destination}: permission denied",
                    "Run the command as an administrator.",
                ) from err

    existing = None
    existing_error = None
    if current is not None:
        try:
            existing = parse_config(current, str(destination))
        except ConfigError as err:
            existing_error = err
            logger.info("the installed %s is not valid: %s", destination, err.message)
    identical = current == cfg.raw
    changes = () if identical else compute_changes(existing, cfg)
    logger.info(
        "plan: %s -> %s (%s)",
        cfg.source,
        destination,
        "identical" if identical else "new" if current is None else f"{len(changes)} change(s)",
    )
    return InstallPlan(
        config=cfg,
        destination=destination,
        existing=existing,
        identical=identical,
        changes=changes,
        existing_error=existing_error,
        existing_sha256=sha256_hex(current),
    )


def plan_install(
    source: str | os.PathLike[str],
    config_dir: str | os.PathLike[str] | None = None,
    *,
    privileges: Privileges | None = None,
) -> InstallPlan:
    """Read and validate ``source`` and work out what installing it would change.

    Args:
        source: the ClientConfig file to install.
        config_dir: the client's folder (default: ``--config-dir`` rules of
            :func:`vaclient.paths.client_config_dir`).
        privileges: who we are (tests inject it).

    Raises:
        ConfigError: the file is missing, unreadable or not valid (file and
            JSON path named).
        UnsafeDestination: the folder or the installed file is unsafe.
    """
    cfg = load_config(source)
    return _plan(cfg, client_config_dir(config_dir), _privileges(privileges))


def plan_restore(
    instance_id: str,
    config_dir: str | os.PathLike[str] | None = None,
    *,
    backup: str | None = None,
    privileges: Privileges | None = None,
) -> InstallPlan:
    """Plan putting back the newest backup of ``instance_id`` (or the one named ``backup``).

    Raises:
        UsageError: the instance ID is malformed.
        InstallError: there is no backup to restore.
        UnsafeDestination: the folder, ``.backup`` or the backup could be
            changed by a non-administrator.
        ConfigError: the backup is not valid.
    """
    folder = client_config_dir(config_dir)
    privileges = _privileges(privileges)
    cfg, _ = load_backup(folder, instance_id, backup, privileged=privileges.is_privileged())
    return _plan(cfg, folder, privileges)


def execute_install(
    plan: InstallPlan,
    *,
    elevator: Elevator | None = None,
    privileges: Privileges | None = None,
) -> InstallResult:
    """Install the planned file: atomically, with a backup, elevating only the write.

    The bytes written are ``plan.config.raw``, validated again here. If the
    installed file is no longer the one the plan compared against, nothing
    is written. When this process is not privileged and may not write the
    folder, the file is staged in a private folder and the privileged helper
    installs it (``elevator``, default: the OS's own prompt).

    Raises:
        ConfigError: the planned bytes are not valid (a hand-made plan).
        UnsafeDestination: the folder or the installed file is unsafe.
        ElevationCancelled / ElevationDenied: the administrator prompt was
            dismissed or refused.
        PermissionDenied: no rights and elevation is off.
        InstallError: writing failed, or the file changed since the plan; the
            installed file is unchanged.
    """
    privileges = _privileges(privileges)
    cfg = parse_config(plan.config.raw, plan.config.source)
    if cfg.file_name != plan.destination.name:
        raise InstallError(
            f"internal: plan for {plan.destination.name} holds {cfg.file_name}",
            "Plan the install again.",
        )
    folder = plan.destination.parent

    if plan.identical:
        logger.info("%s is already installed with these bytes", plan.destination)
        return InstallResult(plan.destination, None, changed=False, elevated=False)
    if _writes_directly(folder, privileges):
        return install_bytes(
            folder,
            cfg.raw,
            cfg.source,
            expect_existing=plan.existing_sha256,
            privileged=privileges.is_privileged(),
        )

    elevator = elevator or default_elevator()
    with _Staging() as staging:
        staged = staging.write(cfg.file_name, cfg.raw)
        record = _run_helper(
            elevator,
            staging,
            "install",
            "--dest-dir",
            str(folder),
            "--staged",
            str(staged),
            "--sha256",
            sha256_hex(cfg.raw),
            "--expect-existing",
            plan.existing_sha256,
        )
    backup = record.get("backup")
    return InstallResult(
        destination=Path(record.get("destination") or plan.destination),
        backup=Path(backup) if backup else None,
        changed=bool(record.get("changed", True)),
        elevated=True,
    )


def restore_backup(
    instance_id: str,
    config_dir: str | os.PathLike[str] | None = None,
    *,
    backup: str | None = None,
    elevator: Elevator | None = None,
    privileges: Privileges | None = None,
) -> InstallResult:
    """Put back the newest backup of ``instance_id`` (the current file is backed up first).

    Raises:
        The errors of :func:`plan_restore` and :func:`execute_install`.
    """
    plan = plan_restore(instance_id, config_dir, backup=backup, privileges=privileges)
    return execute_install(plan, elevator=elevator, privileges=privileges)


def remove_installed(
    instance_id: str,
    config_dir: str | os.PathLike[str] | None = None,
    *,
    elevator: Elevator | None = None,
    privileges: Privileges | None = None,
) -> Path:
    """Move the installed file of ``instance_id`` into the backups; return the backup's path.

    Raises:
        UsageError: the instance ID is malformed.
        InstallError: it is not installed, or the move failed.
        UnsafeDestination, ElevationCancelled, ElevationDenied, PermissionDenied:
            as for :func:`execute_install`.
    """
    privileges = _privileges(privileges)
    folder = client_config_dir(config_dir)
    config_file_name(instance_id)

    if _writes_directly(folder, privileges):
        return remove_file(folder, instance_id, privileged=privileges.is_privileged())

    elevator = elevator or default_elevator()
    with _Staging() as staging:
        record = _run_helper(
            elevator, staging, "remove", "--dest-dir", str(folder), "--instance-id", instance_id
        )
    return Path(str(record["backup"]))


def list_installed(config_dir: str | os.PathLike[str] | None = None) -> list[InstalledConfig]:
    """Every ``ClientConfig-*.json`` in the folder, parsed, with its backups (newest last).

    Backups of files that are no longer installed are listed too (with
    ``config`` and ``error`` None and the path of the missing file). A
    missing folder gives an empty list. Nothing is refused here: listing
    only reads.
    """
    folder = client_config_dir(config_dir)
    try:
        handle = DirHandle.open(folder)
    except FileNotFoundError:
        return []
    except OSError as err:
        raise InstallError(
            f"cannot read {folder}: {err.strerror or err}",
            "Check that it is a folder you may read (not a link).",
        ) from err

    found: list[InstalledConfig] = []
    with handle:
        names = [n for n in handle.names() if is_config_name(n)]
        backed_up: set[str] = set()
        for name in _backup_owners(handle):
            backed_up.add(name)
        for name in names:
            path = folder / name
            backups = tuple(folder / BACKUP_DIR / b for b in backup_names(handle, name))
            cfg, error = _read_installed(handle, name, path)
            found.append(InstalledConfig(path, cfg, error, backups))
        for name in sorted(backed_up - set(names)):
            backups = tuple(folder / BACKUP_DIR / b for b in backup_names(handle, name))
            found.append(InstalledConfig(folder / name, None, None, backups))
    return found


def _backup_owners(handle: DirHandle) -> set[str]:
    """The file names that have backups in ``.backup``."""
    try:
        sub = handle.subdir(BACKUP_DIR)
    except OSError:
        return set()
    with sub:
        return {n.rsplit(".", 1)[0] for n in sub.names() if is_config_name(n.rsplit(".", 1)[0])}


def _read_installed(
    handle: DirHandle, name: str, path: Path
) -> tuple[ClientConfig | None, ConfigError | None]:
    try:
        found = handle.read(name)
    except OSError as err:
        problem = (
            "is a symbolic link (not read)"
            if err.errno == errno.ELOOP or path.is_symlink()
            else f"cannot read the file: {err.strerror or err}"
        )
        return None, ConfigError(str(path), "", problem)
    if found is None:
        return None, ConfigError(str(path), "", "file not found")
    try:
        return parse_config(found[0], str(path)), None
    except ConfigError as err:
        return None, err


# --- deciding and elevating ---------------------------------------------------------


def _writes_directly(folder: Path, privileges: Privileges) -> bool:
    """Write in this process (privileged, or the folder is writable) or elevate."""
    if privileges.is_privileged():
        logger.info("writing %s directly: running with administrator rights", folder)
        return True
    if privileges.can_write(folder):
        logger.info("writing %s directly: this user may write there", folder)
        return True
    logger.info("elevating the write to %s: this user may not write there", folder)
    return False


class _Staging:
    """A private (0700) temporary folder handed to the helper, removed afterwards."""

    def __enter__(self) -> _Staging:
        self.path = Path(tempfile.mkdtemp(prefix="vaclient-stage-"))
        self.path.chmod(0o700)
        return self

    def __exit__(self, *exc: object) -> None:
        shutil.rmtree(self.path, ignore_errors=True)

    def write(self, name: str, data: bytes) -> Path:
        path = self.path / name
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        return path

    @property
    def result_path(self) -> Path:
        return self.path / "result.json"


_ERRORS: dict[str, type[VaclientError]] = {
    "InstallError": InstallError,
    "UnsafeDestination": UnsafeDestination,
    "PermissionDenied": PermissionDenied,
    "UsageError": UsageError,
}


def _run_helper(elevator: Elevator, staging: _Staging, *args: str) -> dict[str, Any]:
    """Run the helper through ``elevator``; return its result or raise its error."""
    if isinstance(elevator, NoElevation):
        raise PermissionDenied(
            f"cannot write to {args[2]}: administrator rights are needed "
            "and elevation is turned off",
            "Run the command as an administrator (for example with sudo).",
        )
    argv = helper_argv(*args, "--result", str(staging.result_path))
    logger.info("running the install helper through %s", elevator.name)
    code = elevator.run(argv)
    logger.info("install helper exited with %d", code)

    try:
        record: dict[str, Any] = json.loads(staging.result_path.read_bytes())
    except (OSError, ValueError) as err:
        raise InstallError(
            f"the elevated helper ended with code {code} and left no result",
            "Run again with -vv and send the log to your helpdesk.",
        ) from err
    if record.get("ok"):
        return record
    message = str(record.get("message") or f"the elevated helper failed with code {code}")
    hint = record.get("hint")
    if record.get("error") == "ConfigError":
        raise ConfigError(
            str(record.get("source", "")),
            str(record.get("json_path", "")),
            str(record.get("problem", message)),
            hint,
        )
    raise _ERRORS.get(str(record.get("error")), InstallError)(message, hint)
