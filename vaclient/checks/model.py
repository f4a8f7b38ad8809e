"""Result objects of a diagnosis: checks, endpoint verdicts and the report.

Nothing here prints. Renderers (text, JSON, HTML, the tray) turn the same
objects into output, so every front end tells the same story. The JSON
shape is a contract (``vaclient.report/1``): fields may be added, never
renamed or removed.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

REPORT_SCHEMA = "vaclient.report/1"


class Status(str, Enum):
    """Outcome of one check, endpoint or whole report."""

    OK = "ok"
    WARN = "warn"
    FAIL = "fail"
    SKIP = "skip"


class Stage(int, Enum):
    """Causal order of checks: an earlier stage's failure explains later ones."""

    PREREQ = 0
    CONFIG = 1
    TUNNEL = 2
    DNS = 3
    ADDRESS = 4
    ROUTE = 5
    TCP = 6
    PROTOCOL = 7


@dataclass(frozen=True)
class CheckResult:
    """The outcome of one check.

    Attributes:
        id: stable identifier, ``<kind>`` or ``<kind>:<target>``
            (``dns.aaaa:app.example.com``).
        title: a short human title ("AAAA record").
        status: ok, warn, fail or skip.
        code: a finding code from :mod:`vaclient.checks.codes` when the
            status is warn or fail (and for skips caused by a platform).
        message: what was found, in one sentence.
        hint: the next step, when there is one.
        target: ``HOST:PORT`` for endpoint checks, else None.
        blocked_by: id of the failed check that prevented this one.
        duration_ms: time the check took.
        data: machine-readable details (addresses, routes, banners).
        stage: causal stage, used to pick the primary finding.
    """

    id: str
    title: str
    status: Status
    code: str | None = None
    message: str = ""
    hint: str | None = None
    target: str | None = None
    blocked_by: str | None = None
    duration_ms: float | None = None
    data: Mapping[str, Any] = field(default_factory=dict)
    stage: Stage = Stage.PREREQ

    def to_dict(self) -> dict[str, Any]:
        """The check as the report JSON contract describes it."""
        return {
            "id": self.id,
            "title": self.title,
            "status": self.status.value,
            "code": self.code,
            "message": self.message,
            "hint": self.hint,
            "target": self.target,
            "blocked_by": self.blocked_by,
            "duration_ms": None if self.duration_ms is None else round(self.duration_ms, 1),
            "data": dict(self.data),
            "stage": self.stage.name.lower(),
        }

    @classmethod
    def from_dict(cls, raw: Mapping[str, Any]) -> CheckResult:
        """Rebuild a check from its JSON form (for saved reports)."""
        stage_name = str(raw.get("stage") or "prereq").upper()
        return cls(
            id=str(raw["id"]),
            title=str(raw.get("title", raw["id"])),
            status=Status(raw["status"]),
            code=raw.get("code"),
            message=str(raw.get("message") or ""),
            hint=raw.get("hint"),
            target=raw.get("target"),
            blocked_by=raw.get("blocked_by"),
            duration_ms=raw.get("duration_ms"),
            data=dict(raw.get("data") or {}),
            stage=Stage[stage_name] if stage_name in Stage.__members__ else Stage.PREREQ,
        )


@dataclass(frozen=True)
class EndpointVerdict:
    """The summary line for one endpoint (``HOST:PORT`` as given)."""

    target: str
    status: Status
    code: str | None = None
    address: str | None = None
    latency_ms: float | None = None

    def to_dict(self) -> dict[str, Any]:
        """The endpoint as the report JSON contract describes it."""
        return {
            "target": self.target,
            "status": self.status.value,
            "code": self.code,
            "address": self.address,
            "latency_ms": None if self.latency_ms is None else round(self.latency_ms, 1),
        }

    @classmethod
    def from_dict(cls, raw: Mapping[str, Any]) -> EndpointVerdict:
        """Rebuild a verdict from its JSON form."""
        return cls(
            target=str(raw["target"]),
            status=Status(raw["status"]),
            code=raw.get("code"),
            address=raw.get("address"),
            latency_ms=raw.get("latency_ms"),
        )


def pick_primary(checks: Sequence[CheckResult]) -> tuple[Status, CheckResult | None]:
    """Overall status and the primary finding, in causal order.

    The first failure by stage (ties keep the checks' order) wins; with no
    failure, the first warning; with neither, status ok and no primary.
    """
    ordered = sorted(enumerate(checks), key=lambda ic: (ic[1].stage.value, ic[0]))
    for wanted in (Status.FAIL, Status.WARN):
        for _, check in ordered:
            if check.status is wanted:
                return wanted, check
    return Status.OK, None


@dataclass(frozen=True)
class Report:
    """A whole diagnosis: every check and one verdict per endpoint."""

    checks: tuple[CheckResult, ...]
    endpoints: tuple[EndpointVerdict, ...] = ()
    generated_at: str = ""
    tool_version: str = ""
    host_os: str = ""
    os_version: str = ""
    duration_ms: float | None = None

    @classmethod
    def build(
        cls,
        checks: Iterable[CheckResult],
        endpoints: Iterable[EndpointVerdict] = (),
        *,
        host_os: str,
        os_version: str,
        tool_version: str,
        duration_ms: float | None = None,
        now: _dt.datetime | None = None,
    ) -> Report:
        """Assemble a report, stamping it with the current UTC time."""
        stamp = (now or _dt.datetime.now(_dt.timezone.utc)).strftime("%Y-%m-%dT%H:%M:%SZ")
        return cls(
            checks=tuple(checks),
            endpoints=tuple(endpoints),
            generated_at=stamp,
            tool_version=tool_version,
            host_os=host_os,
            os_version=os_version,
            duration_ms=duration_ms,
        )

    @property
    def status(self) -> Status:
        """ok, warn or fail for the whole report."""
        return pick_primary(self.checks)[0]

    @property
    def primary(self) -> CheckResult | None:
        """The root cause to show first, or None when everything is ok."""
        return pick_primary(self.checks)[1]

    def check(self, check_id: str) -> CheckResult | None:
        """Find a check by id."""
        return next((c for c in self.checks if c.id == check_id), None)

    def to_dict(self) -> dict[str, Any]:
        """The report JSON contract (``vaclient.report/1``)."""
        primary = self.primary
        return {
            "schema": REPORT_SCHEMA,
            "generated_at": self.generated_at,
            "tool": {"name": "vaclient", "version": self.tool_version},
            "host": {"os": self.host_os, "os_version": self.os_version},
            "summary": {
                "status": self.status.value,
                "primary": None
                if primary is None
                else {
                    "check": primary.id,
                    "code": primary.code,
                    "message": primary.message,
                    "hint": primary.hint,
                },
                "duration_ms": None if self.duration_ms is None else round(self.duration_ms, 1),
            },
            "checks": [c.to_dict() for c in self.checks],
            "endpoints": [e.to_dict() for e in self.endpoints],
        }

    @classmethod
    def from_dict(cls, raw: Mapping[str, Any]) -> Report:
        """Rebuild a report from its JSON form (``vaclient report show``)."""
        if raw.get("schema") != REPORT_SCHEMA:
            raise ValueError(f"not a vaclient report (schema {raw.get('schema')!r})")
        host = raw.get("host") or {}
        tool = raw.get("tool") or {}
        summary = raw.get("summary") or {}
        return cls(
            checks=tuple(CheckResult.from_dict(c) for c in raw.get("checks") or ()),
            endpoints=tuple(EndpointVerdict.from_dict(e) for e in raw.get("endpoints") or ()),
            generated_at=str(raw.get("generated_at") or ""),
            tool_version=str(tool.get("version") or ""),
            host_os=str(host.get("os") or ""),
            os_version=str(host.get("os_version") or ""),
            duration_ms=summary.get("duration_ms"),
        )
