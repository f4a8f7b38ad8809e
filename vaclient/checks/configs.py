"""Configuration checks: is a ClientConfig there, valid, and safe from tampering?

Without ``--config`` the doctor reads the files installed in the client's
folder (``ClientConfig-*.json``). Each file gets ``config.valid:<file>``
(its routes go into the check's data for the endpoint checks) and, when it
is an installed file, ``config.permissions:<file>``: the Connectivity Client
trusts whatever is in that folder, so a file or folder that a
non-administrator can write is a way to redirect the tunnel.

On POSIX the permissions check reads ``lstat``; on Windows it asks the
platform for the owner and access list (:meth:`Platform.file_security`) and
applies the same rules as installing
(:func:`vaclient.config.safety.windows_acl_problems`).
"""

from __future__ import annotations

import importlib
import logging
import os
import stat
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from vaclient.checks.model import Stage, Status
from vaclient.checks.runner import Outcome, Step, StepContext, fail, ok, skip
from vaclient.errors import ConfigError, PlatformUnsupported, VaclientError
from vaclient.paths import default_client_config_dir
from vaclient.platforms.base import Platform

if TYPE_CHECKING:
    from vaclient.config.safety import AclProblem

logger = logging.getLogger(__name__)

CONFIG_PRESENT = "config.present"
CONFIG_GLOB = "ClientConfig-*.json"

StepFn = Callable[[StepContext], Outcome]


@dataclass(frozen=True)
class ConfigSource:
    """One ClientConfig to check: its path, and whether it is an installed file."""

    path: Path
    installed: bool

    @property
    def valid_id(self) -> str:
        """Id of its validity check."""
        return f"config.valid:{self.path.name}"

    @property
    def permissions_id(self) -> str:
        """Id of its permissions check."""
        return f"config.permissions:{self.path.name}"


def installed_configs(config_dir: Path) -> list[Path]:
    """The ClientConfig files in ``config_dir``, sorted by name (empty if no folder).

    Uses the installer's listing when it is available (it opens the folder
    without following links); falls back to a plain glob.
    """
    try:
        install = importlib.import_module("vaclient.config.install")
    except ImportError:
        install = None
    list_installed = getattr(install, "list_installed", None)
    if callable(list_installed):
        try:
            entries = list_installed(config_dir)
            return sorted(
                Path(entry.path)
                for entry in entries
                if getattr(entry, "config", None) is not None
                or getattr(entry, "error", None) is not None
            )
        except (VaclientError, OSError, TypeError, AttributeError) as err:
            logger.info("listing %s failed (%s); globbing instead", config_dir, err)
    try:
        return sorted(p for p in config_dir.glob(CONFIG_GLOB) if not p.is_dir())
    except OSError as err:
        logger.info("cannot list %s: %s", config_dir, err)
        return []


def config_sources(explicit: Sequence[Path], config_dir: Path) -> list[ConfigSource]:
    """Explicit ``--config`` files if any, else the installed ones."""
    if explicit:
        return [ConfigSource(Path(p), installed=False) for p in explicit]
    return [ConfigSource(p, installed=True) for p in installed_configs(config_dir)]


def permission_problems(path: Path, machine_wide: bool) -> list[str]:
    """What makes ``path`` (a file or folder) changeable by a non-administrator.

    Checks, without following symbolic links: the entry is not a symlink,
    not writable by group or others, and (in the machine-wide folder)
    owned by root. Empty list: nothing wrong. POSIX only.
    """
    try:
        st = path.lstat()
    except OSError as err:
        return [f"{path}: cannot be inspected ({err.strerror})"]
    problems = []
    if stat.S_ISLNK(st.st_mode):
        problems.append(f"{path} is a symbolic link")
    if st.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
        who = " and ".join(
            w for w, bit in (("group", stat.S_IWGRP), ("others", stat.S_IWOTH)) if st.st_mode & bit
        )
        problems.append(f"{path} is writable by {who} (mode {stat.S_IMODE(st.st_mode):04o})")
    if machine_wide and st.st_uid != 0:
        problems.append(f"{path} is owned by uid {st.st_uid}, not root")
    return problems


def windows_permission_problems(platform: Platform, path: Path) -> list[AclProblem]:
    """What lets a non-administrator change ``path`` on Windows; empty when nothing.

    Reads the owner and access list through the platform and applies the
    installer's rules (:func:`~vaclient.config.safety.windows_acl_problems`).

    Raises:
        PlatformUnsupported: the platform cannot read access lists.
        OSError: the entry's access list cannot be read.
    """
    from vaclient.config.safety import windows_acl_problems

    return windows_acl_problems(platform.file_security(path), path)


def config_chains(
    sources: Sequence[ConfigSource],
    config_dir: Path,
    *,
    given: bool,
    platform: Platform | None = None,
) -> list[list[Step]]:
    """``config.present``, then per file validity and (installed files) permissions.

    Args:
        sources: the files to check.
        config_dir: the folder they were found in (named in messages).
        given: True when the files came from ``--config``.
        platform: the OS; on Windows it reads the access lists. None: a
            POSIX check with ``lstat``.
    """

    def present(_: StepContext) -> Outcome:
        names = [s.path.name for s in sources]
        if not sources:
            return fail(
                "config-missing",
                f"no ClientConfig is installed in {config_dir}",
                config_dir=str(config_dir),
            )
        where = "given" if given else f"installed in {config_dir}"
        return ok(f"{len(sources)} ClientConfig file(s) {where}", files=names)

    chains: list[list[Step]] = [
        [Step(CONFIG_PRESENT, "ClientConfig present", Stage.CONFIG, present)]
    ]
    machine_wide = _same_path(config_dir, default_client_config_dir())
    for source in sources:
        chain = [
            Step(
                source.valid_id,
                "ClientConfig valid",
                Stage.CONFIG,
                _validity(source.path),
            )
        ]
        if source.installed:
            chain.append(
                Step(
                    source.permissions_id,
                    "ClientConfig protected",
                    Stage.CONFIG,
                    _permissions(source.path, machine_wide, platform),
                )
            )
        chains.append(chain)
    return chains


def _same_path(a: Path, b: Path) -> bool:
    """Whether two folder paths name the same place (resolving symlinks)."""
    try:
        return os.path.realpath(a) == os.path.realpath(b)
    except OSError:
        return False


def _validity(path: Path) -> StepFn:
    """The validity check of one file."""

    def check(_: StepContext) -> Outcome:
        from vaclient.config.model import load_config

        try:
            cfg = load_config(path)
        except ConfigError as err:
            return fail(
                "config-invalid",
                err.message,
                file=str(path),
                json_path=err.json_path,
                problem=err.problem,
            )
        routes = list(cfg.routes)
        return ok(
            f"{path.name}: instance {cfg.instance_id} in {cfg.region}, routes {', '.join(routes)}",
            file=str(path),
            instance_id=cfg.instance_id,
            region=cfg.region,
            routes=routes,
            warnings=cfg.warnings(),
        )

    return check


def _permissions(path: Path, machine_wide: bool, platform: Platform | None) -> StepFn:
    """The permissions check of one installed file and its folder."""

    def check(_: StepContext) -> Outcome:
        if platform is not None and platform.name == "windows":
            return _windows_permissions(platform, path)
        problems = permission_problems(path.parent, machine_wide) + permission_problems(
            path, machine_wide
        )
        if problems:
            return fail("config-permissions", "; ".join(problems), problems=problems)
        return ok(f"{path.name} and its folder are writable only by their owner")

    return check


def _windows_permissions(platform: Platform, path: Path) -> Outcome:
    """The Windows form: owner and access list of the folder, then of the file."""
    found: list[tuple[Path, AclProblem]] = []
    for entry in (path.parent, path):
        try:
            found.extend((entry, p) for p in windows_permission_problems(platform, entry))
        except (PlatformUnsupported, OSError) as err:
            reason = err.message if isinstance(err, VaclientError) else _os_reason(err)
            logger.info("cannot read the access list of %s: %s", entry, reason)
            return skip(f"cannot read the access list of {entry}: {reason}", path=str(entry))

    if not found:
        return ok(
            f"{path.name} and its folder are owned by administrators and writable by nobody else"
        )
    problems = [f"{entry} {problem.text}" for entry, problem in found]
    sids = list(dict.fromkeys(p.sid for _, p in found if p.sid))
    return Outcome(
        Status.FAIL,
        "config-permissions",
        "; ".join(problems),
        {"problems": problems, "sids": sids},
        hint=found[0][1].hint,
    )


def _os_reason(err: OSError) -> str:
    """An OSError as a short reason: ``Access is denied``, ``... (error 1332)``."""
    winerror = getattr(err, "winerror", None)
    text = err.strerror or str(err) or type(err).__name__
    return f"{text} (error {winerror})" if winerror else text


def valid_routes(
    ctx: StepContext, sources: Sequence[ConfigSource]
) -> tuple[list[str], str | None]:
    """Route CIDRs of every valid ClientConfig, and the failure that explains none.

    Waits for the configuration checks. Returns the routes and, when there
    are none, the id of the check to name as ``blocked_by``.
    """
    present = ctx.wait(CONFIG_PRESENT)
    if present is None or present.status is Status.FAIL:
        return [], CONFIG_PRESENT
    routes: list[str] = []
    first_failure: str | None = None
    for source in sources:
        result = ctx.wait(source.valid_id)
        if result is None or result.status is not Status.OK:
            first_failure = first_failure or source.valid_id
            continue
        routes.extend(str(r) for r in result.data.get("routes", ()))
    if not routes:
        return [], first_failure or CONFIG_PRESENT
    return list(dict.fromkeys(routes)), None
