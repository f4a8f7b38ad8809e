"""The sign-in flow, without Qt: start the client, watch the tunnel, get the installer.

``vaclient login`` (and the tray's "Sign in") use these pieces:

- :func:`wait_for_tunnel` polls the quick status (no network traffic) until
  the tunnel is up with every route of the installed configurations, or a
  timeout passes, reporting progress through a callback.
- :func:`installer_url` builds AWS's official installer address for this OS
  and processor; :func:`download_installer` fetches it over HTTPS only into a
  private temporary folder.
- :class:`SignatureVerifier` checks the downloaded file's signature with the
  OS's own tool (PowerShell ``Get-AuthenticodeSignature`` on Windows,
  ``pkgutil --check-signature`` on macOS); the parsers of their output are
  pure functions. :func:`open_installer` refuses to open a file whose
  signature was not found valid, and it is only called after the user
  confirmed: nothing is ever installed silently.
"""

from __future__ import annotations

import json
import logging
import os
import platform as _platform
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from vaclient.errors import PlatformUnsupported, UsageError
from vaclient.paths import current_os
from vaclient.platforms.base import CommandRunner
from vaclient.status import QuickStatus

logger = logging.getLogger(__name__)

#: Where AWS publishes the Connectivity Client installers (AWS user guide).
INSTALLER_BASE_URL = "https://d1wo6wuaox5vq3.cloudfront.net"
INSTALLER_NAME = "ConnectivityClientInstaller"
#: The word the signer's name must contain.
EXPECTED_SIGNER = "Amazon"
#: pkgutil's wording for a Developer ID signature that chains to Apple.
PKGUTIL_APPLE_STATUS = "signed by a developer certificate issued by Apple"
#: Get-AuthenticodeSignature's status values in .NET enum order (for numeric JSON).
AUTHENTICODE_STATUSES = (
    "Valid",
    "UnknownError",
    "NotSigned",
    "HashMismatch",
    "NotTrusted",
    "NotSupportedFileFormat",
    "Incompatible",
)
_MAX_INSTALLER_BYTES = 500 * 1024 * 1024
_CHUNK = 64 * 1024

# --- installer address ---------------------------------------------------


def installer_build(os_name: str | None = None, machine: str | None = None) -> tuple[str, str]:
    """The installer's build folder and file extension for an OS and processor.

    >>> installer_build("macos", "arm64")
    ('mac-arm64', 'pkg')
    >>> installer_build("windows", "AMD64")
    ('windows-x86_64', 'msi')

    Raises:
        PlatformUnsupported: AWS publishes no build for this OS or processor.
    """
    os_name = os_name or current_os()
    arch = (machine or _platform.machine()).lower()
    if os_name == "macos":
        return ("mac-arm64" if arch in ("arm64", "aarch64") else "mac-x86_64"), "pkg"
    if os_name == "windows" and arch in ("amd64", "x86_64", "x64"):
        return "windows-x86_64", "msi"
    if os_name == "windows":
        raise PlatformUnsupported(
            f"AWS publishes no Connectivity Client for Windows on {arch}.",
            "The client is available for Windows x64 and for macOS.",
        )
    raise PlatformUnsupported(
        "The Connectivity Client exists only for Windows and macOS.",
        "Run 'vaclient login' on the Windows or macOS computer that connects.",
    )


def latest_version(os_name: str) -> str:
    """The newest known client version for ``windows`` or ``macos``.

    Raises:
        UsageError: the versions data has no entry for this OS.
    """
    from vaclient.platforms.versions import latest_version as newest

    found = newest(os_name)
    if not found:
        raise UsageError(
            f"no known Connectivity Client version for {os_name}",
            "Download the installer from AWS's Verified Access user guide.",
        )
    return found


def installer_url(
    os_name: str | None = None, machine: str | None = None, version: str | None = None
) -> str:
    """AWS's official installer URL for this OS and processor.

    >>> installer_url("windows", "AMD64", "1.0.6")
    'https://d1wo6wuaox5vq3.cloudfront.net/windows-x86_64/1.0.6/ConnectivityClientInstaller.msi'
    """
    os_name = os_name or current_os()
    build, ext = installer_build(os_name, machine)
    version = version or latest_version(os_name)
    return f"{INSTALLER_BASE_URL}/{build}/{version}/{INSTALLER_NAME}.{ext}"


# --- download -------------------------------------------------------------


def download_installer(
    url: str,
    dest_dir: Path | None = None,
    *,
    session: Any | None = None,
    allow_http: bool = False,
    timeout: float = 30.0,
    progress: Callable[[int, int | None], None] | None = None,
    max_bytes: int = _MAX_INSTALLER_BYTES,
) -> Path:
    """Download ``url`` into a private folder and return the file's path.

    Args:
        url: an ``https://`` address; plain HTTP is refused unless
            ``allow_http`` is set (only tests against a loopback server do).
        dest_dir: the folder to write in; default a new private temporary folder.
        session: a ``requests.Session`` (default: a new one).
        allow_http: accept ``http://`` (test override).
        timeout: seconds for connecting and for each read.
        progress: called with (bytes so far, total or None).
        max_bytes: refuse larger downloads.

    Raises:
        UsageError: the URL is not HTTPS, or the download failed or was too large.
    """
    parts = urlparse(url)
    if parts.scheme != "https" and not (allow_http and parts.scheme == "http"):
        raise UsageError(
            f"refusing to download the installer from {url!r}: only https:// is allowed",
            "Download the installer from AWS's Verified Access user guide instead.",
        )
    name = Path(parts.path).name or "installer"

    import requests

    folder = dest_dir or Path(tempfile.mkdtemp(prefix="vaclient-installer-"))
    target = folder / name
    http = session or requests.Session()
    logger.info("downloading %s to %s", url, target)
    try:
        with http.get(url, stream=True, timeout=timeout, allow_redirects=False) as response:
            response.raise_for_status()
            total_text = response.headers.get("Content-Length")
            total = int(total_text) if total_text and total_text.isdigit() else None
            done = 0
            with target.open("wb") as handle:
                for chunk in response.iter_content(_CHUNK):
                    done += len(chunk)
                    if done > max_bytes:
                        raise UsageError(
                            f"the download from {url} is larger than {max_bytes} bytes",
                            "Download the installer from AWS's user guide instead.",
                        )
                    handle.write(chunk)
                    if progress is not None:
                        progress(done, total)
    except requests.RequestException as err:
        target.unlink(missing_ok=True)
        raise UsageError(
            f"cannot download the installer from {url}: {err}",
            "Check the network connection, or download it from AWS's user guide.",
        ) from err
    except UsageError:
        target.unlink(missing_ok=True)
        raise
    return target


# --- signatures -----------------------------------------------------------


@dataclass(frozen=True)
class SignatureCheck:
    """The verdict on an installer's signature.

    Attributes:
        valid: True only when the OS tool says the signature is valid AND the
            signer is the expected publisher.
        signer: the signer's name as the tool printed it ("" when unsigned).
        detail: one sentence for the user.
    """

    valid: bool
    signer: str
    detail: str


def parse_authenticode(text: str, expected: str = EXPECTED_SIGNER) -> SignatureCheck:
    """Judge the JSON that :data:`AUTHENTICODE_SCRIPT` prints.

    Example input (a valid signature)::

        {"Status": "Valid", "StatusMessage": "Signature verified.",
         "Subject": "CN=Amazon Web Services, Inc., O=Amazon Web Services, Inc., ..."}

    ``Status`` may also be the enum's number (0 is Valid) when PowerShell
    serialised the enum without converting it to text.
    """
    try:
        raw = json.loads(text)
    except json.JSONDecodeError:
        return SignatureCheck(False, "", "the signature check printed no readable result")
    if isinstance(raw, list):
        raw = raw[0] if raw else {}
    if not isinstance(raw, dict):
        return SignatureCheck(False, "", "the signature check printed no readable result")

    status = raw.get("Status")
    if isinstance(status, int) and 0 <= status < len(AUTHENTICODE_STATUSES):
        status = AUTHENTICODE_STATUSES[status]
    subject = str(raw.get("Subject") or "")
    if status != "Valid":
        message = str(raw.get("StatusMessage") or "")
        return SignatureCheck(False, subject, f"signature status {status}: {message}".strip())
    if expected.lower() not in subject.lower():
        return SignatureCheck(False, subject, f"signed, but by {subject!r}, not {expected}")
    return SignatureCheck(True, subject, "valid signature")


def parse_pkgutil(text: str, expected: str = EXPECTED_SIGNER) -> SignatureCheck:
    """Judge the output of ``pkgutil --check-signature FILE.pkg``.

    Example input (abridged)::

        Package "ConnectivityClientInstaller.pkg":
           Status: signed by a developer certificate issued by Apple for distribution
           Certificate Chain:
            1. Developer ID Installer: Amazon Web Services, Inc. (XXXXXXXXXX)
            2. Developer ID Certification Authority
            3. Apple Root CA

    Valid means: the status line says Apple issued the developer certificate,
    and the first certificate of the chain (the signer) names the publisher.
    """
    status = ""
    chain: list[str] = []
    for line in text.splitlines():
        stripped = line.strip()
        if stripped.startswith("Status:"):
            status = stripped.partition(":")[2].strip()
        head, dot, rest = stripped.partition(". ")
        if dot and head.isdigit():
            chain.append(rest.strip())

    signer = chain[0] if chain else ""
    if not status:
        return SignatureCheck(False, "", "pkgutil printed no signature status")
    if PKGUTIL_APPLE_STATUS not in status:
        return SignatureCheck(False, signer, f"signature status: {status}")
    if expected.lower() not in signer.lower():
        return SignatureCheck(False, signer, f"signed, but by {signer!r}, not {expected}")
    return SignatureCheck(True, signer, "valid signature")


#: PowerShell that prints one JSON object with Status as text and the signer.
AUTHENTICODE_SCRIPT = (
    "$s = Get-AuthenticodeSignature -LiteralPath $args[0]; "
    "[pscustomobject]@{Status=[string]$s.Status; StatusMessage=$s.StatusMessage; "
    "Subject=$(if ($s.SignerCertificate) {$s.SignerCertificate.Subject} else {''})} "
    "| ConvertTo-Json -Compress"
)


class SignatureVerifier:
    """Checks an installer's signature with the OS's own tool, via a command runner."""

    def __init__(self, runner: CommandRunner | None = None, os_name: str | None = None) -> None:
        self.runner = runner or CommandRunner()
        self.os_name = os_name or current_os()

    def verify(self, path: Path) -> SignatureCheck:
        """Run the OS tool on ``path``; any failure to run it counts as not valid."""
        if self.os_name == "windows":
            argv = [
                "powershell.exe",
                "-NoProfile",
                "-NonInteractive",
                "-Command",
                f"& {{ {AUTHENTICODE_SCRIPT} }}",
                str(path),
            ]
            parse: Callable[[str], SignatureCheck] = parse_authenticode
        elif self.os_name == "macos":
            argv = ["pkgutil", "--check-signature", str(path)]
            parse = parse_pkgutil
        else:
            return SignatureCheck(False, "", "installers are only checked on Windows and macOS")

        try:
            result = self.runner.run(argv, timeout=60)
        except (OSError, TimeoutError) as err:
            return SignatureCheck(False, "", f"the signature check could not run: {err}")
        verdict = parse(result.stdout)
        logger.info("signature of %s: valid=%s signer=%r", path, verdict.valid, verdict.signer)
        return verdict


def default_opener(path: Path) -> None:
    """Open ``path`` like a double-click: Windows Installer or macOS Installer."""
    if sys.platform == "win32":
        # the installer runs only after the user confirmed; os.startfile is Windows-only
        os.startfile(str(path))  # type: ignore[attr-defined,unused-ignore]  # noqa: S606
    elif sys.platform == "darwin":
        CommandRunner().run(["open", str(path)])
    else:
        raise PlatformUnsupported("Installers are only opened on Windows and macOS.")


def open_installer(
    path: Path, check: SignatureCheck, opener: Callable[[Path], None] = default_opener
) -> None:
    """Open a verified installer for the user; refuse anything not verified.

    Raises:
        UsageError: the signature was not found valid; the file is left unopened.
    """
    if not check.valid:
        raise UsageError(
            f"{path.name} was not opened: its signature is not valid ({check.detail})",
            "Download the installer again from AWS's Verified Access user guide.",
        )
    logger.info("opening installer %s for the user", path)
    opener(path)


# --- watching the tunnel ---------------------------------------------------


@dataclass(frozen=True)
class WaitOutcome:
    """How waiting for the tunnel ended."""

    connected: bool
    status: QuickStatus
    elapsed_s: float


def describe_progress(status: QuickStatus) -> str:
    """One line saying how far the connection has come."""
    if not status.valid_configs:
        return "waiting for a valid configuration to be installed"
    if status.client.supported and status.client.installed and status.client.running is False:
        return "waiting for the Connectivity Client to start"
    if not status.tunnel.up:
        return "waiting for the tunnel (sign in in the browser window the client opens)"
    missing = [r.cidr for c in status.valid_configs for r in c.routes if not r.in_tunnel]
    if missing:
        return "tunnel up, waiting for routes: " + ", ".join(missing)
    return f"connected through {status.tunnel.interface}"


def wait_for_tunnel(
    poll: Callable[[], QuickStatus],
    *,
    timeout: float,
    interval: float = 1.0,
    on_progress: Callable[[str], None] | None = None,
    clock: Callable[[], float] = time.monotonic,
    sleep: Callable[[float], None] = time.sleep,
) -> WaitOutcome:
    """Poll the quick status until connected or ``timeout`` seconds passed.

    ``on_progress`` gets a line each time the description changes (not on
    every poll), so a terminal shows a short story of the connection.
    """
    start = clock()
    last = ""
    while True:
        status = poll()
        elapsed = clock() - start
        line = describe_progress(status)
        if line != last and on_progress is not None:
            on_progress(line)
        last = line
        if status.connected:
            return WaitOutcome(True, status, elapsed)
        if elapsed >= timeout:
            return WaitOutcome(False, status, elapsed)
        sleep(min(interval, max(0.0, timeout - elapsed)))
