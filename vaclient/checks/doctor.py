"""The diagnosis: plan every check, run them concurrently, build the report.

This is the one entry point the CLI, the tray and helpdesk tools call::

    report = run_doctor(DoctorOptions(endpoints=(Endpoint.parse("app.example.com:22"),)))

The plan, in causal order (see docs/architecture.md):

1. prerequisites: ``ipv6.config``, ``ipv6.socket``, ``client.installed``,
   ``client.version``, ``client.running``, ``vpn.conflicts``, ``webview2``, ``tpm``;
2. configuration: ``config.present``, ``config.valid:<file>``,
   ``config.permissions:<file>``;
3. tunnel: ``tunnel.interface``;
4. per endpoint: ``dns.aaaa``, ``dns.a``, ``dns.system``, ``route.cidr``,
   ``route.table``, ``tcp.connect``, ``tcp.banner``.

Everything starts at once; a check waits only for the results it builds on
(:mod:`vaclient.checks.runner`), and the whole run ends at one deadline.
"""

from __future__ import annotations

import importlib
import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from vaclient import __version__
from vaclient.checks import configs, endpoint, prereq, tunnel
from vaclient.checks.model import CheckResult, EndpointVerdict, Report, Status
from vaclient.checks.runner import Step, StepContext, run_chains
from vaclient.net import dns
from vaclient.paths import client_config_dir
from vaclient.platforms.base import Platform, Probe
from vaclient.settings import Endpoint, Settings, effective_settings

logger = logging.getLogger(__name__)

DEFAULT_TIMEOUT_S = 3.0
#: Start-up allowance on top of two network timeouts (DNS, then TCP) per run.
STARTUP_ALLOWANCE_S = 2.0


@dataclass(frozen=True)
class DoctorOptions:
    """What to diagnose and how long to take.

    Attributes:
        configs: ClientConfig files to check instead of the installed ones.
        config_dir: the folder of installed ClientConfigs (default: the client's).
        endpoints: endpoints to check, in addition to the saved ones.
        tunnel_interface: the tunnel's interface name (default: detect it).
        timeout: seconds for each network operation.
        deadline: seconds for the whole run (default: twice ``timeout`` plus
            :data:`STARTUP_ALLOWANCE_S`).
        use_settings: read the settings file and the administrator's policy
            (saved endpoints, tunnel interface, the client's process names,
            extra VPN process names).
        nameservers: DNS servers to ask (``ADDR``, ``ADDR:PORT``,
            ``[V6ADDR]:PORT``); default: the platform's, else the system's.
        compare_system_dns: also ask the system resolver and warn when it
            disagrees with the DNS servers.
    """

    configs: tuple[Path, ...] = ()
    config_dir: Path | None = None
    endpoints: tuple[Endpoint, ...] = ()
    tunnel_interface: str | None = None
    timeout: float = DEFAULT_TIMEOUT_S
    deadline: float | None = None
    use_settings: bool = True
    nameservers: tuple[str, ...] = ()
    compare_system_dns: bool = True

    @property
    def effective_deadline(self) -> float:
        """The whole run's deadline in seconds."""
        if self.deadline is not None:
            return self.deadline
        return 2 * self.timeout + STARTUP_ALLOWANCE_S


def _load_settings(use: bool) -> Settings:
    """The effective settings (user file plus policy), or defaults when not used."""
    if not use:
        return Settings()
    return effective_settings()


def merge_endpoints(given: Sequence[Endpoint], saved: Sequence[Endpoint]) -> list[Endpoint]:
    """Given endpoints first, then saved ones, without duplicates (same host and port)."""
    seen: set[tuple[str, int]] = set()
    merged = []
    for ep in [*given, *saved]:
        key = (ep.host.lower(), ep.port)
        if key not in seen:
            seen.add(key)
            merged.append(ep)
    return merged


def _nameservers(options: DoctorOptions, platform: Platform) -> list[str]:
    """The DNS servers to ask directly, and log where they came from."""
    if options.nameservers:
        logger.info("DNS servers from the options: %s", list(options.nameservers))
        return list(options.nameservers)
    try:
        servers = platform.dns_servers()
    except Exception:  # the platform's reader must not stop the diagnosis
        logger.warning("the platform could not list DNS servers", exc_info=True)
        servers = []
    if servers:
        logger.info("DNS servers from the platform: %s", servers)
        return list(servers)
    logger.info("DNS servers: the system resolver configuration (dnspython)")
    return []


def build_plan(
    options: DoctorOptions,
    platform: Platform,
    settings: Settings,
    socket_probe: Callable[[], Probe] | None = None,
) -> tuple[list[list[Step]], list[Endpoint]]:
    """Every chain of checks for ``options``, and the endpoints they cover."""
    config_dir = client_config_dir(options.config_dir)
    sources = configs.config_sources(options.configs, config_dir)
    logger.info(
        "checking %d ClientConfig file(s) (%s)",
        len(sources),
        "given" if options.configs else f"installed in {config_dir}",
    )

    def routes_or_blocker(ctx: StepContext) -> tuple[list[str], str | None]:
        return configs.valid_routes(ctx, sources)

    def routes_only(ctx: StepContext) -> list[str]:
        return configs.valid_routes(ctx, sources)[0]

    if sources:
        # The validity checks import the ClientConfig model lazily; importing
        # it here, before the chains start, takes tens of milliseconds instead
        # of hundreds fought out against every endpoint's thread, and every
        # endpoint's route checks wait for those results.
        importlib.import_module("vaclient.config.model")

    override = options.tunnel_interface or settings.tunnel_interface or None
    chains: list[list[Step]] = [
        *prereq.prereq_chains(platform, settings, tunnel.TUNNEL_INTERFACE, socket_probe),
        *configs.config_chains(
            sources, config_dir, given=bool(options.configs), platform=platform
        ),
        tunnel.tunnel_steps(platform, override, routes_only),
    ]

    endpoints = merge_endpoints(options.endpoints, settings.endpoints)
    nameservers = _nameservers(options, platform) if endpoints else []
    hosts: set[str] = set()
    for ep in endpoints:
        chains.extend(
            endpoint.endpoint_chains(
                ep,
                platform=platform,
                nameservers=nameservers,
                timeout=options.timeout,
                config_routes=routes_or_blocker,
                gates=prereq.IPV6_GATES,
                compare_system=options.compare_system_dns,
                host_checks=ep.host not in hosts,
            )
        )
        hosts.add(ep.host)
    return chains, endpoints


def endpoint_verdict(ep: Endpoint, checks: Sequence[CheckResult]) -> EndpointVerdict:
    """Summarise one endpoint's checks.

    Status: fail when one of its checks failed, else warn, else ok; skip
    when its checks were blocked by a failure elsewhere (or none ran).
    ``code`` is the code of its first failing check in causal order.
    """
    wanted = set(endpoint.EndpointIds.of(ep).all())
    own = sorted((c for c in checks if c.id in wanted), key=lambda c: c.stage.value)
    failed = [c for c in own if c.status is Status.FAIL]
    connect = next((c for c in own if c.id.startswith("tcp.connect:")), None)
    aaaa = next((c for c in own if c.id.startswith("dns.aaaa:")), None)
    address = None
    for source in (connect, aaaa):
        if source is not None and source.data.get("address"):
            address = str(source.data["address"])
            break
    latency = connect.data.get("latency_ms") if connect is not None else None

    if failed:
        status, code = Status.FAIL, failed[0].code
    elif any(c.status is Status.WARN for c in own):
        status, code = Status.WARN, None
    elif connect is not None and connect.status is Status.OK:
        status, code = Status.OK, None
    else:
        status, code = Status.SKIP, None
    return EndpointVerdict(
        target=ep.target,
        status=status,
        code=code,
        address=address,
        latency_ms=float(latency) if isinstance(latency, (int, float)) else None,
    )


def run_doctor(
    options: DoctorOptions,
    platform: Platform | None = None,
    *,
    socket_probe: Callable[[], Probe] | None = None,
) -> Report:
    """Run the whole diagnosis and return its report.

    Args:
        options: what to check.
        platform: the OS boundary; the running OS's when None.
        socket_probe: the live IPv6 probe (tests replace it); the real one by default.

    Raises:
        UsageError: the settings file is broken or a nameserver is not an address.
    """
    started = time.perf_counter()
    if platform is None:
        from vaclient.platforms import get_platform

        platform = get_platform()
    settings = _load_settings(options.use_settings)
    for server in options.nameservers:
        _check_nameserver(server)

    chains, endpoints = build_plan(options, platform, settings, socket_probe)
    deadline = options.effective_deadline
    logger.info(
        "doctor: %d checks in %d chains, %d endpoint(s), timeout %.1f s, deadline %.1f s",
        sum(len(c) for c in chains),
        len(chains),
        len(endpoints),
        options.timeout,
        deadline,
    )
    results = run_chains(chains, deadline - (time.perf_counter() - started))
    verdicts = [endpoint_verdict(ep, results) for ep in endpoints]
    report = Report.build(
        results,
        verdicts,
        host_os=platform.name,
        os_version=_os_version(platform),
        tool_version=__version__,
        duration_ms=(time.perf_counter() - started) * 1000,
    )
    primary = report.primary
    logger.info(
        "doctor finished in %.0f ms: %s%s",
        report.duration_ms or 0.0,
        report.status.value,
        f" ({primary.id}: {primary.code})" if primary else "",
    )
    return report


def _check_nameserver(text: str) -> None:
    """Raise a usage error for a nameserver that is not ``ADDR[:PORT]``."""
    from vaclient.errors import UsageError

    try:
        dns.parse_nameserver(text)
    except ValueError as err:
        raise UsageError(
            f"nameserver {text!r} is not an IP address with an optional port ({err})",
            "Write it like 192.0.2.53, 127.0.0.1:5353 or [2001:db8::53]:53.",
        ) from err


def _os_version(platform: Platform) -> str:
    """The OS version for the report; never fails the run."""
    try:
        return platform.os_version()
    except Exception:  # a report without a version beats no report
        logger.debug("os_version failed", exc_info=True)
        return ""
