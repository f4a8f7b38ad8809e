"""Known client versions and numeric comparison."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from vaclient.errors import UsageError
from vaclient.platforms.versions import (
    is_outdated,
    latest_version,
    load_known_versions,
    parse_version,
)


def test_bundled_versions() -> None:
    known = load_known_versions()

    assert known["windows"][0] == ("1.0.6", "2026-06-01")
    assert known["macos"][0] == ("1.0.4", "2026-04-09")
    assert ("1.0.2", "2025-06-09") in known["windows"]
    assert ("1.0.2", "2025-06-09") in known["macos"]
    assert "linux" not in known


@pytest.mark.parametrize(
    ("os_name", "version", "expected"),
    [
        ("windows", "1.0.5", True),
        ("windows", "1.0.6", False),
        ("windows", "1.0.6.0", False),
        ("windows", "1.0.10", False),
        ("macos", "1.0.4", False),
        ("macos", "1.0.3", True),
        ("macos", "1.0", True),
        ("macos", "2", False),
        ("linux", "1.0.0", None),
        ("windows", "unknown", None),
    ],
)
def test_is_outdated(os_name: str, version: str, expected: bool | None) -> None:
    assert is_outdated(os_name, version) is expected


def test_parse_version_is_numeric() -> None:
    assert parse_version("1.0.10") > parse_version("1.0.9")
    assert parse_version("v1.2.0") == parse_version("1.2") == (1, 2)
    with pytest.raises(ValueError):
        parse_version("beta")


def test_file_order_does_not_matter(tmp_path: Path) -> None:
    path = tmp_path / "versions.json"
    path.write_text(
        json.dumps(
            {"windows": [{"version": "1.0.9", "date": "x"}, {"version": "1.0.10", "date": "y"}]}
        )
    )

    assert latest_version("windows", path) == "1.0.10"
    assert latest_version("macos", path) is None


def test_broken_file_names_itself(tmp_path: Path) -> None:
    path = tmp_path / "versions.json"
    path.write_text('{"windows": [{"release": "1.0"}]}')

    with pytest.raises(UsageError, match=r"versions\.json"):
        load_known_versions(path)
