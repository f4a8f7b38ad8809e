"""Every command on bad input: a clear error, the documented exit code, no traceback.

The product rule: bad input gets an error that names the problem (the bad
value or file) and the next step, and loses nothing. Each case runs the
real command line in-process and checks the exit code, that stderr has an
``error:`` line naming the bad value and a ``hint:`` line, and that no
traceback or "unexpected problem" (exit 70) reaches the user.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from vaclient.checks.model import CheckResult, Report, Stage, Status
from vaclient.cli import main
from vaclient.errors import EXIT_FAILED, EXIT_USAGE

DATA = Path(__file__).resolve().parents[1] / "data"
GOOD_CONFIG = DATA / "configs" / "good-minimal.json"
INSTANCE = "vai-0123456789abcdef0"
HUGE_BYTES = 9 * 1024 * 1024  # above every input cap (1 MiB configs, 8 MiB others)


# --- running a command --------------------------------------------------------------


def _run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    """Run ``vaclient --no-log-file ARGV``; argparse's SystemExit becomes the code."""
    try:
        code = main(["--no-log-file", *argv])
    except SystemExit as exit_:
        code = exit_.code if isinstance(exit_.code, int) else EXIT_USAGE
    out, err = capsys.readouterr()
    return code, out, err


def _assert_clean(out: str, err: str) -> None:
    """No traceback and no internal-error message anywhere."""
    for text in (out, err):
        assert "Traceback" not in text
        assert "unexpected problem" not in text


def _assert_bad_input(result: tuple[int, str, str], names: str, *, code: int = EXIT_USAGE) -> None:
    """Exit ``code``; an ``error:`` line containing ``names``; a ``hint:`` line."""
    exit_code, out, err = result
    _assert_clean(out, err)
    assert exit_code == code, err
    error_lines = [line for line in err.splitlines() if "error: " in line]
    assert error_lines, err
    assert any(names in line for line in error_lines), err
    assert any(line.startswith("hint: ") and len(line) > 10 for line in err.splitlines()), err


# --- bad input files ----------------------------------------------------------------


def _missing(tmp: Path) -> Path:
    return tmp / "missing.json"


def _folder(tmp: Path) -> Path:
    path = tmp / "a-folder.json"
    path.mkdir()
    return path


def _fifo(tmp: Path) -> Path:
    """A named pipe: opening it for reading would wait forever for a writer."""
    path = tmp / "a-pipe.json"
    os.mkfifo(path)
    return path


def _write(name: str, data: bytes) -> Callable[[Path], Path]:
    def make(tmp: Path) -> Path:
        path = tmp / name
        path.write_bytes(data)
        return path

    return make


def _huge(tmp: Path) -> Path:
    path = tmp / "huge.txt"
    with path.open("wb") as handle:
        handle.write(b"fe80::/64 dev eth0 proto kernel metric 256\n" * (HUGE_BYTES // 43 + 1))
    return path


def _report_file(tmp: Path) -> Path:
    report = Report.build(
        [CheckResult("tunnel", "Tunnel interface", Status.OK, stage=Stage.TUNNEL)],
        host_os="windows",
        os_version="10",
        tool_version="0.1.0",
    )
    path = tmp / "report.json"
    path.write_text(json.dumps(report.to_dict()), encoding="utf-8")
    return path


def _config_file(tmp: Path) -> Path:
    path = tmp / f"ClientConfig-{INSTANCE}.json"
    shutil.copyfile(GOOD_CONFIG, path)
    return path


UNREADABLE: dict[str, Callable[[Path], Path]] = {
    "missing": _missing,
    "folder": _folder,
    "fifo": _fifo,
}
GARBAGE: dict[str, Callable[[Path], Path]] = {
    "empty": _write("empty.json", b""),
    "binary": _write("binary.bin", bytes(range(256)) * 64),
    "huge": _huge,
    "bad-utf8": _write("bad-utf8.json", b'{"Version": "\xff\xfe\xc3\x28"}'),
    "bad-utf16": _write("bad-utf16.json", b"\xff\xfe" + b"\x00\xd8A"),  # lone surrogate
    "json-list": _write("list.json", b"[1, 2]"),
    "json-number": _write("number.json", b"42"),
    "json-deep": _write("deep.json", b"[" * 100_000),
}
BAD_FILES = {**UNREADABLE, **GARBAGE}

FILE_COMMANDS: dict[str, list[str]] = {
    "config check": ["config", "check", "{}"],
    "config show": ["config", "show", "{}"],
    "config install": ["config", "install", "{}", "--yes", "--no-elevate"],
    "report show": ["report", "show", "{}"],
    "report html": ["report", "html", "{}"],
    "report view": ["report", "view", "{}"],
    "analyze routes": ["analyze", "routes", "{}"],
    "analyze ipconfig": ["analyze", "ipconfig", "{}"],
    "analyze dig": ["analyze", "dig", "{}"],
    "bundle --report": ["bundle", "--list", "--report", "{}"],
}


def _argv(template: list[str], path: Path) -> list[str]:
    return [str(path) if part == "{}" else part for part in template]


@pytest.mark.parametrize("kind", sorted(BAD_FILES))
@pytest.mark.parametrize("command", sorted(FILE_COMMANDS))
def test_bad_input_file(
    command: str, kind: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = BAD_FILES[kind](tmp_path)

    result = _run(_argv(FILE_COMMANDS[command], path), capsys)

    _assert_bad_input(result, str(path))


@pytest.mark.parametrize(
    ("command", "maker"),
    [
        ("config check", _report_file),
        ("config show", _report_file),
        ("config install", _report_file),
        ("report show", _config_file),
        ("report html", _config_file),
        ("report view", _config_file),
        ("bundle --report", _config_file),
        ("analyze routes", _config_file),
        ("analyze ipconfig", _report_file),
        ("analyze dig", _config_file),
    ],
)
def test_wrong_kind_of_file(
    command: str,
    maker: Callable[[Path], Path],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """A report where a ClientConfig is expected, and the other way round."""
    path = maker(tmp_path)

    result = _run(_argv(FILE_COMMANDS[command], path), capsys)

    _assert_bad_input(result, str(path))


def test_install_of_a_bad_file_changes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Loses nothing: the installed file stays as it was."""
    folder = tmp_path / "client"
    folder.mkdir()
    installed = folder / f"ClientConfig-{INSTANCE}.json"
    shutil.copyfile(GOOD_CONFIG, installed)
    before = installed.read_bytes()
    bad = _write(f"ClientConfig-{INSTANCE}.json", b"[1, 2]")(tmp_path)

    result = _run(["config", "install", str(bad), "--config-dir", str(folder), "--yes"], capsys)

    _assert_bad_input(result, str(bad))
    assert installed.read_bytes() == before
    assert sorted(p.name for p in folder.iterdir() if p.is_file()) == [installed.name]


@pytest.mark.parametrize("kind", sorted(BAD_FILES))
def test_config_check_json_names_the_file(
    kind: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = BAD_FILES[kind](tmp_path)

    code, out, err = _run(["config", "check", str(path), "--json"], capsys)

    _assert_clean(out, err)
    assert code == EXIT_USAGE
    result = json.loads(out)
    assert result["valid"] is False
    assert result["error"]["source"] == str(path)
    assert result["error"]["problem"]
    assert result["error"]["hint"]


@pytest.mark.parametrize("kind", sorted(UNREADABLE))
@pytest.mark.parametrize("command", ["doctor", "tray"])
def test_unreadable_file_options(
    command: str, kind: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``doctor --config`` and ``tray FILE`` refuse a file they cannot open at all."""
    path = UNREADABLE[kind](tmp_path)
    argv = ["doctor", "--config", str(path)] if command == "doctor" else ["tray", str(path)]

    result = _run(argv, capsys)

    _assert_bad_input(result, str(path))


# --- windows without a display ------------------------------------------------------


@pytest.fixture
def no_display(monkeypatch: pytest.MonkeyPatch) -> None:
    """A Linux session without X11 or Wayland (SSH, a server)."""
    for name in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr("sys.platform", "linux")


@pytest.mark.usefixtures("no_display")
def test_report_view_without_display(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = _report_file(tmp_path)

    result = _run(["report", "view", str(path)], capsys)

    _assert_bad_input(result, "no display")
    assert f"vaclient report html {path}" in result[2]


@pytest.mark.usefixtures("no_display")
def test_tray_without_display(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    result = _run(["tray", str(_config_file(tmp_path))], capsys)

    _assert_bad_input(result, "no display")


# --- bad option values --------------------------------------------------------------

OPTION_CASES: list[tuple[list[str], str]] = [
    (["doctor", "--timeout", "-1"], "'-1'"),
    (["doctor", "--timeout", "nan"], "'nan'"),
    (["doctor", "--timeout", "inf"], "'inf'"),
    (["doctor", "--timeout", "abc"], "'abc'"),
    (["doctor", "--deadline", "0"], "'0'"),
    (["doctor", "--endpoint", "app.example.com"], "'app.example.com'"),
    (["doctor", "--endpoint", "app.example.com:99999"], "'app.example.com:99999'"),
    (["doctor", "--endpoint", "app.example.com:0"], "'app.example.com:0'"),
    (["doctor", "--endpoint", "app example.com:22 x"], "'app example.com:22 x'"),
    (["doctor", "--endpoint", "   "], "endpoint ''"),
    (["doctor", "--nameserver", "garbage"], "'garbage'"),
    (["doctor", "--nameserver", "192.0.2.53:99999"], "'192.0.2.53:99999'"),
    (["login", "--timeout", "-1"], "'-1'"),
    (["login", "--timeout", "nan"], "'nan'"),
    (["login", "--timeout", "abc"], "'abc'"),
    (["analyze", "routes", str(GOOD_CONFIG), "--format", "bogus"], "'bogus'"),
    (["analyze", "routes", str(GOOD_CONFIG), "--address", "not-an-address"], "'not-an-address'"),
    (["config", "remove", "not-a-vai"], "'not-a-vai'"),
    (["config", "remove", "../../etc/passwd"], "'../../etc/passwd'"),
    (["config", "install", "not-a-vai", "--restore", "--yes"], "'not-a-vai'"),
    (["config", "install", str(GOOD_CONFIG), "--backup", "x"], "--backup"),
    (["bundle", "--endpoint", "nope", "--no-doctor", "--list"], "'nope'"),
    (["bundle", "--upload", "http://192.0.2.1/upload"], "'http://192.0.2.1/upload'"),
    (["bundle", "--upload-s3", "not-an-s3-uri", "--no-doctor"], "'not-an-s3-uri'"),
    (["tray", "--bogus"], "--bogus"),
    (["aws", "export-config", "--instance", "not-a-vai"], "'not-a-vai'"),
    (["aws", "endpoints", "--instance", "not-a-vai"], "'not-a-vai'"),
    (["aws", "access-log", "--instance", "not-a-vai", "--region", "eu-central-1"], "'not-a-vai'"),
    (["aws", "access-log", "--instance", INSTANCE, "--since", "bogus"], "'bogus'"),
    (["aws", "access-log", "--instance", INSTANCE, "--since", "0h"], "'0h'"),
    (["aws", "access-log", "--log-group", "g", "--limit", "-5"], "'-5'"),
    (["aws", "access-log", "--log-group", "g", "--limit", "abc"], "'abc'"),
    (["aws", "frobnicate"], "'frobnicate'"),
]


@pytest.fixture
def offline_aws(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Fake credentials and a dead loopback endpoint: nothing leaves the machine."""
    for name in ("AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_REGION", "AWS_DEFAULT_REGION"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_ENDPOINT_URL", "http://127.0.0.1:9")
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIAEXAMPLEFAKE00000")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "fake-secret-for-tests")
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "no-aws-config"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "no-aws-credentials"))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")


@pytest.mark.usefixtures("offline_aws")
@pytest.mark.parametrize(
    ("argv", "names"), OPTION_CASES, ids=lambda v: " ".join(v) if isinstance(v, list) else ""
)
def test_bad_option_value(
    argv: list[str],
    names: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    work = tmp_path / "cwd"
    work.mkdir()
    monkeypatch.chdir(work)

    result = _run(argv, capsys)

    _assert_bad_input(result, names)
    assert list(work.iterdir()) == []  # nothing written (no bundle, no export)


CONFIG_DIR_COMMANDS = [
    ["doctor"],
    ["status"],
    ["login"],
    ["config", "list"],
    ["config", "install", str(GOOD_CONFIG), "--yes"],
    ["config", "remove", INSTANCE],
    ["bundle", "--no-doctor", "--list"],
    ["aws", "export-config", "--instance", INSTANCE, "--install"],
]


@pytest.mark.usefixtures("offline_aws")
@pytest.mark.parametrize("argv", CONFIG_DIR_COMMANDS, ids=" ".join)
def test_config_dir_that_is_a_file(
    argv: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    a_file = tmp_path / "not-a-folder"
    a_file.write_text("x", encoding="utf-8")

    result = _run([*argv, "--config-dir", str(a_file)], capsys)

    _assert_bad_input(result, str(a_file))


# --- a broken settings file ---------------------------------------------------------

BROKEN_SETTINGS: dict[str, bytes | None] = {
    "folder": None,
    "binary": bytes(range(256)) * 4,
    "bad-utf8": b'{"tunnel_interface": "\xff"}',
    "json-list": b"[1]",
    "json-deep": b"[" * 100_000,
    "endpoints-string": b'{"endpoints": "app.example.com:22"}',
    "interval-text": b'{"check_interval_s": "often"}',
}


def _break_settings(kind: str) -> Path:
    path = Path(os.environ["VACLIENT_SETTINGS_DIR"]) / "settings.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    data = BROKEN_SETTINGS[kind]
    if data is None:
        path.mkdir()
    else:
        path.write_bytes(data)
    return path


@pytest.mark.parametrize("kind", sorted(BROKEN_SETTINGS))
@pytest.mark.parametrize("argv", [["doctor"], ["bundle", "--no-doctor", "--list"]], ids=" ".join)
def test_broken_settings_file_is_named(
    argv: list[str], kind: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """Commands that need the settings stop, naming the file and how to fix it."""
    path = _break_settings(kind)

    result = _run(argv, capsys)

    _assert_bad_input(result, str(path))
    assert path.exists()  # reported, not deleted or replaced


@pytest.mark.parametrize("kind", sorted(BROKEN_SETTINGS))
def test_status_warns_about_broken_settings(kind: str, capsys: pytest.CaptureFixture[str]) -> None:
    """``status`` works without the settings: a warning names the file, then the status."""
    path = _break_settings(kind)

    code, out, err = _run(["status"], capsys)

    _assert_clean(out, err)
    assert code in (0, EXIT_FAILED)
    assert f"warning: {path}:" in err
    assert "Tunnel:" in out


# --- AWS without region or reachable endpoint ---------------------------------------


@pytest.mark.usefixtures("offline_aws")
@pytest.mark.parametrize(
    "argv",
    [
        ["aws", "export-config", "--instance", INSTANCE],
        ["aws", "endpoints"],
        ["aws", "access-log", "--log-group", "va-logs"],
    ],
    ids=" ".join,
)
def test_aws_without_region(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    result = _run(argv, capsys)

    _assert_bad_input(result, "Region")
    assert "--region" in result[2]


@pytest.mark.usefixtures("offline_aws")
def test_aws_unknown_profile(capsys: pytest.CaptureFixture[str]) -> None:
    result = _run(["aws", "endpoints", "--profile", "no-such-profile"], capsys)

    _assert_bad_input(result, "'no-such-profile'")


@pytest.mark.usefixtures("offline_aws")
@pytest.mark.parametrize(
    "argv",
    [
        ["aws", "export-config", "--instance", INSTANCE],
        ["aws", "endpoints", "--instance", INSTANCE],
        ["aws", "access-log", "--log-group", "va-logs"],
    ],
    ids=" ".join,
)
def test_aws_unreachable_endpoint(
    argv: list[str],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A dead endpoint (loopback port 9) is a failure with a hint, and writes nothing."""
    monkeypatch.chdir(tmp_path)

    result = _run([*argv, "--region", "eu-central-1"], capsys)

    _assert_bad_input(result, "could not be reached", code=EXIT_FAILED)
    assert list(tmp_path.iterdir()) == []
