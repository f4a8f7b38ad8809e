"""Shared fixtures: every path a test touches lives under tmp_path."""

from __future__ import annotations

import os

import pytest

# Qt must never try a real display in tests; set before any QApplication.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


@pytest.fixture(autouse=True)
def _isolated_dirs(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Send settings, logs and the client's config folder into temporary folders."""
    base = tmp_path_factory.mktemp("vaclient-home")
    monkeypatch.setenv("VACLIENT_SETTINGS_DIR", str(base / "settings"))
    monkeypatch.setenv("VACLIENT_LOG_DIR", str(base / "logs"))
    monkeypatch.setenv("VACLIENT_CONFIG_DIR", str(base / "client-configs"))
