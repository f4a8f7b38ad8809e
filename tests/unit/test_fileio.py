"""Atomic replacement of the files vaclient writes in the user's folders."""

from __future__ import annotations

from pathlib import Path

import pytest

from vaclient.fileio import atomic_writer, write_atomic


def test_write_replaces_and_leaves_no_temporary_file(tmp_path: Path) -> None:
    target = tmp_path / "report.html"
    target.write_text("old")

    write_atomic(target, "new ✓")

    assert target.read_text(encoding="utf-8") == "new ✓"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.html"]
    assert target.stat().st_mode & 0o077 == 0


def test_error_while_writing_keeps_the_old_file(tmp_path: Path) -> None:
    target = tmp_path / "settings.json"
    target.write_text("old")

    with pytest.raises(RuntimeError), atomic_writer(target) as handle:
        handle.write(b"half")
        raise RuntimeError("disk on fire")

    assert target.read_text() == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["settings.json"]


def test_missing_folder_raises_oserror(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        write_atomic(tmp_path / "absent" / "x.json", b"{}")
