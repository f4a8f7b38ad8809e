"""Settings file round trip, validation, and administrator policy on top."""

from __future__ import annotations

import json
import plistlib
from pathlib import Path

import pytest

from vaclient.errors import UsageError
from vaclient.managed import (
    Policy,
    apply_policy,
    read_json_policy,
    read_plist_policy,
    read_windows_policy,
)
from vaclient.settings import Endpoint, Settings, load_settings, save_settings


def test_missing_file_gives_defaults(tmp_path: Path) -> None:
    assert load_settings(tmp_path / "settings.json") == Settings()


def test_round_trip_keeps_unknown_keys(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    path.write_text(json.dumps({"future_option": [1, 2], "check_interval_s": 60}))

    settings = load_settings(path)
    settings = Settings.from_dict(
        {**settings.to_dict(), "endpoints": [{"host": "app.example.com", "port": 22}]}
    )
    save_settings(settings, path)

    raw = json.loads(path.read_text())
    assert raw["future_option"] == [1, 2]
    assert raw["check_interval_s"] == 60
    assert load_settings(path).endpoints == (Endpoint("app.example.com", 22),)


def test_broken_json_names_the_file(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    path.write_text("{not json")
    with pytest.raises(UsageError) as info:
        load_settings(path)
    assert str(path) in info.value.message
    assert "not valid JSON (line 1)" in info.value.message


def test_wrong_type_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    path.write_text(json.dumps({"endpoints": [{"host": "a.example.com"}]}))
    with pytest.raises(UsageError, match="settings file is not valid"):
        load_settings(path)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("app.example.com:22", Endpoint("app.example.com", 22)),
        ("[2001:db8::10]:5432", Endpoint("2001:db8::10", 5432)),
        (" db.example.com:3306 ", Endpoint("db.example.com", 3306)),
    ],
)
def test_endpoint_parse(text: str, expected: Endpoint) -> None:
    assert Endpoint.parse(text) == expected


@pytest.mark.parametrize("text", ["app.example.com", "app:0", "app:65536", ":22", "app:ssh"])
def test_endpoint_parse_rejects(text: str) -> None:
    with pytest.raises(UsageError, match="expected HOST:PORT"):
        Endpoint.parse(text)


def test_endpoint_target_brackets_ipv6() -> None:
    assert Endpoint("2001:db8::10", 22).target == "[2001:db8::10]:22"


def test_policy_overrides_and_marks_managed() -> None:
    user = Settings(check_interval_s=600, upload_url="https://user.example.com/")
    policy = Policy(
        {
            "Endpoints": ["ssh=app.example.com:22", "db.example.com:5432"],
            "CheckIntervalSeconds": 120,
            "SomethingNew": 1,
        },
        "test",
    )

    effective = apply_policy(user, policy)

    assert effective.endpoints == (
        Endpoint("app.example.com", 22, "ssh"),
        Endpoint("db.example.com", 5432),
    )
    assert effective.check_interval_s == 120
    assert effective.upload_url == "https://user.example.com/"
    assert effective.managed == ("check_interval_s", "endpoints")


def test_bad_policy_value_is_ignored_not_fatal() -> None:
    policy = Policy({"CheckIntervalSeconds": "soon", "Endpoints": ["nonsense"]}, "test")
    assert apply_policy(Settings(), policy) == Settings()


def test_managed_fields_are_not_saved(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    save_settings(Settings(check_interval_s=600), path)
    effective = apply_policy(
        load_settings(path), Policy({"CheckIntervalSeconds": 60, "UploadUrl": "https://x"})
    )

    save_settings(effective, path)

    raw = json.loads(path.read_text())
    assert raw["check_interval_s"] == 600
    assert raw["upload_url"] == ""
    assert "managed" not in raw


def test_windows_policy_reader_uses_the_policy_key() -> None:
    seen: list[str] = []

    def fake_registry(key: str) -> dict[str, object]:
        seen.append(key)
        return {"Endpoints": ["app.example.com:22"], "CheckIntervalSeconds": 60}

    policy = read_windows_policy(fake_registry)
    assert seen == [r"SOFTWARE\Policies\vaclient"]
    assert policy.source == r"HKLM\SOFTWARE\Policies\vaclient"
    assert apply_policy(Settings(), policy).check_interval_s == 60


def test_windows_policy_missing_key_is_empty() -> None:
    def missing(key: str) -> dict[str, object]:
        raise FileNotFoundError(key)

    assert read_windows_policy(missing).values == {}


def test_plist_and_json_policies(tmp_path: Path) -> None:
    plist = tmp_path / "org.vaclient.vaclient.plist"
    plist.write_bytes(plistlib.dumps({"UploadUrl": "https://upload.example.com/put"}))
    policy_json = tmp_path / "policy.json"
    policy_json.write_text(json.dumps({"TunnelInterface": "utun7"}))
    broken = tmp_path / "broken.json"
    broken.write_text("[")

    assert read_plist_policy(plist).values == {"UploadUrl": "https://upload.example.com/put"}
    assert read_json_policy(policy_json).values == {"TunnelInterface": "utun7"}
    assert read_json_policy(broken).values == {}
    assert read_json_policy(tmp_path / "absent.json").values == {}


def test_client_processes_round_trip(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"

    save_settings(Settings(client_processes=("Connectivity Client", "VA*")), path)

    raw = json.loads(path.read_text())
    assert raw["client_processes"] == ["Connectivity Client", "VA*"]
    assert load_settings(path).client_processes == ("Connectivity Client", "VA*")


def test_client_processes_must_be_a_list(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    path.write_text(json.dumps({"client_processes": "Connectivity Client"}))

    with pytest.raises(UsageError, match="expected a list of strings, not str"):
        load_settings(path)


@pytest.mark.parametrize(
    "value",
    [
        ["Connectivity Client.exe", "VA*"],  # REG_MULTI_SZ, plist array, JSON list
        "Connectivity Client.exe\nVA*\n",  # newline-separated text
        ["Connectivity Client.exe", "", "  VA*  "],  # blanks dropped, spaces trimmed
    ],
)
def test_policy_client_processes(value: object) -> None:
    effective = apply_policy(Settings(), Policy({"ClientProcesses": value}, "test"))

    assert effective.client_processes == ("Connectivity Client.exe", "VA*")
    assert effective.managed == ("client_processes",)


@pytest.mark.parametrize("value", [42, ["Connectivity Client.exe", 7], {"a": "b"}])
def test_bad_policy_client_processes_are_ignored(value: object) -> None:
    user = Settings(client_processes=("Mine",))

    assert apply_policy(user, Policy({"ClientProcesses": value}, "test")) == user
