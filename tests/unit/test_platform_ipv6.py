"""The live IPv6 socket probe on this machine (the disabled case runs in a namespace)."""

from __future__ import annotations

from pathlib import Path

from vaclient.platforms.ipv6 import probe_ipv6_socket


def test_probe_on_this_machine_matches_the_kernel() -> None:
    has_ipv6 = Path("/proc/sys/net/ipv6").is_dir() and (
        Path("/proc/sys/net/ipv6/conf/lo/disable_ipv6").read_text().strip() == "0"
    )

    probe = probe_ipv6_socket()

    assert probe.ok is has_ipv6
    assert probe.supported is True
    if has_ipv6:
        assert probe.data == {"errno": None}
    else:
        assert probe.data["errno"] in ("EAFNOSUPPORT", "EADDRNOTAVAIL")
