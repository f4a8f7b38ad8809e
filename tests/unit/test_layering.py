"""The core stays Qt-free: importing the CLI must not load PySide6."""

from __future__ import annotations

import subprocess
import sys


def _run_python(code: str) -> str:
    """What ``code`` prints in a fresh interpreter (so earlier imports cannot hide one)."""
    return subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout


def test_cli_import_loads_no_qt() -> None:
    code = (
        "import sys, vaclient.cli, vaclient.checks.model, vaclient.platforms;"
        "vaclient.platforms.get_platform();"
        "print(sorted(m for m in sys.modules if m.startswith(('PySide6', 'shiboken6'))))"
    )
    out = _run_python(code)
    assert out.strip() == "[]"


def test_cli_import_loads_no_boto3() -> None:
    code = "import sys, vaclient.cli; print('boto3' in sys.modules, 'botocore' in sys.modules)"
    out = _run_python(code)
    assert out.strip() == "False False"


def test_cli_import_loads_no_network_libraries() -> None:
    # `vaclient --version` and the doctor's start-up stay lean: HTTP, keyring
    # and dnspython are imported by the commands that use them, when they run.
    code = (
        "import sys, vaclient.cli;"
        "print(sorted(m for m in ('requests', 'keyring', 'dns') if m in sys.modules))"
    )
    out = _run_python(code)
    assert out.strip() == "[]"


def test_a_command_imports_only_its_own_module() -> None:
    code = (
        "import sys, contextlib, io\n"
        "from vaclient.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    main(['--no-log-file', 'status', '--json'])\n"
        "print(sorted(m for m in sys.modules if m.startswith('vaclient.cli.')))"
    )
    out = _run_python(code)
    assert out.strip().splitlines()[-1] == "['vaclient.cli.common', 'vaclient.cli.status_cmd']"


def test_top_level_help_lists_every_command_without_importing_them() -> None:
    code = (
        "import sys, contextlib, io\n"
        "from vaclient.cli import main\n"
        "buf = io.StringIO()\n"
        "with contextlib.redirect_stdout(buf), contextlib.suppress(SystemExit):\n"
        "    main(['--help'])\n"
        "print(buf.getvalue())\n"
        "print(sorted(m for m in sys.modules if m.endswith('_cmd')))"
    )
    out = _run_python(code)
    for name in ("doctor", "config", "analyze", "status", "login", "tray", "report", "bundle"):
        assert f"    {name} " in out
    assert out.strip().splitlines()[-1] == "[]"
