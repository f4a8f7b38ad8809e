"""Known Connectivity Client releases and version comparison.

The list of releases is data (``resources/client_versions.json``) so that a
new release needs no code change. Versions compare numerically, part by
part: ``1.0.10`` is newer than ``1.0.9``, and ``1.0`` equals ``1.0.0``.
"""

from __future__ import annotations

import functools
import json
import logging
import re
from pathlib import Path
from typing import NamedTuple

from vaclient.errors import UsageError
from vaclient.resources import resource_path

logger = logging.getLogger(__name__)

VERSIONS_FILE = "client_versions.json"
_VERSION_RE = re.compile(r"^\s*v?(\d+(?:\.\d+)*)")


class KnownVersion(NamedTuple):
    """One released client version and its release date (ISO ``YYYY-MM-DD``)."""

    version: str
    date: str


def parse_version(text: str) -> tuple[int, ...]:
    """Turn a version string into a tuple of numbers, trailing zeros removed.

    Anything after the numeric part (a build suffix, a space) is ignored.

    >>> parse_version("1.0.10")
    (1, 0, 10)
    >>> parse_version("1.0.0 (build 42)") == parse_version("1")
    True

    Raises:
        ValueError: the text does not start with a number.
    """
    match = _VERSION_RE.match(text)
    if not match:
        raise ValueError(f"not a version number: {text!r}")
    parts = [int(p) for p in match.group(1).split(".")]
    while len(parts) > 1 and parts[-1] == 0:
        parts.pop()
    return tuple(parts)


@functools.lru_cache(maxsize=4)
def load_known_versions(path: Path | None = None) -> dict[str, list[KnownVersion]]:
    """Read the released versions per OS (``windows``, ``macos``), newest first.

    Args:
        path: another file of the same shape; defaults to the bundled one.

    Returns:
        OS name to releases, sorted newest first whatever the file's order.

    Raises:
        UsageError: the file is missing or not in the expected shape.
    """
    path = path or resource_path(VERSIONS_FILE)
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        result = {
            os_name: sorted(
                (KnownVersion(str(e["version"]), str(e["date"])) for e in entries),
                key=lambda v: parse_version(v.version),
                reverse=True,
            )
            for os_name, entries in raw.items()
            if os_name in ("windows", "macos")
        }
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as err:
        raise UsageError(
            f"{path}: the list of known client versions cannot be read ({err})",
            "Reinstall vaclient, or fix the file (see resources/client_versions.json).",
        ) from err
    logger.debug("known client versions from %s: %s", path, result)
    return result


def latest_version(os_name: str, path: Path | None = None) -> str | None:
    """The newest known version for ``os_name``; None for an OS without a client."""
    versions = load_known_versions(path).get(os_name)
    return versions[0].version if versions else None


def is_outdated(os_name: str, version: str, path: Path | None = None) -> bool | None:
    """Whether ``version`` is older than the newest known release for ``os_name``.

    A version newer than every known one counts as current (the list may
    lag behind AWS).

    Returns:
        True or False; None when the OS has no known releases or the
        version cannot be read.
    """
    latest = latest_version(os_name, path)
    if latest is None:
        return None
    try:
        return parse_version(version) < parse_version(latest)
    except ValueError:
        logger.info("client version %r is not a number; not comparing", version)
        return None
