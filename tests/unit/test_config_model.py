"""ClientConfig parsing and validation: every rule, with its exact message."""

from __future__ import annotations

import base64
import copy
import json
import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from vaclient import logsetup
from vaclient.config.model import (
    MAX_CONFIG_BYTES,
    ClientConfig,
    load_config,
    parse_config,
)
from vaclient.config.redact import (
    SECRET_FIELDS,
    redact_document,
    redacted_json,
    register_config_secrets,
)
from vaclient.errors import ConfigError

DATA = Path(__file__).resolve().parents[1] / "data"
CONFIGS = DATA / "configs"
EXAMPLE = (
    Path(__file__).resolve().parents[2]
    / "resources"
    / "examples"
    / "ClientConfig-vai-0123456789abcdef0.json"
)
EXPECTATIONS: dict[str, dict[str, str]] = json.loads(
    (CONFIGS / "expectations.json").read_text("utf-8")
)
GOOD_FILES = sorted(p.name for p in CONFIGS.glob("good-*.json"))
EXAMPLE_SECRET = "EXAMPLE-client-secret-not-real-0123456789"


def example_doc() -> dict[str, Any]:
    """The shipped example (OIDC, every field) as a fresh dict."""
    doc: dict[str, Any] = json.loads(EXAMPLE.read_text("utf-8"))
    return doc


def identity_center_doc() -> dict[str, Any]:
    """The IAM Identity Center sample as a fresh dict."""
    doc: dict[str, Any] = json.loads((CONFIGS / "good-iam-identity-center.json").read_text())
    return doc


def parse_doc(doc: Any) -> ClientConfig:
    return parse_config(json.dumps(doc).encode(), "test.json")


def error_of(doc: Any) -> ConfigError:
    with pytest.raises(ConfigError) as info:
        parse_doc(doc)
    return info.value


# --- sample files -----------------------------------------------------------------


def test_every_bad_sample_has_an_expectation() -> None:
    bad = {p.name for p in CONFIGS.glob("bad-*.json")}
    assert bad == set(EXPECTATIONS)


@pytest.mark.parametrize("name", sorted(EXPECTATIONS))
def test_bad_samples_fail_with_exact_message(name: str) -> None:
    path = CONFIGS / name
    with pytest.raises(ConfigError) as info:
        load_config(path)
    err = info.value
    want = EXPECTATIONS[name]
    assert (err.json_path, err.problem) == (want["json_path"], want["problem"])
    where = f"{want['json_path']}: " if want["json_path"] else ""
    assert str(err) == f"{path}: {where}{want['problem']}"
    assert err.source == str(path)
    assert err.hint


@pytest.mark.parametrize("name", GOOD_FILES)
def test_good_samples_parse_and_keep_their_bytes(name: str) -> None:
    path = CONFIGS / name
    cfg = load_config(path)
    assert cfg.raw == path.read_bytes()
    assert cfg.source == str(path)
    assert cfg.instance_id == "vai-0d25a84f343f84fe3"
    assert cfg.routes == ("2406:da14:1428:900::/57",)


def test_identity_center_sample_values() -> None:
    cfg = load_config(CONFIGS / "good-iam-identity-center.json")
    assert cfg.version == "1.0"
    assert cfg.region == "ap-northeast-1"
    assert cfg.device_trust_providers == ()
    assert cfg.file_name == "ClientConfig-vai-0d25a84f343f84fe3.json"
    utp = cfg.user_trust_provider
    assert utp is not None
    assert utp.type == "iam-identity-center"
    assert utp.scopes == "verified_access:application:connect"
    assert utp.issuer == "https://identitycenter.amazonaws.com/ssoins-77580b0c9ef863cb"
    assert utp.pkce_enabled is True
    assert (utp.client_id, utp.client_secret, utp.token_endpoint) == (None, None, None)
    assert cfg.unknown_fields == ()
    assert cfg.warnings() == []


def test_example_parses_with_every_field() -> None:
    cfg = load_config(EXAMPLE)
    utp = cfg.user_trust_provider
    assert utp is not None
    assert utp.type == "oidc"
    assert utp.client_secret == EXAMPLE_SECRET
    assert utp.public_signing_key_endpoint == "https://idp.example.com/oauth2/default/v1/keys"
    assert [p.type for p in cfg.device_trust_providers] == ["jamf"]
    assert cfg.routes == ("2001:db8:1400::/57", "2001:db8:2a00::/56")
    assert cfg.file_name == EXAMPLE.name


def test_unknown_fields_are_listed_and_warned() -> None:
    cfg = load_config(CONFIGS / "good-unknown-fields.json")
    assert cfg.unknown_fields == (
        "Tags",
        "UserTrustProvider.Audience",
        "OpenVpnConfigurations[0].Routes[0].Gateway",
    )
    assert cfg.warnings() == [
        f"unknown field {p} (kept in the file; vaclient does not use it)"
        for p in cfg.unknown_fields
    ]


def test_many_unknown_fields_are_counted_in_warnings() -> None:
    doc = identity_center_doc()
    doc.update({f"Extra{i}": i for i in range(25)})
    cfg = parse_doc(doc)
    assert len(cfg.unknown_fields) == 25
    warnings = cfg.warnings()
    assert len(warnings) == 21
    assert warnings[19] == "unknown field Extra19 (kept in the file; vaclient does not use it)"
    assert warnings[20] == "and 5 more unknown fields (see unknown_fields)"


def test_null_optionals_count_as_absent() -> None:
    cfg = load_config(CONFIGS / "good-null-optionals.json")
    assert cfg.device_trust_providers == ()
    assert cfg.user_trust_provider is not None
    assert cfg.user_trust_provider.client_id is None


# --- every rule, in memory -----------------------------------------------------------

Mutation = Callable[[dict[str, Any]], object]
VALID_B64_LATIN = base64.b64encode("caf\xe9".encode("latin-1")).decode()

RULES: list[tuple[str, Mutation, str, str]] = [
    ("version missing", lambda d: d.pop("Version"), "Version", "required field is missing"),
    ("version null", lambda d: d.update(Version=None), "Version", "expected a value, got null"),
    (
        "version empty",
        lambda d: d.update(Version=""),
        "Version",
        "expected a non-empty string, got an empty string",
    ),
    (
        "version bool",
        lambda d: d.update(Version=True),
        "Version",
        "expected a string, got a boolean",
    ),
    (
        "instance id short",
        lambda d: d.update(VerifiedAccessInstanceId="vai-0123"),
        "VerifiedAccessInstanceId",
        'expected an instance ID like "vai-0123456789abcdef0" ("vai-" and 17 lower-case hex '
        'digits), got "vai-0123"',
    ),
    (
        "instance id trailing newline",
        lambda d: d.update(VerifiedAccessInstanceId="vai-0123456789abcdef0\n"),
        "VerifiedAccessInstanceId",
        'expected an instance ID like "vai-0123456789abcdef0" ("vai-" and 17 lower-case hex '
        'digits), got "vai-0123456789abcdef0\\u000a"',
    ),
    (
        "instance id missing",
        lambda d: d.pop("VerifiedAccessInstanceId"),
        "VerifiedAccessInstanceId",
        "required field is missing",
    ),
    (
        "region upper case",
        lambda d: d.update(Region="AP-NORTHEAST-1"),
        "Region",
        'expected an AWS Region like "ap-northeast-1", got "AP-NORTHEAST-1"',
    ),
    ("region number", lambda d: d.update(Region=1), "Region", "expected a string, got a number"),
    (
        "device providers object",
        lambda d: d.update(DeviceTrustProviders={"jamf": True}),
        "DeviceTrustProviders",
        "expected an array, got an object",
    ),
    (
        "device provider number",
        lambda d: d.update(DeviceTrustProviders=["jamf", 3]),
        "DeviceTrustProviders[1]",
        "expected a string, got a number",
    ),
    (
        "trust provider string",
        lambda d: d.update(UserTrustProvider="oidc"),
        "UserTrustProvider",
        "expected an object, got a string",
    ),
    (
        "trust type case",
        lambda d: d["UserTrustProvider"].update(Type="OIDC"),
        "UserTrustProvider.Type",
        'expected one of "iam-identity-center", "oidc", got "OIDC"',
    ),
    (
        "pkce number (bool is not int)",
        lambda d: d["UserTrustProvider"].update(PkceEnabled=1),
        "UserTrustProvider.PkceEnabled",
        "expected true or false, got a number",
    ),
    (
        "token endpoint no host",
        lambda d: d["UserTrustProvider"].update(TokenEndpoint="https:///token"),
        "UserTrustProvider.TokenEndpoint",
        'expected an https URL, got "https:///token"',
    ),
    (
        "authorization endpoint relative",
        lambda d: d["UserTrustProvider"].update(AuthorizationEndpoint="/oauth2/authorize"),
        "UserTrustProvider.AuthorizationEndpoint",
        'expected an https URL, got "/oauth2/authorize"',
    ),
    (
        "user info endpoint with space",
        lambda d: d["UserTrustProvider"].update(UserInfoEndpoint="https://idp.example.com/a b"),
        "UserTrustProvider.UserInfoEndpoint",
        'expected an https URL, got "https://idp.example.com/a b"',
    ),
    (
        "jwks endpoint bad port",
        lambda d: d["UserTrustProvider"].update(PublicSigningKeyEndpoint="https://idp:99999/k"),
        "UserTrustProvider.PublicSigningKeyEndpoint",
        'expected an https URL, got "https://idp:99999/k"',
    ),
    (
        "issuer with credentials",
        lambda d: d["UserTrustProvider"].update(Issuer="https://admin:hunter22@idp.example.com"),
        "UserTrustProvider.Issuer",
        "expected an https URL without a user name or password",
    ),
    (
        "client id number",
        lambda d: d["UserTrustProvider"].update(ClientId=7),
        "UserTrustProvider.ClientId",
        "expected a string, got a number",
    ),
    (
        "client secret empty",
        lambda d: d["UserTrustProvider"].update(ClientSecret=""),
        "UserTrustProvider.ClientSecret",
        "expected a non-empty string, got an empty string",
    ),
    (
        "openvpn missing",
        lambda d: d.pop("OpenVpnConfigurations"),
        "OpenVpnConfigurations",
        "required field is missing",
    ),
    (
        "openvpn object",
        lambda d: d.update(OpenVpnConfigurations={}),
        "OpenVpnConfigurations",
        "expected an array, got an object",
    ),
    (
        "openvpn item string",
        lambda d: d["OpenVpnConfigurations"].append("x"),
        "OpenVpnConfigurations[1]",
        "expected an object, got a string",
    ),
    (
        "config missing",
        lambda d: d["OpenVpnConfigurations"][0].pop("Config"),
        "OpenVpnConfigurations[0].Config",
        "required field is missing",
    ),
    (
        "config empty",
        lambda d: d["OpenVpnConfigurations"][0].update(Config=""),
        "OpenVpnConfigurations[0].Config",
        "expected base64 text, got an empty string",
    ),
    (
        "config url-safe alphabet",
        lambda d: d["OpenVpnConfigurations"][0].update(Config="ab-_"),
        "OpenVpnConfigurations[0].Config",
        "expected base64 text, found a character outside the base64 alphabet at offset 2",
    ),
    (
        "config inner padding",
        lambda d: d["OpenVpnConfigurations"][0].update(Config="YQ==YQ=="),
        "OpenVpnConfigurations[0].Config",
        "expected base64 text, found padding (=) before the end at offset 2",
    ),
    (
        "config cut short",
        lambda d: d["OpenVpnConfigurations"][0].update(Config="Y2xpZW5"),
        "OpenVpnConfigurations[0].Config",
        "expected base64 text, but its length (7) or padding is wrong (cut short?)",
    ),
    (
        "config too much padding",
        lambda d: d["OpenVpnConfigurations"][0].update(Config="Y==="),
        "OpenVpnConfigurations[0].Config",
        "expected base64 text, but its length (4) or padding is wrong (cut short?)",
    ),
    (
        "config not utf-8",
        lambda d: d["OpenVpnConfigurations"][0].update(Config=VALID_B64_LATIN),
        "OpenVpnConfigurations[0].Config",
        "the base64 text does not decode to UTF-8 text",
    ),
    (
        "routes missing",
        lambda d: d["OpenVpnConfigurations"][0].pop("Routes"),
        "OpenVpnConfigurations[0].Routes",
        "required field is missing",
    ),
    (
        "route string",
        lambda d: d["OpenVpnConfigurations"][0].update(Routes=["2001:db8::/32"]),
        "OpenVpnConfigurations[0].Routes[0]",
        "expected an object, got a string",
    ),
    (
        "cidr missing",
        lambda d: d["OpenVpnConfigurations"][0]["Routes"].append({"cidr": "2001:db8::/32"}),
        "OpenVpnConfigurations[0].Routes[2].Cidr",
        "required field is missing",
    ),
    (
        "cidr netmask form",
        lambda d: d["OpenVpnConfigurations"][0].update(Routes=[{"Cidr": "10.0.0.0/255.0.0.0"}]),
        "OpenVpnConfigurations[0].Routes[0].Cidr",
        'expected a CIDR like "2001:db8:1400::/57" or "192.0.2.0/24", got "10.0.0.0/255.0.0.0"',
    ),
    (
        "cidr prefix too long",
        lambda d: d["OpenVpnConfigurations"][0].update(Routes=[{"Cidr": "192.0.2.0/33"}]),
        "OpenVpnConfigurations[0].Routes[0].Cidr",
        'expected a CIDR like "2001:db8:1400::/57" or "192.0.2.0/24", got "192.0.2.0/33"',
    ),
    (
        "cidr leading zeros",
        lambda d: d["OpenVpnConfigurations"][0].update(Routes=[{"Cidr": "192.000.2.0/24"}]),
        "OpenVpnConfigurations[0].Routes[0].Cidr",
        'expected a CIDR like "2001:db8:1400::/57" or "192.0.2.0/24", got "192.000.2.0/24"',
    ),
    (
        "cidr zone id",
        lambda d: d["OpenVpnConfigurations"][0].update(Routes=[{"Cidr": "fe80::%eth0/64"}]),
        "OpenVpnConfigurations[0].Routes[0].Cidr",
        'expected a CIDR like "2001:db8:1400::/57" or "192.0.2.0/24", got "fe80::%eth0/64"',
    ),
    (
        "cidr ipv4 host bits",
        lambda d: d["OpenVpnConfigurations"][0].update(Routes=[{"Cidr": "192.0.2.1/24"}]),
        "OpenVpnConfigurations[0].Routes[0].Cidr",
        '"192.0.2.1/24" has host bits set; the network is "192.0.2.0/24"',
    ),
]


@pytest.mark.parametrize(
    ("mutate", "json_path", "problem"),
    [r[1:] for r in RULES],
    ids=[r[0] for r in RULES],
)
def test_rule_messages(mutate: Mutation, json_path: str, problem: str) -> None:
    doc = example_doc()
    mutate(doc)
    err = error_of(doc)
    assert (err.json_path, err.problem) == (json_path, problem)


def test_empty_object_names_the_first_required_field() -> None:
    err = error_of({})
    assert (err.json_path, err.problem) == ("Version", "required field is missing")


def test_miscased_field_gets_a_hint() -> None:
    doc = identity_center_doc()
    doc["region"] = doc.pop("Region")
    err = error_of(doc)
    assert (err.json_path, err.problem) == ("Region", "required field is missing")
    assert err.hint == 'The file has "region"; field names are case-sensitive.'


def test_nested_duplicate_key_is_located() -> None:
    text = (CONFIGS / "good-iam-identity-center.json").read_text()
    text = text.replace('"PkceEnabled": true', '"PkceEnabled": true, "PkceEnabled": false')
    with pytest.raises(ConfigError) as info:
        parse_config(text.encode(), "dup.json")
    assert info.value.json_path == "UserTrustProvider.PkceEnabled"
    assert info.value.problem == "duplicate key; each field may appear only once"


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        (b"", "the file is empty"),
        (b"\xef\xbb\xbf \n", "the file is empty"),
        (b"null", "expected a JSON object at the top level, got null"),
        (b'"x"', "expected a JSON object at the top level, got a string"),
        (b"{", "not valid JSON: the text ends early at line 1, column 2 (cut short?)"),
        (b"{} {}", "not valid JSON: Extra data at line 1, column 4"),
        (b'{"a": Infinity}', "not valid JSON: Infinity is not a JSON number"),
        (b'{"a": -Infinity}', "not valid JSON: -Infinity is not a JSON number"),
        (b'{"a": 1e999}', "not valid JSON: a number is too large"),
        (b'{"a": ' + b"9" * 5000 + b"}", "not valid JSON: a number has too many digits"),
        (b"[" * 100_000 + b"]" * 100_000, "not valid JSON for a ClientConfig: nested too deeply"),
        (b'{"a": "\\ud800"}', "contains a \\u escape that is not a character (a lone surrogate)"),
    ],
    ids=[
        "empty",
        "bom-blank",
        "null",
        "string",
        "open",
        "extra",
        "inf",
        "neg-inf",
        "overflow",
        "digits",
        "deep",
        "surrogate",
    ],
)
def test_document_level_problems(data: bytes, problem: str) -> None:
    with pytest.raises(ConfigError) as info:
        parse_config(data, "<stdin>")
    assert info.value.problem == problem
    assert str(info.value).startswith("<stdin>: ")


def test_size_cap_is_checked_before_parsing(tmp_path: Path) -> None:
    big = tmp_path / "big.json"
    big.write_bytes(b" " * MAX_CONFIG_BYTES + b"{}")
    with pytest.raises(ConfigError) as info:
        load_config(big)
    assert info.value.problem == "the file is larger than 1024 KiB; a ClientConfig is a few KiB"

    padded = EXAMPLE.read_bytes().ljust(MAX_CONFIG_BYTES, b" ")
    assert parse_config(padded, "padded.json").instance_id == "vai-0123456789abcdef0"


def test_unreadable_paths(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as info:
        load_config(tmp_path / "ClientConfig-missing.json")
    assert info.value.problem == "file not found"
    assert info.value.json_path == ""

    with pytest.raises(ConfigError) as info:
        load_config(tmp_path)
    assert info.value.problem == "is a folder, not a file"


def test_error_text_never_contains_secrets() -> None:
    doc = example_doc()
    secret = doc["UserTrustProvider"]["ClientSecret"]
    doc["UserTrustProvider"]["ClientSecret"] = ["not", secret]
    err = error_of(doc)
    assert secret not in str(err)

    doc = example_doc()
    config = doc["OpenVpnConfigurations"][0]["Config"]
    doc["OpenVpnConfigurations"][0]["Config"] = config[:-4] + "!!!!"
    err = error_of(doc)
    assert err.problem.startswith("expected base64 text, found a character outside")
    assert config[:40] not in str(err)


def test_normalised_routes_and_dedup() -> None:
    doc = example_doc()
    doc["OpenVpnConfigurations"][0]["Routes"] = [
        {"Cidr": "2001:DB8:1400:0::/57"},
        {"Cidr": "192.0.2.0/24"},
    ]
    doc["OpenVpnConfigurations"].append(
        {"Config": doc["OpenVpnConfigurations"][0]["Config"], "Routes": [{"Cidr": "192.0.2.0/24"}]}
    )
    cfg = parse_doc(doc)
    assert cfg.openvpn_configurations[0].routes == ("2001:db8:1400::/57", "192.0.2.0/24")
    assert cfg.routes == ("2001:db8:1400::/57", "192.0.2.0/24")


def test_bom_is_tolerated_and_kept_in_raw() -> None:
    data = b"\xef\xbb\xbf" + EXAMPLE.read_bytes()
    cfg = parse_config(data, "bom.json")
    assert cfg.raw == data
    assert json.loads(redacted_json(cfg))["Region"] == "eu-central-1"


def test_newer_version_and_remote_less_config_warn() -> None:
    doc = identity_center_doc()
    doc["Version"] = "2.0"
    doc["OpenVpnConfigurations"][0]["Config"] = base64.b64encode(b"client\ndev tun\n").decode()
    assert parse_doc(doc).warnings() == [
        'Version "2.0" is not one vaclient knows (1.0); fields may have changed meaning',
        "OpenVpnConfigurations[0].Config has no remote line; the tunnel has no server to reach",
    ]


# --- secrets: repr, summary, redaction, log filter -------------------------------


def test_repr_and_summary_hide_secrets() -> None:
    cfg = load_config(EXAMPLE)
    config = cfg.openvpn_configurations[0].config
    for text in (repr(cfg), json.dumps(cfg.summary()), "\n".join(cfg.warnings())):
        assert EXAMPLE_SECRET not in text
        assert config[:24] not in text
        assert "PRIVATE" not in text

    summary = cfg.summary()
    assert summary["user_trust_provider"]["client_secret"] == "***"
    assert summary["user_trust_provider"]["client_id"] == "0oa1example2client3id4"
    assert summary["openvpn_configurations"][0]["config"] == "***"
    assert summary["openvpn_configurations"][0]["openvpn"]["has_inline_keys"] is True
    assert summary["routes"] == ["2001:db8:1400::/57", "2001:db8:2a00::/56"]
    assert summary["file_name"] == "ClientConfig-vai-0123456789abcdef0.json"


def test_summary_without_secret_says_none() -> None:
    cfg = load_config(CONFIGS / "good-iam-identity-center.json")
    assert cfg.summary()["user_trust_provider"]["client_secret"] is None


def test_redact_document_masks_anywhere() -> None:
    doc = {
        "Config": {"deep": 1},
        "A": [{"ClientSecret": "s3cret-value"}, [{"Config": "abc"}], "Config"],
        "B": {"C": None, "Config": None},
    }
    original = copy.deepcopy(doc)
    assert redact_document(doc) == {
        "Config": "***",
        "A": [{"ClientSecret": "***"}, [{"Config": "***"}], "Config"],
        "B": {"C": None, "Config": "***"},
    }
    assert doc == original
    assert SECRET_FIELDS == ("Config", "ClientSecret")


def test_redact_document_masks_misspelt_and_secret_like_names() -> None:
    doc = {
        "Client Secret": "a",
        "clientSecret": "b",
        "CONFIG": "c",
        "db_password": "d",
        "PrivateKey": "e",
        "TokenEndpoint": "https://idp.example.com/token",
        "PublicSigningKeyEndpoint": "https://idp.example.com/keys",
        "ClientId": "id",
    }
    masked = redact_document(doc)
    assert [k for k, v in masked.items() if v == "***"] == list(doc)[:5]
    assert {k: masked[k] for k in list(doc)[5:]} == {k: doc[k] for k in list(doc)[5:]}


def test_misspelt_secret_in_unknown_field_is_masked_when_shown() -> None:
    text = EXAMPLE.read_text().replace('"ClientSecret"', '"Client Secret"')
    cfg = parse_config(text.encode(), "edited.json")
    assert cfg.unknown_fields == ('UserTrustProvider["Client Secret"]',)
    assert EXAMPLE_SECRET not in redacted_json(cfg)


def test_redact_document_survives_deep_nesting() -> None:
    deep: Any = {"Config": "x"}
    for _ in range(5000):
        deep = [deep]
    out = redact_document(deep)
    for _ in range(5000):
        out = out[0]
    assert out == {"Config": "***"}


def test_redacted_json_keeps_order_and_unknown_fields() -> None:
    cfg = load_config(CONFIGS / "good-unknown-fields.json")
    shown = redacted_json(cfg)
    parsed = json.loads(shown)
    assert list(parsed) == list(json.loads(cfg.raw))
    assert parsed["Tags"] == {"team": "net"}
    assert parsed["OpenVpnConfigurations"][0]["Config"] == "***"
    assert cfg.openvpn_configurations[0].config not in shown


def test_registered_secrets_are_masked_in_logs(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr(logsetup, "_secrets", set())
    cfg = load_config(EXAMPLE)
    register_config_secrets(cfg)

    text = cfg.openvpn_configurations[0].text()
    key_line = "FAKEPRIVATEKEYLINE2EXAMPLEONLYFAKEPRIVATEKEYLINE2EXAMPLEONLYFAKE"
    assert key_line in text
    samples = [EXAMPLE_SECRET, cfg.openvpn_configurations[0].config, key_line]
    for sample in samples:
        assert logsetup.mask_secrets(f"before {sample} after") == "before *** after"

    record = logging.LogRecord("t", logging.INFO, __file__, 1, "got %s", (key_line,), None)
    logsetup.SecretFilter().filter(record)
    assert record.getMessage() == "got ***"
