"""The client's configuration folder as a store: install, back up, remove.

These are the steps that touch the folder, run either in the vaclient
process (when it may write there) or in the elevated helper
(:mod:`vaclient.config.elevated`). Each one opens the folder without
following links, checks it (:mod:`vaclient.config.safety`), and then works
relative to the open handle.

Layout::

    <folder>/ClientConfig-vai-0123456789abcdef0.json        loaded by the client
    <folder>/.backup/ClientConfig-vai-….json.20260301T101502123456Z
                                                          replaced or removed files

The client loads only ``ClientConfig-*.json`` in the folder itself, so
backups (in a sub-folder, with a time stamp after ``.json``) and temporary
files (``.vaclient-*.tmp``) are never loaded. At most :data:`MAX_BACKUPS`
backups are kept per instance.
"""

from __future__ import annotations

import errno
import hashlib
import logging
import os
import re
import stat
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from vaclient.config.atomic import DirHandle
from vaclient.config.model import ClientConfig, parse_config
from vaclient.config.safety import (
    Win32SecurityReader,
    WindowsSecurityReader,
    allowed_owners,
    check_file,
    check_folder,
    check_posix,
    check_windows,
)
from vaclient.errors import InstallError, PermissionDenied, UnsafeDestination, UsageError

logger = logging.getLogger(__name__)

BACKUP_DIR = ".backup"
MAX_BACKUPS = 5
CONFIG_MODE = 0o644
FOLDER_MODE = 0o755
#: ``expect_existing`` value meaning "do not compare".
ANY_EXISTING = "any"
#: ``expect_existing`` value meaning "there must be no file yet".
NO_EXISTING = "absent"

_INSTANCE_ID = re.compile(r"vai-[0-9a-f]{17}", re.ASCII)
_CONFIG_NAME = re.compile(r"ClientConfig-.*\.json", re.DOTALL)
_STAMP_FORMAT = "%Y%m%dT%H%M%S%fZ"


@dataclass(frozen=True)
class InstallResult:
    """What an install or restore did.

    Attributes:
        destination: the installed file's path.
        backup: where the replaced file was kept, or None (fresh install, no-op).
        changed: False when the file already had these exact bytes.
        elevated: True when the write ran in the elevated helper.
    """

    destination: Path
    backup: Path | None
    changed: bool
    elevated: bool


def sha256_hex(data: bytes | None) -> str:
    """The SHA-256 of ``data`` in hex, or :data:`NO_EXISTING` for None."""
    return NO_EXISTING if data is None else hashlib.sha256(data).hexdigest()


def is_config_name(name: str) -> bool:
    """True for the names the client loads: ``ClientConfig-*.json``."""
    return _CONFIG_NAME.fullmatch(name) is not None


def check_instance_id(instance_id: str) -> str:
    """Return ``instance_id`` if it looks like ``vai-`` and 17 hex digits.

    Raises:
        UsageError: anything else (which also keeps paths out of file names).
    """
    if not _INSTANCE_ID.fullmatch(instance_id):
        raise UsageError(
            f"{instance_id!r} is not a Verified Access instance ID",
            "An instance ID looks like vai-0123456789abcdef0; "
            "'vaclient config list' shows the installed ones.",
        )
    return instance_id


def config_file_name(instance_id: str) -> str:
    """``ClientConfig-<instance id>.json``."""
    return f"ClientConfig-{check_instance_id(instance_id)}.json"


def backup_name(file_name: str, when: datetime | None = None) -> str:
    """The backup name of ``file_name``: a UTC time stamp after ``.json``.

    Example:
        ``ClientConfig-vai-0123456789abcdef0.json.20260301T101502123456Z``
    """
    when = when or datetime.now(timezone.utc)
    return f"{file_name}.{when.strftime(_STAMP_FORMAT)}"


def backup_time(name: str) -> datetime | None:
    """The UTC time in a backup name, or None when it has none."""
    try:
        return datetime.strptime(name.rsplit(".", 1)[-1], _STAMP_FORMAT).replace(
            tzinfo=timezone.utc
        )
    except ValueError:
        return None


# --- opening and checking ---------------------------------------------------------


def _unsafe_link(path: Path) -> UnsafeDestination:
    return UnsafeDestination(
        f"refusing to install into {path}: the folder is a symbolic link",
        "Use the real folder, not a link to it; an administrator should remove the link.",
    )


def _denied(path: Path, err: OSError) -> PermissionDenied:
    return PermissionDenied(
        f"cannot write to {path}: {err.strerror or 'permission denied'}",
        "Run the command as an administrator, or approve the administrator prompt.",
    )


#: ``icacls`` arguments that give a new folder a protected access list: no
#: inherited entries (a folder under ProgramData would otherwise inherit the
#: right of every user to create files), SYSTEM and Administrators full
#: control, Users read and execute; owner Administrators. Numeric SIDs (with
#: ``*``) work whatever the system's language.
WINDOWS_PROTECT_ARGS = (
    (
        "/inheritance:r",
        "/grant:r",
        "*S-1-5-18:(OI)(CI)F",
        "*S-1-5-32-544:(OI)(CI)F",
        "*S-1-5-32-545:(OI)(CI)RX",
    ),
    ("/setowner", "*S-1-5-32-544"),
)


def protect_windows_folder(path: Path, run: Callable[[list[str]], int] | None = None) -> None:
    """Give a folder vaclient created on Windows its administrators-only access list.

    Args:
        path: the folder, just created by the elevated step.
        run: runs an argv and returns its exit code (tests pass a recorder).

    Raises:
        InstallError: ``icacls`` failed; the folder is left for the safety
            check to refuse rather than used with an inherited access list.
    """
    runner = run or _run_quietly
    for args in WINDOWS_PROTECT_ARGS:
        argv = ["icacls", str(path), *args]
        code = runner(argv)
        if code != 0:
            raise InstallError(
                f"could not protect the new folder {path} (icacls exited with {code})",
                "Run the install again as an administrator, or ask IT to set the folder's "
                "permissions to Administrators and SYSTEM only.",
            )
    logger.info("protected %s: Administrators and SYSTEM only", path)


def _run_quietly(argv: list[str]) -> int:
    """Run a Windows tool without a console window; its exit code."""
    flags = getattr(subprocess, "CREATE_NO_WINDOW", 0)
    return subprocess.run(argv, capture_output=True, check=False, creationflags=flags).returncode


def _make_folder(path: Path, *, privileged: bool, windows: bool | None = None) -> None:
    """Create ``path`` and missing parents with mode 0755 whatever the umask.

    On POSIX the folder that already exists is checked first (it and its
    parents must not be changeable by others, see :func:`check_posix`), then
    each missing folder is made and set to 0755 through the open parent's
    descriptor, never by path: a user who could swap a path for a link
    between the ``mkdir`` and the ``chmod`` would otherwise have root change
    the mode of a file of their choosing.

    On Windows each folder created is given a protected access list
    (:func:`protect_windows_folder`), since ProgramData lets any user create
    folders that would otherwise stay writable by them.
    """
    windows = sys.platform == "win32" if windows is None else windows
    missing = []
    probe = path
    while not os.path.lexists(probe):
        missing.append(probe)
        probe = probe.parent
    if windows or not missing:
        for folder in reversed(missing):
            try:
                folder.mkdir(FOLDER_MODE)
            except FileExistsError:
                continue
            logger.info("created folder %s", folder)
            if windows:
                protect_windows_folder(folder)
        return

    owners = allowed_owners(privileged)
    current = DirHandle.open(probe)
    try:
        real = Path(os.path.realpath(probe))
        check_posix(current.stat(), path, f"parent folder {probe}", owners=owners, parent=True)
        for parent in real.parents:
            what = f"parent folder {parent}"
            check_posix(parent.stat(), path, what, owners=owners, parent=True)
        for folder in reversed(missing):
            sub = current.subdir(folder.name, create_mode=FOLDER_MODE)
            current.close()
            current = sub
            if sub.fd is not None and sub.stat().st_uid == os.geteuid():
                os.fchmod(sub.fd, FOLDER_MODE)
            logger.info("created folder %s", folder)
    finally:
        current.close()


def open_folder(
    config_dir: Path,
    *,
    privileged: bool,
    create: bool = False,
    windows_reader: WindowsSecurityReader | None = None,
) -> DirHandle | None:
    """Open and check the destination folder.

    Returns:
        The open folder, or None when it does not exist and ``create`` is False.

    Raises:
        UnsafeDestination: the folder (or a parent) is a link or could be
            changed by a non-administrator.
        PermissionDenied: the folder cannot be created or opened.
    """
    if config_dir.is_symlink():
        raise _unsafe_link(config_dir)
    try:
        if create and not os.path.lexists(config_dir):
            _make_folder(config_dir, privileged=privileged)
        handle = DirHandle.open(config_dir)
    except FileNotFoundError:
        if create:
            raise
        return None
    except PermissionError as err:
        raise _denied(config_dir, err) from err
    except OSError as err:
        if err.errno == errno.ELOOP:
            raise _unsafe_link(config_dir) from err
        if err.errno == errno.ENOTDIR:
            raise InstallError(
                f"cannot install into {config_dir}: it is not a folder",
                "Point --config-dir at a folder.",
            ) from err
        raise
    try:
        check_folder(handle, privileged=privileged, windows_reader=windows_reader)
    except BaseException:
        handle.close()
        raise
    return handle


def read_existing(
    handle: DirHandle,
    name: str,
    *,
    privileged: bool,
    windows_reader: WindowsSecurityReader | None = None,
) -> bytes | None:
    """Read an installed file through the open folder, refusing links and unsafe files.

    Returns:
        Its bytes, or None when there is no such file.

    Raises:
        UnsafeDestination: the file is a symbolic link or writable by others.
    """
    st = handle.lstat(name)
    if st is None:
        return None
    check_file(handle, name, st, privileged=privileged, windows_reader=windows_reader)
    try:
        found = handle.read(name)
    except OSError as err:
        if err.errno == errno.ELOOP:
            raise UnsafeDestination(
                f"refusing to replace {handle.path / name}: the file is a symbolic link",
                "Use the real folder, not a link to it; an administrator should remove the link.",
            ) from err
        raise
    if found is None:
        return None
    data, opened = found
    check_file(handle, name, opened, privileged=privileged, windows_reader=windows_reader)
    return data


def _backup_folder(
    handle: DirHandle,
    *,
    privileged: bool,
    create: bool,
    windows_reader: WindowsSecurityReader | None = None,
) -> DirHandle | None:
    """Open ``.backup`` (creating it when asked) and check it like the folder.

    Returns:
        The open folder, or None when it does not exist and ``create`` is False.
    """
    try:
        sub = handle.subdir(BACKUP_DIR, create_mode=FOLDER_MODE if create else None)
    except FileNotFoundError:
        return None
    except OSError as err:
        if err.errno in (errno.ELOOP, errno.ENOTDIR):
            raise UnsafeDestination(
                f"refusing to use {handle.path / BACKUP_DIR}: it is a link or not a folder",
                "An administrator should remove it; vaclient creates it again.",
            ) from err
        raise
    try:
        st = sub.stat()
        if create and stat.S_IMODE(st.st_mode) != FOLDER_MODE and st.st_uid == os.geteuid():
            if sub.fd is not None:
                os.fchmod(sub.fd, FOLDER_MODE)
            st = sub.stat()
        if windows_reader is not None or sys.platform.startswith("win"):
            reader = windows_reader or Win32SecurityReader()
            check_windows(reader.read(sub.path), sub.path, "folder")
        elif sub.fd is not None:
            check_posix(st, sub.path, "folder", owners=allowed_owners(privileged))
    except BaseException:
        sub.close()
        raise
    return sub


def backup_names(handle: DirHandle, file_name: str) -> list[str]:
    """Backups of ``file_name`` in the open folder's ``.backup``, oldest first."""
    try:
        sub = handle.subdir(BACKUP_DIR)
    except OSError:
        return []
    with sub:
        names = [n for n in sub.names() if n.startswith(file_name + ".") and backup_time(n)]
    return sorted(names, key=lambda n: backup_time(n) or datetime.min)


def _prune_backups(backups: DirHandle, file_name: str) -> None:
    names = sorted(n for n in backups.names() if n.startswith(file_name + ".") and backup_time(n))
    for name in names[:-MAX_BACKUPS] if len(names) > MAX_BACKUPS else []:
        backups.unlink(name)
        logger.info("removed old backup %s", backups.path / name)
    backups.fsync()


# --- the operations -----------------------------------------------------------------


def install_bytes(
    config_dir: Path,
    data: bytes,
    source: str,
    *,
    expect_existing: str = ANY_EXISTING,
    privileged: bool,
    elevated: bool = False,
    windows_reader: WindowsSecurityReader | None = None,
) -> InstallResult:
    """Validate ``data`` and install it atomically, keeping the replaced file as a backup.

    Args:
        config_dir: the client's configuration folder (created when missing).
        data: the exact bytes of the ClientConfig.
        source: a name for messages.
        expect_existing: :data:`ANY_EXISTING`, :data:`NO_EXISTING` or the
            SHA-256 of the file the user reviewed; a different file means
            someone changed it meanwhile and nothing is written.
        privileged: whether this process is root / an administrator.
        elevated: recorded in the result (True in the helper).
        windows_reader: the Windows security adapter (tests).

    Raises:
        ConfigError: ``data`` is not a valid ClientConfig.
        UnsafeDestination: the folder or the existing file is unsafe.
        InstallError: the file changed since it was reviewed, or writing failed;
            the installed file is then unchanged.
    """
    cfg = parse_config(data, source)
    destination = config_dir / cfg.file_name
    try:
        handle = open_folder(
            config_dir, privileged=privileged, create=True, windows_reader=windows_reader
        )
        assert handle is not None  # create=True never returns None
        with handle:
            handle.remove_stale_temps()
            current = read_existing(
                handle, cfg.file_name, privileged=privileged, windows_reader=windows_reader
            )
            if expect_existing not in (ANY_EXISTING, sha256_hex(current)):
                raise InstallError(
                    f"{destination} changed since the install was reviewed; nothing was written",
                    "Run the install again to review the current file.",
                )
            if current == data:
                logger.info("%s already has these exact bytes; nothing to do", destination)
                return InstallResult(destination, None, changed=False, elevated=elevated)

            backup = None
            if current is not None:
                backup = _write_backup(
                    handle,
                    cfg.file_name,
                    current,
                    privileged=privileged,
                    windows_reader=windows_reader,
                )
            handle.write_atomic(cfg.file_name, data, mode=CONFIG_MODE)
    except PermissionError as err:
        raise _denied(config_dir, err) from err
    except OSError as err:
        raise InstallError(
            f"cannot install {destination}: {err.strerror or err}; the old file is unchanged",
            "Check free disk space and the folder, then run the install again.",
        ) from err
    logger.info("installed %s (instance %s)", destination, cfg.instance_id)
    return InstallResult(destination, backup, changed=True, elevated=elevated)


def _write_backup(
    handle: DirHandle,
    file_name: str,
    data: bytes,
    *,
    privileged: bool,
    windows_reader: WindowsSecurityReader | None = None,
) -> Path:
    backups = _backup_folder(
        handle, privileged=privileged, create=True, windows_reader=windows_reader
    )
    assert backups is not None  # created above
    with backups:
        name = backup_name(file_name)
        backups.write_atomic(name, data, mode=CONFIG_MODE)
        _prune_backups(backups, file_name)
    logger.info("kept the replaced file as %s", backups.path / name)
    return backups.path / name


def remove_file(
    config_dir: Path,
    instance_id: str,
    *,
    privileged: bool,
    windows_reader: WindowsSecurityReader | None = None,
) -> Path:
    """Move an installed file into ``.backup`` (one rename) and return the backup's path.

    Raises:
        UsageError: the instance ID is malformed.
        InstallError: no such file is installed, or the move failed.
        UnsafeDestination: the folder or the file is unsafe.
    """
    file_name = config_file_name(instance_id)
    destination = config_dir / file_name
    try:
        handle = open_folder(config_dir, privileged=privileged, windows_reader=windows_reader)
        if handle is None:
            raise _not_installed(destination, instance_id)
        with handle:
            st = handle.lstat(file_name)
            if st is None:
                raise _not_installed(destination, instance_id)
            check_file(handle, file_name, st, privileged=privileged, windows_reader=windows_reader)
            backups = _backup_folder(
                handle, privileged=privileged, create=True, windows_reader=windows_reader
            )
            assert backups is not None  # created above
            with backups:
                name = backup_name(file_name)
                handle.rename(file_name, name, target=backups)
                backups.fsync()
                handle.fsync()
                _prune_backups(backups, file_name)
    except PermissionError as err:
        raise _denied(config_dir, err) from err
    except OSError as err:
        raise InstallError(
            f"cannot remove {destination}: {err.strerror or err}; it is still installed",
            "Check the folder, then run the command again.",
        ) from err
    logger.info("removed %s; kept it as %s", destination, backups.path / name)
    return backups.path / name


def _not_installed(destination: Path, instance_id: str) -> InstallError:
    return InstallError(
        f"no configuration for {instance_id} is installed ({destination} does not exist)",
        "'vaclient config list' shows the installed configurations.",
    )


def load_backup(
    config_dir: Path,
    instance_id: str,
    backup: str | None = None,
    *,
    privileged: bool = False,
    windows_reader: WindowsSecurityReader | None = None,
) -> tuple[ClientConfig, Path]:
    """Read and validate a backup (the newest, or the one named ``backup``).

    A restored backup becomes the installed file, so the folder, ``.backup``
    and the backup itself are checked like an install's destination: a
    backup that a non-administrator could have changed is refused rather
    than put back.

    Raises:
        InstallError: there is no such backup.
        UnsafeDestination: the folder, ``.backup`` or the backup file could
            be changed by a non-administrator, or is a link.
        ConfigError: the backup is not a valid ClientConfig, or belongs to
            another instance.
    """
    file_name = config_file_name(instance_id)
    handle = open_folder(config_dir, privileged=privileged, windows_reader=windows_reader)
    if handle is None:
        raise _no_backup(config_dir, instance_id)
    with handle:
        names = backup_names(handle, file_name)
        if backup is not None:
            names = [n for n in names if n == Path(backup).name]
        if not names:
            raise _no_backup(config_dir, instance_id)
        path = handle.path / BACKUP_DIR / names[-1]
        backups = _backup_folder(
            handle, privileged=privileged, create=False, windows_reader=windows_reader
        )
        if backups is None:
            raise _no_backup(config_dir, instance_id)
        with backups:
            try:
                found = backups.read(names[-1])
            except OSError as err:
                raise UnsafeDestination(
                    f"refusing to restore {path}: {err.strerror or err}",
                    "An administrator should remove it; choose another backup.",
                ) from err
            if found is not None:
                check_file(
                    backups, names[-1], found[1], privileged=privileged,
                    windows_reader=windows_reader,
                )  # fmt: skip
    if found is None:
        raise _no_backup(config_dir, instance_id)
    cfg = parse_config(found[0], str(path))
    if cfg.instance_id != instance_id:
        from vaclient.errors import ConfigError

        raise ConfigError(
            str(path),
            "VerifiedAccessInstanceId",
            f"is {cfg.instance_id}, not {instance_id}",
            "Choose a backup of this instance ('vaclient config list').",
        )
    return cfg, path


def _no_backup(config_dir: Path, instance_id: str) -> InstallError:
    return InstallError(
        f"no backup of {instance_id} in {config_dir / BACKUP_DIR}",
        "'vaclient config list' shows the backups that can be restored.",
    )
