"""No secret of a ClientConfig reaches stdout, stderr or the log file, whatever the command.

Each run makes configurations with random, unique secrets: the base64
OpenVPN ``Config`` (with random key and certificate blocks) and the
``ClientSecret``. Every ``config`` command in :data:`COMMANDS` runs with
``-vv`` and the log file on; the sweep then searches the output and the log
for each secret, each line of each key block, and pieces of the base64 text.
To cover a new command, add its argv template to :data:`COMMANDS`.
"""

from __future__ import annotations

import base64
import json
import os
import secrets
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.unit.test_install import INSTANCE, UNPRIVILEGED, make_config
from vaclient.cli import main
from vaclient.config import install as install_module
from vaclient.config.elevation import DirectElevator
from vaclient.logsetup import LOG_FILE_NAME

#: Argv templates, run in this order against one folder. Placeholders:
#: {good} {good2} a valid file; {bad_*} invalid files that hold secrets;
#: {dir} the client's folder; {id} the instance ID; {out} a folder for
#: written files (reports, bundles), which are searched too.
COMMANDS: tuple[tuple[str, ...], ...] = (
    ("config", "check", "{good}"),
    ("config", "check", "--json", "{good}"),
    ("config", "show", "{good}"),
    ("config", "install", "{good}", "--config-dir", "{dir}", "--yes"),
    ("config", "install", "{good}", "--config-dir", "{dir}"),
    ("config", "install", "{good2}", "--config-dir", "{dir}", "--yes"),
    ("config", "list", "--config-dir", "{dir}"),
    ("config", "list", "--config-dir", "{dir}", "--json"),
    ("config", "remove", "{id}", "--config-dir", "{dir}"),
    ("config", "install", "--restore", "{id}", "--config-dir", "{dir}", "--yes"),
    ("config", "check", "{bad_issuer}"),
    ("config", "check", "--json", "{bad_route}"),
    ("config", "show", "{bad_config}"),
    ("config", "check", "{bad_config}"),
    ("config", "install", "{bad_secret_type}", "--config-dir", "{dir}", "--yes"),
    ("config", "install", "{bad_route}", "--config-dir", "{dir}", "--yes"),
    ("config", "list", "--config-dir", "{dir}", "--json"),
    # The same configurations through the diagnosis and helpdesk commands.
    ("doctor", "--config-dir", "{dir}", "--no-settings", "--timeout", "0.5"),
    ("doctor", "--config-dir", "{dir}", "--no-settings", "--json", "--html", "{out}/r.html"),
    ("doctor", "--config", "{good}", "--config", "{bad_config}", "--no-settings", "--json"),
    ("status", "--config-dir", "{dir}"),
    ("status", "--config-dir", "{dir}", "--json"),
    ("report", "show", "{out}/r.json"),
    ("bundle", "--config-dir", "{dir}", "--no-doctor", "--out", "{out}/b.zip"),
    ("bundle", "--config-dir", "{dir}", "--no-doctor", "--list"),
)


def _pem_lines(count: int) -> list[str]:
    return [base64.b64encode(secrets.token_bytes(48)).decode() for _ in range(count)]


@dataclass
class SecretConfig:
    """A generated ClientConfig and every string that must never be shown."""

    data: bytes
    secrets: list[str]


def make_secret_config(**overrides: object) -> SecretConfig:
    """A valid ClientConfig whose OpenVPN keys and client secret are fresh random values."""
    ca, cert, key = _pem_lines(4), _pem_lines(4), _pem_lines(3)
    static = [secrets.token_hex(16) for _ in range(8)]
    openvpn = "\n".join(
        [
            "client",
            "dev tun",
            "remote edge.vai-0123456789abcdef0.example.net 443",
            "<ca>",
            "-----BEGIN CERTIFICATE-----",
            *ca,
            "-----END CERTIFICATE-----",
            "</ca>",
            "<cert>",
            "-----BEGIN CERTIFICATE-----",
            *cert,
            "-----END CERTIFICATE-----",
            "</cert>",
            "<key>",
            "-----BEGIN PRIVATE KEY-----",
            *key,
            "-----END PRIVATE KEY-----",
            "</key>",
            "<tls-crypt>",
            "-----BEGIN OpenVPN Static key V1-----",
            *static,
            "-----END OpenVPN Static key V1-----",
            "</tls-crypt>",
            "",
        ]
    )
    client_secret = "cs-" + secrets.token_urlsafe(24)
    data = make_config(openvpn=openvpn, client_secret=client_secret, **overrides)  # type: ignore[arg-type]
    config_b64 = base64.b64encode(openvpn.encode()).decode()
    assert client_secret.encode() in data and config_b64.encode() in data  # the sweep's premise
    pieces = [config_b64[i : i + 24] for i in range(0, len(config_b64) - 24, 12)]
    return SecretConfig(data, [client_secret, config_b64, *ca, *cert, *key, *static, *pieces])


def _with(data: bytes, edit: dict[str, object]) -> bytes:
    doc = json.loads(data)
    for path, value in edit.items():
        target = doc
        *parents, last = path.split(".")
        for part in parents:
            target = target[int(part)] if part.isdigit() else target[part]
        target[last] = value
    return json.dumps(doc, indent=2).encode()


@pytest.fixture
def files(tmp_path: Path) -> Iterator[tuple[dict[str, str], list[str]]]:
    good = make_secret_config()
    good2 = make_secret_config(region="eu-west-1")
    holder = make_secret_config()
    junk = "J" + secrets.token_hex(20)
    variants = {
        "good": good.data,
        "good2": good2.data,
        "bad_issuer": _with(holder.data, {"UserTrustProvider.Issuer": "http://plain.example"}),
        "bad_route": _with(holder.data, {"OpenVpnConfigurations.0.Routes.0.Cidr": "300.1.2.3/8"}),
        "bad_config": _with(holder.data, {"OpenVpnConfigurations.0.Config": f"{junk}!!%%"}),
        "bad_secret_type": _with(holder.data, {"UserTrustProvider.ClientSecret": [junk]}),
    }
    paths = {}
    for name, data in variants.items():
        path = tmp_path / f"{name}.json"
        path.write_bytes(data)
        paths[name] = str(path)
    paths["dir"] = str(tmp_path / "client")
    paths["id"] = INSTANCE
    out = tmp_path / "out"
    out.mkdir()
    paths["out"] = str(out)
    yield paths, [*good.secrets, *good2.secrets, *holder.secrets, junk]


def _log_text() -> str:
    path = Path(os.environ["VACLIENT_LOG_DIR"]) / LOG_FILE_NAME
    return path.read_text(encoding="utf-8") if path.exists() else ""


def _sweep(
    capsys: pytest.CaptureFixture[str], paths: dict[str, str], known: list[str]
) -> list[int]:
    codes = []
    for template in COMMANDS:
        argv = ["-vv", *(part.format(**paths) for part in template)]
        codes.append(main(argv))
        out, err = capsys.readouterr()
        for secret in known:
            assert secret not in out, f"{argv}: a secret reached stdout"
            assert secret not in err, f"{argv}: a secret reached stderr"
        if template[0] == "doctor" and "--json" in template:
            Path(paths["out"], "r.json").write_text(out, encoding="utf-8")
    log = _log_text()
    assert log, "the log file was not written"
    for secret in known:
        assert secret not in log, "a secret reached the log file"
    written = _written_texts(Path(paths["out"]))
    assert set(written) >= {"r.html", "r.json", "b.zip:manifest.json"}
    for name, text in written.items():
        for secret in known:
            assert secret not in text, f"a secret reached {name}"
    return codes


def _written_texts(folder: Path) -> dict[str, str]:
    """Every file the commands wrote, zip members included, as text."""
    texts = {}
    for path in sorted(folder.iterdir()):
        if path.suffix == ".zip":
            with zipfile.ZipFile(path) as archive:
                for member in archive.namelist():
                    data = archive.read(member)
                    texts[f"{path.name}:{member}"] = data.decode("utf-8", "replace")
        else:
            texts[path.name] = path.read_text(encoding="utf-8", errors="replace")
    return texts


#: Exit codes of the config commands (fixed), then of the diagnosis commands,
#: whose result depends on this machine's tunnel (0 or 1 both prove they ran).
CONFIG_CODES = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 2, 2, 2, 2, 2, 0]
DIAGNOSIS_CODES = [{0, 1}, {0, 1}, {1}, {0, 1}, {0, 1}, {0}, {0}, {0}]


def _assert_codes(codes: list[int]) -> None:
    assert codes[: len(CONFIG_CODES)] == CONFIG_CODES
    rest = codes[len(CONFIG_CODES) :]
    assert len(rest) == len(DIAGNOSIS_CODES)
    for code, allowed, template in zip(
        rest, DIAGNOSIS_CODES, COMMANDS[len(CONFIG_CODES) :], strict=True
    ):
        assert code in allowed, (template, code)


def test_no_secret_in_output_or_log(
    capsys: pytest.CaptureFixture[str], files: tuple[dict[str, str], list[str]]
) -> None:
    paths, known = files
    codes = _sweep(capsys, paths, known)
    # The sweep exercised success and error paths alike.
    _assert_codes(codes)


def test_no_secret_through_the_elevated_helper(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    files: tuple[dict[str, str], list[str]],
) -> None:
    if not (hasattr(os, "geteuid") and os.geteuid() == 0):
        if os.environ.get("CI") == "true":
            pytest.fail("needs root, and CI runs as root")
        pytest.skip("the real helper must run as root")
    monkeypatch.setattr(install_module, "system_privileges", lambda: UNPRIVILEGED)
    monkeypatch.setattr(install_module, "default_elevator", DirectElevator)
    paths, known = files
    codes = _sweep(capsys, paths, known)
    _assert_codes(codes)
