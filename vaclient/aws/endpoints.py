"""List Verified Access endpoints with the names and ports a client connects to.

``DescribeVerifiedAccessEndpoints`` gives each endpoint's domain, type,
protocol and ports in one of four option objects
(``NetworkInterfaceOptions``, ``LoadBalancerOptions``, ``RdsOptions``,
``CidrOptions``), each with a ``Port`` and/or ``PortRanges``. CIDR endpoints
have one DNS name per address in use, which
``GetVerifiedAccessEndpointTargets`` lists.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from vaclient.aws.session import aws_errors
from vaclient.settings import Endpoint

logger = logging.getLogger(__name__)

_OPTION_KEYS = ("NetworkInterfaceOptions", "LoadBalancerOptions", "RdsOptions", "CidrOptions")
#: A port range wider than this is saved as its first port only.
MAX_EXPANDED_RANGE = 16
MAX_TARGET_PAGES = 20


@dataclass(frozen=True)
class AwsEndpoint:
    """One Verified Access endpoint as a client sees it.

    Attributes:
        ports: ``(from, to)`` pairs; a single port is ``(p, p)``.
        targets: ``(ip address, dns name)`` of a CIDR endpoint's targets.
    """

    endpoint_id: str
    instance_id: str
    endpoint_type: str
    protocol: str
    domain: str
    ports: tuple[tuple[int, int], ...] = ()
    status: str = ""
    cidr: str = ""
    description: str = ""
    targets: tuple[tuple[str, str], ...] = field(default_factory=tuple)

    def ports_text(self) -> str:
        """Ports as people write them: ``22, 8000-8080``."""
        return ", ".join(str(a) if a == b else f"{a}-{b}" for a, b in self.ports) or "-"

    def to_dict(self) -> dict[str, Any]:
        """A JSON-friendly form for ``--json``."""
        return {
            "endpoint_id": self.endpoint_id,
            "instance_id": self.instance_id,
            "type": self.endpoint_type,
            "protocol": self.protocol,
            "domain": self.domain,
            "ports": [{"from": a, "to": b} for a, b in self.ports],
            "status": self.status,
            "cidr": self.cidr or None,
            "description": self.description,
            "targets": [{"ip": ip, "dns": dns} for ip, dns in self.targets],
        }


def parse_endpoint(raw: Mapping[str, Any]) -> AwsEndpoint:
    """Turn one ``VerifiedAccessEndpoints`` item into an :class:`AwsEndpoint`.

    >>> parse_endpoint({"VerifiedAccessEndpointId": "vae-1", "EndpointType": "rds",
    ...     "EndpointDomain": "db.vai-1.example", "RdsOptions": {"Protocol": "tcp",
    ...     "Port": 5432}}).ports
    ((5432, 5432),)
    """
    options: Mapping[str, Any] = {}
    for key in _OPTION_KEYS:
        if raw.get(key):
            options = raw[key]
            break
    ports: list[tuple[int, int]] = []
    if options.get("Port") is not None:
        ports.append((int(options["Port"]), int(options["Port"])))
    for rng in options.get("PortRanges") or ():
        pair = (int(rng.get("FromPort", 0)), int(rng.get("ToPort", rng.get("FromPort", 0))))
        if pair not in ports:
            ports.append(pair)
    return AwsEndpoint(
        endpoint_id=str(raw.get("VerifiedAccessEndpointId", "")),
        instance_id=str(raw.get("VerifiedAccessInstanceId", "")),
        endpoint_type=str(raw.get("EndpointType", "")),
        protocol=str(options.get("Protocol", "")),
        domain=str(raw.get("EndpointDomain") or raw.get("ApplicationDomain") or ""),
        ports=tuple(ports),
        status=str((raw.get("Status") or {}).get("Code", "")),
        cidr=str(options.get("Cidr") or ""),
        description=str(raw.get("Description") or ""),
    )


def _targets(ec2: Any, endpoint_id: str) -> tuple[tuple[str, str], ...]:
    """Every target of a CIDR endpoint (this API has no paginator; bounded pages)."""
    found: list[tuple[str, str]] = []
    kwargs: dict[str, Any] = {"VerifiedAccessEndpointId": endpoint_id}
    with aws_errors(f"list the targets of {endpoint_id}"):
        for _ in range(MAX_TARGET_PAGES):
            page = ec2.get_verified_access_endpoint_targets(**kwargs)
            found.extend(
                (
                    str(t.get("VerifiedAccessEndpointTargetIpAddress", "")),
                    str(t.get("VerifiedAccessEndpointTargetDns", "")),
                )
                for t in page.get("VerifiedAccessEndpointTargets") or ()
            )
            if not page.get("NextToken"):
                break
            kwargs["NextToken"] = page["NextToken"]
    return tuple(found)


def list_endpoints(ec2: Any, instance_id: str | None = None) -> list[AwsEndpoint]:
    """Every endpoint (of one instance, when given), CIDR targets included.

    Raises:
        VaclientError: AWS refused or could not be reached.
    """
    kwargs = {"VerifiedAccessInstanceId": instance_id} if instance_id else {}
    endpoints: list[AwsEndpoint] = []
    with aws_errors("list the Verified Access endpoints"):
        paginator = ec2.get_paginator("describe_verified_access_endpoints")
        for page in paginator.paginate(**kwargs):
            endpoints.extend(parse_endpoint(r) for r in page.get("VerifiedAccessEndpoints") or ())

    result = [
        replace(ep, targets=_targets(ec2, ep.endpoint_id)) if ep.endpoint_type == "cidr" else ep
        for ep in endpoints
    ]
    logger.info("found %d Verified Access endpoint(s)", len(result))
    return result


def _ports_to_save(ports: Iterable[tuple[int, int]]) -> list[int]:
    out: list[int] = []
    for low, high in ports:
        if high - low < MAX_EXPANDED_RANGE:
            out.extend(range(low, high + 1))
        else:
            logger.info("port range %d-%d saved as its first port only", low, high)
            out.append(low)
    return out


def to_settings_endpoints(endpoints: Iterable[AwsEndpoint]) -> list[Endpoint]:
    """The ``HOST:PORT`` endpoints the doctor should check, one per name and port.

    CIDR endpoints contribute their targets' DNS names; endpoints without a
    domain or ports are left out.
    """
    result = []
    for ep in endpoints:
        hosts = [dns for _, dns in ep.targets if dns] if ep.endpoint_type == "cidr" else []
        if not hosts and ep.domain:
            hosts = [ep.domain]
        for host in hosts:
            for port in _ports_to_save(ep.ports):
                result.append(
                    Endpoint(host=host, port=port, name=ep.description or ep.endpoint_id)
                )
    return result


def merge_endpoints(
    existing: Iterable[Endpoint], new: Iterable[Endpoint]
) -> tuple[tuple[Endpoint, ...], int]:
    """Add ``new`` to ``existing`` without duplicates (same host, any case, and port).

    Returns:
        The merged endpoints (existing first, order kept) and how many were added.
    """
    merged = list(existing)
    seen = {(e.host.lower().rstrip("."), e.port) for e in merged}
    added = 0
    for endpoint in new:
        key = (endpoint.host.lower().rstrip("."), endpoint.port)
        if key not in seen:
            seen.add(key)
            merged.append(endpoint)
            added += 1
    return tuple(merged), added
