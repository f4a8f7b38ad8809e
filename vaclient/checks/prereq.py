"""Prerequisite checks: IPv6, the Connectivity Client, other VPNs, WebView2, TPM.

Each function returns the steps of one chain for the runner. On an OS
without a Connectivity Client (Linux) the client, VPN, WebView2 and TPM
checks are ``skip`` and say why; the IPv6 checks run everywhere because the
endpoint checks depend on them.

The conflicting-VPN check waits for the tunnel check: a VPN client that is
running while the Verified Access tunnel is down is the likely cause, so the
finding is raised from a warning to a failure. Being in the prerequisite
stage, it then becomes the primary finding ahead of ``tunnel-down``.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence

from vaclient.checks.codes import finding
from vaclient.checks.model import Stage, Status
from vaclient.checks.runner import Outcome, Step, StepContext, fail, ok, skip, warn
from vaclient.platforms import processes, versions
from vaclient.platforms.base import Platform, Probe
from vaclient.platforms.ipv6 import probe_ipv6_socket
from vaclient.settings import Settings

logger = logging.getLogger(__name__)

IPV6_CONFIG = "ipv6.config"
IPV6_SOCKET = "ipv6.socket"
CLIENT_INSTALLED = "client.installed"
CLIENT_RUNNING = "client.running"
CLIENT_VERSION = "client.version"
VPN_CONFLICTS = "vpn.conflicts"
WEBVIEW2 = "webview2"
TPM = "tpm"
#: Checks every endpoint check needs: without IPv6 none of them can work.
IPV6_GATES = (IPV6_CONFIG, IPV6_SOCKET)

NO_CLIENT_HERE = "not checked: the Connectivity Client exists only for Windows and macOS"


def _probe_outcome(probe: Probe, code: str, what: str) -> Outcome:
    """Turn a yes/no platform probe into an outcome with the code's severity."""
    if not probe.supported:
        return skip(
            f"not checked: {probe.detail}" if probe.detail else "not checked", **probe.data
        )
    if probe.ok is None:
        return skip(f"cannot tell whether {what}: {probe.detail}", **probe.data)
    if probe.ok:
        return ok(probe.detail or f"{what}: yes", **probe.data)
    severity = finding(code).severity
    return Outcome(severity, code, probe.detail or f"{what}: no", dict(probe.data))


def _client_supported(platform: Platform) -> bool:
    """Whether the Connectivity Client exists for this platform."""
    return platform.client_installation().supported


def ipv6_steps(platform: Platform, socket_probe: Callable[[], Probe] | None = None) -> list[Step]:
    """``ipv6.config`` (what the OS is told) and ``ipv6.socket`` (what the kernel does).

    Two chains' worth of work in one: both are quick, so they share a chain.
    """
    probe_socket = socket_probe or probe_ipv6_socket

    def config(_: StepContext) -> Outcome:
        return _probe_outcome(platform.ipv6_status(), "ipv6-disabled", "IPv6 is enabled")

    def live(_: StepContext) -> Outcome:
        return _probe_outcome(probe_socket(), "ipv6-disabled", "an IPv6 socket can be opened")

    return [
        Step(IPV6_CONFIG, "IPv6 enabled", Stage.PREREQ, config),
        Step(IPV6_SOCKET, "IPv6 socket", Stage.PREREQ, live),
    ]


def client_steps(platform: Platform, settings: Settings) -> list[Step]:
    """``client.installed``, then ``client.version`` and ``client.running``."""

    def installed(_: StepContext) -> Outcome:
        inst = platform.client_installation()
        if not inst.supported:
            return skip(NO_CLIENT_HERE, os=platform.name)
        data = {"version": inst.version, "location": inst.location}
        if not inst.installed:
            return fail(
                "client-not-installed",
                inst.detail or "the Connectivity Client is not installed",
                **data,
            )
        where = f" in {inst.location}" if inst.location else ""
        return ok(f"installed{where} (version {inst.version or 'unknown'})", **data)

    def version(ctx: StepContext) -> Outcome:
        result = ctx.result(CLIENT_INSTALLED)
        current = result.data.get("version") if result else None
        if result is not None and result.status is Status.SKIP:
            return skip(NO_CLIENT_HERE)
        if not current:
            return skip("the installed version is not known")
        latest = versions.latest_version(platform.name)
        outdated = versions.is_outdated(platform.name, str(current))
        data = {"version": current, "latest": latest}
        if outdated is None:
            return skip(f"version {current}: cannot compare with the known releases", **data)
        if outdated:
            return warn("client-outdated", f"version {current} is older than {latest}", **data)
        return ok(f"version {current} is current", **data)

    def running(ctx: StepContext) -> Outcome:
        result = ctx.result(CLIENT_INSTALLED)
        if result is not None and result.status is Status.SKIP:
            return skip(NO_CLIENT_HERE)
        match = platform.client_process(settings.client_processes)
        if match is None:
            return fail("client-not-running", "no Connectivity Client process is running")
        return ok(f"running as {match.name} (pid {match.pid})", pid=match.pid, name=match.name)

    return [
        Step(CLIENT_INSTALLED, "Connectivity Client installed", Stage.PREREQ, installed),
        Step(
            CLIENT_VERSION,
            "Connectivity Client version",
            Stage.PREREQ,
            version,
            needs=(CLIENT_INSTALLED,),
            deadline_status=Status.SKIP,
            deadline_code=None,
        ),
        Step(
            CLIENT_RUNNING,
            "Connectivity Client running",
            Stage.PREREQ,
            running,
            needs=(CLIENT_INSTALLED,),
        ),
    ]


def vpn_steps(platform: Platform, settings: Settings, tunnel_check: str) -> list[Step]:
    """``vpn.conflicts``: other VPN clients that break the tunnel.

    Args:
        platform: the OS.
        settings: extra process names an administrator listed.
        tunnel_check: id of the tunnel check whose failure makes a running
            VPN client the primary finding.
    """

    def conflicts(ctx: StepContext) -> Outcome:
        if not _client_supported(platform):
            return skip(NO_CLIENT_HERE)
        found = processes.conflicting_vpns(settings.extra_vpn_processes, os_name=platform.name)
        if not found:
            return ok("no other VPN client is running")

        products = sorted({m.product for m in found})
        data = {
            "processes": [
                {"product": m.product, "name": m.process.name, "pid": m.process.pid} for m in found
            ]
        }
        tunnel = ctx.wait(tunnel_check)
        if tunnel is not None and tunnel.status is Status.FAIL:
            return fail(
                "conflicting-vpn",
                f"{', '.join(products)} is running and the Verified Access tunnel is down",
                **data,
            )
        return warn("conflicting-vpn", f"{', '.join(products)} is running", **data)

    return [Step(VPN_CONFLICTS, "No conflicting VPN client", Stage.PREREQ, conflicts)]


def windows_steps(platform: Platform) -> list[Step]:
    """``webview2`` and ``tpm``: Windows prerequisites of the client."""

    def webview(_: StepContext) -> Outcome:
        if not _client_supported(platform):
            return skip(NO_CLIENT_HERE)
        return _probe_outcome(platform.webview2(), "webview2-missing", "WebView2 is installed")

    def tpm(_: StepContext) -> Outcome:
        if not _client_supported(platform):
            return skip(NO_CLIENT_HERE)
        return _probe_outcome(platform.tpm(), "tpm-unavailable", "a TPM is ready")

    return [
        Step(WEBVIEW2, "WebView2 Runtime", Stage.PREREQ, webview),
        Step(TPM, "TPM ready", Stage.PREREQ, tpm),
    ]


def prereq_chains(
    platform: Platform,
    settings: Settings,
    tunnel_check: str,
    socket_probe: Callable[[], Probe] | None = None,
) -> Sequence[list[Step]]:
    """Every prerequisite chain of a diagnosis."""
    return [
        ipv6_steps(platform, socket_probe),
        client_steps(platform, settings),
        vpn_steps(platform, settings, tunnel_check),
        windows_steps(platform),
    ]
