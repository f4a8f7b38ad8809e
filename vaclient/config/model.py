"""The ClientConfig model: parse and validate an exported ClientConfig file.

A ClientConfig is the JSON document that ``aws ec2
export-verified-access-instance-client-configuration`` (or the VPC console's
*Export client configuration file*) produces, and that the Connectivity
Client reads from its configuration folder. Example, shortened::

    {
      "Version": "1.0",
      "VerifiedAccessInstanceId": "vai-0d25a84f343f84fe3",
      "Region": "ap-northeast-1",
      "DeviceTrustProviders": [],
      "UserTrustProvider": {"Type": "iam-identity-center",
                            "Scopes": "verified_access:application:connect",
                            "Issuer": "https://identitycenter.amazonaws.com/ssoins-…",
                            "PkceEnabled": true},
      "OpenVpnConfigurations": [{"Config": "<base64 OpenVPN text>",
                                 "Routes": [{"Cidr": "2001:db8:1400::/57"}]}]
    }

Required fields: ``Version``, ``VerifiedAccessInstanceId``, ``Region`` and
``OpenVpnConfigurations`` (at least one, each with ``Config`` and at least
one ``Routes`` entry with a ``Cidr``). ``DeviceTrustProviders`` and
``UserTrustProvider`` are optional, as is every field of
``UserTrustProvider``; an optional field given as ``null`` counts as
absent. Fields the model does not know are kept in the file and listed in
:attr:`ClientConfig.unknown_fields` (a warning, not an error), so that a
newer export still installs. ``resources/schema/clientconfig.schema.json``
states the same rules as a JSON Schema; a test keeps the two in step.

The ``Config`` values and ``ClientSecret`` are secrets: they are never part
of a repr, an error message or :meth:`ClientConfig.summary`.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from vaclient.config import _validate
from vaclient.config.openvpn import decode_config, summarise_openvpn
from vaclient.errors import ConfigError
from vaclient.fileio import NotRegularFileError, read_limited, read_problem
from vaclient.resources import resource_path

logger = logging.getLogger(__name__)

#: Files larger than this are refused before parsing (real ones are a few KiB).
MAX_CONFIG_BYTES = _validate.MAX_CONFIG_BYTES
#: ``Version`` values this model was written for; others parse with a warning.
KNOWN_VERSIONS = ("1.0",)
#: Accepted ``DeviceTrustProviders`` values.
DEVICE_TRUST_PROVIDER_TYPES = _validate.DEVICE_TRUST_PROVIDER_TYPES
#: Accepted ``UserTrustProvider.Type`` values.
USER_TRUST_PROVIDER_TYPES = _validate.USER_TRUST_PROVIDER_TYPES
#: More unknown fields than this are counted, not listed, in warnings().
_MAX_UNKNOWN_WARNINGS = 20
#: Field names the model knows, per object (the JSON Schema lists the same).
TOP_LEVEL_FIELDS = _validate.TOP_LEVEL_FIELDS
USER_TRUST_PROVIDER_FIELDS = _validate.USER_TRUST_PROVIDER_FIELDS
OPENVPN_CONFIGURATION_FIELDS = _validate.OPENVPN_CONFIGURATION_FIELDS
ROUTE_FIELDS = _validate.ROUTE_FIELDS


@dataclass(frozen=True)
class DeviceTrustProvider:
    """One entry of ``DeviceTrustProviders``: ``jamf``, ``crowdstrike`` or ``jumpcloud``."""

    type: str


@dataclass(frozen=True)
class UserTrustProvider:
    """``UserTrustProvider``: how the client signs the user in (every field optional).

    Attributes:
        type: ``iam-identity-center`` or ``oidc``.
        scopes: the scopes as one space-separated string, as AWS exports them.
        issuer: the OIDC issuer (an https URL).
        authorization_endpoint: https URL.
        token_endpoint: https URL.
        user_info_endpoint: https URL.
        public_signing_key_endpoint: https URL (the JWKS).
        client_id: the OIDC client ID.
        client_secret: the OIDC client secret; a secret, left out of repr.
        pkce_enabled: whether the client uses PKCE.
    """

    type: str | None = None
    scopes: str | None = None
    issuer: str | None = None
    authorization_endpoint: str | None = None
    token_endpoint: str | None = None
    user_info_endpoint: str | None = None
    public_signing_key_endpoint: str | None = None
    client_id: str | None = None
    client_secret: str | None = field(default=None, repr=False)
    pkce_enabled: bool | None = None

    def to_safe_dict(self) -> dict[str, Any]:
        """Every field, with the client secret shown as ``***`` (present) or None."""
        return {
            "type": self.type,
            "scopes": self.scopes,
            "issuer": self.issuer,
            "authorization_endpoint": self.authorization_endpoint,
            "token_endpoint": self.token_endpoint,
            "user_info_endpoint": self.user_info_endpoint,
            "public_signing_key_endpoint": self.public_signing_key_endpoint,
            "client_id": self.client_id,
            "client_secret": None if self.client_secret is None else "***",
            "pkce_enabled": self.pkce_enabled,
        }


@dataclass(frozen=True)
class OpenVpnConfiguration:
    """One entry of ``OpenVpnConfigurations``.

    Attributes:
        config: the base64 OpenVPN client configuration (validated to decode
            to UTF-8 text); a secret, left out of repr.
        routes: the ``Routes[].Cidr`` values, normalised
            (``2001:DB8:0::/32`` becomes ``2001:db8::/32``).
    """

    config: str = field(repr=False)
    routes: tuple[str, ...]

    def text(self) -> str:
        """The decoded OpenVPN configuration (secret: never show or log it)."""
        return decode_config(self.config)


@dataclass(frozen=True)
class ClientConfig:
    """A validated ClientConfig file.

    Attributes:
        version: ``Version`` (``1.0`` in every export seen so far).
        instance_id: ``VerifiedAccessInstanceId``, ``vai-`` and 17 hex digits.
        region: ``Region``, such as ``ap-northeast-1``.
        device_trust_providers: ``DeviceTrustProviders`` (may be empty).
        user_trust_provider: ``UserTrustProvider``, or None when absent.
        openvpn_configurations: ``OpenVpnConfigurations`` (at least one).
        unknown_fields: JSON paths of fields the model does not know, such
            as ``UserTrustProvider.Audience``; kept in the file, warned about.
        source: where the document came from (a path as given, or ``<stdin>``).
        raw: the exact bytes read, so an install writes them unchanged.
    """

    version: str
    instance_id: str
    region: str
    device_trust_providers: tuple[DeviceTrustProvider, ...]
    user_trust_provider: UserTrustProvider | None
    openvpn_configurations: tuple[OpenVpnConfiguration, ...]
    unknown_fields: tuple[str, ...] = ()
    source: str = ""
    raw: bytes = field(default=b"", repr=False)

    @property
    def routes(self) -> tuple[str, ...]:
        """Every route CIDR of every OpenVPN configuration, de-duplicated, in order."""
        return tuple(
            dict.fromkeys(cidr for conf in self.openvpn_configurations for cidr in conf.routes)
        )

    @property
    def file_name(self) -> str:
        """The name the Connectivity Client expects: ``ClientConfig-<instance>.json``."""
        return f"ClientConfig-{self.instance_id}.json"

    def summary(self) -> dict[str, Any]:
        """Everything that is safe to show, log or put in a report.

        Secrets appear only as ``"***"`` (present) or None (absent); the
        OpenVPN configurations are described by
        :func:`vaclient.config.openvpn.summarise_openvpn`, which leaves out
        every inline key and certificate.
        """
        utp = self.user_trust_provider
        return {
            "source": self.source,
            "file_name": self.file_name,
            "version": self.version,
            "instance_id": self.instance_id,
            "region": self.region,
            "device_trust_providers": [p.type for p in self.device_trust_providers],
            "user_trust_provider": None if utp is None else utp.to_safe_dict(),
            "routes": list(self.routes),
            "openvpn_configurations": [
                {
                    "config": "***",
                    "routes": list(conf.routes),
                    "openvpn": summarise_openvpn(conf.config).to_dict(),
                }
                for conf in self.openvpn_configurations
            ],
            "unknown_fields": list(self.unknown_fields),
        }

    def warnings(self) -> list[str]:
        """Problems that do not make the file invalid, one sentence each.

        Examples: a field the model does not know, a ``Version`` newer than
        the ones known, an OpenVPN configuration without a ``remote`` line.
        """
        found: list[str] = []
        if self.version not in KNOWN_VERSIONS:
            found.append(
                f"Version {_validate.show(self.version)} is not one vaclient knows "
                f"({', '.join(KNOWN_VERSIONS)}); fields may have changed meaning"
            )
        found.extend(
            f"unknown field {path} (kept in the file; vaclient does not use it)"
            for path in self.unknown_fields[:_MAX_UNKNOWN_WARNINGS]
        )
        hidden = len(self.unknown_fields) - _MAX_UNKNOWN_WARNINGS
        if hidden > 0:
            found.append(f"and {hidden} more unknown fields (see unknown_fields)")
        for index, conf in enumerate(self.openvpn_configurations):
            openvpn = summarise_openvpn(conf.config)
            where = f"OpenVpnConfigurations[{index}].Config"
            if not openvpn.remotes:
                found.append(f"{where} has no remote line; the tunnel has no server to reach")
            found.extend(f"{where}: {problem}" for problem in openvpn.problems)
        return found


def parse_config(data: bytes, source: str) -> ClientConfig:
    """Parse and validate the bytes of a ClientConfig file.

    Args:
        data: the file's bytes; a UTF-8 byte order mark is tolerated.
        source: a name for messages (a path, or ``<stdin>``).

    Returns:
        The validated configuration; ``raw`` holds ``data`` unchanged.

    Raises:
        ConfigError: the document is too large, not UTF-8, not JSON, has
            duplicate keys, ``NaN``/``Infinity``, or breaks a rule of the
            model. ``json_path`` names the place (``Region``,
            ``OpenVpnConfigurations[0].Routes[1].Cidr``); the message never
            contains a secret value.
    """
    data = bytes(data)
    checked = _validate.Validator(source).document(data)
    cfg = ClientConfig(
        version=checked.version,
        instance_id=checked.instance_id,
        region=checked.region,
        device_trust_providers=tuple(
            DeviceTrustProvider(type=name) for name in checked.device_trust_providers
        ),
        user_trust_provider=(
            None
            if checked.user_trust_provider is None
            else UserTrustProvider(**checked.user_trust_provider)
        ),
        openvpn_configurations=tuple(
            OpenVpnConfiguration(config=config, routes=routes)
            for config, routes in checked.openvpn_configurations
        ),
        unknown_fields=checked.unknown_fields,
        source=source,
        raw=data,
    )
    logger.debug(
        "parsed %s: instance %s in %s, %d OpenVPN configuration(s), %d unknown field(s)",
        source,
        cfg.instance_id,
        cfg.region,
        len(cfg.openvpn_configurations),
        len(cfg.unknown_fields),
    )
    return cfg


def load_config(path: str | os.PathLike[str]) -> ClientConfig:
    """Read and validate a ClientConfig file.

    Reads at most ``MAX_CONFIG_BYTES + 1`` bytes, so that a huge file is
    refused without being read whole; a pipe or device is refused unread.
    The path as given is the ``source`` in messages.

    Raises:
        ConfigError: the file cannot be read (``json_path`` empty, the
            problem says why) or is not valid (see :func:`parse_config`).
    """
    source = os.fspath(path)
    try:
        data = read_limited(path, MAX_CONFIG_BYTES)
    except OSError as err:
        raise ConfigError(source, "", read_problem(err), _read_hint(err)) from err
    return parse_config(data, source)


def schema_path() -> Path:
    """Where the ClientConfig JSON Schema is: ``resources/schema/clientconfig.schema.json``.

    Found through :func:`vaclient.resources.resource_path`, so it works from
    a checkout, an editable install and a frozen build.
    """
    return resource_path("schema", "clientconfig.schema.json")


def _read_hint(err: OSError) -> str:
    """The next step after a read failure."""
    if isinstance(err, PermissionError):
        return "Check the file's permissions, or copy it somewhere you can read."
    if isinstance(err, NotRegularFileError):
        return "Give the path of the ClientConfig-vai-....json file itself."
    return "Check the path; export the file again if it is gone."
