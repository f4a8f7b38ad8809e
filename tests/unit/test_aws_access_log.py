"""Access-log decisions: OCSF parsing and reading CloudWatch Logs (moto server)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import boto3
import pytest
from botocore.stub import Stubber

from tests.unit import _aws_server
from tests.unit._aws_server import REGION
from vaclient.aws.access_log import fetch_attempts, find_log_group, format_attempt, parse_since
from vaclient.aws.ocsf import epoch_to_datetime, parse_record
from vaclient.cli import main
from vaclient.errors import UsageError

# Fixtures shared with the other AWS tests.
aws_env = _aws_server.aws_env
moto_server = _aws_server.moto_server
stub_env = _aws_server.stub_env

DATA = Path(__file__).resolve().parents[1] / "data" / "aws" / "access-log-records.json"
RECORDS: dict[str, dict[str, Any]] = json.loads(DATA.read_text(encoding="utf-8"))


def test_tcp_record_like_the_real_one() -> None:
    attempt = parse_record(RECORDS["tcp-allow-1.0.0-rc.2"])

    assert attempt.time == dt.datetime(2026, 3, 6, 14, 30, tzinfo=dt.timezone.utc)
    assert attempt.user == "ssouser01"  # the masked email_addr is not shown
    assert attempt.endpoint == "vae-0818a4b1cbed80b83"
    assert attempt.destination == "198.51.100.35:22"
    assert (attempt.decision, attempt.policy) == ("Allow", "inline")
    assert attempt.protocol == "tcp"
    assert attempt.idp == "IdentityCenter"
    assert attempt.client == "203.0.113.77:64683"
    assert attempt.log_version == "1.0.0-rc.2"


def test_tcp_deny_wins_and_tcp_flow_gives_the_destination() -> None:
    attempt = parse_record(json.dumps(RECORDS["tcp-deny-1.0.0-rc.2"]))

    assert (attempt.decision, attempt.policy) == ("Deny", "engineers-only")
    assert attempt.destination == "198.51.100.40:5432"
    assert attempt.user == "dana.lee@corp.example.com"


def test_http_records_of_both_versions() -> None:
    v1 = parse_record(RECORDS["http-allow-1.0.0-rc.2"])
    v01 = parse_record(RECORDS["http-deny-0.1"])

    assert (v1.protocol, v1.endpoint, v1.destination) == (
        "http",
        "wiki.app.example.com",
        "wiki.app.example.com:443",
    )
    assert (v1.user, v1.decision) == ("dana.lee@corp.example.com", "Allow")
    assert (v01.user, v01.decision, v01.policy) == (
        "sam.ortiz@corp.example.com",
        "Deny",
        "finance-group",
    )
    assert v01.log_version == "0.1"


def test_seconds_and_milliseconds_are_told_apart() -> None:
    seconds = epoch_to_datetime("1741270759")
    millis = epoch_to_datetime(1741270983250)

    assert seconds is not None and millis is not None
    assert (millis - seconds).total_seconds() == pytest.approx(224.25)


def test_time_falls_back_to_the_event_stamp() -> None:
    record = dict(RECORDS["tcp-allow-1.0.0-rc.2"])
    for key in ("time", "end_time", "start_time", "metadata"):
        record.pop(key)

    attempt = parse_record(record, fallback_ms=1772807400000)

    assert attempt.time == dt.datetime(2026, 3, 6, 14, 30, tzinfo=dt.timezone.utc)


@pytest.mark.parametrize("text", ["not json", "[]", '{"hello": 1}'])
def test_non_records_are_rejected(text: str) -> None:
    with pytest.raises(ValueError):
        parse_record(text)


def test_format_attempt_answers_why_denied() -> None:
    line = format_attempt(parse_record(RECORDS["tcp-deny-1.0.0-rc.2"]))

    assert line == (
        "2026-03-06 14:40:00  Deny   dana.lee@corp.example.com  vae-0aa11bb22cc33dd44  "
        "-> 198.51.100.40:5432  policy engineers-only"
    )


@pytest.mark.parametrize(("text", "seconds"), [("30m", 1800), ("1h", 3600), ("2d", 172800)])
def test_parse_since(text: str, seconds: int) -> None:
    assert parse_since(text).total_seconds() == seconds


@pytest.mark.parametrize("text", ["", "0h", "1y", "-1h", "h"])
def test_parse_since_rejects(text: str) -> None:
    with pytest.raises(UsageError, match="not a time span"):
        parse_since(text)


# --- CloudWatch Logs through the moto server --------------------------------


def _recent(record: dict[str, Any], now: dt.datetime) -> dict[str, Any]:
    """The record moved in time so that 14:30 in the data becomes ``now`` - 30 min.

    CloudWatch Logs refuses events older than 14 days, so stored records are
    made recent; their units (seconds vs milliseconds) are kept.
    """
    shift_ms = int((now - dt.timedelta(minutes=30)).timestamp() * 1000) - 1772807400000
    out = json.loads(json.dumps(record))
    for key in ("time", "end_time"):
        out[key] = str(int(out[key]) + shift_ms)
    if "start_time" in out:
        out["start_time"] = str(int(out["start_time"]) + shift_ms // 1000)
    out["metadata"]["logged_time"] += shift_ms
    return out


def _put_events(group: str, now: dt.datetime) -> None:
    logs = boto3.client("logs", region_name=REGION)
    logs.create_log_group(logGroupName=group)
    logs.create_log_stream(logGroupName=group, logStreamName="va")
    recent = [_recent(r, now) for r in RECORDS.values()]
    events = [{"timestamp": int(r["time"]), "message": json.dumps(r)} for r in recent]
    events.append({"timestamp": events[0]["timestamp"] + 1, "message": "START of another app"})
    events.sort(key=lambda e: e["timestamp"])
    response = logs.put_log_events(logGroupName=group, logStreamName="va", logEvents=events)
    assert "rejectedLogEventsInfo" not in response


def _now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc).replace(microsecond=0)


def test_fetch_attempts_from_cloudwatch(aws_env: str) -> None:
    now = _now()
    _put_events("/va/access-1", now)
    logs = boto3.client("logs", region_name=REGION)

    result = fetch_attempts(logs, "/va/access-1", since=dt.timedelta(hours=1), now=now)

    assert [a.decision for a in result.attempts] == ["Allow", "Allow", "Deny", "Deny"]
    assert result.unparsed == 1
    assert not result.truncated


def test_fetch_attempts_for_one_user_and_bounded(aws_env: str) -> None:
    now = _now()
    _put_events("/va/access-2", now)
    logs = boto3.client("logs", region_name=REGION)

    mine = fetch_attempts(
        logs, "/va/access-2", since=dt.timedelta(hours=1), user="dana.lee", now=now
    )
    bounded = fetch_attempts(
        logs, "/va/access-2", since=dt.timedelta(hours=1), now=now, max_events=2
    )
    early = fetch_attempts(logs, "/va/access-2", since=dt.timedelta(minutes=15), now=now)

    assert {a.user for a in mine.attempts} == {"dana.lee@corp.example.com"}
    assert len(mine.attempts) == 2
    assert bounded.truncated
    assert [a.destination for a in early.attempts] == ["payroll.app.example.com:443"]


def test_cli_access_log_with_log_group(aws_env: str, capsys: pytest.CaptureFixture[str]) -> None:
    _put_events("/va/access-3", _now())

    code = main(["--no-log-file", "aws", "access-log", "--log-group", "/va/access-3", "--json"])

    out = json.loads(capsys.readouterr().out)
    assert code == 0
    assert out["log_group"] == "/va/access-3"
    assert [a["policy"] for a in out["attempts"]] == [
        "inline",
        "inline",
        "engineers-only",
        "finance-group",
    ]


def test_cli_access_log_text_names_the_deciding_policy(
    aws_env: str, capsys: pytest.CaptureFixture[str]
) -> None:
    _put_events("/va/access-4", _now())

    code = main(
        ["--no-log-file", "aws", "access-log", "--log-group", "/va/access-4", "--user", "sam"]
    )

    out = capsys.readouterr().out
    assert code == 0
    assert "Deny   sam.ortiz@corp.example.com  payroll.app.example.com" in out
    assert "1 denied; deciding policy: finance-group." in out


# --- finding the log group (EC2 API via Stubber) ------------------------------


def _ec2() -> Any:
    return boto3.client("ec2", region_name=REGION)


def test_find_log_group(stub_env: str) -> None:
    ec2 = _ec2()
    with Stubber(ec2) as stub:
        stub.add_response(
            "describe_verified_access_instance_logging_configurations",
            {
                "LoggingConfigurations": [
                    {
                        "VerifiedAccessInstanceId": "vai-0d25a84f343f84fe3",
                        "AccessLogs": {
                            "CloudWatchLogs": {"Enabled": True, "LogGroup": "/va/prod"},
                            "LogVersion": "ocsf-1.0.0-rc.2",
                        },
                    }
                ]
            },
            {"VerifiedAccessInstanceIds": ["vai-0d25a84f343f84fe3"]},
        )
        assert find_log_group(ec2, "vai-0d25a84f343f84fe3") == "/va/prod"
        stub.assert_no_pending_responses()


def test_find_log_group_when_logs_go_to_s3(stub_env: str) -> None:
    ec2 = _ec2()
    with Stubber(ec2) as stub:
        stub.add_response(
            "describe_verified_access_instance_logging_configurations",
            {
                "LoggingConfigurations": [
                    {
                        "VerifiedAccessInstanceId": "vai-0d25a84f343f84fe3",
                        "AccessLogs": {
                            "S3": {"Enabled": True, "BucketName": "va-logs"},
                            "CloudWatchLogs": {"Enabled": False},
                        },
                    }
                ]
            },
        )
        with pytest.raises(UsageError, match="writes its access logs to S3"):
            find_log_group(ec2, "vai-0d25a84f343f84fe3")
