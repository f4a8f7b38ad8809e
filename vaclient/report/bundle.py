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
"""

from __future__ import annotations

import datetime as _dt
import getpass
import hashlib
import json
import logging
import os
import socket
import subprocess
import zipfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from vaclient import __version__
from vaclient.checks.model import Report
from vaclient.errors import UsageError, VaclientError
from vaclient.fileio import atomic_writer
from vaclient.paths import client_config_dir, current_os, log_dir
from vaclient.platforms.base import CommandRunner, Platform
from vaclient.report.anonymize import Anonymizer
from vaclient.report.html import render_html
from vaclient.report.scrub import SecretScrubber
from vaclient.report.support_id import new_support_id
from vaclient.settings import Endpoint, Settings, load_settings, settings_path

logger = logging.getLogger(__name__)

MANIFEST_NAME = "manifest.json"
MANIFEST_SCHEMA = "vaclient.bundle/1"
#: Fields of a ClientConfig that are secret, at any depth.
SECRET_FIELDS = ("Config", "ClientSecret")
REDACTED = "***"
#: Largest part of one log file kept (its end, the newest lines).
MAX_LOG_BYTES = 5_000_000
#: Limits for the Connectivity Client's log folders, whose size is unknown.
MAX_CLIENT_LOG_FILES = 200
MAX_CLIENT_LOG_TOTAL = 50_000_000
COMMAND_TIMEOUT_S = 10.0

#: What the OS tools print, per OS: (file name, argv). Raw output is kept as-is.
SYSTEM_COMMANDS: dict[str, tuple[tuple[str, tuple[str, ...]], ...]] = {
    "linux": (
        ("ip-6-route.txt", ("ip", "-6", "route")),
        ("ip-addr.txt", ("ip", "addr")),
    ),
    "windows": (
        ("route-print-6.txt", ("route", "print", "-6")),
        ("ipconfig-all.txt", ("ipconfig", "/all")),
    ),
    "macos": (
        ("netstat-rn-inet6.txt", ("netstat", "-rn", "-f", "inet6")),
        ("ifconfig-a.txt", ("ifconfig", "-a")),
        ("scutil-dns.txt", ("scutil", "--dns")),
    ),
}
#: Files copied as they are, per OS: (file name, path).
SYSTEM_FILES: dict[str, tuple[tuple[str, str], ...]] = {
    "linux": (("resolv.conf", "/etc/resolv.conf"),),
    "macos": (("resolv.conf", "/etc/resolv.conf"),),
}


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


@dataclass
class _Piece:
    name: str
    description: str
    text: str


DoctorFunc = Callable[[BundleOptions], Report]


# --- collecting --------------------------------------------------------


def _read_text(path: Path, limit: int = MAX_LOG_BYTES) -> str:
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


def _config_secrets(doc: Any) -> Iterator[str]:
    """Every string under a secret field, at any depth of a JSON document."""
    if isinstance(doc, dict):
        for key, value in doc.items():
            if key in SECRET_FIELDS and isinstance(value, str):
                yield value
            else:
                yield from _config_secrets(value)
    elif isinstance(doc, list):
        for item in doc:
            yield from _config_secrets(item)


def _strip_secrets(doc: Any) -> tuple[Any, int]:
    """A copy of ``doc`` with every secret field replaced; and how many there were."""
    if isinstance(doc, dict):
        out: dict[str, Any] = {}
        count = 0
        for key, value in doc.items():
            if key in SECRET_FIELDS and value not in (None, "", REDACTED):
                out[key] = REDACTED
                count += 1
            else:
                out[key], n = _strip_secrets(value)
                count += n
        return out, count
    if isinstance(doc, list):
        items = [_strip_secrets(item) for item in doc]
        return [i for i, _ in items], sum(n for _, n in items)
    return doc, 0


def _redact_config(doc: Any) -> tuple[Any, int]:
    """Redact with the configuration layer's rules, then make sure of ours.

    Returns:
        The redacted copy and how many secret fields held a value.
    """
    from vaclient.config.redact import redact_document

    _, count = _strip_secrets(doc)
    redacted, _ = _strip_secrets(redact_document(doc))
    return redacted, count


def _collect_configs(
    config_dir: Path, scrubber: SecretScrubber, problems: list[str]
) -> list[_Piece]:
    """Installed ClientConfigs, secrets removed; their secret values registered."""
    pieces = []
    try:
        paths = sorted(config_dir.glob("ClientConfig-*.json"))
    except OSError as err:
        problems.append(f"configurations: cannot list {config_dir} ({err.strerror})")
        return []
    if not paths:
        problems.append(f"configurations: none installed in {config_dir}")

    for path in paths:
        try:
            raw = path.read_text(encoding="utf-8-sig", errors="replace")
        except OSError as err:
            problems.append(f"configurations: cannot read {path.name} ({err.strerror})")
            continue
        try:
            doc = json.loads(raw)
        except json.JSONDecodeError as err:
            # Without structure its secrets cannot be cut out: leave the text out.
            problems.append(
                f"configurations: {path.name} is not valid JSON (line {err.lineno}); "
                "left out because its secrets could not be removed"
            )
            continue
        for value in _config_secrets(doc):
            scrubber.add_value(value)
        redacted, count = _redact_config(doc)
        scrubber.counts["config_fields"] += count
        pieces.append(
            _Piece(
                f"configs/{path.name}",
                "Installed ClientConfig, secrets removed",
                json.dumps(redacted, indent=2, ensure_ascii=False) + "\n",
            )
        )
    return pieces


def _collect_system(
    os_name: str, runner: CommandRunner, platform: Platform | None, problems: list[str]
) -> list[_Piece]:
    """Route table, interfaces and DNS configuration, raw and parsed."""
    pieces = []
    for name, argv in SYSTEM_COMMANDS.get(os_name, ()):
        shown = " ".join(argv)
        try:
            result = runner.run(argv, timeout=COMMAND_TIMEOUT_S)
        except FileNotFoundError:
            problems.append(f"system: {shown}: the program is not installed")
            continue
        except subprocess.TimeoutExpired:
            problems.append(f"system: {shown}: no answer within {COMMAND_TIMEOUT_S:.0f} s")
            continue
        except OSError as err:
            problems.append(f"system: {shown}: {err}")
            continue
        text = result.stdout
        if result.returncode != 0:
            problems.append(f"system: {shown} exited with status {result.returncode}")
            text += f"\n[exit status {result.returncode}]\n{result.stderr}"
        pieces.append(_Piece(f"system/{name}", f"Output of '{shown}'", text))

    for name, path_text in SYSTEM_FILES.get(os_name, ()):
        try:
            pieces.append(
                _Piece(f"system/{name}", f"Copy of {path_text}", _read_text(Path(path_text)))
            )
        except (OSError, ValueError) as err:
            problems.append(f"system: cannot read {path_text} ({err})")

    if platform is not None:
        network: dict[str, Any] = {}
        for key, getter in (
            ("routes", platform.routes),
            ("interfaces", platform.interfaces),
            ("dns_servers", platform.dns_servers),
        ):
            try:
                value = getter()
                network[key] = [v if isinstance(v, str) else v.to_dict() for v in value]
            except (VaclientError, OSError, subprocess.SubprocessError, ValueError) as err:
                problems.append(f"system: {key} could not be read ({err})")
        pieces.append(
            _Piece(
                "system/network.json",
                "Routes, interfaces and DNS servers as vaclient understood them",
                json.dumps(network, indent=2, ensure_ascii=False) + "\n",
            )
        )
    return pieces


def _collect_logs(settings: Settings, problems: list[str]) -> list[_Piece]:
    """vaclient's own log files and the Connectivity Client's log folders."""
    pieces = []
    own = log_dir()
    try:
        own_files = sorted(p for p in own.iterdir() if p.is_file() and not p.is_symlink())
    except OSError:
        own_files = []
        problems.append(f"logs: no vaclient log folder at {own}")
    for path in own_files:
        try:
            pieces.append(_Piece(f"logs/vaclient/{path.name}", "vaclient log", _read_text(path)))
        except (OSError, ValueError) as err:
            problems.append(f"logs: {path.name} left out ({err})")

    if not settings.client_log_dirs:
        problems.append(
            "logs: no Connectivity Client log folder configured (setting client_log_dirs)"
        )
    total = 0
    count = 0
    for index, folder_text in enumerate(settings.client_log_dirs, start=1):
        folder = Path(folder_text).expanduser()
        if not folder.is_dir():
            problems.append(f"logs: client log folder {folder} does not exist")
            continue
        for path in sorted(folder.rglob("*")):
            if not path.is_file() or path.is_symlink():
                continue
            if count >= MAX_CLIENT_LOG_FILES or total >= MAX_CLIENT_LOG_TOTAL:
                problems.append(f"logs: limit reached, later files in {folder} left out")
                break
            try:
                text = _read_text(path)
            except (OSError, ValueError) as err:
                problems.append(f"logs: {path.name} left out ({err})")
                continue
            total += len(text)
            count += 1
            rel = path.relative_to(folder).as_posix()
            pieces.append(_Piece(f"logs/client-{index}/{rel}", "Connectivity Client log", text))
    return pieces


def _load_saved_report(path: Path) -> Report:
    """Read a saved ``vaclient.report/1`` JSON file.

    Raises:
        UsageError: the file cannot be read or is not a vaclient report.
    """
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(raw, dict):
            raise ValueError("the file holds no JSON object")
        return Report.from_dict(raw)
    except OSError as err:
        raise UsageError(f"{path}: cannot read the report ({err.strerror})") from err
    except (ValueError, KeyError, TypeError) as err:
        raise UsageError(
            f"{path}: not a vaclient report ({err})",
            "Give a file written by 'vaclient doctor --json > FILE'.",
        ) from err


def _default_doctor(options: BundleOptions) -> Report:
    """Run the diagnosis for the bundle's configuration folder and endpoints."""
    from vaclient.checks.doctor import DoctorOptions, run_doctor

    return run_doctor(DoctorOptions(config_dir=options.config_dir, endpoints=options.endpoints))


def _collect_report(
    options: BundleOptions, doctor: DoctorFunc | None, problems: list[str]
) -> Report | None:
    if options.report_path is not None:
        return _load_saved_report(options.report_path)
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


# --- planning and writing ------------------------------------------------


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
    os_name = options.os_name or current_os()
    settings = options.settings if options.settings is not None else load_settings()
    runner = runner or (platform.runner if platform is not None else CommandRunner())

    # Configurations first: they teach the scrubber the secret values.
    config_dir = client_config_dir(options.config_dir)
    pieces = _collect_configs(config_dir, scrubber, problems)
    report = _collect_report(options, doctor, problems)
    pieces += _collect_system(os_name, runner, platform, problems)
    pieces += _collect_logs(settings, problems)
    try:
        pieces.append(
            _Piece("vaclient/settings.json", "vaclient settings", _read_text(settings_path()))
        )
    except (OSError, ValueError):
        logger.info("no settings file to include")
    report_text = (
        json.dumps(report.to_dict(), indent=2, ensure_ascii=False) + "\n" if report else None
    )

    # Scrub every text, then anonymise after seeing all of them.
    for piece in pieces:
        piece.text = scrubber.scrub(piece.text)
    if report_text is not None:
        report_text = scrubber.scrub(report_text)
    anonymizer: Anonymizer | None = None
    if options.anonymize:
        users, hosts = _os_identities()
        anonymizer = Anonymizer(
            users=[*users, *options.extra_users], hosts=[*hosts, *options.extra_hosts]
        )
        for text in [p.text for p in pieces] + [report_text or ""] + problems:
            anonymizer.observe(text)
        for piece in pieces:
            piece.text = anonymizer.anonymize(piece.text)
            piece.name = anonymizer.anonymize(piece.name)
        if report_text is not None:
            report_text = anonymizer.anonymize(report_text)
        problems = [anonymizer.anonymize(p) for p in problems]
    else:
        problems = [scrubber.scrub(p) for p in problems]

    # The report goes first, as JSON and as the HTML page rendered from the same data.
    if report_text is not None:
        shown = Report.from_dict(json.loads(report_text))
        pieces[:0] = [
            _Piece("report.json", "Diagnosis report (JSON)", report_text),
            _Piece("report.html", "Diagnosis report (open in a browser)", render_html(shown)),
        ]

    contents: dict[str, bytes] = {}
    files: list[tuple[str, str, int]] = []
    for piece in pieces:
        name = piece.name
        while name in contents:
            name = f"{name}.dup"
        data = piece.text.encode("utf-8")
        contents[name] = data
        files.append((name, piece.description, len(data)))
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
