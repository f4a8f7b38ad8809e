"""``vaclient status`` against the lab's real OpenVPN tunnel and route table."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.lab.labkit import procs
from tests.lab.labkit.lab import CIDR, Lab

pytestmark = pytest.mark.lab


def _status(lab: Lab, home: Path) -> tuple[int, dict[str, Any]]:
    folder = home / "client-configs"
    if not folder.exists():
        lab.write_client_config(folder)
    env = {
        **os.environ,
        "VACLIENT_SETTINGS_DIR": str(home / "settings"),
        "VACLIENT_LOG_DIR": str(home / "logs"),
        "VACLIENT_CONFIG_DIR": str(folder),
    }
    argv = [sys.executable, "-m", "vaclient", "--no-log-file", "status", "--json"]
    done = subprocess.run(
        procs.in_ns(lab.client_ns, argv),
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )
    return done.returncode, json.loads(done.stdout)


def test_connected_through_the_lab_tunnel(lab: Lab, tmp_path: Path) -> None:
    code, out = _status(lab, tmp_path)

    assert code == 0, out
    assert out["connected"] is True
    assert out["tunnel"] == {
        "up": True,
        "interface": lab.tun,
        "addresses": out["tunnel"]["addresses"],
        "chosen_by": "detected",
    }
    (config,) = out["configs"]
    assert config["routes"] == [
        {"cidr": CIDR, "probe": "2001:db8:ac::", "interface": lab.tun, "in_tunnel": True}
    ]
    assert out["client"]["supported"] is False


def test_missing_route_is_not_connected(lab: Lab, tmp_path: Path) -> None:
    lab.remove_tunnel_route()
    code, out = _status(lab, tmp_path)

    assert code == 1
    assert out["connected"] is False
    assert out["configs"][0]["routes_ok"] is False
    assert out["configs"][0]["routes"][0]["in_tunnel"] is False


def test_more_specific_route_elsewhere_is_not_connected(lab: Lab, tmp_path: Path) -> None:
    other = lab.route_via_other_interface("2001:db8:ac::/64")
    code, out = _status(lab, tmp_path)

    assert code == 1
    assert out["configs"][0]["routes"][0]["interface"] == other
