"""Elevation adapters (quoting, cancel/deny mapping), Windows policy, the real helper."""

from __future__ import annotations

import hashlib
import json
import os
import re
import shlex
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

import pytest

from tests.unit.test_install import FILE_NAME, make_config, require_root
from vaclient.config import elevation
from vaclient.config.elevation import (
    Completed,
    OsascriptElevator,
    PkexecElevator,
    RunasElevator,
    applescript_string,
    helper_argv,
    osascript_command,
)
from vaclient.config.safety import (
    SID_ADMINISTRATORS,
    SID_CREATOR_OWNER,
    SID_SYSTEM,
    Ace,
    SecurityInfo,
    check_windows,
)
from vaclient.errors import ElevationCancelled, ElevationDenied, InstallError, UnsafeDestination

TRICKY = ["/opt/My Apps/python3", "-m", "x", "--dest-dir", '/Library/A "b" c\\d $HOME `id`\'']


class FakeRunner:
    """Records the command and answers like the real tool would."""

    def __init__(self, returncode: int, stderr: str = "") -> None:
        self.calls: list[list[str]] = []
        self.done = Completed(returncode, stderr)

    def __call__(self, argv: Sequence[str]) -> Completed:
        self.calls.append(list(argv))
        return self.done


# --- pkexec ----------------------------------------------------------------------------


def test_pkexec_command_uses_absolute_paths_and_passes_argv_unchanged() -> None:
    runner = FakeRunner(0)
    argv = helper_argv("install", "--dest-dir", "/etc/vaclient/client-configs")
    assert PkexecElevator(pkexec="/usr/bin/pkexec", runner=runner).run(argv) == 0
    assert runner.calls == [["/usr/bin/pkexec", *argv]]
    assert Path(argv[0]).is_absolute() and argv[1:4] == ["-I", "-m", "vaclient.config.elevated"]


@pytest.mark.parametrize(
    ("code", "error", "message"),
    [
        (126, ElevationCancelled, "the administrator prompt was dismissed"),
        (127, ElevationDenied, "the system refused administrator rights (pkexec: not authorised)"),
    ],
)
def test_pkexec_dismissed_and_not_authorised(code: int, error: type, message: str) -> None:
    elevator = PkexecElevator(pkexec="/usr/bin/pkexec", runner=FakeRunner(code))
    with pytest.raises(error) as caught:
        elevator.run(["/usr/bin/python3", "-m", "x"])
    assert caught.value.message == message


def test_pkexec_passes_the_helpers_exit_code_and_refuses_relative_paths() -> None:
    assert PkexecElevator(pkexec="/usr/bin/pkexec", runner=FakeRunner(4)).run(["/bin/x"]) == 4
    with pytest.raises(InstallError, match="is not absolute"):
        PkexecElevator(pkexec="/usr/bin/pkexec", runner=FakeRunner(0)).run(["python3"])


def test_missing_pkexec_says_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(elevation.shutil, "which", lambda name: None)
    with pytest.raises(InstallError) as caught:
        PkexecElevator(runner=FakeRunner(0)).run(["/bin/x"])
    assert caught.value.message == (
        "cannot ask for administrator rights: pkexec (polkit) is not installed"
    )


# --- osascript ---------------------------------------------------------------------------


def _unquote_applescript(literal: str) -> str:
    assert literal.startswith('"') and literal.endswith('"')
    return re.sub(r"\\(.)", r"\1", literal[1:-1])


def test_osascript_quoting_round_trips_hostile_arguments() -> None:
    command = osascript_command(TRICKY)
    assert command[:2] == ["/usr/bin/osascript", "-e"]
    script = command[2]
    prefix, suffix = "do shell script ", " with administrator privileges"
    assert script.startswith(prefix) and script.endswith(suffix)
    shell_line = _unquote_applescript(script[len(prefix) : -len(suffix)])
    assert shlex.split(shell_line) == TRICKY


def test_applescript_string_escapes_backslash_then_quote() -> None:
    assert applescript_string('a"b\\c') == '"a\\"b\\\\c"'


def test_osascript_cancel_and_exit_codes() -> None:
    cancelled = FakeRunner(1, "0:120: execution error: User canceled. (-128)\n")
    with pytest.raises(ElevationCancelled) as caught:
        OsascriptElevator(runner=cancelled).run(TRICKY)
    assert caught.value.message == "the administrator prompt was cancelled"
    failed = FakeRunner(1, "0:120: execution error: error: refusing to install (4)\n")
    assert OsascriptElevator(runner=failed).run(TRICKY) == 4
    assert OsascriptElevator(runner=FakeRunner(0)).run(TRICKY) == 0


# --- Windows runas -------------------------------------------------------------------------


def _winerror(code: int) -> OSError:
    err = OSError(13, "The operation was canceled by the user")
    err.winerror = code  # type: ignore[attr-defined]  # set by Windows on real errors
    return err


def test_runas_quotes_parameters_with_list2cmdline() -> None:
    seen: list[tuple[str, str]] = []

    def shell_execute(file: str, params: str) -> int:
        seen.append((file, params))
        return 2

    argv = [r"C:\Program Files\Python\python.exe", "-m", "x", "--dest-dir", r"C:\Prog Data\a b"]
    assert RunasElevator(shell_execute).run(argv) == 2
    assert seen == [(argv[0], '-m x --dest-dir "C:\\Prog Data\\a b"')]
    assert seen[0][1] == subprocess.list2cmdline(argv[1:])


def test_runas_declined_prompt_is_cancelled_other_errors_fail() -> None:
    def declined(file: str, params: str) -> int:
        raise _winerror(1223)

    with pytest.raises(ElevationCancelled) as caught:
        RunasElevator(declined).run(["C:\\python.exe"])
    assert caught.value.message == "the administrator prompt (UAC) was declined"

    def broken(file: str, params: str) -> int:
        raise _winerror(2)

    with pytest.raises(InstallError, match="cannot start the elevated helper"):
        RunasElevator(broken).run(["C:\\python.exe"])


# --- Windows ACL policy ----------------------------------------------------------------------

USERS = "S-1-5-32-545"
AUTHENTICATED = "S-1-5-11"
# A folder made by an installer with a protected ACL (SDDL D:P(A;OICI;FA;;;SY)...).
PROTECTED = SecurityInfo(
    owner_sid=SID_ADMINISTRATORS,
    aces=(
        Ace(0, 0x03, 0x001F01FF, SID_SYSTEM),
        Ace(0, 0x03, 0x001F01FF, SID_ADMINISTRATORS),
        Ace(0, 0x03, 0x001200A9, USERS),
    ),
    reparse_point=False,
)
# ProgramData's inherited ACL: users may add files and folders (0x6), and the
# creator gets full control through an inherit-only CREATOR OWNER entry.
PROGRAMDATA_INHERITED = SecurityInfo(
    owner_sid=SID_SYSTEM,
    aces=(
        Ace(0, 0x13, 0x001F01FF, SID_SYSTEM),
        Ace(0, 0x13, 0x001F01FF, SID_ADMINISTRATORS),
        Ace(0, 0x1B, 0x10000000, SID_CREATOR_OWNER),
        Ace(0, 0x13, 0x001200A9, USERS),
        Ace(0, 0x12, 0x00000006, USERS),
    ),
    reparse_point=False,
)


def test_protected_acl_is_accepted() -> None:
    check_windows(PROTECTED, Path("C:/ProgramData/Connectivity Client"), "folder")


@pytest.mark.parametrize(
    ("info", "expected"),
    [
        (PROGRAMDATA_INHERITED, "gives write access to S-1-5-32-545 (access mask 0x00000006)"),
        (
            SecurityInfo("S-1-5-21-1-2-3-1001", PROTECTED.aces, False),
            "is owned by S-1-5-21-1-2-3-1001, not by Administrators or SYSTEM",
        ),
        (SecurityInfo(SID_ADMINISTRATORS, None, False), "has no access list"),
        (SecurityInfo(SID_ADMINISTRATORS, PROTECTED.aces, True), "is a junction or link"),
        (
            SecurityInfo(
                SID_ADMINISTRATORS, (*PROTECTED.aces, Ace(0, 0, 0x40000000, AUTHENTICATED)), False
            ),
            "gives write access to S-1-5-11 (access mask 0x40000000)",
        ),
    ],
)
def test_unsafe_windows_folders_are_refused(info: SecurityInfo, expected: str) -> None:
    path = Path("C:/ProgramData/Connectivity Client")
    with pytest.raises(UnsafeDestination) as caught:
        check_windows(info, path, "folder")
    assert caught.value.message.startswith(f"refusing to install into {path}: the folder ")
    assert expected in caught.value.message


def test_deny_entries_and_read_only_grants_do_not_count() -> None:
    info = SecurityInfo(
        SID_ADMINISTRATORS, (*PROTECTED.aces, Ace(1, 0, 0x001F01FF, USERS)), reparse_point=False
    )
    check_windows(info, Path("C:/x"), "file")


def test_windows_policy_applies_through_the_adapter_on_any_os(tmp_path: Path) -> None:
    from vaclient.config.atomic import DirHandle
    from vaclient.config.safety import check_folder

    class Reader:
        def read(self, path: Path) -> SecurityInfo:
            return PROGRAMDATA_INHERITED

    with DirHandle.open(tmp_path) as handle, pytest.raises(UnsafeDestination):
        check_folder(handle, privileged=True, windows_reader=Reader())


# --- the privileged helper, run for real -----------------------------------------------------


def run_helper(tmp_path: Path, *args: str) -> tuple[int, dict[str, object]]:
    result = tmp_path / "stage" / "result.json"
    result.parent.mkdir(exist_ok=True, mode=0o700)
    done = subprocess.run(
        [*helper_argv(*args, "--result", str(result))], capture_output=True, check=False
    )
    return done.returncode, json.loads(result.read_bytes())


@pytest.fixture
def staged(tmp_path: Path) -> Path:
    folder = tmp_path / "stage"
    folder.mkdir(mode=0o700)
    path = folder / FILE_NAME
    path.write_bytes(make_config())
    return path


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_helper_installs_a_staged_file(tmp_path: Path, staged: Path) -> None:
    require_root()
    dest = tmp_path / "client"
    code, record = run_helper(
        tmp_path, "install", "--dest-dir", str(dest), "--staged", str(staged),
        "--sha256", _sha(staged), "--expect-existing", "absent",
    )  # fmt: skip
    assert (code, record["ok"]) == (0, True)
    assert (dest / FILE_NAME).read_bytes() == staged.read_bytes()
    assert (dest / FILE_NAME).stat().st_uid == 0
    assert record["destination"] == str(dest / FILE_NAME)


def test_helper_refuses_a_file_changed_after_review(tmp_path: Path, staged: Path) -> None:
    require_root()
    dest = tmp_path / "client"
    code, record = run_helper(
        tmp_path, "install", "--dest-dir", str(dest), "--staged", str(staged),
        "--sha256", "0" * 64,
    )  # fmt: skip
    assert code == 1
    assert (
        record["message"] == "the staged file changed after it was reviewed; nothing was written"
    )
    assert not dest.exists()


def test_helper_revalidates_the_staged_copy(tmp_path: Path, staged: Path) -> None:
    staged.write_bytes(make_config(region="nowhere"))
    code, record = run_helper(
        tmp_path, "install", "--dest-dir", str(tmp_path / "client"), "--staged", str(staged),
        "--sha256", _sha(staged),
    )  # fmt: skip
    assert code == 2
    assert record["error"] == "ConfigError" and record["json_path"] == "Region"


def test_helper_refuses_unsafe_destination_with_code_4(tmp_path: Path, staged: Path) -> None:
    dest = tmp_path / "client"
    dest.mkdir()
    dest.chmod(0o777)
    code, record = run_helper(
        tmp_path, "install", "--dest-dir", str(dest), "--staged", str(staged),
        "--sha256", _sha(staged),
    )  # fmt: skip
    assert (code, record["error"]) == (4, "UnsafeDestination")
    assert list(dest.iterdir()) == []


def test_helper_never_follows_a_planted_result_link(tmp_path: Path, staged: Path) -> None:
    victim = tmp_path / "victim"
    victim.write_bytes(b"keep")
    result = staged.parent / "result.json"
    result.symlink_to(victim)
    done = subprocess.run(
        helper_argv("remove", "--dest-dir", str(tmp_path / "none"), "--instance-id",
                    "vai-0123456789abcdef0", "--result", str(result)),
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert done.returncode == 1
    assert "cannot write the result file" in done.stderr
    assert victim.read_bytes() == b"keep"


def test_helper_module_runs_with_python_m() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "vaclient.config.elevated", "bogus"],
        capture_output=True, text=True, check=False, env={**os.environ},
    )  # fmt: skip
    assert done.returncode == 2


def test_helper_never_imports_code_from_the_callers_folder_or_pythonpath(
    tmp_path: Path, staged: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    planted = tmp_path / "planted"
    package = planted / "vaclient"
    package.mkdir(parents=True)
    marker = tmp_path / "planted-code-ran"
    (package / "__init__.py").write_text(f"open({str(marker)!r}, 'w').close()\n")
    monkeypatch.chdir(planted)
    monkeypatch.setenv("PYTHONPATH", str(planted))

    code, record = run_helper(
        tmp_path, "remove", "--dest-dir", str(tmp_path / "none"), "--instance-id",
        "vai-0123456789abcdef0",
    )  # fmt: skip

    assert not marker.exists()
    assert (code, record["error"]) == (1, "InstallError")


def test_helper_writes_its_result_only_into_a_private_folder(tmp_path: Path, staged: Path) -> None:
    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(0o755)
    done = subprocess.run(
        helper_argv("remove", "--dest-dir", str(tmp_path / "none"), "--instance-id",
                    "vai-0123456789abcdef0", "--result", str(shared / "result.json")),
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert done.returncode == 1
    assert "cannot write the result file" in done.stderr
    assert "not a private folder" in done.stderr
    assert list(shared.iterdir()) == []


def test_helper_creates_no_folder_under_an_unsafe_parent(tmp_path: Path, staged: Path) -> None:
    open_parent = tmp_path / "open"
    open_parent.mkdir()
    open_parent.chmod(0o777)
    dest = open_parent / "client"
    code, record = run_helper(
        tmp_path, "install", "--dest-dir", str(dest), "--staged", str(staged),
        "--sha256", _sha(staged),
    )  # fmt: skip
    assert (code, record["error"]) == (4, "UnsafeDestination")
    assert record["message"] == (
        f"refusing to install into {dest}: the parent folder {open_parent} "
        "is writable by group or others (mode 0777)"
    )
    assert list(open_parent.iterdir()) == []
