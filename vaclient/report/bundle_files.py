"""The files a support bundle carries: configurations, logs and settings.

Each collector returns :class:`Piece` objects (a name in the zip, a
description and the text) and appends what it could not collect to a list
of problems, so one unreadable file never stops a bundle. The installed
ClientConfigs leave here with their secret fields masked, and their secret
values are taught to the bundle's :class:`~vaclient.report.scrub.SecretScrubber`
so that the same values are masked in every other text too. Logs are read
from their end, within size limits, because the newest lines matter most.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from vaclient.config.redact import SECRET_FIELDS, redact_document
from vaclient.logsetup import MASK as REDACTED
from vaclient.paths import log_dir
from vaclient.report.scrub import SecretScrubber
from vaclient.settings import Settings, settings_path

logger = logging.getLogger(__name__)

#: Largest part of one log file kept (its end, the newest lines).
MAX_LOG_BYTES = 5_000_000
#: Limits for the Connectivity Client's log folders, whose size is unknown.
MAX_CLIENT_LOG_FILES = 200
MAX_CLIENT_LOG_TOTAL = 50_000_000


@dataclass
class Piece:
    """One file of a bundle, before it is scrubbed and written.

    Attributes:
        name: its path inside the zip (``/`` separated).
        description: what it is, for the preview and the manifest.
        text: its content.
    """

    name: str
    description: str
    text: str


def read_text(path: Path, limit: int = MAX_LOG_BYTES) -> str:
    """Read a text file (UTF-8, or UTF-16 with a BOM), keeping its last ``limit`` bytes.

    Raises:
        ValueError: the file looks binary.
        OSError: it cannot be read.
    """
    size = path.stat().st_size
    with path.open("rb") as handle:
        if size > limit:
            handle.seek(size - limit)
        data = handle.read(limit)

    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = data.decode("utf-16", errors="replace")
    else:
        if b"\x00" in data[:8192]:
            raise ValueError("binary file")
        text = data.decode("utf-8", errors="replace")

    if size > limit:
        text = f"[first {size - limit} bytes left out]\n" + text
    return text


# --- configurations ------------------------------------------------------


def config_secrets(doc: Any) -> Iterator[str]:
    """Every string under a secret field, at any depth of a JSON document.

    These are the values the scrubber must mask wherever else they appear.
    """
    if isinstance(doc, dict):
        for key, value in doc.items():
            if key in SECRET_FIELDS and isinstance(value, str):
                yield value
            else:
                yield from config_secrets(value)
    elif isinstance(doc, list):
        for item in doc:
            yield from config_secrets(item)


def count_secret_fields(doc: Any) -> int:
    """How many secret fields of a JSON document hold a value (for the manifest).

    A field that is empty, null or already masked does not count; neither
    does anything inside a counted field's value.
    """
    if isinstance(doc, dict):
        return sum(
            1
            if key in SECRET_FIELDS and value not in (None, "", REDACTED)
            else count_secret_fields(value)
            for key, value in doc.items()
        )
    if isinstance(doc, list):
        return sum(count_secret_fields(item) for item in doc)
    return 0


def collect_configs(
    config_dir: Path, scrubber: SecretScrubber, problems: list[str]
) -> list[Piece]:
    """Installed ClientConfigs, secrets removed; their secret values registered.

    Masking follows the configuration layer's rules
    (:func:`vaclient.config.redact.redact_document`), which cover every
    spelling of ``Config`` and ``ClientSecret`` and other secret-like names.
    """
    try:
        paths = sorted(config_dir.glob("ClientConfig-*.json"))
    except OSError as err:
        problems.append(f"configurations: cannot list {config_dir} ({err.strerror})")
        return []
    if not paths:
        problems.append(f"configurations: none installed in {config_dir}")

    pieces = []
    for path in paths:
        doc = _load_config(path, problems)
        if doc is None:
            continue

        for value in config_secrets(doc):
            scrubber.add_value(value)
        scrubber.counts["config_fields"] += count_secret_fields(doc)

        pieces.append(
            Piece(
                f"configs/{path.name}",
                "Installed ClientConfig, secrets removed",
                json.dumps(redact_document(doc), indent=2, ensure_ascii=False) + "\n",
            )
        )
    return pieces


def _load_config(path: Path, problems: list[str]) -> Any:
    """The parsed JSON of one configuration file; None (and a problem) if unusable."""
    try:
        raw = path.read_text(encoding="utf-8-sig", errors="replace")
    except OSError as err:
        problems.append(f"configurations: cannot read {path.name} ({err.strerror})")
        return None

    try:
        return json.loads(raw)
    except json.JSONDecodeError as err:
        # Without structure its secrets cannot be cut out: leave the text out.
        problems.append(
            f"configurations: {path.name} is not valid JSON (line {err.lineno}); "
            "left out because its secrets could not be removed"
        )
        return None


# --- logs and settings ---------------------------------------------------


def collect_logs(settings: Settings, problems: list[str]) -> list[Piece]:
    """vaclient's own log files and the Connectivity Client's log folders."""
    return _own_logs(problems) + _client_logs(settings, problems)


def _own_logs(problems: list[str]) -> list[Piece]:
    """Every file in vaclient's log folder (current log and rotated ones)."""
    folder = log_dir()
    try:
        paths = sorted(p for p in folder.iterdir() if p.is_file() and not p.is_symlink())
    except OSError:
        problems.append(f"logs: no vaclient log folder at {folder}")
        return []

    pieces = []
    for path in paths:
        try:
            pieces.append(Piece(f"logs/vaclient/{path.name}", "vaclient log", read_text(path)))
        except (OSError, ValueError) as err:
            problems.append(f"logs: {path.name} left out ({err})")
    return pieces


def _client_logs(settings: Settings, problems: list[str]) -> list[Piece]:
    """The files under the configured client log folders, within the limits.

    The folders are a setting because where the Connectivity Client logs is
    not documented for every OS and version.
    """
    if not settings.client_log_dirs:
        problems.append(
            "logs: no Connectivity Client log folder configured (setting client_log_dirs)"
        )

    pieces: list[Piece] = []
    total = 0
    for index, folder_text in enumerate(settings.client_log_dirs, start=1):
        folder = Path(folder_text).expanduser()
        if not folder.is_dir():
            problems.append(f"logs: client log folder {folder} does not exist")
            continue

        for path in sorted(folder.rglob("*")):
            if not path.is_file() or path.is_symlink():
                continue
            if len(pieces) >= MAX_CLIENT_LOG_FILES or total >= MAX_CLIENT_LOG_TOTAL:
                problems.append(f"logs: limit reached, later files in {folder} left out")
                break
            try:
                text = read_text(path)
            except (OSError, ValueError) as err:
                problems.append(f"logs: {path.name} left out ({err})")
                continue
            total += len(text)
            rel = path.relative_to(folder).as_posix()
            pieces.append(Piece(f"logs/client-{index}/{rel}", "Connectivity Client log", text))
    return pieces


def collect_settings() -> list[Piece]:
    """vaclient's settings file, when there is one."""
    try:
        return [Piece("vaclient/settings.json", "vaclient settings", read_text(settings_path()))]
    except (OSError, ValueError):
        logger.info("no settings file to include")
        return []
