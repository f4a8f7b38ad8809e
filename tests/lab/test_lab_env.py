"""The lab's skip rule: skip with a reason locally, fail when CI=true."""

from __future__ import annotations

import pytest

from tests.lab.labkit import env


@pytest.fixture
def no_lab(monkeypatch: pytest.MonkeyPatch) -> None:
    """Pretend this machine cannot run the lab."""
    monkeypatch.setattr(env, "lab_unavailable_reason", lambda: "the namespace lab needs root")


@pytest.mark.usefixtures("no_lab")
def test_skips_with_the_reason_outside_ci(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match="needs root"):
        env.require_lab()


@pytest.mark.usefixtures("no_lab")
def test_fails_in_ci(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="CI=true but the namespace lab needs root"):
        env.require_lab()


def test_passes_when_the_lab_can_run(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(env, "lab_unavailable_reason", lambda: None)
    monkeypatch.setenv("CI", "true")
    env.require_lab()  # returns without skipping or failing
