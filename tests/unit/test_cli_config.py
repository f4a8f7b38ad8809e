"""``vaclient config ...`` through vaclient.cli.main, with exact output."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.unit.test_install import FILE_NAME, INSTANCE, UNPRIVILEGED, make_config
from vaclient.cli import main
from vaclient.config import install as install_module
from vaclient.config.elevation import Completed, PkexecElevator

HINT_EXPORT = (
    "hint: Export the file again (VPC console: Verified Access instances > Actions > "
    "Export client configuration file, or `aws ec2 "
    "export-verified-access-instance-client-configuration`) and do not edit it.\n"
)


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(["--no-log-file", *argv])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def dest(tmp_path: Path) -> Path:
    folder = tmp_path / "client"
    folder.mkdir()
    folder.chmod(0o755)
    return folder


@pytest.fixture
def source(tmp_path: Path) -> Path:
    path = tmp_path / "download.json"
    path.write_bytes(make_config())
    return path


def test_check_valid_prints_summary(capsys: pytest.CaptureFixture[str], source: Path) -> None:
    code, out, err = run(capsys, "config", "check", str(source))
    assert (code, err) == (0, "")
    assert out == (
        f"{source}: valid ClientConfig ({FILE_NAME})\n"
        "  instance:                vai-0123456789abcdef0\n"
        "  region:                  eu-central-1\n"
        "  trust provider type:     oidc\n"
        "  issuer:                  https://idp.example.com/oauth2/default\n"
        "  route:                   2001:db8:1400::/57\n"
        "  route:                   2001:db8:2a00::/56\n"
    )


def test_check_missing_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    missing = tmp_path / "nope.json"
    code, out, err = run(capsys, "config", "check", str(missing))
    assert (code, out) == (2, "")
    assert err == (
        f"error: {missing}: file not found\n"
        "hint: Check the path; export the file again if it is gone.\n"
    )


def test_check_invalid_json_names_line(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"Version": "1.0",\n "Region": }')
    code, out, err = run(capsys, "config", "check", str(bad))
    assert (code, out) == (2, "")
    assert err == f"error: {bad}: not valid JSON: Expecting value at line 2, column 12\n" + (
        HINT_EXPORT
    )


def test_check_invalid_field_names_json_path(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    bad = tmp_path / "bad.json"
    bad.write_bytes(make_config(region="Frankfurt"))
    code, _, err = run(capsys, "config", "check", str(bad))
    assert code == 2
    assert err == (
        f'error: {bad}: Region: expected an AWS Region like "ap-northeast-1", got "Frankfurt"\n'
        + HINT_EXPORT
    )
    code, out, err = run(capsys, "config", "check", "--json", str(bad))
    assert (code, err) == (2, "")
    error = json.loads(out)["error"]
    assert json.loads(out)["valid"] is False
    assert (error["source"], error["json_path"]) == (str(bad), "Region")


def test_install_without_terminal_needs_yes(
    capsys: pytest.CaptureFixture[str], source: Path, dest: Path
) -> None:
    code, out, err = run(capsys, "config", "install", str(source), "--config-dir", str(dest))
    assert code == 2
    assert out.startswith(f"New configuration {dest / FILE_NAME}:\n")
    assert err == (
        "error: not installed: confirmation is needed and there is no terminal to ask on\n"
        "hint: Review the changes above and run again with --yes.\n"
    )
    assert list(dest.iterdir()) == []


def test_install_replace_then_identical(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, source: Path, dest: Path
) -> None:
    assert (
        run(capsys, "config", "install", str(source), "--config-dir", str(dest), "--yes")[0] == 0
    )
    newer = tmp_path / "newer.json"
    newer.write_bytes(make_config(region="eu-west-1", routes=("2001:db8:1400::/57",)))

    code, out, err = run(capsys, "config", "install", str(newer), "--config-dir", str(dest), "-y")
    backup = next((dest / ".backup").iterdir())
    assert (code, err) == (0, "")
    assert out == (
        f"Changes to {dest / FILE_NAME}:\n"
        "  region:                  eu-central-1 -> eu-west-1\n"
        "  route removed:           2001:db8:2a00::/56\n"
        f"Installed {dest / FILE_NAME}.\n"
        f"The previous file is kept as {backup}\n"
        "Quit and start the Connectivity Client again to use it.\n"
    )

    code, out, _ = run(capsys, "config", "install", str(newer), "--config-dir", str(dest))
    assert (code, out) == (
        0,
        f"{dest / FILE_NAME} already has this exact content; nothing to do.\n",
    )


def test_install_into_symlink_is_refused(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, source: Path, dest: Path
) -> None:
    link = tmp_path / "link"
    link.symlink_to(dest)
    code, out, err = run(capsys, "config", "install", str(source), "--config-dir", str(link), "-y")
    assert (code, out) == (4, "")
    assert err == (
        f"error: refusing to install into {link}: the folder is a symbolic link\n"
        "hint: Use the real folder, not a link to it; an administrator should remove the link.\n"
    )


def test_install_cancelled_elevation(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    source: Path,
    dest: Path,
) -> None:
    dismissed = PkexecElevator(pkexec="/usr/bin/pkexec", runner=lambda argv: Completed(126, ""))
    monkeypatch.setattr(install_module, "system_privileges", lambda: UNPRIVILEGED)
    monkeypatch.setattr(install_module, "default_elevator", lambda: dismissed)

    code, _, err = run(capsys, "config", "install", str(source), "--config-dir", str(dest), "-y")
    assert code == 3
    assert err == (
        "error: the administrator prompt was dismissed\n"
        "hint: Run the install again and approve the administrator prompt.\n"
    )
    assert list(dest.iterdir()) == []

    code, _, err = run(
        capsys, "config", "install", str(source), "--config-dir", str(dest), "-y", "--no-elevate"
    )
    assert code == 4
    assert err.startswith(f"error: cannot write to {dest}: administrator rights are needed")


def test_remove_wrong_instance_id(capsys: pytest.CaptureFixture[str], dest: Path) -> None:
    code, out, err = run(capsys, "config", "remove", "vai-123", "--config-dir", str(dest))
    assert (code, out) == (2, "")
    assert err == (
        "error: 'vai-123' is not a Verified Access instance ID\n"
        "hint: An instance ID looks like vai-0123456789abcdef0; "
        "'vaclient config list' shows the installed ones.\n"
    )
    code, _, err = run(capsys, "config", "remove", INSTANCE, "--config-dir", str(dest))
    assert code == 1
    assert err.startswith(f"error: no configuration for {INSTANCE} is installed")


def test_remove_list_and_restore(
    capsys: pytest.CaptureFixture[str], source: Path, dest: Path
) -> None:
    run(capsys, "config", "install", str(source), "--config-dir", str(dest), "-y")
    code, out, _ = run(capsys, "config", "remove", INSTANCE, "--config-dir", str(dest))
    backup = next((dest / ".backup").iterdir())
    assert code == 0
    assert out == (
        f"Removed {FILE_NAME}; it is kept as {backup}\n"
        f"To put it back: vaclient config install --restore {INSTANCE}\n"
    )

    code, out, _ = run(capsys, "config", "list", "--config-dir", str(dest), "--json")
    listed = json.loads(out)["configs"]
    assert [(c["file_name"], c["installed"], len(c["backups"])) for c in listed] == [
        (FILE_NAME, False, 1)
    ]

    code, out, _ = run(
        capsys, "config", "install", "--restore", INSTANCE, "--config-dir", str(dest), "-y"
    )
    assert code == 0 and f"Restored {dest / FILE_NAME}." in out
    assert (dest / FILE_NAME).read_bytes() == source.read_bytes()

    code, out, _ = run(capsys, "config", "list", "--config-dir", str(dest))
    assert out.startswith(f"ClientConfig files in {dest}:\n\n{FILE_NAME}: valid\n")
    assert "  region:                  eu-central-1\n" in out


def test_show_masks_secrets(capsys: pytest.CaptureFixture[str], source: Path) -> None:
    code, out, _ = run(capsys, "config", "show", str(source))
    shown = json.loads(out)
    assert code == 0
    assert shown["OpenVpnConfigurations"][0]["Config"] == "***"
    assert shown["UserTrustProvider"]["ClientSecret"] == "***"
    assert shown["Region"] == "eu-central-1"


def test_list_empty_folder(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, out, _ = run(capsys, "config", "list", "--config-dir", str(tmp_path / "none"))
    assert (code, out) == (0, f"No ClientConfig files in {tmp_path / 'none'}.\n")
