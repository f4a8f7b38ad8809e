"""Support bundles: one zip with everything the helpdesk needs, and no secrets.

Building a bundle has two steps so that the tray can show what goes in
before anything is written:

1. :func:`plan_bundle` collects every piece in memory (the diagnosis, the
   route table, interfaces and DNS configuration as the OS tools print
   them, the installed ClientConfigs with their secrets removed, vaclient's
   and the Connectivity Client's logs, vaclient's settings), scrubs
   secrets from all of it and, when asked, anonymises it;
2. :func:`write_bundle` writes those pieces and a ``manifest.json`` (sha256
   and size of each file, counts of what was removed, tool version, time).

Secrets are always removed: the JSON fields ``Config`` and ``ClientSecret``
of every configuration, those values anywhere in any text, and patterns
such as PEM blocks, bearer tokens, AWS keys and URL passwords (see
:mod:`vaclient.report.scrub`). Failures to collect one piece are recorded
in the manifest, never fatal.

The pieces are collected by :mod:`vaclient.report.bundle_files`
(configurations, logs, settings) and :mod:`vaclient.report.bundle_machine`
(the OS tools' output and the parsed network summary); this module plans,
writes and describes the bundle.
"""

from __future__ import annotations

import datetime as _dt
import getpass
import hashlib
import json
import logging
import os
import socket
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from vaclient import __version__
from vaclient.checks.model import Report
from vaclient.config.redact import SECRET_FIELDS
from vaclient.errors import UsageError, VaclientError
from vaclient.fileio import atomic_writer
from vaclient.logsetup import MASK as REDACTED
from vaclient.paths import client_config_dir, current_os
from vaclient.platforms.base import CommandRunner, Platform
from vaclient.report.anonymize import Anonymizer
from vaclient.report.bundle_files import (
    MAX_CLIENT_LOG_FILES,
    MAX_CLIENT_LOG_TOTAL,
    MAX_LOG_BYTES,
    Piece,
    collect_configs,
    collect_logs,
    collect_settings,
)
from vaclient.report.bundle_machine import (
    COMMAND_TIMEOUT_S,
    SYSTEM_COMMANDS,
    SYSTEM_FILES,
    collect_system,
)
from vaclient.report.html import render_html
from vaclient.report.saved import load_report
from vaclient.report.scrub import SecretScrubber
from vaclient.report.support_id import new_support_id
from vaclient.settings import Endpoint, Settings, load_settings

__all__ = [
    "COMMAND_TIMEOUT_S",
    "MANIFEST_NAME",
    "MANIFEST_SCHEMA",
    "MAX_CLIENT_LOG_FILES",
    "MAX_CLIENT_LOG_TOTAL",
    "MAX_LOG_BYTES",
    "REDACTED",
    "SECRET_FIELDS",
    "SYSTEM_COMMANDS",
    "SYSTEM_FILES",
    "BundleOptions",
    "BundlePlan",
    "DoctorFunc",
    "manifest",
    "plan_bundle",
    "summarize",
    "write_bundle",
]

logger = logging.getLogger(__name__)

MANIFEST_NAME = "manifest.json"
MANIFEST_SCHEMA = "vaclient.bundle/1"


@dataclass(frozen=True)
class BundleOptions:
    """What goes into a bundle.

    Attributes:
        config_dir: folder of installed ClientConfigs (None: the default).
        run_doctor: run a diagnosis and include it (ignored with ``report_path``).
        report_path: include this saved JSON report instead of a new diagnosis.
        endpoints: ``HOST:PORT`` values for the diagnosis.
        anonymize: replace user names, e-mail and IP addresses and host names.
        settings: vaclient's settings (None: read the settings file).
        extra_users: more user names to anonymise (the OS user is always one).
        extra_hosts: more host names to anonymise (this machine's is always one).
        os_name: whose OS tools to run (None: this OS).
    """

    config_dir: Path | None = None
    run_doctor: bool = True
    report_path: Path | None = None
    endpoints: tuple[Endpoint, ...] = ()
    anonymize: bool = False
    settings: Settings | None = None
    extra_users: tuple[str, ...] = ()
    extra_hosts: tuple[str, ...] = ()
    os_name: str | None = None


@dataclass
class BundlePlan:
    """Everything a bundle will hold, ready to show or write.

    Attributes:
        files: ``(name in the zip, description, size in bytes)`` per file.
        redactions: how many secrets of each kind were removed.
        anonymized: how many distinct values of each kind were replaced
            (empty without anonymisation).
        problems: pieces that could not be collected, and why.
        support_id: the ID that names the bundle and its upload.
        created_at: UTC time stamp.
    """

    files: list[tuple[str, str, int]]
    redactions: dict[str, int]
    anonymized: dict[str, int] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    support_id: str = ""
    created_at: str = ""
    is_anonymized: bool = False
    contents: dict[str, bytes] = field(default_factory=dict, repr=False)

    @property
    def default_name(self) -> str:
        """The bundle's file name when the user gives none."""
        return f"vaclient-bundle-{self.support_id}.zip"


DoctorFunc = Callable[[BundleOptions], Report]


# --- the diagnosis and the identities --------------------------------------


def _default_doctor(options: BundleOptions) -> Report:
    """Run the diagnosis for the bundle's configuration folder and endpoints."""
    from vaclient.checks.doctor import DoctorOptions, run_doctor

    return run_doctor(DoctorOptions(config_dir=options.config_dir, endpoints=options.endpoints))


def _collect_report(
    options: BundleOptions, doctor: DoctorFunc | None, problems: list[str]
) -> Report | None:
    """The saved report, a new diagnosis, or None; a failed diagnosis is a problem.

    Raises:
        UsageError: ``options.report_path`` is not a readable vaclient report.
    """
    if options.report_path is not None:
        return load_report(options.report_path)
    if not options.run_doctor:
        return None
    try:
        return (doctor or _default_doctor)(options)
    except (ImportError, VaclientError, OSError) as err:
        problems.append(f"report: the diagnosis could not run ({err})")
        return None


def _os_identities() -> tuple[list[str], list[str]]:
    """This computer's user name(s) and host name(s), for anonymisation."""
    users: list[str] = []
    try:
        users.append(getpass.getuser())
    except (OSError, KeyError, ImportError):
        logger.info("the OS user name is unknown; only names found in files are anonymised")
    users.append(Path.home().name)
    host = socket.gethostname()
    hosts = [host, host.split(".", 1)[0]] if host else []
    return users, hosts


# --- planning --------------------------------------------------------------


def plan_bundle(
    options: BundleOptions,
    *,
    platform: Platform | None = None,
    runner: CommandRunner | None = None,
    doctor: DoctorFunc | None = None,
    now: _dt.datetime | None = None,
) -> BundlePlan:
    """Collect, scrub and (optionally) anonymise everything for a bundle.

    Nothing is written to disk. The tray lists ``plan.files`` and
    ``plan.redactions`` before the user agrees to :func:`write_bundle`.

    Args:
        options: what to include.
        platform: where routes, interfaces and DNS servers come from
            (None: no parsed network summary).
        runner: runs the OS tools (None: the platform's, else a real one).
        doctor: runs the diagnosis (None: :mod:`vaclient.checks.doctor`).
        now: the creation time (tests).

    Returns:
        The plan, with the files' final contents.

    Raises:
        UsageError: ``options.report_path`` is not a readable vaclient report.
    """
    problems: list[str] = []
    scrubber = SecretScrubber()
    pieces, report_text = _collect(
        options,
        platform=platform,
        runner=runner,
        doctor=doctor,
        scrubber=scrubber,
        problems=problems,
    )

    # Scrub every text, then anonymise after seeing all of them.
    for piece in pieces:
        piece.text = scrubber.scrub(piece.text)
    if report_text is not None:
        report_text = scrubber.scrub(report_text)
    problems = [scrubber.scrub(p) for p in problems]
    anonymizer: Anonymizer | None = None
    if options.anonymize:
        anonymizer = _new_anonymizer(options)
        report_text, problems = _anonymize(anonymizer, pieces, report_text, problems)

    # The report goes first, as JSON and as the HTML page rendered from the same data.
    if report_text is not None:
        pieces[:0] = _report_pieces(report_text)

    contents, files = _pack(pieces)
    created = (now or _dt.datetime.now(_dt.timezone.utc)).strftime("%Y-%m-%dT%H:%M:%SZ")
    plan = BundlePlan(
        files=files,
        redactions=dict(scrubber.counts),
        anonymized=anonymizer.counts() if anonymizer else {},
        problems=problems,
        support_id=new_support_id(),
        created_at=created,
        is_anonymized=options.anonymize,
        contents=contents,
    )
    logger.info(
        "bundle planned: %d files, redactions %s, %d problems",
        len(files),
        plan.redactions,
        len(problems),
    )
    return plan


def _collect(
    options: BundleOptions,
    *,
    platform: Platform | None,
    runner: CommandRunner | None,
    doctor: DoctorFunc | None,
    scrubber: SecretScrubber,
    problems: list[str],
) -> tuple[list[Piece], str | None]:
    """Every piece of the bundle, unscrubbed, and the report's JSON (if any)."""
    os_name = options.os_name or current_os()
    settings = options.settings if options.settings is not None else load_settings()
    runner = runner or (platform.runner if platform is not None else CommandRunner())

    # Configurations first: they teach the scrubber the secret values.
    pieces = collect_configs(client_config_dir(options.config_dir), scrubber, problems)
    report = _collect_report(options, doctor, problems)
    pieces += collect_system(os_name, runner, platform, problems)
    pieces += collect_logs(settings, problems)
    pieces += collect_settings()

    report_text = (
        json.dumps(report.to_dict(), indent=2, ensure_ascii=False) + "\n" if report else None
    )
    return pieces, report_text


def _new_anonymizer(options: BundleOptions) -> Anonymizer:
    """An anonymiser that knows this computer's and the options' names."""
    users, hosts = _os_identities()
    return Anonymizer(users=[*users, *options.extra_users], hosts=[*hosts, *options.extra_hosts])


def _anonymize(
    anonymizer: Anonymizer, pieces: list[Piece], report_text: str | None, problems: list[str]
) -> tuple[str | None, list[str]]:
    """Anonymise the pieces in place; return the anonymised report and problems.

    Every text is observed before any is changed, so a name learnt from one
    file is replaced in all of them.
    """
    for text in [p.text for p in pieces] + [report_text or ""] + problems:
        anonymizer.observe(text)

    for piece in pieces:
        piece.text = anonymizer.anonymize(piece.text)
        piece.name = anonymizer.anonymize(piece.name)
    if report_text is not None:
        report_text = anonymizer.anonymize(report_text)
    return report_text, [anonymizer.anonymize(p) for p in problems]


def _report_pieces(report_text: str) -> list[Piece]:
    """The report as JSON and as the HTML page rendered from that same JSON."""
    shown = Report.from_dict(json.loads(report_text))
    return [
        Piece("report.json", "Diagnosis report (JSON)", report_text),
        Piece("report.html", "Diagnosis report (open in a browser)", render_html(shown)),
    ]


def _pack(pieces: list[Piece]) -> tuple[dict[str, bytes], list[tuple[str, str, int]]]:
    """The zip's contents by name, and ``(name, description, size)`` per file.

    Should two pieces share a name, the later one gets ``.dup`` appended
    rather than overwrite the first in the zip.
    """
    contents: dict[str, bytes] = {}
    files: list[tuple[str, str, int]] = []
    for piece in pieces:
        name = piece.name
        while name in contents:
            name = f"{name}.dup"
        data = piece.text.encode("utf-8")
        contents[name] = data
        files.append((name, piece.description, len(data)))
    return contents, files


# --- writing and describing ----------------------------------------------


def manifest(plan: BundlePlan) -> dict[str, Any]:
    """The manifest of a plan: files with sha256 and size, counts, tool, time."""
    return {
        "schema": MANIFEST_SCHEMA,
        "support_id": plan.support_id,
        "created_at": plan.created_at,
        "tool": {"name": "vaclient", "version": __version__},
        "host": {"os": current_os()},
        "anonymized": plan.is_anonymized,
        "files": [
            {
                "name": name,
                "description": description,
                "size": size,
                "sha256": hashlib.sha256(plan.contents[name]).hexdigest(),
            }
            for name, description, size in plan.files
        ],
        "redactions": plan.redactions,
        "anonymized_values": plan.anonymized,
        "problems": plan.problems,
    }


def write_bundle(plan: BundlePlan, out_path: str | os.PathLike[str]) -> Path:
    """Write the planned files and ``manifest.json`` into a zip at ``out_path``.

    The file is written next to its destination and renamed into place, so
    a half-written bundle never appears; it is readable by its owner only.

    Raises:
        UsageError: the destination cannot be written.
    """
    target = Path(out_path)
    try:
        with (
            atomic_writer(target, prefix=".bundle-") as handle,
            zipfile.ZipFile(handle, "w", compression=zipfile.ZIP_DEFLATED) as archive,
        ):
            for name, data in plan.contents.items():
                archive.writestr(name, data)
            archive.writestr(
                MANIFEST_NAME, json.dumps(manifest(plan), indent=2, ensure_ascii=False) + "\n"
            )
    except OSError as err:
        raise UsageError(
            f"{target}: cannot write the bundle ({err.strerror or err})",
            "Choose a file in a folder you can write to with --out.",
        ) from err
    logger.info("bundle written to %s", target)
    return target


def summarize(plan: BundlePlan) -> Sequence[str]:
    """Lines for a person: each file with its size, then what was removed."""
    lines = [f"{name}  ({size:,} bytes)  {description}" for name, description, size in plan.files]
    removed = ", ".join(f"{k}: {v}" for k, v in sorted(plan.redactions.items())) or "none found"
    lines.append(f"secrets removed: {removed}")
    if plan.is_anonymized:
        replaced = ", ".join(f"{k}: {v}" for k, v in sorted(plan.anonymized.items())) or "none"
        lines.append(f"identities replaced: {replaced}")
    lines.extend(f"note: {p}" for p in plan.problems)
    return lines
