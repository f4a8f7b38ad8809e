"""The worked examples in the core's docstrings are true.

Parsers and helpers show examples of their input and output in their
docstrings; this runs every one of them (the Qt package is left out: its
modules need a QApplication).
"""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import vaclient


def _modules_with_examples() -> list[str]:
    finder = doctest.DocTestFinder()
    names = []
    for info in pkgutil.walk_packages(vaclient.__path__, "vaclient."):
        if info.name.startswith("vaclient.ui"):
            continue
        module = importlib.import_module(info.name)
        if any(test.examples for test in finder.find(module)):
            names.append(info.name)
    return sorted(names)


MODULES = _modules_with_examples()


def test_the_core_has_worked_examples() -> None:
    assert len(MODULES) >= 20


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name: str) -> None:
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0
    assert result.failed == 0, f"{result.failed} docstring example(s) failed in {name}"
