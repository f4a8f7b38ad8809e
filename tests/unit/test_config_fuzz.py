"""Fuzzing: any input gives a ClientConfig or a ConfigError, never anything else.

Also checks, for every input that does parse, that the JSON Schema accepts
it too, and that the safe views (summary, warnings, redacted JSON) work and
carry none of the example's secrets.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from vaclient.config.model import ClientConfig, parse_config, schema_path
from vaclient.config.redact import redacted_json
from vaclient.errors import ConfigError

EXAMPLE = (
    Path(__file__).resolve().parents[2]
    / "resources"
    / "examples"
    / "ClientConfig-vai-0123456789abcdef0.json"
)
EXAMPLE_BYTES = EXAMPLE.read_bytes()
EXAMPLE_DOC: dict[str, Any] = json.loads(EXAMPLE_BYTES)
SECRETS = (
    EXAMPLE_DOC["UserTrustProvider"]["ClientSecret"],
    EXAMPLE_DOC["OpenVpnConfigurations"][0]["Config"][:32],
    "FAKEPRIVATEKEYLINE2",
)
SCHEMA = jsonschema.Draft202012Validator(json.loads(schema_path().read_text("utf-8")))
FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

json_scalars = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=40)
    | st.sampled_from(
        [
            "",
            "1.0",
            "vai-0123456789abcdef0",
            "ap-northeast-1",
            "oidc",
            "jamf",
            "https://idp.example.com",
            "http://idp.example.com",
            "2001:db8::/32",
            "2001:db8::1/32",
            "Y2xpZW50Cg==",
            "Y2xpZW50Cg",
        ]
    )
)
json_values = st.recursive(
    json_scalars,
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(
            st.sampled_from(["Config", "Routes", "Cidr", "Type", "Issuer", "x"])
            | st.text(max_size=8),
            inner,
            max_size=4,
        )
    ),
    max_leaves=20,
)


def check(data: bytes) -> ClientConfig | ConfigError:
    """Parse ``data``; any exception but ConfigError fails the test."""
    try:
        cfg = parse_config(data, "fuzz.json")
    except ConfigError as err:
        assert isinstance(err.json_path, str)
        assert isinstance(err.problem, str)
        assert str(err).startswith("fuzz.json: ")
        return err

    # The model is at least as strict as the schema: what it accepts, the schema does.
    assert SCHEMA.is_valid(json.loads(data.removeprefix(b"\xef\xbb\xbf")))

    views = json.dumps(cfg.summary()) + "\n".join(cfg.warnings()) + redacted_json(cfg)
    views += repr(cfg)
    views.encode("utf-8")  # printable anywhere: no lone surrogates
    for secret in SECRETS:
        assert secret not in views
    return cfg


@FUZZ
@given(st.binary(max_size=512))
def test_any_bytes(data: bytes) -> None:
    check(data)


@FUZZ
@given(json_values)
def test_any_json_value(value: Any) -> None:
    result = check(json.dumps(value).encode())
    if not isinstance(value, dict):
        assert isinstance(result, ConfigError)
        assert result.json_path == ""


def _paths(value: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every path to a node of ``value`` (the root too)."""
    found = [path]
    if isinstance(value, dict):
        for key, item in value.items():
            found.extend(_paths(item, (*path, key)))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found.extend(_paths(item, (*path, index)))
    return found


EXAMPLE_PATHS = _paths(EXAMPLE_DOC)[1:]


@FUZZ
@given(
    st.lists(
        st.tuples(st.sampled_from(EXAMPLE_PATHS), st.sampled_from(["set", "delete"]), json_values),
        min_size=1,
        max_size=3,
    )
)
def test_mutated_example(mutations: list[tuple[tuple[Any, ...], str, Any]]) -> None:
    doc = json.loads(EXAMPLE_BYTES)
    for path, action, value in mutations:
        parent: Any = doc
        for step in path[:-1]:
            if not isinstance(parent, (dict, list)):
                break
            try:
                parent = parent[step]
            except (KeyError, IndexError, TypeError):
                break
        else:
            last = path[-1]
            if isinstance(parent, dict) and isinstance(last, str):
                if action == "delete":
                    parent.pop(last, None)
                else:
                    parent[last] = value
            elif isinstance(parent, list) and isinstance(last, int) and last < len(parent):
                if action == "delete":
                    del parent[last]
                else:
                    parent[last] = value
    check(json.dumps(doc, ensure_ascii=False).encode("utf-8", "surrogatepass"))


@FUZZ
@given(st.integers(0, len(EXAMPLE_BYTES)), st.integers(0, 64), st.binary(max_size=16))
def test_spliced_example_bytes(start: int, length: int, insert: bytes) -> None:
    data = EXAMPLE_BYTES[:start] + insert + EXAMPLE_BYTES[start + length :]
    check(data)


def test_unmodified_example_passes_the_same_checks() -> None:
    assert isinstance(check(EXAMPLE_BYTES), ClientConfig)
