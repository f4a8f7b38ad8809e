"""aws export-config: the API response becomes a valid ClientConfig file (Stubber)."""

from __future__ import annotations

import base64
import json
import secrets
import stat
from pathlib import Path
from typing import Any

import boto3
import pytest
from botocore.stub import Stubber

from tests.unit import _aws_server
from tests.unit._aws_server import REGION
from vaclient.aws.export import export_client_config, write_client_config
from vaclient.cli import main
from vaclient.config.model import load_config
from vaclient.errors import UsageError, VaclientError

# Fixtures shared with the other AWS tests.
stub_env = _aws_server.stub_env

INSTANCE = "vai-0123456789abcdef0"


def _response() -> dict[str, Any]:
    vpn = "client\ndev tun\nremote edge.example.net 443\n" + secrets.token_hex(24)
    return {
        "Version": "1.0",
        "VerifiedAccessInstanceId": INSTANCE,
        "Region": REGION,
        "DeviceTrustProviders": [],
        "UserTrustProvider": {
            "Type": "oidc",
            "Scopes": "openid email",
            "Issuer": "https://idp.example.com/oauth2/default",
            "AuthorizationEndpoint": "https://idp.example.com/oauth2/default/v1/authorize",
            "TokenEndpoint": "https://idp.example.com/oauth2/default/v1/token",
            "UserInfoEndpoint": "https://idp.example.com/oauth2/default/v1/userinfo",
            "PublicSigningKeyEndpoint": "https://idp.example.com/oauth2/default/v1/keys",
            "ClientId": "0oa1example2client3id4",
            "ClientSecret": "cs-" + secrets.token_urlsafe(30),
            "PkceEnabled": True,
        },
        "OpenVpnConfigurations": [
            {
                "Config": base64.b64encode(vpn.encode()).decode(),
                "Routes": [{"Cidr": "2001:db8:1400::/57"}],
            }
        ],
    }


def _stubbed(response: dict[str, Any]) -> tuple[Any, Stubber]:
    ec2 = boto3.client("ec2", region_name=REGION)
    stub = Stubber(ec2)
    stub.add_response(
        "export_verified_access_instance_client_configuration",
        response,
        {"VerifiedAccessInstanceId": INSTANCE},
    )
    return ec2, stub


def test_export_writes_a_valid_private_file(stub_env: str, tmp_path: Path) -> None:
    response = _response()
    ec2, stub = _stubbed(response)

    with stub:
        doc = export_client_config(ec2, INSTANCE)
    path = write_client_config(doc, tmp_path)

    assert path.name == f"ClientConfig-{INSTANCE}.json"
    assert json.loads(path.read_text(encoding="utf-8")) == response
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    cfg = load_config(path)
    assert cfg.instance_id == INSTANCE
    stub.assert_no_pending_responses()


def test_export_refuses_a_bad_instance_id(stub_env: str) -> None:
    ec2 = boto3.client("ec2", region_name=REGION)
    with Stubber(ec2), pytest.raises(UsageError, match="not a Verified Access instance ID"):
        export_client_config(ec2, "i-0123456789abcdef0")


def test_export_api_error_is_readable(stub_env: str) -> None:
    ec2 = boto3.client("ec2", region_name=REGION)
    with Stubber(ec2) as stub:
        stub.add_client_error(
            "export_verified_access_instance_client_configuration",
            service_error_code="UnauthorizedOperation",
            service_message="You are not authorized to perform this operation.",
        )
        with pytest.raises(VaclientError) as info:
            export_client_config(ec2, INSTANCE)
    assert "UnauthorizedOperation" in info.value.message
    assert info.value.hint is not None and "permission" in info.value.hint


def test_out_file_must_be_named_clientconfig(stub_env: str, tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="ClientConfig-"):
        write_client_config(_response(), tmp_path / "mine.json")


def test_cli_export_and_install_never_prints_secrets(
    stub_env: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    response = _response()
    ec2, stub = _stubbed(response)
    monkeypatch.setattr("vaclient.aws.session.make_client", lambda *a, **k: ec2)
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    install_dir = tmp_path / "client"
    install_dir.mkdir(mode=0o755)

    with stub:
        code = main(
            [
                "--no-log-file",
                "aws",
                "export-config",
                "--instance",
                INSTANCE,
                "--out",
                str(out_dir),
                "--install",
                "--config-dir",
                str(install_dir),
            ]
        )

    captured = capsys.readouterr()
    assert code == 0, captured.err
    installed = install_dir / f"ClientConfig-{INSTANCE}.json"
    assert json.loads(installed.read_text(encoding="utf-8")) == response
    assert "client secret: present (not shown)" in captured.out
    for secret in (
        response["UserTrustProvider"]["ClientSecret"],
        response["OpenVpnConfigurations"][0]["Config"],
    ):
        assert secret not in captured.out + captured.err
