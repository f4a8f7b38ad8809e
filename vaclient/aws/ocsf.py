"""Parse Verified Access access-log records (OCSF) into access attempts.

Verified Access writes two log versions, and three record shapes matter:

- ``ocsf-0.1`` (HTTP only), class ``208001``: the decision is under
  ``identity.authorizations``, the user under ``identity.user``;
- ``ocsf-1.0.0-rc.2`` HTTP, class ``3006``: ``actor.authorizations``,
  ``actor.user``, ``http_request.url.hostname``;
- ``ocsf-1.0.0-rc.2`` TCP, class ``3003``: ``data.authorizations`` and
  ``data.idp`` (not under ``actor``), the user at the top level,
  ``privileges`` holding the ``vae-...`` endpoint IDs and ``dst_endpoint``
  (or ``data.context.tcp_flow``) the destination.

Pitfalls handled here: numbers are often strings; ``start_time`` has been
seen in seconds while ``end_time`` and ``time`` are in milliseconds (so
every time stamp is read by its magnitude); ``duration`` can be
implausible and is not used; an ``email_addr`` can be masked text.
"""

from __future__ import annotations

import datetime as _dt
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

#: Epoch values at or above this are milliseconds (it is 1973 in ms, 5138 in s).
_MS_THRESHOLD = 100_000_000_000


@dataclass(frozen=True)
class AccessAttempt:
    """One connection attempt as the helpdesk needs it ("why was I denied?")."""

    time: _dt.datetime | None
    user: str
    endpoint: str
    destination: str
    decision: str
    policy: str
    protocol: str
    log_version: str
    status: str = ""
    client: str = ""
    idp: str = ""

    def to_dict(self) -> dict[str, Any]:
        """JSON form for ``--json``."""
        return {
            "time": self.time.strftime("%Y-%m-%dT%H:%M:%S.%fZ")[:-4] + "Z" if self.time else None,
            "user": self.user,
            "endpoint": self.endpoint,
            "destination": self.destination,
            "decision": self.decision or None,
            "policy": self.policy or None,
            "protocol": self.protocol,
            "log_version": self.log_version,
            "status": self.status,
            "client": self.client,
            "idp": self.idp,
        }


def epoch_to_datetime(value: Any) -> _dt.datetime | None:
    """Read an epoch time stamp in seconds or milliseconds, number or string.

    >>> epoch_to_datetime("1741270759").isoformat()
    '2025-03-06T14:19:19+00:00'
    >>> epoch_to_datetime("1741270983250").isoformat()
    '2025-03-06T14:23:03.250000+00:00'
    >>> epoch_to_datetime("soon") is None
    True
    """
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    if number <= 0:
        return None
    seconds = number / 1000 if number >= _MS_THRESHOLD else number
    try:
        return _dt.datetime.fromtimestamp(seconds, tz=_dt.timezone.utc)
    except (OverflowError, OSError, ValueError):
        return None


def _get(record: Mapping[str, Any], path: str) -> Any:
    """``record["a"]["b"]`` for ``"a.b"``; None where a step is missing."""
    value: Any = record
    for step in path.split("."):
        if not isinstance(value, Mapping):
            return None
        value = value.get(step)
    return value


def _host_port(host: Any, port: Any) -> str:
    """``host:port`` (IPv6 in brackets), ``host`` without a port, "" without a host."""
    if not host:
        return ""
    host = str(host)
    shown = f"[{host}]" if ":" in host else host
    return f"{shown}:{port}" if port not in (None, "") else shown


def _decision(authorizations: Any) -> tuple[str, str]:
    """The deciding (decision, policy name): a Deny wins over Allows."""
    if not isinstance(authorizations, Sequence) or not authorizations:
        return "", ""
    items = [a for a in authorizations if isinstance(a, Mapping)]
    chosen = next(
        (a for a in items if str(a.get("decision", "")).lower() == "deny"),
        items[0] if items else {},
    )
    policy = _get(chosen, "policy.name") or ""
    return str(chosen.get("decision") or ""), str(policy)


def _user(user: Any) -> str:
    """The user's e-mail address if it is one (it can be masked text), else a name or ID."""
    if not isinstance(user, Mapping):
        return ""
    email = str(user.get("email_addr") or "")
    if "@" in email:
        return email
    return str(user.get("name") or user.get("uid") or email or "")


def _time(record: Mapping[str, Any], fallback_ms: int | None) -> _dt.datetime | None:
    """The record's first readable time stamp, else the CloudWatch event's."""
    for key in ("time", "end_time", "start_time", "metadata.logged_time"):
        stamp = epoch_to_datetime(_get(record, key))
        if stamp is not None:
            return stamp
    return epoch_to_datetime(fallback_ms)


def parse_record(record: Mapping[str, Any] | str, fallback_ms: int | None = None) -> AccessAttempt:
    """Turn one access-log record (a dict or its JSON text) into an attempt.

    Args:
        record: the OCSF record.
        fallback_ms: the CloudWatch event time stamp, used when the record has none.

    Raises:
        ValueError: not JSON, or not a Verified Access OCSF record.

    Example: the TCP record ``{"class_uid": "3003", "data": {"authorizations":
    [{"decision": "Deny", "policy": {"name": "engineers-only"}}]}, "privileges":
    ["vae-0818a4b1cbed80b83"], "dst_endpoint": {"ip": "198.51.100.35", "port": 22},
    "user": {"name": "ssouser01"}, "time": "1741270983250", ...}`` becomes
    ``AccessAttempt(user="ssouser01", endpoint="vae-0818a4b1cbed80b83",
    destination="198.51.100.35:22", decision="Deny", policy="engineers-only", ...)``.
    """
    record = _as_record(record)
    class_uid = str(record.get("class_uid"))
    # Class 3003 is TCP (1.0.0-rc.2); the others are HTTP.
    tcp = class_uid == "3003"
    fields = _tcp_fields(record) if tcp else _http_fields(record, class_uid)

    return AccessAttempt(
        time=_time(record, fallback_ms),
        log_version=str(_get(record, "metadata.version") or ""),
        status=str(record.get("status") or record.get("activity") or ""),
        client=_host_port(_get(record, "device.ip"), _get(record, "device.port")),
        **fields,
    )


def _as_record(record: Mapping[str, Any] | str) -> Mapping[str, Any]:
    """The record as a mapping, parsed from JSON if need be.

    Raises:
        ValueError: not JSON, or no ``class_uid`` (not an OCSF record).
    """
    if isinstance(record, str):
        try:
            record = json.loads(record)
        except json.JSONDecodeError as err:
            raise ValueError(f"not JSON (column {err.colno})") from err

    if not isinstance(record, Mapping) or "class_uid" not in record:
        raise ValueError("not an OCSF record (no class_uid)")
    return record


def _tcp_fields(record: Mapping[str, Any]) -> dict[str, str]:
    """Who, where and the decision of a TCP record (class ``3003``).

    The decision and identity provider sit under ``data``, the user at the
    top level (or, in some records, under ``actor``), the endpoint IDs in
    ``privileges`` and the destination in ``data.context.tcp_flow`` or
    ``dst_endpoint``.
    """
    decision, policy = _decision(_get(record, "data.authorizations"))

    flow = _get(record, "data.context.tcp_flow") or {}
    destination = _host_port(flow.get("destination_ip"), flow.get("destination_port"))
    if not destination:
        destination = _host_port(
            _get(record, "dst_endpoint.ip"), _get(record, "dst_endpoint.port")
        )

    privileges = record.get("privileges") or []
    return {
        "user": _user(record.get("user")) or _user(_get(record, "actor.user")),
        "endpoint": ", ".join(str(p) for p in privileges) if isinstance(privileges, list) else "",
        "destination": destination,
        "decision": decision,
        "policy": policy,
        "protocol": str(_get(record, "data.protocol") or "tcp"),
        "idp": str(_get(record, "data.idp.name") or ""),
    }


def _http_fields(record: Mapping[str, Any], class_uid: str) -> dict[str, str]:
    """Who, where and the decision of an HTTP record (class ``3006`` or ``208001``).

    Raises:
        ValueError: another class, without an ``identity`` object either.
    """
    # 1.0.0-rc.2 keeps identity under "actor", 0.1 under "identity".
    who = "actor" if class_uid == "3006" else "identity"
    if class_uid not in ("3006", "208001") and not isinstance(record.get(who), Mapping):
        raise ValueError(f"not a Verified Access access record (class_uid {class_uid})")

    decision, policy = _decision(_get(record, f"{who}.authorizations"))
    host = _get(record, "http_request.url.hostname")
    return {
        "user": _user(_get(record, f"{who}.user")),
        "endpoint": str(host or ""),
        "destination": _host_port(host, _get(record, "http_request.url.port")),
        "decision": decision,
        "policy": policy,
        "protocol": "http",
        "idp": str(_get(record, f"{who}.idp.name") or ""),
    }
