"""docs/codes.md documents every finding code, with the hint the report shows."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from vaclient.checks.codes import CATALOGUE

DOC = Path(__file__).resolve().parents[2] / "docs" / "codes.md"


def _sections() -> dict[str, str]:
    """Section text by heading (``## code``)."""
    text = DOC.read_text(encoding="utf-8")
    parts = re.split(r"^## +(.+?)\s*$", text, flags=re.MULTILINE)
    return {parts[i].strip(): parts[i + 1] for i in range(1, len(parts) - 1, 2)}


def _flat(text: str) -> str:
    return " ".join(text.split())


def test_every_section_is_a_known_code() -> None:
    assert set(_sections()) == set(CATALOGUE)


@pytest.mark.parametrize("code", sorted(CATALOGUE))
def test_code_is_documented_with_its_hint(code: str) -> None:
    section = _sections().get(code)

    assert section is not None, f"docs/codes.md has no section '## {code}'"
    assert f"**Next step:** {_flat(CATALOGUE[code].hint)}" in _flat(section)
    assert "Common causes:" in section
    assert f"({CATALOGUE[code].severity.value})" in section


def test_doc_anchor_points_at_the_heading() -> None:
    for finding in CATALOGUE.values():
        assert finding.doc_anchor == f"docs/codes.md#{finding.code}"
