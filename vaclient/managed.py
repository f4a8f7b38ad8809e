"""Settings pushed by administrators (MDM, Group Policy), which override the user's.

Where administrators put them:

* Windows: values under ``HKLM\\SOFTWARE\\Policies\\vaclient`` (the installer
  documents them; Group Policy or Intune writes them).
* macOS: the configuration-profile preference domain :data:`MACOS_DOMAIN`,
  which macOS materialises as ``/Library/Managed Preferences/<domain>.plist``.
* Linux: ``/etc/vaclient/policy.json``.

Recognised keys (same names everywhere): ``Endpoints`` (a list of
``HOST:PORT`` or ``NAME=HOST:PORT`` strings; on Windows a REG_MULTI_SZ),
``UploadUrl``, ``CheckIntervalSeconds``, ``TunnelInterface``, ``ClientPath``,
``ClientProcesses`` (a list of the Connectivity Client's process names or
shell patterns, looked for in addition to vaclient's unverified defaults; on
Windows a REG_MULTI_SZ).
Unknown keys are ignored with a log line; a value of the wrong type is
ignored with a warning, never fatal, so a bad policy cannot lock a user out
of diagnostics.
"""

from __future__ import annotations

import json
import logging
import plistlib
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from vaclient.errors import UsageError
from vaclient.paths import current_os
from vaclient.settings import Endpoint, Settings

logger = logging.getLogger(__name__)

WINDOWS_POLICY_KEY = r"SOFTWARE\Policies\vaclient"
MACOS_DOMAIN = "org.vaclient.vaclient"
MACOS_MANAGED_PLIST = Path("/Library/Managed Preferences") / f"{MACOS_DOMAIN}.plist"
LINUX_POLICY_FILE = Path("/etc/vaclient/policy.json")

#: Policy key -> Settings field it overrides.
POLICY_FIELDS = {
    "Endpoints": "endpoints",
    "UploadUrl": "upload_url",
    "CheckIntervalSeconds": "check_interval_s",
    "TunnelInterface": "tunnel_interface",
    "ClientPath": "client_path",
    "ClientProcesses": "client_processes",
}


@dataclass(frozen=True)
class Policy:
    """Managed values as read, and where they came from (for display)."""

    values: Mapping[str, Any]
    source: str = ""


def read_windows_policy(
    read_values: Callable[[str], Mapping[str, Any]] | None = None,
) -> Policy:
    """Read the policy key from HKLM; ``read_values`` replaces the registry in tests."""
    reader = read_values or _winreg_values
    try:
        values = reader(WINDOWS_POLICY_KEY)
    except OSError:
        return Policy({}, "")
    return Policy(dict(values), f"HKLM\\{WINDOWS_POLICY_KEY}")


def _winreg_values(key_path: str) -> dict[str, Any]:
    """Every value of an HKLM key (64-bit view) as a dict; OSError when missing."""
    if sys.platform != "win32":
        raise OSError("the registry exists only on Windows")
    import winreg

    values: dict[str, Any] = {}
    access = winreg.KEY_READ | winreg.KEY_WOW64_64KEY
    with winreg.OpenKey(winreg.HKEY_LOCAL_MACHINE, key_path, 0, access) as key:
        index = 0
        while True:
            try:
                name, value, _type = winreg.EnumValue(key, index)
            except OSError:
                break
            values[name] = value
            index += 1
    return values


def read_plist_policy(path: Path = MACOS_MANAGED_PLIST) -> Policy:
    """Read a managed-preferences plist (macOS)."""
    try:
        with path.open("rb") as handle:
            values = plistlib.load(handle)
    except FileNotFoundError:
        return Policy({}, "")
    except (OSError, plistlib.InvalidFileException, ValueError) as err:
        logger.warning("ignoring unreadable managed preferences %s: %s", path, err)
        return Policy({}, "")
    return Policy(values if isinstance(values, dict) else {}, str(path))


def read_json_policy(path: Path = LINUX_POLICY_FILE) -> Policy:
    """Read a JSON policy file (Linux)."""
    try:
        values = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return Policy({}, "")
    except (OSError, ValueError) as err:
        logger.warning("ignoring unreadable policy file %s: %s", path, err)
        return Policy({}, "")
    return Policy(values if isinstance(values, dict) else {}, str(path))


def load_policy() -> Policy:
    """The administrator's policy for this OS (empty when none is set)."""
    os_name = current_os()
    if os_name == "windows":
        policy = read_windows_policy()
    elif os_name == "macos":
        policy = read_plist_policy()
    else:
        policy = read_json_policy()
    if policy.values:
        logger.info("managed settings from %s: %s", policy.source, sorted(policy.values))
    return policy


def _endpoints(value: Any) -> tuple[Endpoint, ...]:
    """Policy endpoints: a list (or newline-separated text) of [NAME=]HOST:PORT."""
    items = value.splitlines() if isinstance(value, str) else value
    if not isinstance(items, list | tuple):
        raise TypeError("expected a list of HOST:PORT strings")
    endpoints = []
    for item in items:
        text = str(item).strip()
        if not text:
            continue
        name, sep, target = text.partition("=")
        endpoints.append(Endpoint.parse(target, name) if sep else Endpoint.parse(text))
    return tuple(endpoints)


def _strings(value: Any) -> tuple[str, ...]:
    """Policy names: a list (or newline-separated text) of strings, blanks dropped.

    Raises:
        TypeError: the value is neither text nor a list of strings.
    """
    items = value.splitlines() if isinstance(value, str) else value
    if not isinstance(items, list | tuple) or not all(isinstance(i, str) for i in items):
        raise TypeError("expected a list of strings")
    return tuple(text for text in (item.strip() for item in items) if text)


def _coerce(key: str, value: Any) -> Any:
    """Turn a policy value into the Settings field's type; raises on a bad value."""
    if key == "Endpoints":
        return _endpoints(value)
    if key == "ClientProcesses":
        return _strings(value)
    if key == "CheckIntervalSeconds":
        if isinstance(value, bool):
            raise TypeError("expected a number of seconds")
        return max(15, int(value))
    if not isinstance(value, str):
        raise TypeError("expected a string")
    return value


def apply_policy(settings: Settings, policy: Policy) -> Settings:
    """Settings with the policy's values in force and ``managed`` naming them."""
    overrides: dict[str, Any] = {}
    for key, value in policy.values.items():
        field_name = POLICY_FIELDS.get(key)
        if field_name is None:
            logger.info("ignoring unknown policy key %r", key)
            continue
        try:
            overrides[field_name] = _coerce(key, value)
        except (TypeError, ValueError, UsageError) as err:
            logger.warning("ignoring policy value %s from %s: %s", key, policy.source, err)
    if not overrides:
        return settings
    managed = tuple(sorted(set(settings.managed) | set(overrides)))
    return replace(settings, **overrides, managed=managed)
