"""Build the .deb, install it with dpkg, and run the installed commands.

This is the Linux half of the installer checks: it proves the PyInstaller
build holds everything vaclient needs at run time (lazy imports included)
and that the package lays out the CLI, desktop entries and icon. It takes a
few minutes and installs a system package, so it runs where the test run is
allowed to change the machine: as root, with dpkg. In CI it must run.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.slow


def _require_root_and_dpkg() -> None:
    reason = None
    if not sys.platform.startswith("linux") or shutil.which("dpkg-deb") is None:
        reason = "needs Debian's dpkg"
    elif os.geteuid() != 0:
        reason = "installing a .deb needs root"
    elif os.environ.get("VACLIENT_SKIP_PACKAGING") == "1" and os.environ.get("CI") != "true":
        reason = "VACLIENT_SKIP_PACKAGING=1"
    if reason is None:
        return
    if os.environ.get("CI") == "true":
        pytest.fail(f"packaging test cannot run in CI: {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="module")
def installed_deb(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Build and install the package; remove it again afterwards."""
    _require_root_and_dpkg()
    out = tmp_path_factory.mktemp("deb")
    env = {**os.environ, "OUT_DIR": str(out), "PYTHON": sys.executable}
    built = subprocess.run(
        ["bash", str(ROOT / "installers/linux/build-deb.sh")],
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=1800,
    )
    assert built.returncode == 0, built.stderr[-4000:]
    deb = Path(built.stdout.strip().splitlines()[-1])
    assert deb.is_file()

    subprocess.run(["dpkg", "-i", str(deb)], check=True, capture_output=True, timeout=300)
    yield deb
    subprocess.run(["dpkg", "-r", "vaclient"], check=False, capture_output=True, timeout=300)


def test_package_contents(installed_deb: Path) -> None:
    listing = subprocess.run(
        ["dpkg-deb", "-c", str(installed_deb)], capture_output=True, text=True, check=True
    ).stdout
    for path in (
        "./usr/bin/vaclient",
        "./usr/bin/vaclient-tray",
        "./usr/share/applications/vaclient.desktop",
        "./etc/xdg/autostart/vaclient-tray.desktop",
        "./usr/share/icons/hicolor/scalable/apps/vaclient.svg",
        "./opt/vaclient/vaclient",
        "./opt/vaclient/_internal/resources/client_versions.json",
    ):
        assert path in listing, path


def test_installed_cli_runs(installed_deb: Path, tmp_path: Path) -> None:
    env = {
        "PATH": "/usr/bin:/bin",
        "HOME": str(tmp_path),
        "VACLIENT_CONFIG_DIR": str(tmp_path / "configs"),
    }
    version = subprocess.run(
        ["/usr/bin/vaclient", "--version"], env=env, capture_output=True, text=True, check=True
    )
    assert version.stdout.strip().startswith("vaclient ")

    doctor = subprocess.run(
        ["/usr/bin/vaclient", "--no-log-file", "doctor", "--json", "--timeout", "1"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert doctor.returncode in (0, 1), doctor.stderr
    report = json.loads(doctor.stdout)
    assert report["schema"] == "vaclient.report/1"
    assert report["summary"]["primary"]["code"] == "config-missing"


def test_installed_config_check(installed_deb: Path, tmp_path: Path) -> None:
    example = ROOT / "resources/examples/ClientConfig-vai-0123456789abcdef0.json"
    check = subprocess.run(
        ["/usr/bin/vaclient", "--no-log-file", "config", "check", str(example)],
        env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)},
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert check.returncode == 0, check.stderr
    assert "vai-0123456789abcdef0" in check.stdout
