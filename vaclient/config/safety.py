"""Is the destination folder safe to install a ClientConfig into?

A ClientConfig decides where the Connectivity Client sends the user to sign
in and which networks it tunnels, so whoever can change the file can send the
user to a phishing page. The folder and the file must therefore be changeable
by administrators only:

- neither may be a symbolic link (or, on Windows, a junction or other
  reparse point): a link lets its owner redirect the write;
- on POSIX the owner must be root (or, when vaclient itself runs without
  privileges, the user running it, so a private ``--config-dir`` works), and
  neither may be writable by group or others; the folder's parents must not
  be writable by others either, unless sticky (like ``/tmp``);
- on Windows the owner must be Administrators, SYSTEM or TrustedInstaller and
  no allow entry of the access list may give anyone else write access.

The checks run on the *open* handle (``fstat``) where the OS allows it, so
the folder checked is the folder written. The OS calls sit behind small
adapters (:class:`Privileges`, :class:`WindowsSecurityReader`) so that the
policy is tested with fakes on any OS.
"""

from __future__ import annotations

import logging
import os
import stat
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from vaclient.config.atomic import DirHandle
from vaclient.errors import UnsafeDestination

logger = logging.getLogger(__name__)

SID_SYSTEM = "S-1-5-18"
SID_ADMINISTRATORS = "S-1-5-32-544"
SID_TRUSTED_INSTALLER = "S-1-5-80-956008885-3418522649-1831038044-1853292631-2271478464"
SID_CREATOR_OWNER = "S-1-3-0"
SID_OWNER_RIGHTS = "S-1-3-4"
_TRUSTED_OWNERS = frozenset({SID_SYSTEM, SID_ADMINISTRATORS, SID_TRUSTED_INSTALLER})
#: ACE trustees that stand for the (already checked) owner.
_OWNER_ALIASES = frozenset({SID_CREATOR_OWNER, SID_OWNER_RIGHTS})

ACCESS_ALLOWED_ACE_TYPE = 0
ACCESS_ALLOWED_CALLBACK_ACE_TYPE = 9
INHERIT_ONLY_ACE = 0x08
#: Rights that let a trustee change a file or a folder's entries: write/add
#: file, append/add sub-folder, delete child, DELETE, WRITE_DAC, WRITE_OWNER,
#: GENERIC_ALL, GENERIC_WRITE.
WRITE_RIGHTS = 0x2 | 0x4 | 0x40 | 0x10000 | 0x40000 | 0x80000 | 0x10000000 | 0x40000000
FILE_ATTRIBUTE_REPARSE_POINT = 0x400


# --- privileges ----------------------------------------------------------------


def _is_privileged() -> bool:
    """True when running as root (POSIX) or with an administrator token (Windows)."""
    if sys.platform.startswith("win"):
        import ctypes

        try:
            return bool(ctypes.windll.shell32.IsUserAnAdmin())  # type: ignore[attr-defined]  # Windows only
        except (AttributeError, OSError):
            return False
    return os.geteuid() == 0


def _can_write(folder: Path) -> bool:
    """Whether this process may create files in ``folder`` (or create it).

    On Windows ``os.access`` ignores access lists, so only an administrator
    token counts as able to write the client's folder.
    """
    if sys.platform.startswith("win"):
        return _is_privileged()
    probe = folder
    while not probe.exists() and probe.parent != probe:
        probe = probe.parent
    return os.access(probe, os.W_OK | os.X_OK)


@dataclass(frozen=True)
class Privileges:
    """The two questions that decide whether to write directly or elevate.

    Injectable because tests run as root, where every folder is writable.

    Attributes:
        is_privileged: True when this process is root / an administrator.
        can_write: whether this process may create files in a folder.
    """

    is_privileged: Callable[[], bool] = field(default=_is_privileged)
    can_write: Callable[[Path], bool] = field(default=_can_write)


def system_privileges() -> Privileges:
    """The real answers for this process."""
    return Privileges()


# --- POSIX policy ----------------------------------------------------------------


def _owner_name(uid: int) -> str:
    try:
        import pwd

        return f"uid {uid} ({pwd.getpwuid(uid).pw_name})"
    except (ImportError, KeyError):
        return f"uid {uid}"


def allowed_owners(privileged: bool) -> frozenset[int]:
    """Owners accepted for the folder and file: root, plus ourselves when unprivileged."""
    if privileged or not hasattr(os, "geteuid"):
        return frozenset({0})
    return frozenset({0, os.geteuid()})


def check_posix(
    st: os.stat_result, path: Path, what: str, *, owners: frozenset[int], parent: bool = False
) -> None:
    """Refuse a POSIX entry that is a link, has a foreign owner or is writable by others.

    Args:
        st: the entry's ``lstat``/``fstat`` result.
        path: the entry's path, for the message.
        what: ``folder``, ``file`` or ``parent folder``.
        owners: the accepted owner uids.
        parent: an ancestor of the destination; sticky folders (``/tmp``) are
            then accepted even when writable by others.

    Raises:
        UnsafeDestination: naming the entry and the problem.
    """
    subject = (
        f"refusing to replace {path}: the file"
        if what == "file"
        else f"refusing to install into {path}: the {what}"
    )
    if stat.S_ISLNK(st.st_mode):
        raise UnsafeDestination(
            f"{subject} is a symbolic link",
            "Use the real folder, not a link to it; an administrator should remove the link.",
        )
    if st.st_uid not in owners:
        raise UnsafeDestination(
            f"{subject} is owned by {_owner_name(st.st_uid)}, not by root",
            f"An administrator should check it and run: chown root {_shell(path)}",
        )
    writable = st.st_mode & (stat.S_IWGRP | stat.S_IWOTH)
    if writable and not (parent and st.st_mode & stat.S_ISVTX and st.st_uid == 0):
        mode = stat.S_IMODE(st.st_mode)
        raise UnsafeDestination(
            f"{subject} is writable by group or others (mode {mode:04o})",
            f"An administrator should check its contents and run: chmod go-w {_shell(path)}",
        )


def _shell(path: Path) -> str:
    import shlex

    return shlex.quote(str(path))


# --- Windows policy --------------------------------------------------------------


@dataclass(frozen=True)
class Ace:
    """One entry of a Windows access list (only allow/deny entries matter here)."""

    ace_type: int
    flags: int
    mask: int
    sid: str


@dataclass(frozen=True)
class SecurityInfo:
    """What the Windows policy needs to know about a file or folder.

    Attributes:
        owner_sid: the owner as a string SID (``S-1-5-32-544``).
        aces: the DACL's entries; None for a NULL DACL (everyone has full access).
        reparse_point: the entry is a junction, symlink or other reparse point.
    """

    owner_sid: str
    aces: tuple[Ace, ...] | None
    reparse_point: bool


class WindowsSecurityReader(Protocol):
    """Reads a path's owner, access list and reparse flag (a thin OS adapter)."""

    def read(self, path: Path) -> SecurityInfo:
        """Describe ``path`` without following a reparse point."""
        ...


#: Names of the well-known SIDs that show up in a client folder's access list.
WELL_KNOWN_SIDS = {
    SID_SYSTEM: "SYSTEM",
    SID_ADMINISTRATORS: "BUILTIN\\Administrators",
    SID_TRUSTED_INSTALLER: "NT SERVICE\\TrustedInstaller",
    SID_CREATOR_OWNER: "CREATOR OWNER",
    SID_OWNER_RIGHTS: "OWNER RIGHTS",
    "S-1-5-32-545": "BUILTIN\\Users",
    "S-1-5-11": "Authenticated Users",
    "S-1-1-0": "Everyone",
    "S-1-5-4": "INTERACTIVE",
}


@dataclass(frozen=True)
class AclProblem:
    """One reason a non-administrator could change a Windows file or folder.

    Attributes:
        text: the problem as the end of a sentence about the entry
            (``gives write access to S-1-5-32-545 (access mask 0x00000006)``).
        hint: the repair an administrator can run.
        sid: the owner or trustee concerned, when there is one.
    """

    text: str
    hint: str
    sid: str | None = None


def windows_acl_problems(info: SecurityInfo, path: Path) -> list[AclProblem]:
    """Everything that lets a non-administrator change ``path``; empty when safe.

    The rules: not a reparse point; owned by SYSTEM, Administrators or
    TrustedInstaller; a DACL whose effective allow entries give write rights
    (:data:`WRITE_RIGHTS`) to nobody else. Deny entries and inherit-only
    entries do not count; CREATOR OWNER and OWNER RIGHTS stand for the
    owner, which is checked on its own.

    Example: ``C:\\ProgramData``'s inherited ACL includes
    ``Ace(0, 0x12, 0x6, "S-1-5-32-545")`` (Users may add files and
    folders), which gives one problem, ``gives write access to
    S-1-5-32-545 (access mask 0x00000006), the SID of BUILTIN\\Users``.
    """
    repair = f'An administrator should run: icacls "{path}" /inheritance:r /grant:r ' + (
        '"*S-1-5-32-544:F" "*S-1-5-18:F" "*S-1-5-32-545:RX"'
    )
    problems = []
    if info.reparse_point:
        problems.append(
            AclProblem(
                "is a junction or link (reparse point)",
                "An administrator should remove the link and create a real folder.",
            )
        )
    if info.owner_sid not in _TRUSTED_OWNERS:
        problems.append(
            AclProblem(
                f"is owned by {info.owner_sid}{_named(info.owner_sid)}, "
                "not by Administrators or SYSTEM",
                f'An administrator should run: icacls "{path}" /setowner *S-1-5-32-544',
                info.owner_sid,
            )
        )
    if info.aces is None:
        problems.append(AclProblem("has no access list (everyone may change it)", repair))
        return problems
    for ace in info.aces:
        if ace.ace_type not in (ACCESS_ALLOWED_ACE_TYPE, ACCESS_ALLOWED_CALLBACK_ACE_TYPE):
            continue
        if ace.flags & INHERIT_ONLY_ACE or not ace.mask & WRITE_RIGHTS:
            continue
        if ace.sid in _TRUSTED_OWNERS or ace.sid in _OWNER_ALIASES:
            continue
        problems.append(
            AclProblem(
                f"gives write access to {ace.sid} (access mask 0x{ace.mask:08x})"
                + _named(ace.sid),
                repair,
                ace.sid,
            )
        )
    return problems


def _named(sid: str) -> str:
    """``, the SID of BUILTIN\\Users`` for a well-known SID, else nothing."""
    name = WELL_KNOWN_SIDS.get(sid)
    return f", the SID of {name}" if name else ""


def check_windows(info: SecurityInfo, path: Path, what: str) -> None:
    """Refuse a Windows entry that non-administrators could change.

    Applies :func:`windows_acl_problems` and reports the first problem.

    Raises:
        UnsafeDestination: naming the entry, the owner or the trustee.
    """
    subject = (
        f"refusing to replace {path}: the file"
        if what == "file"
        else f"refusing to install into {path}: the {what}"
    )
    problems = windows_acl_problems(info, path)
    if problems:
        raise UnsafeDestination(f"{subject} {problems[0].text}", problems[0].hint)


class Win32SecurityReader:
    """The real :class:`WindowsSecurityReader`, through advapi32 (Windows only).

    TODO(config-install): verified against the Win32 documentation only; run
    the Windows test suite on a real machine before a release.
    """

    def read(self, path: Path) -> SecurityInfo:  # pragma: no cover - Windows only
        """Describe ``path`` with GetNamedSecurityInfoW and GetAce."""
        import ctypes
        from ctypes import wintypes

        advapi32 = ctypes.WinDLL("advapi32", use_last_error=True)  # type: ignore[attr-defined]  # Windows only
        kernel32 = ctypes.WinDLL("kernel32", use_last_error=True)  # type: ignore[attr-defined]  # Windows only

        attributes = getattr(os.lstat(path), "st_file_attributes", 0)
        reparse = bool(attributes & FILE_ATTRIBUTE_REPARSE_POINT)

        owner = ctypes.c_void_p()
        dacl = ctypes.c_void_p()
        descriptor = ctypes.c_void_p()
        advapi32.GetNamedSecurityInfoW.argtypes = [
            wintypes.LPCWSTR, ctypes.c_int, wintypes.DWORD,
            ctypes.POINTER(ctypes.c_void_p), ctypes.POINTER(ctypes.c_void_p),
            ctypes.POINTER(ctypes.c_void_p), ctypes.POINTER(ctypes.c_void_p),
            ctypes.POINTER(ctypes.c_void_p),
        ]  # fmt: skip
        advapi32.GetNamedSecurityInfoW.restype = wintypes.DWORD
        status = advapi32.GetNamedSecurityInfoW(
            str(path), 1, 0x1 | 0x4, ctypes.byref(owner), None, ctypes.byref(dacl), None,
            ctypes.byref(descriptor),
        )  # fmt: skip
        if status != 0:
            raise OSError(None, "GetNamedSecurityInfoW failed", str(path), status)
        try:
            owner_sid = _sid_string(advapi32, kernel32, owner.value)
            aces = _read_aces(advapi32, kernel32, dacl.value) if dacl.value else None
        finally:
            kernel32.LocalFree(descriptor)
        return SecurityInfo(owner_sid=owner_sid, aces=aces, reparse_point=reparse)


def _sid_string(advapi32: object, kernel32: object, sid: int | None) -> str:  # pragma: no cover
    import ctypes

    text = ctypes.c_wchar_p()
    if not advapi32.ConvertSidToStringSidW(ctypes.c_void_p(sid), ctypes.byref(text)):  # type: ignore[attr-defined]  # WinDLL
        raise ctypes.WinError(ctypes.get_last_error())  # type: ignore[attr-defined]  # Windows only
    try:
        return str(text.value)
    finally:
        kernel32.LocalFree(text)  # type: ignore[attr-defined]  # WinDLL


def _read_aces(
    advapi32: object, kernel32: object, acl: int
) -> tuple[Ace, ...]:  # pragma: no cover
    import ctypes
    from ctypes import wintypes

    class AclSizeInformation(ctypes.Structure):
        _fields_ = [  # ctypes declares fields as a class list
            ("AceCount", wintypes.DWORD),
            ("AclBytesInUse", wintypes.DWORD),
            ("AclBytesFree", wintypes.DWORD),
        ]

    info = AclSizeInformation()
    if not advapi32.GetAclInformation(  # type: ignore[attr-defined]  # WinDLL
        ctypes.c_void_p(acl), ctypes.byref(info), ctypes.sizeof(info), 2
    ):
        raise ctypes.WinError(ctypes.get_last_error())  # type: ignore[attr-defined]  # Windows only
    aces = []
    for index in range(info.AceCount):
        pointer = ctypes.c_void_p()
        if not advapi32.GetAce(ctypes.c_void_p(acl), index, ctypes.byref(pointer)):  # type: ignore[attr-defined]  # WinDLL
            raise ctypes.WinError(ctypes.get_last_error())  # type: ignore[attr-defined]  # Windows only
        base = int(pointer.value or 0)
        ace_type = ctypes.c_ubyte.from_address(base).value
        flags = ctypes.c_ubyte.from_address(base + 1).value
        if ace_type not in (0, 1, ACCESS_ALLOWED_CALLBACK_ACE_TYPE, 10):
            continue  # object ACEs are for directory objects, not files
        mask = wintypes.DWORD.from_address(base + 4).value
        sid = _sid_string(advapi32, kernel32, base + 8)
        aces.append(Ace(ace_type=ace_type, flags=flags, mask=mask, sid=sid))
    return tuple(aces)


# --- the checks on a destination ----------------------------------------------------


def check_folder(
    handle: DirHandle,
    *,
    privileged: bool,
    windows_reader: WindowsSecurityReader | None = None,
) -> None:
    """Check an opened destination folder and its parents.

    Args:
        handle: the folder, opened with :meth:`DirHandle.open` (not following
            a link at its last step).
        privileged: whether this process is root / an administrator.
        windows_reader: the Windows adapter (default: the real one on Windows;
            giving one also applies the Windows policy elsewhere, for tests).

    Raises:
        UnsafeDestination: the folder or a parent could be changed by a
            non-administrator.
    """
    if windows_reader is not None or sys.platform.startswith("win"):
        reader = windows_reader or Win32SecurityReader()
        check_windows(reader.read(handle.path), handle.path, "folder")
        return

    owners = allowed_owners(privileged)
    check_posix(handle.stat(), handle.path, "folder", owners=owners)
    for parent in Path(os.path.realpath(handle.path)).parents:
        what = f"parent folder {parent}"
        check_posix(parent.stat(), handle.path, what, owners=owners, parent=True)


def check_file(
    handle: DirHandle,
    name: str,
    st: os.stat_result,
    *,
    privileged: bool,
    windows_reader: WindowsSecurityReader | None = None,
) -> None:
    """Check an existing file in the destination folder before replacing it.

    Args:
        handle: the destination folder.
        name: the file's name in it.
        st: the file's ``lstat`` (or ``fstat`` of its open handle).
        privileged: whether this process is root / an administrator.
        windows_reader: the Windows adapter, as for :func:`check_folder`.

    Raises:
        UnsafeDestination: the file is a link or could be changed by a
            non-administrator.
    """
    path = handle.path / name
    if windows_reader is not None or sys.platform.startswith("win"):
        reader = windows_reader or Win32SecurityReader()
        check_windows(reader.read(path), path, "file")
        return
    check_posix(st, path, "file", owners=allowed_owners(privileged))
