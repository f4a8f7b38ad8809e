"""Find running processes by name: the Connectivity Client and conflicting VPN clients.

Names are compared without case and without a trailing ``.exe``, against
both the process name and the executable's file name, and may be shell
patterns (``ZSA*``). Processes that vanish or refuse inspection while the
list is read are skipped, so the answer never fails for a busy machine.

The Connectivity Client's own process names are not documented by AWS:
:data:`DEFAULT_CLIENT_PROCESS_NAMES` holds unverified guesses, and callers
should pass the names from the settings when an administrator has set them.
The VPN catalogue is data (``resources/vpn_clients.json``); entries marked
``"verified": false`` are best guesses too.

On Linux there is no Connectivity Client, so the doctor does not run the
conflicting-VPN check there (the namespace lab runs OpenVPN on purpose); the
functions still work on Linux for the tests, with an explicit ``os_name``.
"""

from __future__ import annotations

import fnmatch
import functools
import json
import logging
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psutil

from vaclient.errors import UsageError
from vaclient.paths import current_os
from vaclient.resources import resource_path

logger = logging.getLogger(__name__)

VPN_CLIENTS_FILE = "vpn_clients.json"

#: Unverified guesses: AWS does not document the client's process names.
DEFAULT_CLIENT_PROCESS_NAMES: dict[str, tuple[str, ...]] = {
    "windows": ("Connectivity Client.exe", "ConnectivityClient.exe"),
    "macos": ("Connectivity Client", "ConnectivityClient"),
}

#: Processes whose executable lies in a folder with one of these names belong
#: to the Connectivity Client (its tunnel is OpenVPN-based) and never conflict.
CLIENT_FOLDER_NAMES = ("Connectivity Client",)

ProcessIter = Callable[[], Iterator[psutil.Process]]


@dataclass(frozen=True)
class ProcessMatch:
    """A running process whose name or executable matched a wanted name.

    Attributes:
        pid: the process ID.
        name: the process name as the OS reports it.
        exe: the executable's full path; empty when the OS refused to tell.
        matched: the wanted name (or pattern) that matched.
    """

    pid: int
    name: str
    exe: str
    matched: str


@dataclass(frozen=True)
class VpnMatch:
    """A running process of a VPN product that conflicts with the client."""

    product: str
    process: ProcessMatch
    verified: bool


def _normalise(name: str) -> str:
    """Lower-case and drop a trailing ``.exe``: ``VPNAgent.EXE`` -> ``vpnagent``."""
    name = name.strip().lower()
    return name[:-4] if name.endswith(".exe") else name


def _default_iter() -> Iterator[psutil.Process]:
    procs: Iterator[psutil.Process] = psutil.process_iter(["pid", "name", "exe"], ad_value=None)
    return procs


def find_processes(
    names: Iterable[str], *, process_iter: ProcessIter = _default_iter
) -> list[ProcessMatch]:
    """Every running process whose name or executable file name matches one of ``names``.

    Args:
        names: process names or shell patterns, e.g. ``["vpnagent.exe", "ZSA*"]``.
        process_iter: the process source (tests may narrow it).

    Returns:
        One match per process, in the order the OS lists them.
    """
    wanted = [(n, _normalise(n)) for n in names if n.strip()]
    if not wanted:
        return []

    matches: list[ProcessMatch] = []
    for proc in process_iter():
        try:
            info: dict[str, Any] = getattr(proc, "info", None) or proc.as_dict(
                ["pid", "name", "exe"], ad_value=None
            )
        except (psutil.NoSuchProcess, psutil.AccessDenied, psutil.ZombieProcess):
            continue
        name = str(info.get("name") or "")
        exe = str(info.get("exe") or "")
        candidates = {_normalise(name), _normalise(Path(exe).name if exe else "")} - {""}
        for original, pattern in wanted:
            if any(fnmatch.fnmatchcase(c, pattern) for c in candidates):
                matches.append(ProcessMatch(int(info["pid"]), name, exe, original))
                break

    logger.debug("processes matching %s: %s", [w[0] for w in wanted], matches)
    return matches


def client_running(
    patterns: Iterable[str] | None = None,
    *,
    os_name: str | None = None,
    process_iter: ProcessIter = _default_iter,
) -> ProcessMatch | None:
    """The first running Connectivity Client process, or None.

    Args:
        patterns: process names from the settings; the unverified
            :data:`DEFAULT_CLIENT_PROCESS_NAMES` for ``os_name`` when None.
        os_name: ``windows`` or ``macos``; the running OS by default.
        process_iter: the process source (tests may narrow it).
    """
    if patterns is None:
        patterns = DEFAULT_CLIENT_PROCESS_NAMES.get(os_name or current_os(), ())
        logger.info("looking for the client under guessed process names %s", patterns)
    found = find_processes(patterns, process_iter=process_iter)
    return found[0] if found else None


@functools.lru_cache(maxsize=4)
def load_vpn_catalogue(path: Path | None = None) -> tuple[dict[str, Any], ...]:
    """The conflicting-VPN catalogue: ``product``, ``verified``, ``processes`` per OS.

    Raises:
        UsageError: the file is missing or not in the expected shape.
    """
    path = path or resource_path(VPN_CLIENTS_FILE)
    try:
        clients = json.loads(path.read_text(encoding="utf-8"))["clients"]
        for client in clients:
            if not isinstance(client["product"], str) or not isinstance(client["processes"], dict):
                raise TypeError("each client needs a product name and a processes object")
    except (OSError, ValueError, KeyError, TypeError) as err:
        raise UsageError(
            f"{path}: the list of VPN clients cannot be read ({err})",
            "Reinstall vaclient, or fix the file (see resources/vpn_clients.json).",
        ) from err
    return tuple(clients)


def _in_client_folder(exe: str) -> bool:
    parts = {p.lower() for p in Path(exe.replace("\\", "/")).parts[:-1]}
    return any(folder.lower() in parts for folder in CLIENT_FOLDER_NAMES)


def conflicting_vpns(
    extra_names: Iterable[str] = (),
    *,
    os_name: str | None = None,
    catalogue: Path | None = None,
    process_iter: ProcessIter = _default_iter,
) -> list[VpnMatch]:
    """Running processes of VPN clients known to break the Connectivity Client.

    Args:
        extra_names: more process names from the settings; reported under
            their own name as the product.
        os_name: whose process names to use (``windows``, ``macos``); the
            running OS by default. The catalogue has no Linux names.
        catalogue: another catalogue file of the same shape.
        process_iter: the process source (tests may narrow it).

    Returns:
        One entry per matching process; processes under a folder named
        like the Connectivity Client's are left out.
    """
    os_name = os_name or current_os()
    owners: dict[str, tuple[str, bool]] = {}
    for client in load_vpn_catalogue(catalogue):
        for name in client["processes"].get(os_name, []):
            owners.setdefault(name, (client["product"], bool(client.get("verified", False))))
    for name in extra_names:
        owners.setdefault(name, (name, True))

    found: list[VpnMatch] = []
    for match in find_processes(owners, process_iter=process_iter):
        if match.exe and _in_client_folder(match.exe):
            logger.info("ignoring %s (pid %d): part of the client", match.exe, match.pid)
            continue
        product, verified = owners[match.matched]
        found.append(VpnMatch(product, match, verified))

    if found:
        logger.info("conflicting VPN processes: %s", [(m.product, m.process.pid) for m in found])
    return found
