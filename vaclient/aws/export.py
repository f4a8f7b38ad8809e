"""Export a Verified Access instance's client configuration from AWS.

``ExportVerifiedAccessInstanceClientConfiguration`` returns exactly the
fields of a ClientConfig file (``Version``, ``VerifiedAccessInstanceId``,
``Region``, ``DeviceTrustProviders``, ``UserTrustProvider``,
``OpenVpnConfigurations``): the SDK's member names are the file's key
names, so the response is written as it is, minus boto3's
``ResponseMetadata``. The file holds secrets (the OpenVPN ``Config`` and,
for OIDC, the ``ClientSecret``): it is written readable by its owner only
and its content is never printed.
"""

from __future__ import annotations

import json
import logging
import re
from pathlib import Path
from typing import Any

from vaclient.aws.session import aws_errors
from vaclient.config.model import TOP_LEVEL_FIELDS
from vaclient.errors import UsageError
from vaclient.fileio import write_atomic
from vaclient.logsetup import register_secret

logger = logging.getLogger(__name__)

INSTANCE_ID = re.compile(r"^vai-[0-9a-f]{8,32}$")
#: Keys of the response that belong in the file: a ClientConfig's top-level
#: fields, in the order the console writes them.
CONFIG_KEYS = TOP_LEVEL_FIELDS


def check_instance_id(instance_id: str) -> str:
    """Return ``instance_id`` if it looks like ``vai-0123456789abcdef0``.

    Raises:
        UsageError: it does not.
    """
    if not INSTANCE_ID.match(instance_id):
        raise UsageError(
            f"{instance_id!r} is not a Verified Access instance ID",
            "Instance IDs look like vai-0d25a84f343f84fe3 (VPC console > "
            "Verified Access instances).",
        )
    return instance_id


def export_client_config(ec2: Any, instance_id: str) -> dict[str, Any]:
    """Ask AWS for the instance's client configuration, as a ClientConfig document.

    The secret values are registered with the log filter before anything
    else happens, so no later log line can carry them.

    Raises:
        UsageError: bad instance ID.
        VaclientError: AWS refused or could not be reached.
    """
    check_instance_id(instance_id)
    with aws_errors(f"export the client configuration of {instance_id}"):
        response = ec2.export_verified_access_instance_client_configuration(
            VerifiedAccessInstanceId=instance_id
        )

    for vpn in response.get("OpenVpnConfigurations") or ():
        register_secret(str(vpn.get("Config") or ""))
    register_secret(str((response.get("UserTrustProvider") or {}).get("ClientSecret") or ""))
    doc = {key: response[key] for key in CONFIG_KEYS if key in response}
    extra = sorted(set(response) - set(CONFIG_KEYS) - {"ResponseMetadata"})
    if extra:
        # Newer API versions may add fields; the file keeps them for the client.
        logger.info("export has fields unknown to vaclient: %s", ", ".join(extra))
        doc.update({key: response[key] for key in extra})
    logger.info(
        "exported %s: region %s, %d OpenVPN configuration(s)",
        instance_id,
        doc.get("Region"),
        len(doc.get("OpenVpnConfigurations") or ()),
    )
    return doc


def config_file_name(doc: dict[str, Any]) -> str:
    """``ClientConfig-<instance id>.json``: the client only reads ``ClientConfig-*`` files."""
    return f"ClientConfig-{doc.get('VerifiedAccessInstanceId', 'unknown')}.json"


def write_client_config(doc: dict[str, Any], out: Path | None = None) -> Path:
    """Write the configuration; ``out`` may be a file, a folder or None (here).

    The file is created with mode 0600 and moved into place atomically.

    Raises:
        UsageError: the destination cannot be written, or a given file name
            does not start with ``ClientConfig-``.
    """
    name = config_file_name(doc)
    target = Path(name) if out is None else out / name if out.is_dir() else out
    if not target.name.startswith("ClientConfig-"):
        raise UsageError(
            f"{target.name}: the Connectivity Client only reads files named ClientConfig-*.json",
            f"Use --out {target.with_name(name)} or give a folder.",
        )
    payload = json.dumps(doc, indent=4, ensure_ascii=False) + "\n"
    try:
        write_atomic(target, payload, prefix=".ClientConfig-")
    except OSError as err:
        raise UsageError(
            f"{target}: cannot write the configuration ({err.strerror or err})",
            "Choose a folder you can write to with --out.",
        ) from err
    logger.info("client configuration written to %s", target)
    return target


def summarize_config(doc: dict[str, Any]) -> list[str]:
    """Lines about a configuration that contain no secret."""
    utp = doc.get("UserTrustProvider") or {}
    routes = [
        r.get("Cidr", "?")
        for vpn in doc.get("OpenVpnConfigurations") or ()
        for r in vpn.get("Routes") or ()
    ]
    secret_note = "present (not shown)" if utp.get("ClientSecret") else "none"
    return [
        f"instance: {doc.get('VerifiedAccessInstanceId')}  region: {doc.get('Region')}",
        f"user trust provider: {utp.get('Type', '?')}  issuer: {utp.get('Issuer', '-')}",
        f"routes: {', '.join(routes) or 'none'}",
        f"client secret: {secret_note}; OpenVPN configuration: present (not shown)",
    ]
