"""Replace one marked section of a Markdown file, keeping every other section.

Each benchmark owns the part of docs/benchmarks.md between its own start and
end markers (HTML comments), so the benchmarks can be re-run one at a time.
"""

from __future__ import annotations

from pathlib import Path


def write_section(path: Path, section: str, start: str, end: str) -> None:
    """Put ``section`` (which begins with ``start`` and ends with ``end``) into ``path``.

    An existing section between the markers is replaced; without one, the
    section is appended. A missing file is created with a title.
    """
    text = path.read_text(encoding="utf-8") if path.exists() else "# Benchmarks\n"
    if start in text and end in text:
        head, rest = text.split(start, 1)
        tail = rest.split(end, 1)[1]
        text = head + section + tail
    else:
        text = text.rstrip("\n") + "\n\n" + section + "\n"
    path.write_text(text, encoding="utf-8")
