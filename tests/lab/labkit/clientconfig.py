"""ClientConfig files for the lab, shaped like an exported Verified Access one.

The shape follows ExportVerifiedAccessInstanceClientConfiguration: the
lab's own OpenVPN client configuration goes base64-encoded into
``OpenVpnConfigurations[0].Config`` and the lab CIDR into its ``Routes``.
The OIDC client secret is random per file, so a test can prove it never
appears in any output.
"""

from __future__ import annotations

import base64
import json
import secrets
from collections.abc import Iterable
from pathlib import Path
from typing import Any


def new_instance_id() -> str:
    """A Verified Access instance id: ``vai-`` and 17 hex digits."""
    return "vai-" + secrets.token_hex(9)[:17]


def client_config(
    ovpn_text: str, routes: Iterable[str], *, instance_id: str | None = None
) -> dict[str, Any]:
    """The ClientConfig document for one lab tunnel.

    Args:
        ovpn_text: the OpenVPN client configuration the lab really runs.
        routes: the CIDRs the tunnel carries, as in the export's ``Routes``.
        instance_id: a fixed ``vai-`` id, or None for a random one.

    Returns:
        The JSON-ready document.
    """
    return {
        "Version": "1.0",
        "VerifiedAccessInstanceId": instance_id or new_instance_id(),
        "Region": "us-east-1",
        "DeviceTrustProviders": [],
        "UserTrustProvider": {
            "Type": "oidc",
            "Scopes": "openid",
            "Issuer": "https://idp.example.com",
            "AuthorizationEndpoint": "https://idp.example.com/authorize",
            "TokenEndpoint": "https://idp.example.com/token",
            "UserInfoEndpoint": "https://idp.example.com/userinfo",
            "PublicSigningKeyEndpoint": "https://idp.example.com/jwks",
            "ClientId": "lab-client",
            "ClientSecret": "lab-secret-" + secrets.token_hex(12),
            "PkceEnabled": True,
        },
        "OpenVpnConfigurations": [
            {
                "Config": base64.b64encode(ovpn_text.encode()).decode(),
                "Routes": [{"Cidr": cidr} for cidr in routes],
            }
        ],
    }


def write_client_config(folder: Path, document: dict[str, Any]) -> Path:
    """Write ``document`` as ``ClientConfig-<instance id>.json`` in ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    instance = document.get("VerifiedAccessInstanceId") or new_instance_id()
    path = folder / f"ClientConfig-{instance}.json"
    path.write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")
    return path


def secrets_of(document: dict[str, Any]) -> list[str]:
    """The strings in ``document`` that must never reach a report or a log."""
    found = []
    secret = document.get("UserTrustProvider", {}).get("ClientSecret")
    if isinstance(secret, str):
        found.append(secret)
    for entry in document.get("OpenVpnConfigurations", []):
        config = entry.get("Config")
        if isinstance(config, str) and config:
            found.append(config)
            text = base64.b64decode(config).decode(errors="replace")
            found.extend(line for line in text.splitlines() if len(line) == 32 and line.isalnum())
    return found
