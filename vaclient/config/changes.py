"""What installing a ClientConfig will change, field by field, without secrets.

The user confirms an install after reading this list, so it names what
matters for trust: the instance, the region, how sign-in works (trust
provider type and issuer) and which networks go into the tunnel (routes
added and removed). Secret fields (the OpenVPN ``Config``, ``ClientSecret``)
are only said to have changed, never shown.
"""

from __future__ import annotations

from dataclasses import dataclass

from vaclient.config.model import ClientConfig

#: A secret value in a :class:`Change`.
MASKED = "***"

#: Field names of :class:`Change`, in display order, with their labels.
FIELD_LABELS = {
    "instance_id": "instance",
    "region": "region",
    "trust_provider_type": "trust provider type",
    "issuer": "issuer",
    "scopes": "scopes",
    "client_id": "client ID",
    "pkce_enabled": "PKCE",
    "device_trust_providers": "device trust providers",
    "version": "version",
    "route": "route",
    "client_secret": "client secret",
    "openvpn_config": "OpenVPN configuration",
}


@dataclass(frozen=True)
class Change:
    """One difference between the installed file and the new one.

    Attributes:
        field: a key of :data:`FIELD_LABELS` (``route`` appears once per
            route added or removed).
        old: the installed value, or None when there is none (a fresh
            install, a route added).
        new: the new value, or None when it goes away (a route removed).
    """

    field: str
    old: str | None
    new: str | None

    @property
    def label(self) -> str:
        """How people read the field's name."""
        return FIELD_LABELS.get(self.field, self.field)


def _scalars(cfg: ClientConfig) -> dict[str, str | None]:
    """The non-secret values compared one by one, as text."""
    utp = cfg.user_trust_provider
    pkce = None if utp is None or utp.pkce_enabled is None else str(utp.pkce_enabled).lower()
    return {
        "instance_id": cfg.instance_id,
        "region": cfg.region,
        "trust_provider_type": utp.type if utp else None,
        "issuer": utp.issuer if utp else None,
        "scopes": utp.scopes if utp else None,
        "client_id": utp.client_id if utp else None,
        "pkce_enabled": pkce,
        "device_trust_providers": ", ".join(p.type for p in cfg.device_trust_providers) or None,
        "version": cfg.version,
    }


def compute_changes(old: ClientConfig | None, new: ClientConfig) -> tuple[Change, ...]:
    """List what changes when ``new`` replaces ``old`` (or is installed fresh).

    Args:
        old: the installed configuration, or None for a fresh install (every
            non-empty field of ``new`` is then listed as new).
        new: the configuration about to be installed.

    Returns:
        The changes in display order: fields, then routes added, then routes
        removed, then secrets that differ (masked).

    Example:
        Replacing a file whose only difference is one route gives
        ``(Change("route", None, "2001:db8:2::/48"),
        Change("route", "2001:db8:1::/48", None))``.
    """
    changes: list[Change] = []
    old_values = _scalars(old) if old else {}
    for name, value in _scalars(new).items():
        before = old_values.get(name)
        if before != value and (old is not None or value is not None):
            changes.append(Change(name, before, value))

    old_routes = old.routes if old else ()
    changes.extend(Change("route", None, cidr) for cidr in new.routes if cidr not in old_routes)
    changes.extend(Change("route", cidr, None) for cidr in old_routes if cidr not in new.routes)

    if old is not None:
        old_secret = old.user_trust_provider.client_secret if old.user_trust_provider else None
        new_secret = new.user_trust_provider.client_secret if new.user_trust_provider else None
        if old_secret != new_secret:
            changes.append(
                Change(
                    "client_secret",
                    MASKED if old_secret is not None else None,
                    MASKED + " (changed)" if new_secret is not None else None,
                )
            )
        old_configs = [conf.config for conf in old.openvpn_configurations]
        new_configs = [conf.config for conf in new.openvpn_configurations]
        if old_configs != new_configs:
            changes.append(Change("openvpn_config", MASKED, MASKED + " (changed)"))
    return tuple(changes)
