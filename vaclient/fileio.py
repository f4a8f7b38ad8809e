"""Replace a file atomically: readers see the old file or the new one, never half.

Used for every file vaclient writes in the user's folders (settings, reports,
bundles, exported configurations). The new content goes to a temporary file
beside the target (mode 0600, an unpredictable name), is flushed and fsynced,
then renamed over the target. On any error the temporary file is removed and
the old file is untouched. (Installing into the Connectivity Client's folder
has stricter rules of its own: :mod:`vaclient.config.atomic`.)
"""

from __future__ import annotations

import os
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
