"""Configuration text for the lab's real daemons: OpenVPN, dnsmasq, sshd, Redis.

Pure functions of the lab's addresses: each returns the file content or the
argv a :class:`~tests.lab.labkit.lab.Lab` writes and starts. Keeping them
pure lets the benchmark and the tests build labs of any size the same way.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from tests.lab.labkit.env import tool_path

# sshd refuses more listen sockets than this; above it, listen on the wildcard.
SSHD_MAX_LISTEN = 16


@dataclass(frozen=True)
class Host:
    """One DNS name the lab's dnsmasq serves, with its AAAA and A records.

    A host with neither record still exists (it gets a TXT record, so an
    AAAA query answers NOERROR with no data); names that are not listed
    are NXDOMAIN.
    """

    name: str
    aaaa: tuple[str, ...] = ()
    a: tuple[str, ...] = ()


def openvpn_client_conf(
    *,
    dev: str,
    remote: str,
    port: int,
    local_v6: str,
    peer_v6: str,
    routes: Iterable[str],
    static_key: str,
) -> str:
    """The client side's OpenVPN configuration, static key inline.

    This exact text is what the lab's ClientConfig carries (base64) in
    ``OpenVpnConfigurations[].Config``, so it contains a secret: the doctor
    must never show it.
    """
    lines = [
        "# Verified Access lab tunnel, client side (point-to-point, static key)",
        f"dev {dev}",
        "dev-type tun",
        "proto udp",
        f"remote {remote} {port}",
        "nobind",
        "cipher AES-256-CBC",
        "auth SHA256",
        f"ifconfig-ipv6 {local_v6} {peer_v6}",
        *(f"route-ipv6 {cidr}" for cidr in routes),
        "ping 1",
        "verb 3",
        "key-direction 1",
        "<secret>",
        static_key.strip(),
        "</secret>",
    ]
    return "\n".join(lines) + "\n"


def openvpn_server_argv(
    *, dev: str, local: str, port: int, local_v6: str, peer_v6: str, key_file: Path
) -> list[str]:
    """The VPC side of the tunnel: waits for the client on ``local:port``."""
    return [
        tool_path("openvpn"),
        "--dev", dev,
        "--dev-type", "tun",
        "--proto", "udp",
        "--local", local,
        "--lport", str(port),
        "--float",
        "--secret", str(key_file), "0",
        "--cipher", "AES-256-CBC",
        "--auth", "SHA256",
        "--ifconfig-ipv6", local_v6, peer_v6,
        "--ping", "1",
        "--verb", "3",
    ]  # fmt: skip


def dnsmasq_conf(
    *,
    listen: str,
    port: int,
    zone: str,
    hosts: Sequence[Host],
    forwards: dict[str, str],
    pid_file: Path,
    log_file: Path,
) -> str:
    """dnsmasq as the VPC's resolver: authoritative-ish for ``zone``.

    Names in ``zone`` come only from ``hosts`` (others are NXDOMAIN, through
    ``local=``); each key of ``forwards`` is a sub-zone sent to the given
    upstream (``ADDR#PORT``). Any other name is REFUSED, since dnsmasq has
    no upstream for it.
    """
    lines = [
        "no-resolv",
        "no-hosts",
        "no-negcache",
        "bind-interfaces",
        f"listen-address={listen}",
        f"port={port}",
        "user=root",
        "group=root",
        f"pid-file={pid_file}",
        f"log-facility={log_file}",
        "log-queries",
        f"local=/{zone}/",
    ]
    for sub_zone, upstream in forwards.items():
        lines.append(f"server=/{sub_zone}/{upstream}")
    for host in hosts:
        lines.extend(f"host-record={host.name},{addr}" for addr in (*host.aaaa, *host.a))
        if not host.aaaa and not host.a:
            lines.append(f"txt-record={host.name},exists")
    return "\n".join(lines) + "\n"


def sshd_conf(*, workdir: Path, addresses: Sequence[str], port: int = 22) -> str:
    """A throwaway sshd that nobody can log in to: keys only, none authorised."""
    listen = list(addresses) if len(addresses) <= SSHD_MAX_LISTEN else ["::"]
    lines = [
        f"Port {port}",
        *(f"ListenAddress {addr}" for addr in listen),
        f"HostKey {workdir / 'ssh_host_ed25519_key'}",
        f"PidFile {workdir / 'sshd.pid'}",
        "UsePAM no",
        "PasswordAuthentication no",
        "KbdInteractiveAuthentication no",
        "AuthorizedKeysFile none",
        "PermitRootLogin no",
        "StrictModes no",
        "LogLevel ERROR",
        # Benchmarks open dozens of connections at once; the default (10:30:100)
        # would refuse some of them, which the doctor rightly reports.
        "MaxStartups 200:30:400",
    ]
    return "\n".join(lines) + "\n"


def redis_argv(*, workdir: Path, address: str, port: int = 6379) -> list[str]:
    """A real Redis server, in memory only, bound to one VPC address."""
    return [
        tool_path("redis-server"),
        "--bind", address,
        "--port", str(port),
        "--protected-mode", "no",
        "--save", "",
        "--appendonly", "no",
        "--daemonize", "no",
        "--dir", str(workdir),
        "--logfile", "",
    ]  # fmt: skip
