"""aws endpoints: DescribeVerifiedAccessEndpoints and CIDR targets (Stubber)."""

from __future__ import annotations

import json
from typing import Any

import boto3
import pytest
from botocore.stub import Stubber

from tests.unit import _aws_server
from tests.unit._aws_server import REGION
from vaclient.aws.endpoints import list_endpoints, merge_endpoints, to_settings_endpoints
from vaclient.cli import main
from vaclient.settings import Endpoint, load_settings

# Fixtures shared with the other AWS tests.
stub_env = _aws_server.stub_env

INSTANCE = "vai-0d25a84f343f84fe3"
ENI = {
    "VerifiedAccessInstanceId": INSTANCE,
    "VerifiedAccessEndpointId": "vae-0818a4b1cbed80b83",
    "EndpointType": "network-interface",
    "EndpointDomain": f"ssh.{INSTANCE}.prod.verified-access.{REGION}.amazonaws.com",
    "NetworkInterfaceOptions": {"NetworkInterfaceId": "eni-0abc", "Protocol": "tcp", "Port": 22},
    "Status": {"Code": "active"},
    "Description": "bastion",
}
RDS = {
    "VerifiedAccessInstanceId": INSTANCE,
    "VerifiedAccessEndpointId": "vae-0aa11bb22cc33dd44",
    "EndpointType": "rds",
    "EndpointDomain": f"db.{INSTANCE}.prod.verified-access.{REGION}.amazonaws.com",
    "RdsOptions": {"Protocol": "tcp", "Port": 5432, "RdsEndpoint": "db.internal"},
    "Status": {"Code": "active"},
}
CIDR = {
    "VerifiedAccessInstanceId": INSTANCE,
    "VerifiedAccessEndpointId": "vae-0cc00dd11ee22ff33",
    "EndpointType": "cidr",
    "CidrOptions": {
        "Cidr": "198.51.100.0/28",
        "Protocol": "tcp",
        "PortRanges": [{"FromPort": 22, "ToPort": 22}, {"FromPort": 8000, "ToPort": 8002}],
    },
    "Status": {"Code": "active"},
}
TARGETS = [
    {
        "VerifiedAccessEndpointId": "vae-0cc00dd11ee22ff33",
        "VerifiedAccessEndpointTargetIpAddress": "198.51.100.5",
        "VerifiedAccessEndpointTargetDns": "t5.cidr.example.com",
    },
    {
        "VerifiedAccessEndpointId": "vae-0cc00dd11ee22ff33",
        "VerifiedAccessEndpointTargetIpAddress": "198.51.100.6",
        "VerifiedAccessEndpointTargetDns": "t6.cidr.example.com",
    },
]


def _stubbed() -> tuple[Any, Stubber]:
    ec2 = boto3.client("ec2", region_name=REGION)
    stub = Stubber(ec2)
    stub.add_response(
        "describe_verified_access_endpoints",
        {"VerifiedAccessEndpoints": [ENI, RDS], "NextToken": "page2"},
        {"VerifiedAccessInstanceId": INSTANCE},
    )
    stub.add_response(
        "describe_verified_access_endpoints",
        {"VerifiedAccessEndpoints": [CIDR]},
        {"VerifiedAccessInstanceId": INSTANCE, "NextToken": "page2"},
    )
    stub.add_response(
        "get_verified_access_endpoint_targets",
        {"VerifiedAccessEndpointTargets": TARGETS[:1], "NextToken": "t2"},
        {"VerifiedAccessEndpointId": "vae-0cc00dd11ee22ff33"},
    )
    stub.add_response(
        "get_verified_access_endpoint_targets",
        {"VerifiedAccessEndpointTargets": TARGETS[1:]},
        {"VerifiedAccessEndpointId": "vae-0cc00dd11ee22ff33", "NextToken": "t2"},
    )
    return ec2, stub


def test_list_endpoints_paginates_and_reads_every_option(stub_env: str) -> None:
    ec2, stub = _stubbed()

    with stub:
        found = list_endpoints(ec2, INSTANCE)

    assert [(e.endpoint_type, e.protocol, e.ports_text()) for e in found] == [
        ("network-interface", "tcp", "22"),
        ("rds", "tcp", "5432"),
        ("cidr", "tcp", "22, 8000-8002"),
    ]
    assert found[2].targets == (
        ("198.51.100.5", "t5.cidr.example.com"),
        ("198.51.100.6", "t6.cidr.example.com"),
    )
    stub.assert_no_pending_responses()


def test_settings_endpoints_and_dedupe(stub_env: str) -> None:
    ec2, stub = _stubbed()
    with stub:
        found = list_endpoints(ec2, INSTANCE)

    new = to_settings_endpoints(found)
    merged, added = merge_endpoints([Endpoint(ENI["EndpointDomain"].upper(), 22)], new)

    assert [e.target for e in new] == [
        f"{ENI['EndpointDomain']}:22",
        f"{RDS['EndpointDomain']}:5432",
        "t5.cidr.example.com:22",
        "t5.cidr.example.com:8000",
        "t5.cidr.example.com:8001",
        "t5.cidr.example.com:8002",
        "t6.cidr.example.com:22",
        "t6.cidr.example.com:8000",
        "t6.cidr.example.com:8001",
        "t6.cidr.example.com:8002",
    ]
    assert added == len(new) - 1
    assert len(merged) == len(new)


def test_cli_endpoints_json_and_save(
    stub_env: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    ec2, stub = _stubbed()
    monkeypatch.setattr("vaclient.aws.session.make_client", lambda *a, **k: ec2)

    with stub:
        code = main(
            ["--no-log-file", "aws", "endpoints", "--instance", INSTANCE, "--json", "--save"]
        )

    captured = capsys.readouterr()
    assert code == 0
    listed = json.loads(captured.out)
    assert [e["endpoint_id"] for e in listed] == [
        "vae-0818a4b1cbed80b83",
        "vae-0aa11bb22cc33dd44",
        "vae-0cc00dd11ee22ff33",
    ]
    assert "10 endpoint(s) added" in captured.err
    saved = load_settings().endpoints
    assert saved[0] == Endpoint(ENI["EndpointDomain"], 22, "bastion")
    assert len(saved) == 10
