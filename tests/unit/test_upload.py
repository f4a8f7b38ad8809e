"""Sending bundles: pre-signed PUT and s3:// against a local moto server; keyring token."""

from __future__ import annotations

import contextlib
import io
import json
import zipfile
from collections.abc import Iterator
from pathlib import Path

import boto3
import keyring
import keyring.backend
import keyring.errors
import pytest
from keyring.backends.fail import Keyring as FailKeyring

from tests.unit import _aws_server
from tests.unit._aws_server import REGION
from vaclient.cli import main
from vaclient.errors import UsageError, VaclientError
from vaclient.report.upload import (
    KEYRING_SERVICE,
    KEYRING_TOKEN_NAME,
    check_upload_url,
    delete_token,
    load_token,
    parse_s3_uri,
    store_token,
    upload_presigned,
    upload_s3,
)

# Fixtures shared with the other AWS tests.
aws_env = _aws_server.aws_env
moto_server = _aws_server.moto_server


class MemoryKeyring(keyring.backend.KeyringBackend):
    """A keyring that keeps passwords in a dict, for tests."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.store: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.store.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.store[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        if self.store.pop((service, username), None) is None:
            raise keyring.errors.PasswordDeleteError(username)


@pytest.fixture
def memory_keyring() -> Iterator[MemoryKeyring]:
    previous = keyring.get_keyring()
    ring = MemoryKeyring()
    keyring.set_keyring(ring)
    try:
        yield ring
    finally:
        keyring.set_keyring(previous)


@pytest.fixture
def bucket(aws_env: str) -> str:
    name = "helpdesk-bundles"
    s3 = boto3.client("s3", region_name=REGION)
    with contextlib.suppress(s3.exceptions.BucketAlreadyOwnedByYou):
        s3.create_bucket(Bucket=name, CreateBucketConfiguration={"LocationConstraint": REGION})
    return name


def _zip(tmp_path: Path) -> Path:
    path = tmp_path / "b.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("report.json", '{"schema": "vaclient.report/1"}')
    return path


def _object(bucket: str, key: str) -> bytes:
    body = boto3.client("s3", region_name=REGION).get_object(Bucket=bucket, Key=key)["Body"]
    return bytes(body.read())


def test_presigned_put_url(bucket: str, tmp_path: Path) -> None:
    s3 = boto3.client("s3", region_name=REGION)
    url = s3.generate_presigned_url(
        "put_object", Params={"Bucket": bucket, "Key": "in/VAC-7F3K-9Q2M.zip"}, ExpiresIn=300
    )
    path = _zip(tmp_path)

    result = upload_presigned(path, url, support_id="VAC-7F3K-9Q2M", token="tok-should-not-go")

    assert _object(bucket, "in/VAC-7F3K-9Q2M.zip") == path.read_bytes()
    assert "X-Amz-Signature" not in result.location and "?" not in result.location
    assert result.size == path.stat().st_size


def test_expired_or_bad_signature_is_a_clear_error(bucket: str, tmp_path: Path) -> None:
    s3 = boto3.client("s3", region_name=REGION)
    url = s3.generate_presigned_url(
        "put_object", Params={"Bucket": "no-such-bucket-here", "Key": "x.zip"}, ExpiresIn=300
    )

    with pytest.raises(VaclientError, match="was refused: HTTP 404"):
        upload_presigned(_zip(tmp_path), url, support_id="VAC-0000-0000")


def test_upload_s3_names_the_object_after_the_support_id(bucket: str, tmp_path: Path) -> None:
    path = _zip(tmp_path)

    result = upload_s3(path, f"s3://{bucket}/incoming/", support_id="VAC-ABCD-1234")

    assert result.location == f"s3://{bucket}/incoming/VAC-ABCD-1234.zip"
    assert _object(bucket, "incoming/VAC-ABCD-1234.zip") == path.read_bytes()


@pytest.mark.parametrize(
    "url",
    [
        "http://helpdesk.example.com/upload",
        "ftp://helpdesk.example.com/upload",
        "https:///nohost",
        "http://192.0.2.10/upload",
    ],
)
def test_only_https_or_loopback(url: str) -> None:
    with pytest.raises(UsageError):
        check_upload_url(url)


@pytest.mark.parametrize(
    "url", ["https://up.example.com/x", "http://127.0.0.1:9/x", "http://[::1]:9/x"]
)
def test_accepted_urls(url: str) -> None:
    assert check_upload_url(url) == url


def test_parse_s3_uri() -> None:
    assert parse_s3_uri("s3://b") == ("b", "")
    with pytest.raises(UsageError, match="not an S3 location"):
        parse_s3_uri("https://b/x")


def test_token_lives_in_the_keyring(memory_keyring: MemoryKeyring) -> None:
    assert load_token() is None

    store_token("  tok-123  \n")

    assert memory_keyring.store == {(KEYRING_SERVICE, KEYRING_TOKEN_NAME): "tok-123"}
    assert load_token() == "tok-123"
    assert delete_token() is True
    assert delete_token() is False


def test_no_keyring_is_a_clear_error() -> None:
    previous = keyring.get_keyring()
    keyring.set_keyring(FailKeyring())
    try:
        assert load_token() is None
        with pytest.raises(VaclientError, match="keyring is not available"):
            store_token("tok")
    finally:
        keyring.set_keyring(previous)


def test_cli_set_token_from_stdin_not_in_settings(
    memory_keyring: MemoryKeyring,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("tok-from-stdin\n"))

    code = main(["--no-log-file", "bundle", "--set-token"])

    assert code == 0
    assert load_token() == "tok-from-stdin"
    from vaclient.settings import settings_path

    assert not settings_path().exists() or "tok-from-stdin" not in settings_path().read_text()


def test_cli_bundle_and_upload(
    bucket: str,
    tmp_path: Path,
    memory_keyring: MemoryKeyring,
    capsys: pytest.CaptureFixture[str],
) -> None:
    s3 = boto3.client("s3", region_name=REGION)
    url = s3.generate_presigned_url(
        "put_object", Params={"Bucket": bucket, "Key": "cli/bundle.zip"}, ExpiresIn=300
    )
    out = tmp_path / "bundle.zip"

    code = main(["--no-log-file", "bundle", "--no-doctor", "--out", str(out), "--upload", url])

    text = capsys.readouterr().out
    assert code == 0
    support_id = text.split("Support ID: ")[1].split()[0]
    assert f"Tell the helpdesk this support ID: {support_id}" in text
    assert "X-Amz-Signature" not in text
    uploaded = _object(bucket, "cli/bundle.zip")
    assert uploaded == out.read_bytes()
    manifest = json.loads(zipfile.ZipFile(out).read("manifest.json"))
    assert manifest["support_id"] == support_id


def test_cli_bundle_list_writes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)

    code = main(["--no-log-file", "bundle", "--no-doctor", "--list"])

    assert code == 0
    assert "Nothing was written (--list)." in capsys.readouterr().out
    assert list(tmp_path.iterdir()) == []


def test_cli_upload_refuses_plain_http_before_collecting(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code = main(["--no-log-file", "bundle", "--upload", "http://helpdesk.example.com/u"])

    assert code == 2
    assert "is not https" in capsys.readouterr().err
