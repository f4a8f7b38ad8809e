"""The JSON Schema and the model agree on fields and on the samples."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from vaclient.config import model
from vaclient.config.model import load_config, parse_config, schema_path
from vaclient.errors import ConfigError

ROOT = Path(__file__).resolve().parents[2]
CONFIGS = ROOT / "tests" / "data" / "configs"
EXAMPLE = ROOT / "resources" / "examples" / "ClientConfig-vai-0123456789abcdef0.json"
EXPECTATIONS: dict[str, dict[str, str]] = json.loads(
    (CONFIGS / "expectations.json").read_text("utf-8")
)


@pytest.fixture(scope="module")
def schema() -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(schema_path().read_text("utf-8"))
    return loaded


@pytest.fixture(scope="module")
def validator(schema: dict[str, Any]) -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator(schema)


def load_json(path: Path) -> Any:
    return json.loads(path.read_bytes().removeprefix(b"\xef\xbb\xbf"))


def test_schema_path_is_the_resources_file() -> None:
    assert schema_path() == ROOT / "resources" / "schema" / "clientconfig.schema.json"
    assert schema_path().is_file()


def test_schema_is_valid_draft_2020_12(schema: dict[str, Any]) -> None:
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    jsonschema.Draft202012Validator.check_schema(schema)


def test_property_names_match_the_model(schema: dict[str, Any]) -> None:
    props = schema["properties"]
    openvpn = props["OpenVpnConfigurations"]["items"]
    assert tuple(props) == model.TOP_LEVEL_FIELDS
    assert tuple(props["UserTrustProvider"]["properties"]) == model.USER_TRUST_PROVIDER_FIELDS
    assert tuple(openvpn["properties"]) == model.OPENVPN_CONFIGURATION_FIELDS
    assert tuple(openvpn["properties"]["Routes"]["items"]["properties"]) == model.ROUTE_FIELDS


def test_enums_match_the_model(schema: dict[str, Any]) -> None:
    props = schema["properties"]
    assert tuple(props["DeviceTrustProviders"]["items"]["enum"]) == (
        model.DEVICE_TRUST_PROVIDER_TYPES
    )
    utp_type = props["UserTrustProvider"]["properties"]["Type"]["enum"]
    assert tuple(t for t in utp_type if t is not None) == model.USER_TRUST_PROVIDER_TYPES


def test_required_fields_match_the_model(schema: dict[str, Any]) -> None:
    """A field is required in the schema exactly when the model says it is missing."""
    doc = load_json(CONFIGS / "good-iam-identity-center.json")
    model_required = []
    for name in model.TOP_LEVEL_FIELDS:
        trimmed = {k: v for k, v in doc.items() if k != name}
        try:
            parse_config(json.dumps(trimmed).encode(), "t.json")
        except ConfigError as err:
            assert (err.json_path, err.problem) == (name, "required field is missing")
            model_required.append(name)
    assert schema["required"] == model_required

    item = schema["properties"]["OpenVpnConfigurations"]["items"]
    assert item["required"] == list(model.OPENVPN_CONFIGURATION_FIELDS)
    assert item["properties"]["Routes"]["items"]["required"] == list(model.ROUTE_FIELDS)


@pytest.mark.parametrize(
    "path",
    [*sorted(CONFIGS.glob("good-*.json")), EXAMPLE],
    ids=lambda p: p.name,
)
def test_valid_samples_pass_both(path: Path, validator: jsonschema.Draft202012Validator) -> None:
    load_config(path)
    assert list(validator.iter_errors(load_json(path))) == []


@pytest.mark.parametrize(
    "name", sorted(n for n, e in EXPECTATIONS.items() if e["schema"] != "n/a")
)
def test_invalid_samples(name: str, validator: jsonschema.Draft202012Validator) -> None:
    """Structurally invalid samples fail both; the rest fail only the model."""
    path = CONFIGS / name
    with pytest.raises(ConfigError):
        load_config(path)
    schema_rejects = not validator.is_valid(load_json(path))
    assert schema_rejects == (EXPECTATIONS[name]["schema"] == "reject")
