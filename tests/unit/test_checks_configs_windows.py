"""``config.permissions:<file>`` on Windows: owner and access list through the platform.

The access lists are what ``GetNamedSecurityInfoW`` reports for the
folders and files described in the comments (the ``icacls`` form next to
each entry); only the reader, the OS boundary, is replaced.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from vaclient.checks.configs import ConfigSource, config_chains
from vaclient.checks.model import CheckResult, Status
from vaclient.checks.runner import run_chains
from vaclient.config.safety import (
    SID_ADMINISTRATORS,
    SID_CREATOR_OWNER,
    SID_SYSTEM,
    Ace,
    SecurityInfo,
)
from vaclient.errors import PlatformUnsupported
from vaclient.platforms.base import Platform
from vaclient.platforms.windows import WindowsPlatform
from vaclient.platforms.winreg_adapter import DictRegistry

USERS = "S-1-5-32-545"
USER = "S-1-5-21-3623811015-3361044348-30300820-1013"
FULL = 0x001F01FF
READ_EXECUTE = 0x001200A9
INHERITED, OBJECT_INHERIT, CONTAINER_INHERIT, INHERIT_ONLY = 0x10, 0x01, 0x02, 0x08
OI_CI = OBJECT_INHERIT | CONTAINER_INHERIT

# A folder an administrator created under C:\ProgramData, inheriting its ACL:
#   NT AUTHORITY\SYSTEM:(I)(OI)(CI)(F)   BUILTIN\Administrators:(I)(OI)(CI)(F)
#   CREATOR OWNER:(I)(OI)(CI)(IO)(F)     BUILTIN\Users:(I)(OI)(CI)(RX)
#   BUILTIN\Users:(I)(CI)(WD,AD,WEA,WA)   <- users may create files and folders
PROGRAMDATA_FOLDER = SecurityInfo(
    owner_sid=SID_ADMINISTRATORS,
    aces=(
        Ace(0, INHERITED | OI_CI, FULL, SID_SYSTEM),
        Ace(0, INHERITED | OI_CI, FULL, SID_ADMINISTRATORS),
        Ace(0, INHERITED | OI_CI | INHERIT_ONLY, 0x10000000, SID_CREATOR_OWNER),
        Ace(0, INHERITED | OI_CI, READ_EXECUTE, USERS),
        Ace(0, INHERITED | CONTAINER_INHERIT, 0x00000116, USERS),
    ),
    reparse_point=False,
)
# What `vaclient config install` leaves: a protected ACL (SDDL D:P...).
#   NT AUTHORITY\SYSTEM:(OI)(CI)(F)  BUILTIN\Administrators:(OI)(CI)(F)  BUILTIN\Users:(OI)(CI)(RX)
PROTECTED_FOLDER = SecurityInfo(
    owner_sid=SID_ADMINISTRATORS,
    aces=(
        Ace(0, OI_CI, FULL, SID_SYSTEM),
        Ace(0, OI_CI, FULL, SID_ADMINISTRATORS),
        Ace(0, OI_CI, READ_EXECUTE, USERS),
    ),
    reparse_point=False,
)
# A ClientConfig in the protected folder: SYSTEM:(I)(F) Administrators:(I)(F) Users:(I)(RX)
FILE_ACES = (
    Ace(0, INHERITED, FULL, SID_SYSTEM),
    Ace(0, INHERITED, FULL, SID_ADMINISTRATORS),
    Ace(0, INHERITED, READ_EXECUTE, USERS),
)
PROTECTED_FILE = SecurityInfo(owner_sid=SID_ADMINISTRATORS, aces=FILE_ACES, reparse_point=False)
# The same file, copied in by a standard user who then owns it; CREATOR OWNER
# was instantiated as a full-control entry for that user: <user>:(I)(F).
USER_OWNED_FILE = SecurityInfo(
    owner_sid=USER,
    aces=(*FILE_ACES, Ace(0, INHERITED, FULL, USER)),
    reparse_point=False,
)

FOLDER = Path(r"C:\ProgramData\Connectivity Client")
NAME = "ClientConfig-vai-0123456789abcdef0.json"


class RecordedReader:
    """Answers from recorded security descriptors; an exception is raised as read."""

    def __init__(self, answers: dict[Path, SecurityInfo | OSError]) -> None:
        self.answers = answers
        self.asked: list[Path] = []

    def read(self, path: Path) -> SecurityInfo:
        self.asked.append(path)
        answer = self.answers[path]
        if isinstance(answer, OSError):
            raise answer
        return answer


def permissions(platform: Platform, folder: Path = FOLDER) -> CheckResult:
    """Run the config chains for one installed file and return its permissions check."""
    source = ConfigSource(folder / NAME, installed=True)
    results = run_chains(config_chains([source], folder, given=False, platform=platform), 5.0)
    return next(r for r in results if r.id == source.permissions_id)


def windows(folder: SecurityInfo | OSError, file: SecurityInfo | OSError) -> WindowsPlatform:
    reader = RecordedReader({FOLDER: folder, FOLDER / NAME: file})
    return WindowsPlatform(registry=DictRegistry({}), security_reader=reader)


def test_protected_folder_and_file_pass() -> None:
    reader = RecordedReader({FOLDER: PROTECTED_FOLDER, FOLDER / NAME: PROTECTED_FILE})
    platform = WindowsPlatform(registry=DictRegistry({}), security_reader=reader)

    check = permissions(platform)

    assert check.status is Status.OK, check.message
    assert "owned by administrators" in check.message
    assert reader.asked == [FOLDER, FOLDER / NAME]


def test_programdata_acl_where_users_can_create_files_fails() -> None:
    check = permissions(windows(PROGRAMDATA_FOLDER, PROTECTED_FILE))

    assert (check.status, check.code) == (Status.FAIL, "config-permissions")
    assert check.message == (
        f"{FOLDER} gives write access to {USERS} (access mask 0x00000116), "
        "the SID of BUILTIN\\Users"
    )
    assert check.data["sids"] == [USERS]
    assert check.hint is not None and f'icacls "{FOLDER}" /inheritance:r' in check.hint


def test_file_owned_by_a_standard_user_fails_naming_the_owner() -> None:
    check = permissions(windows(PROTECTED_FOLDER, USER_OWNED_FILE))

    assert (check.status, check.code) == (Status.FAIL, "config-permissions")
    problems = check.data["problems"]
    assert problems == [
        f"{FOLDER / NAME} is owned by {USER}, not by Administrators or SYSTEM",
        f"{FOLDER / NAME} gives write access to {USER} (access mask 0x001f01ff)",
    ]
    assert check.hint is not None and "/setowner *S-1-5-32-544" in check.hint


def test_junction_and_null_dacl_fail() -> None:
    junction = SecurityInfo(SID_ADMINISTRATORS, PROTECTED_FOLDER.aces, reparse_point=True)
    null_dacl = SecurityInfo(SID_ADMINISTRATORS, None, reparse_point=False)

    check = permissions(windows(junction, null_dacl))

    assert check.status is Status.FAIL
    assert check.data["problems"] == [
        f"{FOLDER} is a junction or link (reparse point)",
        f"{FOLDER / NAME} has no access list (everyone may change it)",
    ]


def test_unreadable_acl_is_skipped_with_the_reason() -> None:
    denied = PermissionError(13, "Access is denied")

    check = permissions(windows(PROTECTED_FOLDER, denied))

    assert check.status is Status.SKIP
    assert check.message == f"cannot read the access list of {FOLDER / NAME}: Access is denied"


def test_platform_without_an_acl_reader_is_skipped_on_windows() -> None:
    class NoReader(Platform):
        name = "windows"

    check = permissions(NoReader())

    assert check.status is Status.SKIP
    assert check.message.startswith(f"cannot read the access list of {FOLDER}: ")


def test_base_platform_has_no_access_lists() -> None:
    with pytest.raises(PlatformUnsupported, match="Windows access list"):
        Platform().file_security(FOLDER)


@pytest.mark.skipif(sys.platform == "win32", reason="off Windows only: there it reads the ACL")
def test_windows_platform_without_reader_needs_windows() -> None:
    platform = WindowsPlatform(registry=DictRegistry({}))

    with pytest.raises(PlatformUnsupported, match="only on Windows"):
        platform.file_security(FOLDER)


def test_posix_platforms_keep_the_lstat_check(tmp_path: Path) -> None:
    class Linux(Platform):
        name = "linux"

        def file_security(self, path: Path) -> SecurityInfo:
            raise AssertionError("a POSIX check must not read Windows access lists")

    folder = tmp_path / "client"
    folder.mkdir(mode=0o755)
    (folder / NAME).write_text("{}", encoding="utf-8")
    (folder / NAME).chmod(0o666)

    check = permissions(Linux(), folder)

    assert (check.status, check.code) == (Status.FAIL, "config-permissions")
    assert "writable by group and others" in check.message
