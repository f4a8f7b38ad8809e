"""Parser for ``dig`` output: status, flags, records, server and timing.

A paste may hold several ``dig`` runs (an AAAA and an A query, say); each
starts at its ``; <<>> DiG`` banner or, without one, at its
``->>HEADER<<-`` line. A run that got no answer at all (``connection timed
out; no servers could be reached``) has status None and ``timed_out``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from vaclient.errors import UsageError
from vaclient.net.routes.common import clean_text

_HEADER = re.compile(r"->>HEADER<<-\s+opcode:\s*(\S+?),\s*status:\s*(\S+?),\s*id:\s*(\d+)")
_FLAGS = re.compile(r"^;;\s*flags:([^;]*);")
_SECTION = re.compile(r"^;;\s*(QUESTION|ANSWER|AUTHORITY|ADDITIONAL) SECTION:")
_RECORD = re.compile(r"^(\S+)\s+(\d+)\s+([A-Z]+[0-9]*)\s+([A-Z0-9]+)\s*(.*?)\s*$")
_QUESTION = re.compile(r"^;(\S+)\s+(?:([A-Z]+[0-9]*)\s+)?([A-Z0-9]+)\s*$")
_SERVER = re.compile(r"^;;\s*SERVER:\s*(.+?)#(\d+)")
_TIME = re.compile(r"^;;\s*Query time:\s*(\d+)\s*msec")
_TIMEOUT = re.compile(r"connection timed out|no servers could be reached", re.I)
_START = re.compile(r"^; <<>> DiG")
_BANNER = re.compile(r"^; <<>> DiG \S+ <<>> (.*)$")

#: Statuses that mean the server failed the query rather than answered it.
FAILED_STATUSES = frozenset({"SERVFAIL", "REFUSED", "NOTIMP", "FORMERR"})


@dataclass(frozen=True)
class Record:
    """One resource record line of an answer, authority or additional section."""

    name: str
    ttl: int
    rclass: str
    rtype: str
    data: str

    def to_dict(self) -> dict[str, Any]:
        """A JSON-friendly form."""
        return {
            "name": self.name,
            "ttl": self.ttl,
            "class": self.rclass,
            "type": self.rtype,
            "data": self.data,
        }


@dataclass(frozen=True)
class DigResult:
    """One ``dig`` run."""

    qname: str | None
    qtype: str | None
    status: str | None
    flags: tuple[str, ...] = ()
    answers: tuple[Record, ...] = ()
    authority: tuple[Record, ...] = ()
    server: str | None = None
    query_time_ms: int | None = None
    timed_out: bool = False

    @property
    def aaaa(self) -> tuple[str, ...]:
        """The IPv6 addresses in the answer section."""
        return tuple(r.data for r in self.answers if r.rtype == "AAAA")

    @property
    def finding(self) -> str | None:
        """The doctor finding code this run shows, or None when it shows none.

        ``dns-nxdomain`` for NXDOMAIN; ``dns-servfail`` when the server
        failed or refused; ``dns-timeout`` when no server answered;
        ``dns-no-aaaa`` when an AAAA query succeeded without an AAAA record
        (Verified Access TCP endpoints resolve to IPv6 only, so an A query
        without an answer is normal).
        """
        if self.timed_out:
            return "dns-timeout"
        if self.status == "NXDOMAIN":
            return "dns-nxdomain"
        if self.status in FAILED_STATUSES:
            return "dns-servfail"
        if self.status == "NOERROR" and self.qtype == "AAAA" and not self.aaaa:
            return "dns-no-aaaa"
        return None

    def to_dict(self) -> dict[str, Any]:
        """A JSON-friendly form for ``analyze dig --json``."""
        return {
            "name": self.qname,
            "type": self.qtype,
            "status": self.status,
            "flags": list(self.flags),
            "answers": [r.to_dict() for r in self.answers],
            "authority": [r.to_dict() for r in self.authority],
            "aaaa": list(self.aaaa),
            "server": self.server,
            "query_time_ms": self.query_time_ms,
            "timed_out": self.timed_out,
            "finding": self.finding,
        }


def parse_dig(text: str, *, source: str = "the input") -> list[DigResult]:
    """Every ``dig`` run in the text.

    Args:
        text: the output of one or more ``dig`` commands.
        source: how to name the input in error messages.

    Returns:
        One result per run, in order.

    Raises:
        UsageError: no ``dig`` output is in the text.

    Example:
        >>> text = '''; <<>> DiG 9.18.33 <<>> app.example.com AAAA
        ... ;; ->>HEADER<<- opcode: QUERY, status: NOERROR, id: 33841
        ... ;; flags: qr rd ra; QUERY: 1, ANSWER: 1, AUTHORITY: 0, ADDITIONAL: 1
        ... ;; QUESTION SECTION:
        ... ;app.example.com.              IN      AAAA
        ... ;; ANSWER SECTION:
        ... app.example.com.       237     IN      AAAA    2001:db8:900::40dc:b8d9
        ... ;; Query time: 0 msec
        ... ;; SERVER: 192.0.2.53#53(192.0.2.53) (UDP)'''
        >>> result = parse_dig(text)[0]
        >>> result.status, result.flags, result.aaaa, result.server, result.finding
        ('NOERROR', ('qr', 'rd', 'ra'), ('2001:db8:900::40dc:b8d9',), '192.0.2.53', None)
    """
    runs: list[list[str]] = []
    for raw in clean_text(text).split("\n"):
        line = raw.strip()
        starts = _START.match(line) is not None
        header_without_banner = _HEADER.search(line) is not None and (
            not runs or any(_HEADER.search(seen) for seen in runs[-1])
        )
        if starts or header_without_banner:
            runs.append([])
        if runs:
            runs[-1].append(line)

    results = [_result(lines) for lines in runs]
    results = [r for r in results if r.status is not None or r.timed_out]
    if not results:
        raise UsageError(
            f"no dig output found in {source}; paste the whole output of `dig NAME AAAA`",
            "run `dig NAME AAAA > dig.txt` (not `dig +short`) and pass that file",
        )
    return results


def _result(lines: list[str]) -> DigResult:
    """One run's lines as a DigResult."""
    values: dict[str, Any] = {"qname": None, "qtype": None, "status": None, "flags": ()}
    sections: dict[str, list[Record]] = {"ANSWER": [], "AUTHORITY": []}
    section = ""
    for line in lines:
        if (match := _BANNER.match(line)) is not None:
            words = [w for w in match.group(1).split() if not w.startswith(("@", "+", "-"))]
            values["qname"] = words[0] if words else None
            values["qtype"] = next((w for w in words[1:] if w.isupper()), "A")
        elif (match := _HEADER.search(line)) is not None:
            values["status"] = match.group(2)
        elif (match := _FLAGS.match(line)) is not None:
            values["flags"] = tuple(match.group(1).split())
        elif (match := _SECTION.match(line)) is not None:
            section = match.group(1)
        elif (match := _SERVER.match(line)) is not None:
            values["server"] = match.group(1).strip("[]")
        elif (match := _TIME.match(line)) is not None:
            values["query_time_ms"] = int(match.group(1))
        elif _TIMEOUT.search(line):
            values["timed_out"] = values["status"] is None
        elif section == "QUESTION" and (match := _QUESTION.match(line)) is not None:
            values["qname"], values["qtype"] = match.group(1), match.group(3)
        elif section in sections and (match := _RECORD.match(line)) is not None:
            name, ttl, rclass, rtype, data = match.groups()
            sections[section].append(Record(name, int(ttl), rclass, rtype, data))
        elif not line:
            section = ""
    return DigResult(
        answers=tuple(sections["ANSWER"]), authority=tuple(sections["AUTHORITY"]), **values
    )
