"""Fetch Verified Access access-log decisions from CloudWatch Logs.

The log group comes from the instance's logging configuration
(``DescribeVerifiedAccessInstanceLoggingConfigurations``) unless the
helpdesk names it. Events are read with ``FilterLogEvents``, paginated and
bounded, optionally narrowed to one user by a CloudWatch text filter, and
each record is parsed by :mod:`vaclient.aws.ocsf`.
"""

from __future__ import annotations

import datetime as _dt
import logging
import re
from dataclasses import dataclass, field
from typing import Any

from vaclient.aws.export import check_instance_id
from vaclient.aws.ocsf import AccessAttempt, parse_record
from vaclient.aws.session import aws_errors
from vaclient.errors import UsageError

logger = logging.getLogger(__name__)

MAX_EVENTS = 5000
_DURATION = re.compile(r"^\s*(\d+)\s*([smhdw])\s*$", re.IGNORECASE)
_UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}


@dataclass
class AccessLogResult:
    """The parsed attempts, and what was left out and why."""

    log_group: str
    attempts: list[AccessAttempt] = field(default_factory=list)
    unparsed: int = 0
    truncated: bool = False


def parse_since(text: str) -> _dt.timedelta:
    """Read ``30m``, ``1h``, ``2d`` or ``1w`` as a time span.

    >>> parse_since("90m")
    datetime.timedelta(seconds=5400)

    Raises:
        UsageError: any other form.
    """
    match = _DURATION.match(text)
    if not match or int(match.group(1)) == 0:
        raise UsageError(
            f"--since {text!r} is not a time span",
            "Write a number and a unit: 30m, 1h, 2d or 1w.",
        )
    return _dt.timedelta(seconds=int(match.group(1)) * _UNIT_SECONDS[match.group(2).lower()])


def find_log_group(ec2: Any, instance_id: str) -> str:
    """The CloudWatch Logs group the instance writes its access logs to.

    Raises:
        UsageError: the instance does not log to CloudWatch Logs.
        VaclientError: AWS refused or could not be reached.
    """
    check_instance_id(instance_id)
    with aws_errors(f"read the logging configuration of {instance_id}"):
        response = ec2.describe_verified_access_instance_logging_configurations(
            VerifiedAccessInstanceIds=[instance_id]
        )
    for config in response.get("LoggingConfigurations") or ():
        logs = config.get("AccessLogs") or {}
        cloudwatch = logs.get("CloudWatchLogs") or {}
        if cloudwatch.get("Enabled") and cloudwatch.get("LogGroup"):
            logger.info(
                "instance %s logs to %s (version %s)",
                instance_id,
                cloudwatch["LogGroup"],
                logs.get("LogVersion", "?"),
            )
            return str(cloudwatch["LogGroup"])
        others = [k for k in ("S3", "KinesisDataFirehose") if (logs.get(k) or {}).get("Enabled")]
        if others:
            raise UsageError(
                f"{instance_id} writes its access logs to {' and '.join(others)}, "
                "not to CloudWatch Logs",
                "Read them there, or enable CloudWatch Logs in the instance's logging "
                "configuration (use the ocsf-1.0.0-rc.2 log version for TCP endpoints).",
            )
    raise UsageError(
        f"{instance_id} has no access logging to CloudWatch Logs",
        "Enable it: VPC console > Verified Access instances > Logging configuration, "
        "or pass --log-group NAME.",
    )


def _user_filter(user: str) -> str:
    """A CloudWatch filter pattern matching ``user`` as an exact phrase."""
    return '"' + user.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _matches_user(attempt: AccessAttempt, user: str) -> bool:
    return user.lower() in attempt.user.lower()


def fetch_attempts(
    logs: Any,
    log_group: str,
    *,
    since: _dt.timedelta,
    user: str | None = None,
    now: _dt.datetime | None = None,
    max_events: int = MAX_EVENTS,
) -> AccessLogResult:
    """Read and parse the access attempts of the last ``since``, newest last.

    Args:
        logs: a CloudWatch Logs client.
        log_group: the group to read.
        since: how far back to look.
        user: only attempts of this user (e-mail address or name).
        now: the end of the window (tests).
        max_events: stop after this many events (the result says so).

    Raises:
        VaclientError: AWS refused or could not be reached.
    """
    end = now or _dt.datetime.now(_dt.timezone.utc)
    kwargs: dict[str, Any] = {
        "logGroupName": log_group,
        "startTime": int((end - since).timestamp() * 1000),
        "endTime": int(end.timestamp() * 1000),
    }
    if user:
        kwargs["filterPattern"] = _user_filter(user)

    result = AccessLogResult(log_group)
    seen = 0
    with aws_errors(f"read the log group {log_group}"):
        paginator = logs.get_paginator("filter_log_events")
        for page in paginator.paginate(**kwargs):
            for event in page.get("events") or ():
                seen += 1
                try:
                    attempt = parse_record(event.get("message", ""), event.get("timestamp"))
                except ValueError:
                    result.unparsed += 1
                    continue
                if user and not _matches_user(attempt, user):
                    continue
                result.attempts.append(attempt)
            if seen >= max_events:
                result.truncated = True
                break

    epoch = _dt.datetime.min.replace(tzinfo=_dt.timezone.utc)
    result.attempts.sort(key=lambda a: a.time or epoch)
    logger.info(
        "%s: %d events read, %d attempts, %d unparsed%s",
        log_group,
        seen,
        len(result.attempts),
        result.unparsed,
        " (stopped at the limit)" if result.truncated else "",
    )
    return result


def format_attempt(attempt: AccessAttempt) -> str:
    """One line per attempt: time, decision, user, endpoint, destination, policy."""
    when = attempt.time.strftime("%Y-%m-%d %H:%M:%S") if attempt.time else "?"
    decision = attempt.decision or f"({attempt.status or 'no decision'})"
    policy = f"policy {attempt.policy}" if attempt.policy else "no policy named"
    return (
        f"{when}  {decision:<6} {attempt.user or '?'}  {attempt.endpoint or '?'}  "
        f"-> {attempt.destination or '?'}  {policy}"
    )
