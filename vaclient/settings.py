"""The per-user settings file shared by the doctor, the tray and the helpdesk tools.

A small JSON file (``settings.json`` in the per-user config folder). Unknown
keys are kept on save so that newer versions' settings survive an older
vaclient. A broken file is reported, not silently replaced: the caller gets
a :class:`~vaclient.errors.UsageError` naming the file and the problem.
"""

from __future__ import annotations

import json
import logging
from dataclasses import asdict, dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from vaclient.errors import UsageError
from vaclient.fileio import read_limited, read_problem, write_atomic
from vaclient.paths import settings_dir

logger = logging.getLogger(__name__)

SETTINGS_FILE = "settings.json"
DEFAULT_CHECK_INTERVAL_S = 300
MIN_CHECK_INTERVAL_S = 15
#: A settings file is a few hundred bytes; more is not one.
MAX_SETTINGS_BYTES = 1024 * 1024


@dataclass(frozen=True)
class Endpoint:
    """A server the user wants to reach: a name for people, a host and a TCP port."""

    host: str
    port: int
    name: str = ""

    @property
    def target(self) -> str:
        """``HOST:PORT`` (IPv6 literals in brackets), as reports show it."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{host}:{self.port}"

    @classmethod
    def parse(cls, text: str, name: str = "") -> Endpoint:
        """Parse ``HOST:PORT`` or ``[V6ADDR]:PORT``.

        Raises:
            UsageError: the text is not HOST:PORT with a port from 1 to 65535.
        """
        text = text.strip()
        host, sep, port_text = text.rpartition(":")
        if host.startswith("[") and host.endswith("]"):
            host = host[1:-1]
        if not sep or not host or not port_text.isdigit() or not 0 < int(port_text) < 65536:
            raise UsageError(
                f"endpoint {text!r}: expected HOST:PORT with a port from 1 to 65535",
                "Write it like app.example.com:22 (or [2001:db8::10]:22 for an address).",
            )
        return cls(host=host, port=int(port_text), name=name)


@dataclass(frozen=True)
class Settings:
    """Everything a user or administrator can set."""

    endpoints: tuple[Endpoint, ...] = ()
    check_interval_s: int = DEFAULT_CHECK_INTERVAL_S
    language: str = ""  # empty: follow the system locale
    start_at_login: bool = False
    tunnel_interface: str = ""  # empty: detect
    client_path: str = ""  # empty: the OS default location
    #: The client's process names (or patterns), looked for in addition to the
    #: unverified defaults: AWS does not document them.
    client_processes: tuple[str, ...] = ()
    extra_vpn_processes: tuple[str, ...] = ()
    client_log_dirs: tuple[str, ...] = ()
    upload_url: str = ""
    extra: dict[str, Any] = field(default_factory=dict)
    #: Fields set by an administrator's policy (see vaclient.managed); never saved.
    managed: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """JSON form, unknown keys from the file merged back in."""
        data = asdict(self)
        extra = data.pop("extra")
        data.pop("managed")
        data["endpoints"] = [asdict(e) for e in self.endpoints]
        data["client_processes"] = list(self.client_processes)
        data["extra_vpn_processes"] = list(self.extra_vpn_processes)
        data["client_log_dirs"] = list(self.client_log_dirs)
        return {**extra, **data}

    @classmethod
    def from_dict(cls, raw: dict[str, Any], source: str = SETTINGS_FILE) -> Settings:
        """Build settings from JSON, keeping unknown keys in ``extra``.

        Raises:
            UsageError: a known key has the wrong type.
        """
        known = {f.name for f in fields(cls)} - {"extra", "managed"}
        try:
            endpoints = tuple(
                Endpoint(host=str(e["host"]), port=int(e["port"]), name=str(e.get("name", "")))
                for e in raw.get("endpoints", [])
            )
            interval = max(
                MIN_CHECK_INTERVAL_S,
                int(raw.get("check_interval_s", DEFAULT_CHECK_INTERVAL_S)),
            )
            return cls(
                endpoints=endpoints,
                check_interval_s=interval,
                language=str(raw.get("language", "")),
                start_at_login=bool(raw.get("start_at_login", False)),
                tunnel_interface=str(raw.get("tunnel_interface", "")),
                client_path=str(raw.get("client_path", "")),
                client_processes=_strings(raw.get("client_processes", [])),
                extra_vpn_processes=tuple(str(p) for p in raw.get("extra_vpn_processes", [])),
                client_log_dirs=tuple(str(p) for p in raw.get("client_log_dirs", [])),
                upload_url=str(raw.get("upload_url", "")),
                extra={k: v for k, v in raw.items() if k not in known},
            )
        except (KeyError, TypeError, ValueError, AttributeError) as err:
            raise UsageError(
                f"{source}: the settings file is not valid ({err})",
                f"Fix or delete {source}; vaclient starts with defaults without it.",
            ) from err


def _strings(value: Any) -> tuple[str, ...]:
    """A JSON list of names as a tuple of strings.

    Raises:
        TypeError: the value is not a list (a single string would otherwise
            turn into one name per character).
    """
    if not isinstance(value, list):
        raise TypeError(f"expected a list of strings, not {type(value).__name__}")
    return tuple(str(item) for item in value)


def settings_path() -> Path:
    """Where the settings file lives."""
    return settings_dir() / SETTINGS_FILE


def load_settings(path: Path | None = None) -> Settings:
    """Read the settings file; defaults when it does not exist.

    Raises:
        UsageError: the file exists but is not valid JSON settings.
    """
    path = path or settings_path()
    fix = f"Fix or delete {path}; vaclient starts with defaults without it."
    try:
        data = read_limited(path, MAX_SETTINGS_BYTES)
    except FileNotFoundError:
        return Settings()
    except OSError as err:
        problem = read_problem(err)
        raise UsageError(f"{path}: cannot read the settings file ({problem})", fix) from err
    if len(data) > MAX_SETTINGS_BYTES:
        raise UsageError(f"{path}: the settings file is larger than 1 MiB", fix)
    try:
        raw = json.loads(data.decode("utf-8-sig"))  # Notepad may add a BOM
    except UnicodeDecodeError as err:
        raise UsageError(f"{path}: the settings file is not UTF-8 text", fix) from err
    except json.JSONDecodeError as err:
        raise UsageError(
            f"{path}: the settings file is not valid JSON (line {err.lineno})", fix
        ) from err
    except RecursionError as err:
        raise UsageError(f"{path}: the settings file's JSON is nested too deeply", fix) from err
    if not isinstance(raw, dict):
        raise UsageError(f"{path}: the settings file must hold a JSON object", fix)
    return Settings.from_dict(raw, str(path))


def effective_settings(path: Path | None = None) -> Settings:
    """The user's settings with the administrator's policy applied on top."""
    from vaclient.managed import apply_policy, load_policy

    return apply_policy(load_settings(path), load_policy())


def save_settings(settings: Settings, path: Path | None = None) -> Path:
    """Write the settings atomically (temporary file, fsync, rename)."""
    path = path or settings_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    if settings.managed:
        logger.info("not saving managed fields %s", ", ".join(settings.managed))
        current = load_settings(path) if path.exists() else Settings()
        settings = replace(settings, **{name: getattr(current, name) for name in settings.managed})
    payload = json.dumps(settings.to_dict(), indent=2, ensure_ascii=False) + "\n"
    write_atomic(path, payload, prefix=".settings-")
    logger.info("settings saved to %s", path)
    return path
