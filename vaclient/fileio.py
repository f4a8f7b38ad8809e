"""Write files atomically, and read input files safely.

Writing: readers see the old file or the new one, never half.

Used for every file vaclient writes in the user's folders (settings, reports,
bundles, exported configurations). The new content goes to a temporary file
beside the target (mode 0600, an unpredictable name), is flushed and fsynced,
then renamed over the target. On any error the temporary file is removed and
the old file is untouched. (Installing into the Connectivity Client's folder
has stricter rules of its own: :mod:`vaclient.config.atomic`.)

Reading: :func:`read_limited` reads a file the user named (a ClientConfig,
a saved report, pasted command output) with a size cap, and refuses folders,
pipes and devices instead of hanging on them; :func:`read_problem` says
why a read failed in words for an error message.
"""

from __future__ import annotations

import errno
import os
import stat
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO


@contextmanager
def atomic_writer(
    path: str | os.PathLike[str], *, prefix: str = ".vaclient-"
) -> Iterator[BinaryIO]:
    """Yield a binary file that replaces ``path`` when the block ends without error.

    Raises:
        OSError: the folder cannot be written (the target is unchanged).
    """
    target = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=prefix, suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        Path(tmp).replace(target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_atomic(
    path: str | os.PathLike[str], data: str | bytes, *, prefix: str = ".vaclient-"
) -> Path:
    """Replace ``path`` with ``data`` (text is written as UTF-8); returns the path.

    Raises:
        OSError: the folder cannot be written (the target is unchanged).
    """
    payload = data.encode("utf-8") if isinstance(data, str) else data
    with atomic_writer(path, prefix=prefix) as handle:
        handle.write(payload)
    return Path(path)


class NotRegularFileError(OSError):
    """The path names a pipe, a device or a socket where a file is expected.

    Reading one could block forever (a FIFO without a writer) or never end
    (``/dev/zero``), so :func:`read_limited` refuses it before reading.
    """


def read_limited(path: str | os.PathLike[str], limit: int) -> bytes:
    """Read at most ``limit + 1`` bytes of the regular file ``path``.

    One byte more than ``limit`` lets the caller tell "exactly at the
    limit" from "too large" without reading a huge file whole. The file is
    opened without blocking, so a FIFO is refused instead of waiting for a
    writer that never comes.

    Raises:
        FileNotFoundError, IsADirectoryError, PermissionError: as ``open``.
        NotRegularFileError: a pipe, device or socket.
        OSError: any other read failure.
    """
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags)
    except PermissionError:
        if Path(path).is_dir():  # Windows refuses to open a folder this way
            raise IsADirectoryError(errno.EISDIR, "Is a directory", os.fspath(path)) from None
        raise
    with os.fdopen(fd, "rb") as handle:
        mode = os.fstat(fd).st_mode
        if stat.S_ISDIR(mode):
            raise IsADirectoryError(errno.EISDIR, "Is a directory", os.fspath(path))
        if not stat.S_ISREG(mode):
            raise NotRegularFileError(
                errno.EINVAL, "not a regular file (a pipe, device or socket)", os.fspath(path)
            )
        return handle.read(limit + 1)


def read_problem(err: OSError) -> str:
    """A short, stable description of why a file could not be read.

    >>> read_problem(FileNotFoundError(2, "No such file or directory"))
    'file not found'
    """
    if isinstance(err, FileNotFoundError):
        return "file not found"
    if isinstance(err, IsADirectoryError):
        return "is a folder, not a file"
    if isinstance(err, NotRegularFileError):
        return "is not a regular file (a pipe, device or socket)"
    if isinstance(err, PermissionError):
        return "permission denied while reading the file"
    return f"cannot read the file: {err.strerror or err.__class__.__name__}"
