"""A folder created on Windows gets an administrators-only access list."""

from __future__ import annotations

from pathlib import Path

import pytest

from vaclient.config import store
from vaclient.errors import InstallError


def test_protect_runs_icacls_with_numeric_sids(tmp_path: Path) -> None:
    calls: list[list[str]] = []

    def record(argv: list[str]) -> int:
        calls.append(argv)
        return 0

    store.protect_windows_folder(tmp_path, record)

    assert calls == [
        [
            "icacls",
            str(tmp_path),
            "/inheritance:r",
            "/grant:r",
            "*S-1-5-18:(OI)(CI)F",
            "*S-1-5-32-544:(OI)(CI)F",
            "*S-1-5-32-545:(OI)(CI)RX",
        ],
        ["icacls", str(tmp_path), "/setowner", "*S-1-5-32-544"],
    ]


def test_protect_failure_is_an_install_error(tmp_path: Path) -> None:
    with pytest.raises(InstallError, match=r"icacls exited with 5"):
        store.protect_windows_folder(tmp_path, lambda argv: 5)


def test_new_folders_are_protected_one_by_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    protected: list[Path] = []
    monkeypatch.setattr(store, "protect_windows_folder", protected.append)
    target = tmp_path / "ProgramData" / "Connectivity Client"

    store._make_folder(target, privileged=True, windows=True)

    assert target.is_dir()
    assert protected == [tmp_path / "ProgramData", target]


def test_posix_folders_are_not_passed_to_icacls(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    protected: list[Path] = []
    monkeypatch.setattr(store, "protect_windows_folder", protected.append)

    store._make_folder(tmp_path / "a", privileged=True, windows=False)

    assert protected == []
    assert (tmp_path / "a").stat().st_mode & 0o777 == 0o755
