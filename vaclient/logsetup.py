"""Logging configuration, called only by entry points (CLI, tray).

Library modules only do ``logging.getLogger(__name__)``. The entry point
adds a rotating file in the per-user log folder (DEBUG and up) and a
console handler whose level follows ``-v``. Every record passes through
:class:`SecretFilter`, a last line of defence that masks registered secret
values should one ever reach a log call.
"""

from __future__ import annotations

import logging
import logging.handlers
import threading
from collections.abc import Iterable
from pathlib import Path

from vaclient.paths import log_dir

LOG_FILE_NAME = "vaclient.log"
#: What every secret is replaced with, in logs, screens, reports and bundles.
MASK = "***"
_MAX_BYTES = 1_000_000
_BACKUPS = 3

_secrets: set[str] = set()
_secrets_lock = threading.Lock()


def register_secret(value: str) -> None:
    """Mask ``value`` in every log record from now on (values under 4 chars are ignored)."""
    if len(value) >= 4:
        with _secrets_lock:
            _secrets.add(value)


def mask_values(text: str, values: Iterable[str]) -> str:
    """Replace each of ``values`` in ``text`` with :data:`MASK`, longest first.

    Longest first, so that a secret containing another is masked whole
    rather than leaving its remainder readable.

    >>> mask_values("key abcdef and abcd", ["abcd", "abcdef"])
    'key *** and ***'
    """
    for value in sorted(values, key=len, reverse=True):
        if value in text:
            text = text.replace(value, MASK)
    return text


def mask_secrets(text: str) -> str:
    """Replace every registered secret in ``text`` with :data:`MASK`."""
    with _secrets_lock:
        secrets = list(_secrets)
    return mask_values(text, secrets)


class SecretFilter(logging.Filter):
    """Rewrite a record's message so that no registered secret survives."""

    def filter(self, record: logging.LogRecord) -> bool:
        if _secrets:
            record.msg = mask_secrets(record.getMessage())
            record.args = None
        return True


def setup_logging(verbosity: int = 0, *, log_to_file: bool = True) -> Path | None:
    """Configure the root logger for an entry point.

    Args:
        verbosity: 0 shows warnings on the console, 1 info, 2 or more debug.
        log_to_file: also write a rotating log file in the per-user log folder.

    Returns:
        The log file's path, or None when no file could be opened.
    """
    root = logging.getLogger()
    root.setLevel(logging.DEBUG)
    for handler in list(root.handlers):
        if getattr(handler, "_vaclient", False):
            root.removeHandler(handler)
            handler.close()

    console = logging.StreamHandler()
    console.setLevel(
        logging.WARNING if verbosity <= 0 else logging.INFO if verbosity == 1 else logging.DEBUG
    )
    console.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
    console.addFilter(SecretFilter())
    console._vaclient = True  # type: ignore[attr-defined]  # marks our own handler
    root.addHandler(console)

    if not log_to_file:
        return None
    path = log_dir() / LOG_FILE_NAME
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        file_handler = logging.handlers.RotatingFileHandler(
            path, maxBytes=_MAX_BYTES, backupCount=_BACKUPS, encoding="utf-8"
        )
    except OSError as err:
        logging.getLogger(__name__).warning("cannot open log file %s: %s", path, err)
        return None
    file_handler.setLevel(logging.DEBUG)
    file_handler.setFormatter(
        logging.Formatter("%(asctime)s %(levelname)s %(name)s [%(threadName)s] %(message)s")
    )
    file_handler.addFilter(SecretFilter())
    file_handler._vaclient = True  # type: ignore[attr-defined]  # marks our own handler
    root.addHandler(file_handler)
    return path
