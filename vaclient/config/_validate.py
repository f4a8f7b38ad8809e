"""The rules of a ClientConfig document, checked one field at a time.

Internal to :mod:`vaclient.config.model`, which builds the public objects
from what :class:`Validator` returns. Each rule raises
:class:`~vaclient.errors.ConfigError` with the JSON path of the bad value
and a stable problem sentence; tests assert these sentences exactly, and
the CLI prints them. Values of ``Config`` and ``ClientSecret`` are never
quoted in a problem.
"""

from __future__ import annotations

import base64
import binascii
import ipaddress
import json
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, NoReturn
from urllib.parse import urlsplit

from vaclient.errors import ConfigError

MAX_CONFIG_BYTES = 1024 * 1024
DEVICE_TRUST_PROVIDER_TYPES = ("jamf", "crowdstrike", "jumpcloud")
USER_TRUST_PROVIDER_TYPES = ("iam-identity-center", "oidc")

TOP_LEVEL_FIELDS = (
    "Version",
    "VerifiedAccessInstanceId",
    "Region",
    "DeviceTrustProviders",
    "UserTrustProvider",
    "OpenVpnConfigurations",
)
#: JSON name -> UserTrustProvider attribute, and whether it is an https URL.
_UTP_STRINGS = {
    "Type": ("type", False),
    "Scopes": ("scopes", False),
    "Issuer": ("issuer", True),
    "AuthorizationEndpoint": ("authorization_endpoint", True),
    "TokenEndpoint": ("token_endpoint", True),
    "UserInfoEndpoint": ("user_info_endpoint", True),
    "PublicSigningKeyEndpoint": ("public_signing_key_endpoint", True),
    "ClientId": ("client_id", False),
    "ClientSecret": ("client_secret", False),
}
USER_TRUST_PROVIDER_FIELDS = (*_UTP_STRINGS, "PkceEnabled")
OPENVPN_CONFIGURATION_FIELDS = ("Config", "Routes")
ROUTE_FIELDS = ("Cidr",)

HINT_EXPORT = (
    "Export the file again (VPC console: Verified Access instances > Actions > "
    "Export client configuration file, or `aws ec2 "
    "export-verified-access-instance-client-configuration`) and do not edit it."
)
_BOM = b"\xef\xbb\xbf"
_INSTANCE_ID = re.compile(r"vai-[0-9a-f]{17}", re.ASCII)
_REGION = re.compile(r"[a-z]{2}(?:-[a-z]+)+-[0-9]{1,2}", re.ASCII)
_CIDR = re.compile(r"[0-9A-Fa-f:.]+/[0-9]{1,3}", re.ASCII)
_SIMPLE_KEY = re.compile(r"[A-Za-z_][A-Za-z0-9_]*", re.ASCII)
_SURROGATE = re.compile("[\ud800-\udfff]")
_SHOW_MAX = 60


@dataclass(frozen=True)
class Checked:
    """The validated values of a document, as plain data for the model."""

    version: str
    instance_id: str
    region: str
    device_trust_providers: tuple[str, ...]
    user_trust_provider: dict[str, Any] | None
    openvpn_configurations: tuple[tuple[str, tuple[str, ...]], ...]
    unknown_fields: tuple[str, ...]


class _JsonObject(dict[str, Any]):
    """A JSON object that remembers its first duplicate key."""

    duplicate: str | None = None


class _BadNumber(ValueError):
    """``NaN``, ``Infinity`` or a number too large for a float."""


def show(value: str) -> str:
    r"""Quote ``value`` for a message, escaping unprintables and shortening it.

    >>> print(show('say "hi"\tnow'))
    "say \"hi\"\u0009now"
    >>> len(show("x" * 500))
    62
    """
    short = value if len(value) <= _SHOW_MAX else value[: _SHOW_MAX - 1] + "…"
    escaped = "".join(c if c.isprintable() and c not in '"\\' else _escape(c) for c in short)
    return f'"{escaped}"'


def kind(value: Any) -> str:
    """The JSON type of ``value`` with its article: ``a string``, ``null``."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "an array"
    return "an object"


def child(path: str, key: str | int) -> str:
    """The JSON path of a member: ``child("A", "B") == "A.B"``, ``"A[0]"``."""
    if isinstance(key, int):
        return f"{path}[{key}]"
    name = key if _SIMPLE_KEY.fullmatch(key) else f"[{show(key)}]"
    if not path or name.startswith("["):
        return f"{path}{name}"
    return f"{path}.{name}"


class Validator:
    """Checks one document; raises ConfigError naming ``source`` on the first problem."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.unknown: list[str] = []

    def fail(self, path: str, problem: str, hint: str | None = HINT_EXPORT) -> NoReturn:
        """Raise the ConfigError for ``problem`` at ``path``."""
        raise ConfigError(self.source, path, problem, hint)

    # --- the document -------------------------------------------------------

    def document(self, data: bytes) -> Checked:
        """Decode, parse and check a whole document."""
        doc = self._load(data)
        self._scan(doc)
        if not isinstance(doc, dict):
            self.fail("", f"expected a JSON object at the top level, got {kind(doc)}")

        self._note_unknown(doc, "", TOP_LEVEL_FIELDS)
        version = self.string(doc, "", "Version", required=True)
        if not version:
            self.fail("Version", "expected a non-empty string, got an empty string")
        instance_id = self.matching(
            doc,
            "VerifiedAccessInstanceId",
            _INSTANCE_ID,
            'expected an instance ID like "vai-0123456789abcdef0" '
            '("vai-" and 17 lower-case hex digits)',
        )
        region = self.matching(
            doc, "Region", _REGION, 'expected an AWS Region like "ap-northeast-1"'
        )
        devices = self._device_trust_providers(doc)
        user = self._user_trust_provider(doc)
        openvpn = self._openvpn_configurations(doc)
        return Checked(
            version=version,
            instance_id=instance_id,
            region=region,
            device_trust_providers=devices,
            user_trust_provider=user,
            openvpn_configurations=openvpn,
            unknown_fields=tuple(self.unknown),
        )

    def _load(self, data: bytes) -> Any:
        """Bytes to a JSON value, refusing what a strict reader would refuse."""
        if len(data) > MAX_CONFIG_BYTES:
            self.fail(
                "",
                f"the file is larger than {MAX_CONFIG_BYTES // 1024} KiB; "
                "a ClientConfig is a few KiB",
                "Check that this is a ClientConfig file. " + HINT_EXPORT,
            )
        if data.startswith(_BOM):
            data = data[len(_BOM) :]
        if data.startswith((b"\xff\xfe", b"\xfe\xff")):
            self.fail("", "the file is UTF-16 text; expected UTF-8", "Save it as UTF-8.")
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as err:
            self.fail(
                "",
                f"not UTF-8 text: byte 0x{data[err.start]:02x} at offset {err.start}",
                "Save the file as UTF-8. " + HINT_EXPORT,
            )
        if not text.strip():
            self.fail("", "the file is empty")

        try:
            return json.loads(
                text,
                object_pairs_hook=_object_from_pairs,
                parse_constant=_refuse_constant,
                parse_float=_finite_float,
            )
        except _BadNumber as err:
            self.fail("", f"not valid JSON: {err}")
        except json.JSONDecodeError as err:
            where = f"line {err.lineno}, column {err.colno}"
            if err.pos >= len(text.rstrip()):
                self.fail("", f"not valid JSON: the text ends early at {where} (cut short?)")
            self.fail("", f"not valid JSON: {err.msg} at {where}")
        except RecursionError:
            self.fail("", "not valid JSON for a ClientConfig: nested too deeply")
        except ValueError:
            self.fail("", "not valid JSON: a number has too many digits")

    def _scan(self, doc: Any) -> None:
        """Refuse duplicate keys and lone surrogates anywhere in the tree.

        Iterative, so a deeply nested document cannot exhaust the stack.
        """
        stack: list[tuple[str, Any]] = [("", doc)]
        while stack:
            path, value = stack.pop()
            if isinstance(value, str) and _SURROGATE.search(value):
                self.fail(path, "contains a \\u escape that is not a character (a lone surrogate)")
            if isinstance(value, list):
                stack.extend((child(path, i), v) for i, v in reversed(list(enumerate(value))))
            elif isinstance(value, dict):
                for key in value:
                    if _SURROGATE.search(key):
                        self.fail(path, "a key contains a \\u escape that is not a character")
                if isinstance(value, _JsonObject) and value.duplicate is not None:
                    self.fail(
                        child(path, value.duplicate),
                        "duplicate key; each field may appear only once",
                    )
                stack.extend((child(path, k), v) for k, v in reversed(value.items()))

    # --- field rules ----------------------------------------------------------

    def string(self, obj: Mapping[str, Any], path: str, key: str, *, required: bool) -> Any:
        """``obj[key]`` when it is a string; None when absent (or null) and optional."""
        return self._typed(obj, path, key, str, "a string", required=required)

    def matching(
        self, obj: Mapping[str, Any], key: str, pattern: re.Pattern[str], want: str
    ) -> str:
        """A required top-level string that must match ``pattern``."""
        value: str = self.string(obj, "", key, required=True)
        if not pattern.fullmatch(value):
            self.fail(key, f"{want}, got {show(value)}")
        return value

    def array(self, obj: Mapping[str, Any], path: str, key: str, *, required: bool) -> Any:
        """``obj[key]`` when it is an array; None when absent and optional."""
        return self._typed(obj, path, key, list, "an array", required=required)

    def _typed(
        self,
        obj: Mapping[str, Any],
        path: str,
        key: str,
        wanted: type,
        described: str,
        *,
        required: bool,
    ) -> Any:
        """``obj[key]`` when it is of type ``wanted``; None when absent and optional."""
        where = child(path, key)
        value = obj.get(key)
        if value is None:
            if required:
                self._missing(obj, where, key)
            return None
        if not isinstance(value, wanted):
            self.fail(where, f"expected {described}, got {kind(value)}")
        return value

    def _missing(self, obj: Mapping[str, Any], where: str, key: str) -> NoReturn:
        """Raise 'missing' (or 'null'), pointing at a differently-cased twin."""
        if key in obj:
            self.fail(where, "expected a value, got null")
        twin = next((k for k in obj if k.lower() == key.lower()), None)
        hint = HINT_EXPORT
        if twin is not None:
            hint = f"The file has {show(twin)}; field names are case-sensitive."
        self.fail(where, "required field is missing", hint)

    def _note_unknown(self, obj: Mapping[str, Any], path: str, known: tuple[str, ...]) -> None:
        """Remember the paths of fields the model does not know."""
        self.unknown.extend(child(path, k) for k in obj if k not in known)

    def _device_trust_providers(self, doc: Mapping[str, Any]) -> tuple[str, ...]:
        """``DeviceTrustProviders``: optional list of known provider names."""
        items = self.array(doc, "", "DeviceTrustProviders", required=False) or []
        names: list[str] = []
        for index, item in enumerate(items):
            where = f"DeviceTrustProviders[{index}]"
            if not isinstance(item, str):
                self.fail(where, f"expected a string, got {kind(item)}")
            if item not in DEVICE_TRUST_PROVIDER_TYPES:
                self.fail(where, f"{_one_of(DEVICE_TRUST_PROVIDER_TYPES)}, got {show(item)}")
            names.append(item)
        return tuple(names)

    def _user_trust_provider(self, doc: Mapping[str, Any]) -> dict[str, Any] | None:
        """``UserTrustProvider``: optional object, every field optional."""
        path = "UserTrustProvider"
        obj = doc.get(path)
        if obj is None:
            return None
        if not isinstance(obj, dict):
            self.fail(path, f"expected an object, got {kind(obj)}")

        self._note_unknown(obj, path, USER_TRUST_PROVIDER_FIELDS)
        fields: dict[str, Any] = {}
        for key, (attribute, is_url) in _UTP_STRINGS.items():
            value = self.string(obj, path, key, required=False)
            if value is not None and key == "ClientSecret" and not value:
                self.fail(child(path, key), "expected a non-empty string, got an empty string")
            if value is not None and is_url:
                self._https_url(child(path, key), value)
            fields[attribute] = value
        utp_type = fields["type"]
        if utp_type is not None and utp_type not in USER_TRUST_PROVIDER_TYPES:
            self.fail(
                f"{path}.Type", f"{_one_of(USER_TRUST_PROVIDER_TYPES)}, got {show(utp_type)}"
            )
        pkce = obj.get("PkceEnabled")
        if pkce is not None and not isinstance(pkce, bool):
            self.fail(f"{path}.PkceEnabled", f"expected true or false, got {kind(pkce)}")
        fields["pkce_enabled"] = pkce
        return fields

    def _https_url(self, where: str, value: str) -> None:
        """An https URL with a host name, no credentials, no white space.

        The scheme must be written ``https://`` in lower case, as every export
        does (and as the JSON Schema's pattern says).
        """
        try:
            parts = urlsplit(value)
            host = parts.hostname
            has_userinfo = "@" in parts.netloc
            parts.port  # noqa: B018  # raises ValueError for a bad port
        except ValueError:
            self.fail(where, f"expected an https URL, got {show(value)}")
        if has_userinfo:
            self.fail(where, "expected an https URL without a user name or password")
        if not value.startswith("https://") or not host or not _printable_url(value):
            self.fail(where, f"expected an https URL, got {show(value)}")

    def _openvpn_configurations(
        self, doc: Mapping[str, Any]
    ) -> tuple[tuple[str, tuple[str, ...]], ...]:
        """``OpenVpnConfigurations``: required, at least one ``{Config, Routes}``."""
        items = self.array(doc, "", "OpenVpnConfigurations", required=True)
        if not items:
            self.fail("OpenVpnConfigurations", "expected at least one configuration, got none")
        result = []
        for index, item in enumerate(items):
            path = f"OpenVpnConfigurations[{index}]"
            if not isinstance(item, dict):
                self.fail(path, f"expected an object, got {kind(item)}")
            self._note_unknown(item, path, OPENVPN_CONFIGURATION_FIELDS)
            config = self._openvpn_config(item, path)
            routes = self._routes(item, path)
            result.append((config, routes))
        return tuple(result)

    def _openvpn_config(self, item: Mapping[str, Any], path: str) -> str:
        """``Config``: strict base64 of UTF-8 text. Problems never quote the value."""
        where = f"{path}.Config"
        value: str = self.string(item, path, "Config", required=True)
        if not value:
            self.fail(where, "expected base64 text, got an empty string")
        body = value.rstrip("=")
        bad = next((i for i, c in enumerate(body) if not _is_base64_char(c)), None)
        if bad is not None:
            self.fail(where, f"expected base64 text, found {_describe(body[bad])} at offset {bad}")
        if len(value) % 4 or len(value) - len(body) > 2:
            self.fail(
                where,
                f"expected base64 text, but its length ({len(value)}) or padding is wrong "
                "(cut short?)",
            )
        try:
            decoded = base64.b64decode(value, validate=True)
        except binascii.Error:
            self.fail(where, "expected base64 text, but it does not decode")
        try:
            decoded.decode("utf-8")
        except UnicodeDecodeError:
            self.fail(where, "the base64 text does not decode to UTF-8 text")
        return value

    def _routes(self, item: Mapping[str, Any], path: str) -> tuple[str, ...]:
        """``Routes``: required, at least one ``{"Cidr": "<network>"}``."""
        routes = self.array(item, path, "Routes", required=True)
        if not routes:
            self.fail(f"{path}.Routes", "expected at least one route, got none")
        cidrs: list[str] = []
        for index, route in enumerate(routes):
            where = f"{path}.Routes[{index}]"
            if not isinstance(route, dict):
                self.fail(where, f"expected an object, got {kind(route)}")
            self._note_unknown(route, where, ROUTE_FIELDS)
            cidr: str = self.string(route, where, "Cidr", required=True)
            cidrs.append(self._cidr(f"{where}.Cidr", cidr))
        return tuple(cidrs)

    def _cidr(self, where: str, value: str) -> str:
        """A network in CIDR form, with no host bits set; returned normalised."""
        want = 'expected a CIDR like "2001:db8:1400::/57" or "192.0.2.0/24"'
        if not _CIDR.fullmatch(value):
            self.fail(where, f"{want}, got {show(value)}")
        try:
            network = ipaddress.ip_network(value, strict=False)
        except ValueError:
            self.fail(where, f"{want}, got {show(value)}")
        if network.network_address != ipaddress.ip_address(value.split("/", maxsplit=1)[0]):
            self.fail(
                where,
                f"{show(value)} has host bits set; the network is {show(str(network))}",
            )
        return str(network)


# --- helpers -------------------------------------------------------------------


def _object_from_pairs(pairs: list[tuple[str, Any]]) -> _JsonObject:
    """``object_pairs_hook`` that keeps the first duplicate key for the scan."""
    obj = _JsonObject()
    for key, value in pairs:
        if key in obj and obj.duplicate is None:
            obj.duplicate = key
        obj[key] = value
    return obj


def _refuse_constant(name: str) -> NoReturn:
    """``parse_constant``: JSON has no NaN or Infinity."""
    raise _BadNumber(f"{name} is not a JSON number")


def _finite_float(text: str) -> float:
    """``parse_float``: refuse numbers that overflow to infinity."""
    value = float(text)
    if not math.isfinite(value):
        raise _BadNumber("a number is too large")
    return value


def _is_base64_char(c: str) -> bool:
    """One character of the standard base64 alphabet (padding excluded)."""
    return c.isascii() and (c.isalnum() or c in "+/")


def _describe(c: str) -> str:
    """What a character that does not belong in base64 is, without showing it."""
    if c == "=":
        return "padding (=) before the end"
    if c.isspace():
        return "white space"
    return "a character outside the base64 alphabet"


def _printable_url(value: str) -> bool:
    """No white space or control characters (browsers would strip or reject them)."""
    return not any(c.isspace() or not c.isprintable() for c in value)


def _one_of(choices: tuple[str, ...]) -> str:
    """``expected one of "a", "b"`` for a message."""
    return "expected one of " + ", ".join(f'"{c}"' for c in choices)


def _escape(c: str) -> str:
    """An escape sequence for a character that must not be shown raw."""
    if c in '"\\':
        return "\\" + c
    code = ord(c)
    return f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"
