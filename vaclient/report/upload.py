"""Sending a support bundle to the helpdesk.

Two ways, both naming the object after the bundle's support ID:

- :func:`upload_presigned`: an HTTP PUT to a URL the helpdesk hands out
  (typically an S3 pre-signed PUT URL). Only ``https`` is accepted, except
  ``http`` to this computer's loopback addresses (tests, local proxies).
  A helpdesk upload token, when one is stored, is sent as a bearer token,
  but never to a pre-signed URL (S3 refuses two ways of authenticating).
- :func:`upload_s3`: ``s3://bucket/prefix`` with boto3's default
  credential chain (profiles, environment, SSO, instance roles), imported
  only here.

The helpdesk upload token lives in the OS keyring (:func:`store_token`),
never in the settings file.
"""

from __future__ import annotations

import ipaddress
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from vaclient.errors import UsageError, VaclientError

logger = logging.getLogger(__name__)

KEYRING_SERVICE = "vaclient"
KEYRING_TOKEN_NAME = "helpdesk-upload-token"  # noqa: S105  # an entry name, not a secret
UPLOAD_TIMEOUT_S = 120.0
_PRESIGNED_MARKERS = ("x-amz-signature=", "x-amz-credential=", "signature=")


@dataclass(frozen=True)
class UploadResult:
    """Where a bundle went: a URL without its query, or ``s3://bucket/key``."""

    location: str
    support_id: str
    size: int


def _is_loopback(host: str) -> bool:
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _shown_url(url: str) -> str:
    """The URL without query or credentials, safe to print and log."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    host = f"[{host}]" if ":" in host else host
    port = f":{parts.port}" if parts.port else ""
    return f"{parts.scheme}://{host}{port}{parts.path}"


def check_upload_url(url: str) -> str:
    """Validate an upload URL and return it.

    Raises:
        UsageError: not https (or http to a loopback address), or no host.
    """
    parts = urlsplit(url.strip())
    host = parts.hostname or ""
    if not host:
        raise UsageError(
            f"upload URL {_shown_url(url)!r} has no host name",
            "Paste the whole upload link the helpdesk sent, starting with https://.",
        )
    if parts.scheme == "https" or (parts.scheme == "http" and _is_loopback(host)):
        return url.strip()
    raise UsageError(
        f"upload URL {_shown_url(url)!r} is not https",
        "Bundles are only sent over https; ask the helpdesk for an https link.",
    )


def upload_presigned(
    path: Path,
    url: str,
    *,
    support_id: str,
    token: str | None = None,
    timeout: float = UPLOAD_TIMEOUT_S,
) -> UploadResult:
    """PUT the bundle at ``path`` to ``url``.

    Args:
        path: the bundle zip.
        url: https URL (for example an S3 pre-signed PUT URL).
        support_id: the bundle's support ID (logged, returned).
        token: a helpdesk token, sent as ``Authorization: Bearer`` unless the
            URL is pre-signed.
        timeout: seconds for connecting and for each read.

    Raises:
        UsageError: the URL is not acceptable.
        VaclientError: the upload failed (network error or HTTP status).
    """
    import requests

    url = check_upload_url(url)
    shown = _shown_url(url)
    presigned = any(m in url.lower() for m in _PRESIGNED_MARKERS)
    headers = {"Content-Type": "application/zip"} if not presigned else {}
    if token and not presigned:
        headers["Authorization"] = f"Bearer {token}"

    size = path.stat().st_size
    logger.info("uploading %s (%d bytes) to %s", support_id, size, shown)
    try:
        with path.open("rb") as handle:
            response = requests.put(url, data=handle, headers=headers, timeout=timeout)
    except requests.RequestException as err:
        raise VaclientError(
            f"upload to {shown} failed: {type(err).__name__}",
            "Check the network connection and try again, or send the bundle file "
            "another way; its support ID stays the same.",
        ) from err
    if not response.ok:
        raise VaclientError(
            f"upload to {shown} was refused: HTTP {response.status_code} {response.reason}",
            "Upload links expire; ask the helpdesk for a new one."
            if response.status_code in (400, 403)
            else "Try again later, or send the bundle file another way.",
        )
    return UploadResult(shown, support_id, size)


def parse_s3_uri(uri: str) -> tuple[str, str]:
    """Split ``s3://bucket/prefix`` into bucket and prefix (without slashes at the ends).

    >>> parse_s3_uri("s3://helpdesk-bundles/incoming/")
    ('helpdesk-bundles', 'incoming')

    Raises:
        UsageError: not an ``s3://`` URI with a bucket.
    """
    parts = urlsplit(uri)
    if parts.scheme != "s3" or not parts.netloc:
        raise UsageError(
            f"{uri!r} is not an S3 location",
            "Write it as s3://BUCKET or s3://BUCKET/PREFIX.",
        )
    return parts.netloc, parts.path.strip("/")


def upload_s3(
    path: Path,
    uri: str,
    *,
    support_id: str,
    profile: str | None = None,
    region: str | None = None,
) -> UploadResult:
    """Upload the bundle to ``s3://bucket/prefix/<support_id>.zip``.

    Credentials and region come from boto3's default chain (``--profile``,
    ``AWS_PROFILE``, environment, SSO, instance roles); ``AWS_ENDPOINT_URL``
    is honoured by botocore itself.

    Raises:
        UsageError: the URI is not an S3 location.
        VaclientError: no credentials, or S3 refused the upload.
    """
    from vaclient.aws.session import aws_errors, make_client

    bucket, prefix = parse_s3_uri(uri)
    key = f"{prefix}/{support_id}.zip" if prefix else f"{support_id}.zip"
    s3: Any = make_client("s3", profile=profile, region=region)
    logger.info("uploading %s to s3://%s/%s", support_id, bucket, key)
    with aws_errors(f"upload to s3://{bucket}/{key}"):
        s3.upload_file(str(path), bucket, key, ExtraArgs={"ContentType": "application/zip"})
    return UploadResult(f"s3://{bucket}/{key}", support_id, path.stat().st_size)


# --- the helpdesk token ---------------------------------------------------


def _keyring_error(err: Exception) -> VaclientError:
    return VaclientError(
        f"the system keyring is not available ({type(err).__name__})",
        "Unlock or set up the OS keyring (Windows Credential Manager, macOS "
        "Keychain, Secret Service on Linux) and try again.",
    )


def store_token(token: str) -> None:
    """Keep the helpdesk upload token in the OS keyring.

    Raises:
        UsageError: the token is empty.
        VaclientError: no usable keyring.
    """
    import keyring
    import keyring.errors

    token = token.strip()
    if not token:
        raise UsageError("the token is empty", "Paste the token the helpdesk gave you.")
    try:
        keyring.set_password(KEYRING_SERVICE, KEYRING_TOKEN_NAME, token)
    except keyring.errors.KeyringError as err:
        raise _keyring_error(err) from err
    logger.info("helpdesk upload token stored in the keyring")


def load_token() -> str | None:
    """The stored helpdesk upload token; None when none is stored or no keyring works."""
    import keyring
    import keyring.errors

    try:
        return keyring.get_password(KEYRING_SERVICE, KEYRING_TOKEN_NAME)
    except keyring.errors.KeyringError as err:
        logger.info("no keyring to read the upload token from: %s", type(err).__name__)
        return None


def delete_token() -> bool:
    """Remove the stored token; False when there was none.

    Raises:
        VaclientError: no usable keyring.
    """
    import keyring
    import keyring.errors

    try:
        keyring.delete_password(KEYRING_SERVICE, KEYRING_TOKEN_NAME)
    except keyring.errors.PasswordDeleteError:
        return False
    except keyring.errors.KeyringError as err:
        raise _keyring_error(err) from err
    return True
