"""The ``vaclient login`` command: from "nothing works" to a checked connection.

Steps, each explained on the terminal:

1. A valid ClientConfig must be installed. With none, an interactive
   terminal is asked for a file to import (the same safe install as
   ``vaclient config install``); otherwise the command stops and names that
   command.
2. The Connectivity Client must be installed. If it is not, AWS's official
   installer for this OS and processor is offered: downloaded over HTTPS,
   its signature checked, and opened only after the user said yes.
3. The client is started (``settings.client_path`` overrides the default
   location, which AWS does not document for every OS).
4. The tunnel is watched until it is up with the configuration's routes,
   or until ``--timeout`` seconds passed.
5. The doctor checks the endpoints; on a timeout its primary finding says
   what is wrong.

Exit status: 0 connected and no check failed, 1 not connected or a check
failed, 2 bad usage or no client for this OS (Linux), 3 cancelled.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from vaclient.cli.common import add_config_dir, command_help, positive_seconds
from vaclient.errors import (
    EXIT_CANCELLED,
    EXIT_FAILED,
    EXIT_OK,
    PlatformUnsupported,
    UsageError,
    VaclientError,
)
from vaclient.platforms.base import Platform

logger = logging.getLogger(__name__)

DEFAULT_TIMEOUT_S = 120.0


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``login`` sub-command."""
    parser = sub.add_parser(
        "login",
        help=command_help("login"),
        description="Make sure a configuration and the client are installed, start the "
        "client, watch the tunnel come up and run the doctor. Exit 0 when connected and "
        "healthy, 1 otherwise, 2 where no client exists (Linux).",
    )
    add_config_dir(parser)
    parser.add_argument(
        "--timeout",
        type=positive_seconds,
        default=DEFAULT_TIMEOUT_S,
        metavar="SECONDS",
        help=f"how long to wait for the tunnel (default {DEFAULT_TIMEOUT_S:.0f})",
    )
    parser.add_argument(
        "--tunnel-interface", metavar="NAME", help="the tunnel interface (default: detect)"
    )
    parser.add_argument(
        "--yes", action="store_true", help="answer yes to downloading and opening the installer"
    )
    parser.set_defaults(func=run)


@dataclass
class Console:
    """The terminal: output lines, questions, and whether anyone can answer."""

    interactive: bool = field(default_factory=lambda: sys.stdin.isatty())  # noqa: PLW0108  # sys.stdin may be swapped after import
    write: Callable[[str], None] = field(default=lambda line: print(line, flush=True))
    read: Callable[[str], str] = field(default=input)

    def ask(self, question: str) -> str:
        """Ask for a line of text; empty when nobody can answer."""
        if not self.interactive:
            return ""
        try:
            return self.read(question).strip()
        except EOFError:
            return ""

    def confirm(self, question: str, *, assume_yes: bool = False) -> bool:
        """Ask a yes/no question (default no)."""
        if assume_yes:
            self.write(f"{question} yes")
            return True
        return self.ask(f"{question} [y/N] ").lower() in ("y", "yes")


@dataclass
class LoginDeps:
    """The pieces of the flow that touch the OS, the network or other commands.

    Tests replace them with small fakes; the defaults are the real ones.
    """

    platform: Platform
    collect: Callable[..., Any]
    doctor: Callable[..., Any]
    plan_install: Callable[..., Any]
    execute_install: Callable[..., Any]
    offer_installer: Callable[[Console, bool], int]
    sleep: Callable[[float], None]


def _default_doctor(config_dir: str | None, tunnel_interface: str) -> Any:
    """Run the doctor with the saved endpoints (imported on use: it pulls in dnspython)."""
    from vaclient.checks.doctor import DoctorOptions, run_doctor

    options = DoctorOptions(
        config_dir=Path(config_dir) if config_dir else None,
        tunnel_interface=tunnel_interface or None,
    )
    return run_doctor(options)


def _default_plan_install(source: Path, config_dir: str | None) -> Any:
    from vaclient.config.install import plan_install

    return plan_install(source, config_dir=config_dir)


def _default_execute_install(plan: Any) -> Any:
    from vaclient.config.install import execute_install

    return execute_install(plan)


def offer_official_installer(
    console: Console,
    assume_yes: bool,
    *,
    url: str | None = None,
    download: Callable[[str], Path] | None = None,
    verifier: Any | None = None,
    opener: Callable[[Path], None] | None = None,
) -> int:
    """Offer AWS's installer: download, verify the signature, open it after a yes.

    The keyword arguments replace the real address, download, signature tool
    and file opener (tests use a loopback server and recorded tool output).
    """
    from vaclient.login import (
        SignatureVerifier,
        default_opener,
        download_installer,
        installer_url,
        open_installer,
    )

    url = url or installer_url()
    console.write("The Connectivity Client is not installed.")
    console.write(f"AWS's official installer for this computer: {url}")
    if not console.confirm("Download it and check its signature?", assume_yes=assume_yes):
        console.write("Install the client from that address, then run 'vaclient login' again.")
        return EXIT_CANCELLED

    path = (download or download_installer)(url)
    console.write(f"Downloaded {path.stat().st_size // 1024} KiB to {path}.")
    check = (verifier or SignatureVerifier()).verify(path)
    if not check.valid:
        console.write(f"The installer's signature is NOT valid: {check.detail}. Not opened.")
        return EXIT_FAILED
    console.write(f"Signature valid ({check.signer}).")
    if not console.confirm(f"Open {path.name} to install the client?", assume_yes=assume_yes):
        console.write(f"The verified installer is at {path}.")
        return EXIT_CANCELLED
    open_installer(path, check, opener or default_opener)
    console.write("Finish the installation, then run 'vaclient login' again.")
    return EXIT_FAILED


def default_deps() -> LoginDeps:
    """The real OS, network and install functions."""
    import time

    from vaclient.platforms import get_platform
    from vaclient.status import collect_status

    return LoginDeps(
        platform=get_platform(),
        collect=collect_status,
        doctor=_default_doctor,
        plan_install=_default_plan_install,
        execute_install=_default_execute_install,
        offer_installer=offer_official_installer,
        sleep=time.sleep,
    )


def _import_config(console: Console, deps: LoginDeps, config_dir: str | None) -> bool:
    """Ask for a ClientConfig file and install it after showing what changes."""
    answer = console.ask("Path of the ClientConfig-....json file from your administrator: ")
    if not answer:
        return False
    plan = deps.plan_install(Path(answer).expanduser(), config_dir)
    console.write(f"It will be installed as {plan.destination}.")
    for change in getattr(plan, "changes", ()):
        console.write(f"  {change.field}: {change.old} -> {change.new}")
    if getattr(plan, "identical", False):
        console.write("The same file is already installed.")
        return True
    if not console.confirm("Install it?"):
        return False
    result = deps.execute_install(plan)
    console.write(f"Installed {result.destination}.")
    return True


def _report_doctor(console: Console, report: Any) -> int:
    """Print the doctor's verdict per endpoint and its primary finding."""
    for endpoint in getattr(report, "endpoints", ()):
        code = f" ({endpoint.code})" if endpoint.code else ""
        console.write(f"  {endpoint.target}: {endpoint.status.value}{code}")
    primary = report.primary
    if primary is None:
        console.write("All checks passed.")
        return EXIT_OK
    console.write(f"{primary.status.value.upper()}: {primary.message}")
    if primary.hint:
        console.write(f"hint: {primary.hint}")
    return EXIT_FAILED if report.status.value == "fail" else EXIT_OK


def login(
    *,
    config_dir: str | None,
    tunnel_interface: str,
    client_path: str,
    timeout: float,
    assume_yes: bool,
    console: Console,
    deps: LoginDeps,
) -> int:
    """The whole sign-in flow; returns the exit status (see the module docstring)."""
    from vaclient.login import wait_for_tunnel

    def poll() -> Any:
        return deps.collect(
            platform=deps.platform, config_dir=config_dir, tunnel_interface=tunnel_interface
        )

    status = poll()
    if not status.client.supported:
        raise PlatformUnsupported(
            "The Connectivity Client exists only for Windows and macOS; there is nothing "
            "to sign in to on this computer.",
            "Run 'vaclient doctor' here to check endpoints, or 'vaclient login' on the "
            "Windows or macOS computer that connects.",
        )

    if not status.valid_configs:
        invalid = [c for c in status.configs if not c.valid]
        for cfg in invalid:
            console.write(f"Not valid: {cfg.path}: {cfg.error}")
        console.write(f"No valid ClientConfig is installed in {status.config_dir}.")
        if not console.interactive:
            raise UsageError(
                f"no valid ClientConfig is installed in {status.config_dir}",
                "Install the file from your administrator with "
                "'vaclient config install FILE', then run 'vaclient login' again.",
            )
        if not _import_config(console, deps, config_dir):
            console.write("Nothing installed; run 'vaclient config install FILE' later.")
            return EXIT_CANCELLED
        status = poll()

    if not status.client.installed:
        return deps.offer_installer(console, assume_yes)

    if status.connected:
        console.write(f"Already connected through {status.tunnel.interface}.")
    else:
        console.write("Starting the Connectivity Client; sign in when your browser opens.")
        deps.platform.launch_client(client_path or None)
        outcome = wait_for_tunnel(
            poll,
            timeout=timeout,
            on_progress=lambda line: console.write(f"... {line}"),
            sleep=deps.sleep,
        )
        if not outcome.connected:
            console.write(f"Not connected after {timeout:.0f} s. Checking why...")
            _report_doctor(console, deps.doctor(config_dir, tunnel_interface))
            return EXIT_FAILED
        console.write(f"Connected through {outcome.status.tunnel.interface}.")

    console.write("Checking the endpoints...")
    return _report_doctor(console, deps.doctor(config_dir, tunnel_interface))


def run(args: argparse.Namespace) -> int:
    """Entry point of ``vaclient login``."""
    from vaclient.settings import Settings, load_settings

    try:
        settings = load_settings()
    except VaclientError as err:
        sys.stderr.write(f"warning: {err.message}\n")
        settings = Settings()
    return login(
        config_dir=args.config_dir,
        tunnel_interface=args.tunnel_interface or settings.tunnel_interface,
        client_path=settings.client_path,
        timeout=max(1.0, float(args.timeout)),
        assume_yes=bool(args.yes),
        console=Console(),
        deps=default_deps(),
    )
