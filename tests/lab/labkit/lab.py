"""A small Verified Access network in two namespaces, built for one test run.

Topology (every address from the documentation ranges)::

    client ns                                  VPC ns
    veth 192.0.2.1/24  ── underlay (UDP) ──    veth 192.0.2.2/24
    tun  2001:db8:a0::2 ══ OpenVPN tunnel ══   tun 2001:db8:a0::1
    route 2001:db8:ac::/56 -> tun              lo: endpoint addresses
    default ::/0 via 2001:db8:c1::fe (veth)    dnsmasq 192.0.2.2:53
    /etc/netns/<ns>/resolv.conf -> 192.0.2.2   sshd [2001:db8:ac:1::10]:22
                                               redis [2001:db8:ac:1::11]:6379
                                               nftables table inet valab

The resolver sits outside the tunnel, on the underlay, as a home or office
resolver does. Faults are applied with the methods below and undone by
:meth:`Lab.reset`; :meth:`Lab.close` removes every namespace, process and
file, and runs at interpreter exit if nobody called it.
"""

from __future__ import annotations

import contextlib
import functools
import ipaddress
import re
import shutil
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from tests.lab.labkit import procs, services
from tests.lab.labkit.clientconfig import client_config, write_client_config
from tests.lab.labkit.env import tool_path
from tests.lab.labkit.services import Host

ZONE = "lab.example"
CIDR = "2001:db8:ac::/56"
CLIENT_V4, VPC_V4 = "192.0.2.1", "192.0.2.2"
CLIENT_TUN_V6, VPC_TUN_V6 = "2001:db8:a0::2", "2001:db8:a0::1"
CLIENT_LAN_V6, LAN_GATEWAY_V6 = "2001:db8:c1::1", "2001:db8:c1::fe"
SSH_ADDR, DB_ADDR = "2001:db8:ac:1::10", "2001:db8:ac:1::11"
OUTSIDE_ADDR = "2001:db8:ff::10"
OPENVPN_PORT = 1194
SERVFAIL_PORT, SILENT_PORT = 5301, 5302

DEFAULT_HOSTS = (
    Host(f"ssh.{ZONE}", aaaa=(SSH_ADDR,)),
    Host(f"db.{ZONE}", aaaa=(DB_ADDR,)),
    Host(f"v4only.{ZONE}", a=("192.0.2.80",)),
    Host(f"outside.{ZONE}", aaaa=(OUTSIDE_ADDR,)),
)
SERVFAIL_ZONE, SILENT_ZONE = f"fail.{ZONE}", f"silent.{ZONE}"
_DNSTOOLS = Path(__file__).with_name("dnstools.py")


class Lab:
    """One lab: build with :meth:`start`, fault with the methods, then :meth:`close`."""

    def __init__(
        self,
        *,
        hosts: Sequence[Host] = DEFAULT_HOSTS,
        ssh_addresses: Sequence[str] = (SSH_ADDR,),
        db_address: str = DB_ADDR,
        dns_delay: float = 0.0,
        python: str = "python3",
    ) -> None:
        """Describe the lab; nothing is created until :meth:`start`."""
        self.hosts = tuple(hosts)
        self.ssh_addresses = tuple(ssh_addresses)
        self.db_address = db_address
        self.dns_delay = dns_delay
        self.python = python
        self.suffix = procs.new_suffix()
        self.client_ns = procs.ns_name(self.suffix, "c")
        self.vpc_ns = procs.ns_name(self.suffix, "v")
        self.tun = f"va{self.suffix}t0"
        self.workdir = Path(tempfile.mkdtemp(prefix=f"valab-{self.suffix}-"))
        self.client_ovpn = ""
        self._daemons: dict[str, Any] = {}
        self._undo: list[Callable[[], object]] = []
        self._closed = False

    # --- building -----------------------------------------------------------

    def start(self) -> Lab:
        """Create namespaces, tunnel, DNS and services; wait until all answer."""
        procs.register_cleanup(id(self), self.close)
        try:
            self._build_underlay()
            self._start_dns()
            self._start_services()
            self._start_tunnel()
        except BaseException:
            self.close()
            raise
        return self

    def _ip(self, ns: str, *args: str) -> str:
        return procs.run(["ip", "-n", ns, *args])

    @staticmethod
    def _run_quiet(argv: Sequence[str]) -> None:
        procs.run(argv)

    def _build_underlay(self) -> None:
        c, v = self.client_ns, self.vpc_ns
        for ns in (c, v):
            procs.run(["ip", "netns", "add", ns])
            self._ip(ns, "link", "set", "lo", "up")
        veth_c, veth_v = f"va{self.suffix}c0", f"va{self.suffix}v0"
        procs.run(["ip", "link", "add", veth_c, "type", "veth", "peer", "name", veth_v])
        procs.run(["ip", "link", "set", veth_c, "netns", c])
        procs.run(["ip", "link", "set", veth_v, "netns", v])
        self._ip(c, "addr", "add", f"{CLIENT_V4}/24", "dev", veth_c)
        self._ip(c, "-6", "addr", "add", f"{CLIENT_LAN_V6}/64", "dev", veth_c, "nodad")
        self._ip(v, "addr", "add", f"{VPC_V4}/24", "dev", veth_v)
        self._ip(c, "link", "set", veth_c, "up")
        self._ip(v, "link", "set", veth_v, "up")
        self._ip(c, "-6", "route", "add", "default", "via", LAN_GATEWAY_V6, "dev", veth_c)
        self.veth_client = veth_c

        network = ipaddress.IPv6Network(CIDR)
        local = {*self.ssh_addresses, self.db_address}
        local.update(a for h in self.hosts for a in h.aaaa if ipaddress.IPv6Address(a) in network)
        for addr in sorted(local):
            self._ip(v, "-6", "addr", "add", f"{addr}/128", "dev", "lo", "nodad")

        etc = Path("/etc/netns") / c
        etc.mkdir(parents=True, exist_ok=True)
        (etc / "resolv.conf").write_text(f"nameserver {VPC_V4}\n", encoding="utf-8")
        procs.run(
            procs.in_ns(v, ["nft", "-f", "-"]),
            input="table inet valab {\n chain input {\n"
            "  type filter hook input priority 0; policy accept;\n }\n}\n",
        )

    def _daemon(self, name: str, ns: str, argv: Sequence[str]) -> None:
        self._daemons[name] = procs.start_daemon(ns, argv, self.workdir / f"{name}.log")

    def _listening(self, proto: str, address: str, port: int) -> bool:
        flag = "-Hltn" if proto == "tcp" else "-Hlun"
        out = procs.run(procs.in_ns(self.vpc_ns, ["ss", flag]), check=False)
        wanted = f"[{address}]:{port}" if ":" in address else f"{address}:{port}"
        return any(wanted in line.split() for line in out.splitlines())

    def _start_dns(self) -> None:
        dns_port = 5353 if self.dns_delay else 53
        for name, port, extra in (
            ("servfail", SERVFAIL_PORT, ["--rcode", "2"]),
            ("silent", SILENT_PORT, ["--silent"]),
        ):
            argv = [self.python, str(_DNSTOOLS), "answer", "--listen", f"{VPC_V4}:{port}"]
            self._daemon(name, self.vpc_ns, [*argv, *extra])
        conf = self.workdir / "dnsmasq.conf"
        conf.write_text(
            services.dnsmasq_conf(
                listen=VPC_V4,
                port=dns_port,
                zone=ZONE,
                hosts=self.hosts,
                forwards={
                    SERVFAIL_ZONE: f"{VPC_V4}#{SERVFAIL_PORT}",
                    SILENT_ZONE: f"{VPC_V4}#{SILENT_PORT}",
                },
                pid_file=self.workdir / "dnsmasq.pid",
                log_file=self.workdir / "dnsmasq-queries.log",
            ),
            encoding="utf-8",
        )
        argv = [tool_path("dnsmasq"), "--keep-in-foreground", f"--conf-file={conf}"]
        self._daemon("dnsmasq", self.vpc_ns, argv)
        if self.dns_delay:
            delay = [self.python, str(_DNSTOOLS), "delay", "--listen", f"{VPC_V4}:53"]
            delay += ["--upstream", f"{VPC_V4}:{dns_port}", "--delay", str(self.dns_delay)]
            self._daemon("dnsdelay", self.vpc_ns, delay)
        for port in (53, dns_port, SERVFAIL_PORT, SILENT_PORT):
            procs.wait_for(
                f"DNS on port {port}", functools.partial(self._listening, "udp", VPC_V4, port)
            )

    def _start_services(self) -> None:
        Path("/run/sshd").mkdir(mode=0o755, exist_ok=True)  # sshd's privilege-separation dir
        key = self.workdir / "ssh_host_ed25519_key"
        procs.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(key)])
        conf = self.workdir / "sshd_config"
        conf.write_text(services.sshd_conf(workdir=self.workdir, addresses=self.ssh_addresses))
        self._daemon("sshd", self.vpc_ns, [tool_path("sshd"), "-D", "-e", "-f", str(conf)])
        argv = services.redis_argv(workdir=self.workdir, address=self.db_address)
        self._daemon("redis", self.vpc_ns, argv)

        ssh_probe = self.ssh_addresses[0] if len(self.ssh_addresses) <= 16 else "::"
        procs.wait_for("sshd", lambda: self._listening("tcp", ssh_probe, 22))
        procs.wait_for("redis", lambda: self._listening("tcp", self.db_address, 6379))

    def _start_tunnel(self) -> None:
        key = self.workdir / "static.key"
        procs.run([tool_path("openvpn"), "--genkey", "secret", str(key)])
        key.chmod(0o600)
        static_key = "\n".join(
            line for line in key.read_text().splitlines() if line and not line.startswith("#")
        )
        server = services.openvpn_server_argv(
            dev=f"va{self.suffix}t1",
            local=VPC_V4,
            port=OPENVPN_PORT,
            local_v6=f"{VPC_TUN_V6}/64",
            peer_v6=CLIENT_TUN_V6,
            key_file=key,
        )
        self._daemon("openvpn-vpc", self.vpc_ns, server)
        procs.wait_for("OpenVPN (VPC)", lambda: self._listening("udp", VPC_V4, OPENVPN_PORT))

        self.client_ovpn = services.openvpn_client_conf(
            dev=self.tun,
            remote=VPC_V4,
            port=OPENVPN_PORT,
            local_v6=f"{CLIENT_TUN_V6}/64",
            peer_v6=VPC_TUN_V6,
            routes=[CIDR],
            static_key=static_key,
        )
        conf = self.workdir / "client.ovpn"
        conf.write_text(self.client_ovpn, encoding="utf-8")
        conf.chmod(0o600)
        self._daemon("openvpn-client", self.client_ns, [tool_path("openvpn"), str(conf)])
        log = self.workdir / "openvpn-client.log"
        procs.wait_for(
            "OpenVPN tunnel",
            lambda: (
                "Initialization Sequence Completed" in log.read_text(errors="replace")
                and bool(self.tunnel_route())
            ),
            timeout=30,
        )

    # --- inspecting -----------------------------------------------------------

    def client(self, argv: Sequence[str], *, timeout: float = 30.0) -> str:
        """Run ``argv`` in the client namespace and return its stdout."""
        return procs.run(procs.in_ns(self.client_ns, argv), timeout=timeout)

    def tunnel_route(self) -> str:
        """The client's route for the lab CIDR as ``ip -6 route`` prints it."""
        return procs.run(["ip", "-n", self.client_ns, "-6", "route", "show", CIDR]).strip()

    def client_config(self, *, routes: Sequence[str] = (CIDR,)) -> dict[str, Any]:
        """A ClientConfig document whose Config is this lab's OpenVPN client file."""
        return client_config(self.client_ovpn, routes)

    def write_client_config(self, folder: Path, document: dict[str, Any] | None = None) -> Path:
        """Write a ClientConfig for this lab (or ``document``) into ``folder``."""
        return write_client_config(folder, document or self.client_config())

    # --- faults (undone by reset) ---------------------------------------------

    def nft_fault(self, rule: str) -> None:
        """Add one rule to the VPC's input chain, e.g. ``tcp dport 22 drop``."""
        out = procs.run(
            procs.in_ns(
                self.vpc_ns,
                [
                    "nft",
                    "--echo",
                    "--handle",
                    "add",
                    "rule",
                    "inet",
                    "valab",
                    "input",
                    *rule.split(),
                ],
            )
        )
        handle = re.search(r"# handle (\d+)", out)
        if handle is None:
            raise RuntimeError(f"nft printed no rule handle: {out!r}")
        delete = ["nft", "delete", "rule", "inet", "valab", "input", "handle", handle.group(1)]
        self._undo.append(lambda: self._run_quiet(procs.in_ns(self.vpc_ns, delete)))

    def drop_syn(self, address: str, port: int) -> None:
        """Silently drop connection attempts to ``[address]:port``."""
        self.nft_fault(f"ip6 daddr {address} tcp dport {port} tcp flags syn drop")

    def reject_prohibited(self, address: str, port: int) -> None:
        """Answer connection attempts to ``[address]:port`` with ICMPv6 admin-prohibited."""
        self.nft_fault(
            f"ip6 daddr {address} tcp dport {port} reject with icmpv6 type admin-prohibited"
        )

    def drop_dns(self) -> None:
        """Make the resolver never answer: drop every query to port 53."""
        self.nft_fault(f"ip daddr {VPC_V4} udp dport 53 drop")
        self.nft_fault(f"ip daddr {VPC_V4} tcp dport 53 drop")

    def remove_tunnel_route(self) -> None:
        """Delete the client's route for the CIDR (the default route stays)."""
        route = self.tunnel_route()
        self._ip(self.client_ns, "-6", "route", "del", CIDR)
        self._undo.append(lambda: self._ip(self.client_ns, "-6", "route", "add", *route.split()))

    def route_via_other_interface(self, prefix: str = "2001:db8:ac:1::/64") -> str:
        """Send ``prefix`` through a new non-tunnel interface; return its name."""
        near, far = f"va{self.suffix}w0", f"va{self.suffix}w1"
        self._ip(self.client_ns, "link", "add", near, "type", "veth", "peer", "name", far)
        self._undo.append(lambda: self._ip(self.client_ns, "link", "del", near))
        self._ip(self.client_ns, "-6", "addr", "add", "2001:db8:c2::1/64", "dev", near, "nodad")
        self._ip(self.client_ns, "link", "set", near, "up")
        self._ip(self.client_ns, "link", "set", far, "up")
        self._ip(self.client_ns, "-6", "route", "add", prefix, "via", "2001:db8:c2::fe")
        return near

    def reset(self) -> None:
        """Undo every fault, newest first."""
        while self._undo:
            self._undo.pop()()

    # --- destructive faults (use a lab of their own) ---------------------------

    def stop_client_tunnel(self) -> None:
        """Stop the client's OpenVPN: its tun device and route disappear."""
        procs.stop_daemon(self._daemons.pop("openvpn-client"))
        procs.wait_for("tun removal", lambda: self.tun not in self._ip(self.client_ns, "link"))

    def disable_ipv6(self) -> None:
        """Turn IPv6 off in the client namespace, as a user's OS setting would."""
        for scope in ("all", "default"):
            self.client(["sysctl", "-q", "-w", f"net.ipv6.conf.{scope}.disable_ipv6=1"])

    # --- teardown -------------------------------------------------------------

    def close(self) -> None:
        """Stop every daemon, delete both namespaces and the work folder."""
        if self._closed:
            return
        self._closed = True
        for proc in reversed(list(self._daemons.values())):
            with contextlib.suppress(Exception):
                procs.stop_daemon(proc)
        for ns in (self.client_ns, self.vpc_ns):
            with contextlib.suppress(Exception):
                procs.delete_namespace(ns)
        shutil.rmtree(self.workdir, ignore_errors=True)
        procs.unregister_cleanup(id(self))

    def __enter__(self) -> Lab:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.close()
