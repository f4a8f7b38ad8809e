"""resource_path finds resources/ in a checkout, a frozen build or a wheel install."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from vaclient import resources


def test_checkout_layout_is_found() -> None:
    path = resources.resource_path("client_versions.json")
    assert path.is_file()
    assert path.parent.name == "resources"


def test_wheel_layout_under_the_prefix(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    package = tmp_path / "site-packages" / "vaclient"
    package.mkdir(parents=True)
    shared = tmp_path / "prefix" / "share" / "vaclient" / "resources"
    (shared / "icons").mkdir(parents=True)
    (shared / "icons" / "vaclient.svg").write_text("<svg/>")
    monkeypatch.setattr(resources, "_PACKAGE_DIR", package)
    monkeypatch.setattr(sys, "prefix", str(tmp_path / "prefix"))

    assert resources.resource_path("icons", "vaclient.svg") == shared / "icons" / "vaclient.svg"


def test_frozen_build_wins_over_the_prefix(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    package = tmp_path / "bundle" / "vaclient"
    package.mkdir(parents=True)
    frozen = tmp_path / "_internal"
    (frozen / "resources").mkdir(parents=True)
    (tmp_path / "prefix" / "share" / "vaclient" / "resources").mkdir(parents=True)
    monkeypatch.setattr(resources, "_PACKAGE_DIR", package)
    monkeypatch.setattr(sys, "_MEIPASS", str(frozen), raising=False)
    monkeypatch.setattr(sys, "prefix", str(tmp_path / "prefix"))

    assert resources.resource_path("x.json") == frozen / "resources" / "x.json"


def test_pyproject_ships_every_resource_folder() -> None:
    """Every folder under resources/ is listed as wheel data, so none is forgotten."""
    import tomllib

    root = Path(resources.__file__).resolve().parents[1]
    data = tomllib.loads((root / "pyproject.toml").read_text())["tool"]["setuptools"]["data-files"]
    shipped = {Path(pattern).parent for patterns in data.values() for pattern in patterns}
    folders = {p.parent.relative_to(root) for p in (root / "resources").rglob("*") if p.is_file()}
    assert folders <= shipped
