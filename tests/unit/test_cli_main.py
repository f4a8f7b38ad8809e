"""The CLI front end: dispatch, usage errors and the frozen-build helper entry."""

from __future__ import annotations

import argparse
import sys

import pytest

import vaclient.config.elevated
from vaclient import __version__
from vaclient.cli import main
from vaclient.config.elevation import FROZEN_HELPER_ARG, HELPER_MODULE, helper_argv


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main(["--version"])
    assert info.value.code == 0
    assert capsys.readouterr().out == f"vaclient {__version__}\n"


def test_no_command_prints_help_and_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([]) == 2
    assert "COMMAND" in capsys.readouterr().err


def test_unknown_command_names_the_way_out(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main(["frobnicate"])
    assert info.value.code == 2
    err = capsys.readouterr().err
    assert "invalid choice: 'frobnicate'" in err
    assert "Run 'vaclient --help' for the options." in err


def test_helper_argv_from_python() -> None:
    argv = helper_argv("install", "--x")
    assert argv[1:] == ["-I", "-m", HELPER_MODULE, "install", "--x"]


def test_helper_argv_when_frozen(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "executable", "/opt/vaclient/vaclient-tray")
    assert helper_argv("install") == ["/opt/vaclient/vaclient", FROZEN_HELPER_ARG, "install"]


def test_frozen_helper_arg_runs_the_helper(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[list[str]] = []

    def fake_helper(argv: list[str]) -> int:
        seen.append(list(argv))
        return 4

    monkeypatch.setattr(vaclient.config.elevated, "main", fake_helper)
    assert main([FROZEN_HELPER_ARG, "install", "--dest-dir", "x"]) == 4
    assert seen == [["install", "--dest-dir", "x"]]


def test_every_command_module_registers_under_its_name() -> None:
    from vaclient.cli import build_parser
    from vaclient.cli.common import COMMANDS

    parser = build_parser()
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    assert sorted(sub.choices) == sorted(COMMANDS)
    for name, command_parser in sub.choices.items():
        assert command_parser.prog == f"vaclient {name}"
        # A real command has options or sub-commands of its own beyond --help.
        assert len(command_parser._actions) > 1, name
