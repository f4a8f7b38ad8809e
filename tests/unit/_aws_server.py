"""A moto server on loopback for the AWS tests (CloudWatch Logs and S3).

Every AWS test goes through :func:`aws_env`: fake credentials, a fixed
Region and ``AWS_ENDPOINT_URL`` pointing at the local server, so no call
can reach a real AWS endpoint. The EC2 Verified Access calls, which moto
does not implement, are tested with botocore's Stubber instead.
"""

from __future__ import annotations

import socket
from collections.abc import Iterator

import pytest
from moto.server import ThreadedMotoServer

REGION = "eu-central-1"
#: Used for Stubber-only clients: a closed loopback port, so even a bug that
#: sent a request would fail locally instead of reaching AWS.
DEAD_ENDPOINT = "http://127.0.0.1:9"


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def set_fake_credentials(monkeypatch: pytest.MonkeyPatch, endpoint: str) -> None:
    """Fake credentials and a local endpoint for every AWS client made in a test."""
    for name in ("AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_SESSION_TOKEN", "AWS_REGION"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", REGION)
    monkeypatch.setenv("AWS_ENDPOINT_URL", endpoint)
    monkeypatch.setenv("AWS_CONFIG_FILE", "/nonexistent/aws-config")
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent/aws-credentials")
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")


@pytest.fixture(scope="module")
def moto_server() -> Iterator[str]:
    """A moto server on 127.0.0.1 with a free port; yields its URL."""
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=free_port(), verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    try:
        yield f"http://{host}:{port}"
    finally:
        server.stop()


@pytest.fixture
def aws_env(moto_server: str, monkeypatch: pytest.MonkeyPatch) -> str:
    """Point boto3 at the moto server with fake credentials; yields the URL."""
    set_fake_credentials(monkeypatch, moto_server)
    return moto_server


@pytest.fixture
def stub_env(monkeypatch: pytest.MonkeyPatch) -> str:
    """Fake credentials and a dead local endpoint for Stubber-based tests."""
    set_fake_credentials(monkeypatch, DEAD_ENDPOINT)
    return DEAD_ENDPOINT
