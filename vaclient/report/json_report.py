"""JSON rendering of a diagnosis report (``vaclient.report/1``).

The shape is the contract in docs/architecture.md and is produced by
:meth:`vaclient.checks.model.Report.to_dict`; this module only serialises
it, so the CLI, bundles and uploads all write the same bytes.
"""

from __future__ import annotations

import json
from typing import IO

from vaclient.checks.model import Report


def dumps(report: Report) -> str:
    """The report as indented JSON text with a trailing newline."""
    return json.dumps(report.to_dict(), indent=2, ensure_ascii=False) + "\n"


def write(report: Report, stream: IO[str]) -> None:
    """Write the report as JSON to ``stream``."""
    stream.write(dumps(report))
