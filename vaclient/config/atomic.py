"""Crash-safe file replacement inside one opened folder.

A reader of the folder (the Connectivity Client) must see either the old
file or the new one, complete, never a part of it and never nothing. So a
new file is written under an unpredictable temporary name in the same
folder, flushed to disk, renamed over the target in one step, and the
folder itself is flushed so that the rename survives a power cut.

Temporary names start with a dot and end in ``.tmp``: the client only loads
``ClientConfig-*.json``, so a temporary file left behind by a killed process
is never mistaken for a configuration.

On POSIX every operation goes through a file descriptor of the folder
(``dir_fd``) opened with ``O_NOFOLLOW``: once the folder has been checked,
swapping the path for a symlink cannot redirect the writes. Windows has no
``dir_fd``; there the same operations use paths.
"""

from __future__ import annotations

import errno
import logging
import os
import secrets
import stat
import time
from pathlib import Path
from types import TracebackType

logger = logging.getLogger(__name__)

TEMP_PREFIX = ".vaclient-"
TEMP_SUFFIX = ".tmp"
#: Temporary files older than this are left-overs of a killed process.
STALE_TEMP_AGE_S = 600.0

_O_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_O_DIRECTORY = getattr(os, "O_DIRECTORY", 0)
_O_BINARY = getattr(os, "O_BINARY", 0)
_O_CLOEXEC = getattr(os, "O_CLOEXEC", 0)
# os.replace takes src_dir_fd wherever os.rename does (it is not listed itself).
_HAVE_DIR_FD = os.open in os.supports_dir_fd and os.rename in os.supports_dir_fd


def temp_name() -> str:
    """An unpredictable temporary file name that the client will never load."""
    return f"{TEMP_PREFIX}{secrets.token_hex(12)}{TEMP_SUFFIX}"


def is_temp_name(name: str) -> bool:
    """True for names made by :func:`temp_name`."""
    return name.startswith(TEMP_PREFIX) and name.endswith(TEMP_SUFFIX)


class DirHandle:
    """An open folder; files are created, read and renamed relative to it.

    Use :meth:`open` (a context manager) rather than the constructor.

    Attributes:
        path: the folder's path, for messages and for the Windows fallback.
        fd: the folder's descriptor on POSIX, None where ``dir_fd`` is not
            supported.
    """

    def __init__(self, path: Path, fd: int | None) -> None:
        self.path = path
        self.fd = fd

    @classmethod
    def open(cls, path: Path) -> DirHandle:
        """Open ``path`` as a folder without following a symlink at its last step.

        Raises:
            OSError: the folder is missing, a symlink (``ELOOP``) or not a folder.
        """
        if not _HAVE_DIR_FD:
            if path.is_symlink():
                raise OSError(errno.ELOOP, "a link, not a folder", str(path))
            if not path.exists():
                raise FileNotFoundError(errno.ENOENT, "no such folder", str(path))
            if not path.is_dir():
                raise OSError(errno.ENOTDIR, "not a folder", str(path))
            return cls(path, None)
        fd = os.open(path, os.O_RDONLY | _O_DIRECTORY | _O_NOFOLLOW | _O_CLOEXEC)
        return cls(path, fd)

    def __enter__(self) -> DirHandle:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        """Close the folder's descriptor (safe to call twice)."""
        if self.fd is not None:
            os.close(self.fd)
            self.fd = None

    # --- queries -------------------------------------------------------------

    def stat(self) -> os.stat_result:
        """``fstat`` of the open folder (``lstat`` of its path on Windows)."""
        if self.fd is not None:
            return os.fstat(self.fd)
        return os.lstat(self.path)

    def lstat(self, name: str) -> os.stat_result | None:
        """``lstat`` of an entry, or None when it does not exist."""
        try:
            if self.fd is not None:
                return os.stat(name, dir_fd=self.fd, follow_symlinks=False)
            return os.lstat(self.path / name)
        except FileNotFoundError:
            return None

    def names(self) -> list[str]:
        """The entries of the folder, sorted."""
        if self.fd is not None:
            return sorted(os.listdir(self.fd))  # noqa: PTH208  # a descriptor, not a path
        return sorted(p.name for p in self.path.iterdir())

    def read(self, name: str) -> tuple[bytes, os.stat_result] | None:
        """Read a regular file without following a symlink.

        Returns:
            The bytes and the ``fstat`` of the open file, or None when the
            file does not exist.

        Raises:
            OSError: the entry is a symlink (``ELOOP``), not a regular file, or
                unreadable.
        """
        try:
            fd = self._open(name, os.O_RDONLY | _O_NOFOLLOW | _O_BINARY | _O_CLOEXEC)
        except FileNotFoundError:
            return None
        try:
            st = os.fstat(fd)
            if not stat.S_ISREG(st.st_mode):
                raise OSError(errno.EINVAL, "not a regular file", str(self.path / name))
            chunks = []
            while chunk := os.read(fd, 1 << 16):
                chunks.append(chunk)
            return b"".join(chunks), st
        finally:
            os.close(fd)

    # --- changes -------------------------------------------------------------

    def write_atomic(self, name: str, data: bytes, *, mode: int = 0o644) -> None:
        """Replace (or create) ``name`` with ``data`` so that no reader sees a part.

        Steps: create a temporary file with ``O_EXCL`` (never reusing or
        following an existing entry), write, set the mode, ``fsync``, rename
        over ``name``, ``fsync`` the folder. On any failure the temporary
        file is removed and ``name`` is left as it was.
        """
        tmp = temp_name()
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | _O_NOFOLLOW | _O_BINARY | _O_CLOEXEC
        fd = self._open(tmp, flags, 0o600)
        try:
            try:
                view = memoryview(data)
                while view:
                    written = os.write(fd, view)
                    view = view[written:]
                if hasattr(os, "fchmod"):
                    os.fchmod(fd, mode)
                os.fsync(fd)
            finally:
                os.close(fd)
            if not hasattr(os, "fchmod"):
                (self.path / tmp).chmod(mode)
            self.rename(tmp, name)
        except BaseException:
            self._unlink_quietly(tmp)
            raise
        self.fsync()

    def rename(self, name: str, new_name: str, target: DirHandle | None = None) -> None:
        """Rename ``name`` to ``new_name`` (in ``target``, default this folder), replacing it."""
        target = target or self
        if self.fd is not None and target.fd is not None:
            os.replace(name, new_name, src_dir_fd=self.fd, dst_dir_fd=target.fd)
        else:
            (self.path / name).replace(target.path / new_name)

    def unlink(self, name: str) -> None:
        """Remove a file from the folder."""
        if self.fd is not None:
            os.unlink(name, dir_fd=self.fd)
        else:
            (self.path / name).unlink()

    def subdir(self, name: str, *, create_mode: int | None = None) -> DirHandle:
        """Open a sub-folder (creating it with ``create_mode`` if given and missing)."""
        if create_mode is not None:
            try:
                if self.fd is not None:
                    os.mkdir(name, create_mode, dir_fd=self.fd)
                else:
                    (self.path / name).mkdir(create_mode)
                self.fsync()
            except FileExistsError:
                pass
        if self.fd is None:
            return DirHandle.open(self.path / name)
        fd = os.open(name, os.O_RDONLY | _O_DIRECTORY | _O_NOFOLLOW | _O_CLOEXEC, dir_fd=self.fd)
        return DirHandle(self.path / name, fd)

    def fsync(self) -> None:
        """Flush the folder's entries to disk (a no-op where folders cannot be synced)."""
        if self.fd is not None:
            os.fsync(self.fd)

    def remove_stale_temps(self, *, max_age_s: float = STALE_TEMP_AGE_S) -> list[str]:
        """Delete temporary files that a killed process left behind.

        Only names made by :func:`temp_name` that are older than ``max_age_s``
        are touched, so a concurrent writer's file survives.

        Returns:
            The names removed.
        """
        now = time.time()
        removed = []
        for name in self.names():
            if not is_temp_name(name):
                continue
            st = self.lstat(name)
            if st is None or not stat.S_ISREG(st.st_mode) or now - st.st_mtime < max_age_s:
                continue
            self._unlink_quietly(name)
            removed.append(name)
        if removed:
            logger.info("removed %d stale temporary file(s) in %s", len(removed), self.path)
        return removed

    # --- internals -----------------------------------------------------------

    def _open(self, name: str, flags: int, mode: int = 0o777) -> int:
        if self.fd is not None:
            return os.open(name, flags, mode, dir_fd=self.fd)
        return os.open(self.path / name, flags, mode)

    def _unlink_quietly(self, name: str) -> None:
        try:
            self.unlink(name)
        except OSError as err:
            logger.debug("could not remove %s in %s: %s", name, self.path, err)
