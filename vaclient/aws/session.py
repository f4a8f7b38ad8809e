"""boto3 sessions chosen like the AWS CLI does, and AWS errors made readable.

boto3 is imported only inside these functions, so commands that never talk
to AWS start fast and the core runs without it.

Choice of profile: ``--profile``, else ``AWS_PROFILE`` (read by botocore),
else the default chain. Region: ``--region``, else ``AWS_REGION``, else
``AWS_DEFAULT_REGION`` and the profile's ``region`` (both read by botocore).
``AWS_ENDPOINT_URL`` and ``AWS_ENDPOINT_URL_<SERVICE>`` are honoured by
botocore itself (1.31 and later), which is how the tests point every call at
a local server.
"""

from __future__ import annotations

import contextlib
import logging
import os
from collections.abc import Iterator
from typing import Any

from vaclient.errors import UsageError, VaclientError

logger = logging.getLogger(__name__)


def _boto3() -> Any:
    try:
        import boto3
    except ImportError as err:
        raise UsageError(
            "the AWS commands need boto3, which is not installed",
            "Install it with: python -m pip install boto3",
        ) from err
    return boto3


def make_session(profile: str | None = None, region: str | None = None) -> Any:
    """A boto3 session for ``profile`` and ``region`` (None: the AWS CLI's defaults).

    Raises:
        UsageError: the profile does not exist.
    """
    boto3 = _boto3()
    from botocore.exceptions import ProfileNotFound

    region = region or os.environ.get("AWS_REGION") or None
    try:
        session = boto3.Session(profile_name=profile or None, region_name=region)
    except ProfileNotFound as err:
        raise UsageError(
            f"AWS profile {profile or os.environ.get('AWS_PROFILE')!r} does not exist",
            "List your profiles with 'aws configure list-profiles', or pass --profile.",
        ) from err
    logger.info(
        "AWS session: profile %s, region %s",
        session.profile_name,
        session.region_name or "(none)",
    )
    return session


def make_client(service: str, *, profile: str | None = None, region: str | None = None) -> Any:
    """A boto3 client for ``service`` with standard retries.

    Raises:
        UsageError: unknown profile, or no region configured.
    """
    session = make_session(profile, region)
    from botocore.config import Config
    from botocore.exceptions import NoRegionError

    try:
        client = session.client(
            service, config=Config(retries={"max_attempts": 3, "mode": "standard"})
        )
    except NoRegionError as err:
        raise UsageError(
            "no AWS Region is configured",
            "Pass --region (for example --region eu-central-1) or set AWS_REGION.",
        ) from err
    logger.info("AWS %s endpoint: %s", service, client.meta.endpoint_url)
    return client


@contextlib.contextmanager
def aws_errors(action: str) -> Iterator[None]:
    """Turn botocore's exceptions raised inside into :class:`VaclientError` with a hint.

    Args:
        action: what was being done, for the message ("export the configuration").
    """
    from botocore.exceptions import (
        BotoCoreError,
        ClientError,
        EndpointConnectionError,
        NoCredentialsError,
        ParamValidationError,
    )

    try:
        yield
    except NoCredentialsError as err:
        raise VaclientError(
            f"cannot {action}: no AWS credentials found",
            "Sign in first (for example 'aws sso login --profile NAME') and pass "
            "--profile, or set AWS_PROFILE.",
        ) from err
    except ClientError as err:
        error = err.response.get("Error", {})
        code = str(error.get("Code", "Unknown"))
        hint = "Check the ID and the Region (--region)."
        if code in ("AccessDenied", "AccessDeniedException", "UnauthorizedOperation"):
            hint = "Your AWS identity lacks the permission; ask your AWS administrator."
        elif code in ("ExpiredToken", "ExpiredTokenException", "RequestExpired"):
            hint = "Your AWS session expired; sign in again (aws sso login)."
        raise VaclientError(f"cannot {action}: {code}: {error.get('Message', '')}", hint) from err
    except ParamValidationError as err:
        raise UsageError(f"cannot {action}: {err}") from err
    except EndpointConnectionError as err:
        raise VaclientError(
            f"cannot {action}: the AWS endpoint could not be reached",
            "Check the network connection and the Region (--region).",
        ) from err
    except BotoCoreError as err:
        raise VaclientError(f"cannot {action}: {err}") from err
