"""A safe summary of the OpenVPN client configuration inside a ClientConfig.

The ``Config`` value of each ``OpenVpnConfigurations`` entry is an OpenVPN
client configuration, base64-encoded. It usually carries inline blocks
(``<ca>``, ``<cert>``, ``<key>``, ``<tls-crypt>``) whose contents are key
material. This module reads the directives that matter for diagnosis
(remotes, protocol, device, routes) and never copies the contents of an
inline block, nor the arguments of directives it does not know to be safe,
into its result.

Everything here is a pure function of text.
"""

from __future__ import annotations

import base64
import binascii
import ipaddress
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

#: Inline blocks whose contents are private key material.
KEY_BLOCKS = frozenset(
    {
        "key",
        "tls-auth",
        "tls-crypt",
        "tls-crypt-v2",
        "secret",
        "pkcs12",
        "auth-user-pass",
        "http-proxy-user-pass",
    }
)
#: Directives that name a file when they are not given as an inline block.
FILE_DIRECTIVES = frozenset(
    {"ca", "cert", "key", "tls-auth", "tls-crypt", "tls-crypt-v2", "pkcs12", "secret"}
)

#: OpenVPN options a client configuration may use. Only these names appear in
#: a summary: a line outside any block that is not an option (a stray line
#: of key material, say) is counted, never shown.
KNOWN_DIRECTIVES = frozenset(
    """
    allow-compression allow-recursive-routing auth auth-nocache auth-retry auth-token
    auth-token-user auth-user-pass bind block-ipv6 block-outside-dns ca cert chroot
    cipher client comp-lzo compress connect-retry connect-retry-max connect-timeout
    crl-verify data-ciphers data-ciphers-fallback dev dev-node dev-type dhcp-option
    disable-dco down explicit-exit-notify extra-certs fast-io float fragment group
    hand-window http-proxy http-proxy-option ifconfig ifconfig-ipv6
    ignore-unknown-option inactive ip-win32 keepalive key key-direction link-mtu log
    log-append lport machine-readable-output management management-hold
    management-query-passwords mark mssfix multihome mute mute-replay-warnings
    ncp-ciphers ncp-disable nice nobind ns-cert-type peer-fingerprint peer-id
    persist-key persist-remote-ip persist-tun ping ping-exit ping-restart
    ping-timer-rem pkcs12 port proto pull pull-filter push-peer-info rcvbuf
    redirect-gateway redirect-private register-dns remote remote-cert-eku
    remote-cert-ku remote-cert-tls remote-random remote-random-hostname reneg-bytes
    reneg-pkts reneg-sec replay-window resolv-retry route route-delay route-gateway
    route-ipv6 route-ipv6-gateway route-method route-metric route-nopull route-up
    rport script-security secret server-poll-timeout setenv setenv-safe single-session
    sndbuf socks-proxy static-challenge status tls-auth tls-cipher tls-ciphersuites
    tls-client tls-crypt tls-crypt-v2 tls-exit tls-groups tls-timeout tls-version-max
    tls-version-min topology tran-window tun-ipv6 tun-mtu txqueuelen up user verb
    verify-x509-name windows-driver writepid
    """.split()  # noqa: SIM905  # a word list reads better than 150 quoted names
)

_BLOCK_START = re.compile(r"<([A-Za-z0-9][A-Za-z0-9_-]*)>", re.ASCII)


@dataclass(frozen=True)
class OpenVpnSummary:
    """What an OpenVPN client configuration says, without any key material.

    Attributes:
        remotes: ``(host, port, proto)`` per ``remote`` line; port and proto
            are None when the line leaves them to ``port``/``proto``.
        port: the ``port`` (or ``rport``) directive, else None.
        proto: the ``proto`` directive, else None.
        device: the ``dev`` argument (``tun``, ``tap``, ``tun0``), else None.
        device_type: ``tun`` or ``tap``: ``dev-type``, else read from ``dev``.
        routes: destinations of ``route-ipv6`` and ``route`` lines in CIDR
            form where they parse (``route 192.0.2.0 255.255.255.0`` gives
            ``192.0.2.0/24``), otherwise the destination as written.
        is_client: ``client`` (or ``tls-client``) is present.
        redirect_gateway: ``redirect-gateway`` is present (all traffic into
            the tunnel).
        ciphers: the arguments of ``cipher`` and ``data-ciphers``.
        inline_blocks: names of the inline blocks, in order (``ca``, ``key``).
        has_inline_keys: at least one inline block holds private key
            material (``key``, ``tls-auth``, ``tls-crypt``...).
        file_references: directives that name a file on disk instead of
            an inline block (``ca``, ``cert``...); only the directive names.
        directives: every known directive name (:data:`KNOWN_DIRECTIVES`), in
            order of first use.
        unknown_directives: how many lines outside blocks were not a known
            directive (their text is never kept).
        problems: safe descriptions of what could not be read (an inline
            block that is never closed, say).
    """

    remotes: tuple[tuple[str, int | None, str | None], ...] = ()
    port: int | None = None
    proto: str | None = None
    device: str | None = None
    device_type: str | None = None
    routes: tuple[str, ...] = ()
    is_client: bool = False
    redirect_gateway: bool = False
    ciphers: tuple[str, ...] = ()
    inline_blocks: tuple[str, ...] = ()
    has_inline_keys: bool = False
    file_references: tuple[str, ...] = ()
    directives: tuple[str, ...] = ()
    unknown_directives: int = 0
    problems: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """The summary as plain JSON-ready data (safe to show and report)."""
        return {
            "remotes": [
                {"host": host, "port": port, "proto": proto} for host, port, proto in self.remotes
            ],
            "port": self.port,
            "proto": self.proto,
            "device": self.device,
            "device_type": self.device_type,
            "routes": list(self.routes),
            "is_client": self.is_client,
            "redirect_gateway": self.redirect_gateway,
            "ciphers": list(self.ciphers),
            "inline_blocks": list(self.inline_blocks),
            "has_inline_keys": self.has_inline_keys,
            "file_references": list(self.file_references),
            "directives": list(self.directives),
            "unknown_directives": self.unknown_directives,
            "problems": list(self.problems),
        }


def decode_config(config_b64: str) -> str:
    """Decode a ``Config`` value to the OpenVPN text it holds.

    Raises:
        ValueError: the value is not strict base64 of UTF-8 text. The
            message never contains the value.
    """
    try:
        raw = base64.b64decode(config_b64.encode("ascii"), validate=True)
    except (UnicodeEncodeError, binascii.Error):
        raise ValueError("Config is not valid base64") from None
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        raise ValueError("Config does not decode to UTF-8 text") from None


def summarise_openvpn(config_b64: str) -> OpenVpnSummary:
    """Summarise a base64 ``Config`` value; see :func:`summarise_openvpn_text`.

    Raises:
        ValueError: the value is not base64 of UTF-8 text.
    """
    return summarise_openvpn_text(decode_config(config_b64))


def summarise_openvpn_text(text: str) -> OpenVpnSummary:
    """Read the directives of an OpenVPN client configuration.

    Example::

        client
        dev tun
        proto udp
        remote vpn.example.com 443
        route-ipv6 2001:db8:10::/56
        <key>
        ...
        </key>

    gives ``remotes=(("vpn.example.com", 443, None),)``, ``proto="udp"``,
    ``device="tun"``, ``routes=("2001:db8:10::/56",)``,
    ``inline_blocks=("key",)`` and ``has_inline_keys=True``; the lines
    between ``<key>`` and ``</key>`` are skipped unread.
    """
    remotes: list[tuple[str, int | None, str | None]] = []
    routes: list[str] = []
    ciphers: list[str] = []
    blocks: list[str] = []
    directives: dict[str, None] = {}
    problems: list[str] = []
    values: dict[str, str | None] = {}
    unknown = 0

    for item in _walk(text):
        if isinstance(item, _Block):
            blocks.append(item.name)
            if not item.closed:
                problems.append(f"inline block <{item.name}> is not closed")
            continue

        name, args = item
        if name not in KNOWN_DIRECTIVES:
            unknown += 1
            continue
        directives.setdefault(name, None)
        if name == "remote" and args:
            proto = args[2].lower() if len(args) > 2 else None
            remotes.append((args[0], _port(args[1]) if len(args) > 1 else None, proto))
        elif name == "route-ipv6" and args:
            routes.append(_cidr(args[0]))
        elif name == "route" and args:
            routes.append(_ipv4_route(args[0], args[1] if len(args) > 1 else None))
        elif name in ("cipher", "data-ciphers") and args:
            ciphers.append(args[0])
        elif name in ("port", "rport", "proto", "dev", "dev-type"):
            values[name] = args[0] if args else None

    device = values.get("dev")
    device_type = values.get("dev-type")
    if device_type is None and device is not None:
        device_type = next((t for t in ("tun", "tap") if device.startswith(t)), None)
    port_text = values.get("rport") or values.get("port")
    proto = values.get("proto")
    names = tuple(directives)
    inline = set(blocks)
    return OpenVpnSummary(
        remotes=tuple(remotes),
        port=_port(port_text) if port_text else None,
        proto=proto.lower() if proto else None,
        device=device,
        device_type=device_type,
        routes=tuple(routes),
        is_client="client" in directives or "tls-client" in directives,
        redirect_gateway="redirect-gateway" in directives,
        ciphers=tuple(ciphers),
        inline_blocks=tuple(blocks),
        has_inline_keys=bool(inline & KEY_BLOCKS),
        file_references=tuple(n for n in names if n in FILE_DIRECTIVES and n not in inline),
        directives=names,
        unknown_directives=unknown,
        problems=tuple(problems),
    )


def inline_block_contents(text: str) -> tuple[str, ...]:
    """The contents of every inline block (keys, certificates), stripped.

    Used only to register these values as secrets for the log filter; never
    show what this returns.
    """
    return tuple(item.content for item in _walk(text) if isinstance(item, _Block))


# --- line reader -------------------------------------------------------------


@dataclass(frozen=True)
class _Block:
    """An inline ``<name>...</name>`` block."""

    name: str
    content: str
    closed: bool


def _walk(text: str) -> Iterator[_Block | tuple[str, list[str]]]:
    """Yield directives as ``(name, args)`` and inline blocks, in order."""
    lines = text.splitlines()
    index = 0
    while index < len(lines):
        line = lines[index].strip()
        index += 1
        start = _BLOCK_START.fullmatch(line)
        if start:
            name = start.group(1).lower()
            end = f"</{name}>"
            body: list[str] = []
            while index < len(lines) and lines[index].strip().lower() != end:
                body.append(lines[index])
                index += 1
            closed = index < len(lines)
            index += 1
            yield _Block(name, "\n".join(body).strip(), closed)
            continue

        tokens = _tokens(line)
        if tokens:
            yield tokens[0].lower().removeprefix("--"), tokens[1:]


def _tokens(line: str) -> list[str]:
    """Split a directive line on white space, dropping a trailing comment."""
    tokens: list[str] = []
    for token in line.split():
        if token.startswith(("#", ";")):
            break
        tokens.append(token.strip("\"'"))
    return tokens


def _port(text: str) -> int | None:
    """A port number 1-65535, or None when ``text`` is not one."""
    if text.isascii() and text.isdigit() and 0 < int(text) < 65536:
        return int(text)
    return None


def _cidr(text: str) -> str:
    """``text`` as a normalised network when it is one, else unchanged."""
    try:
        return str(ipaddress.ip_network(text, strict=False))
    except ValueError:
        return text


def _ipv4_route(network: str, netmask: str | None) -> str:
    """``route NETWORK [NETMASK]`` as CIDR, or the network as written."""
    try:
        return str(
            ipaddress.IPv4Network(f"{network}/{netmask or '255.255.255.255'}", strict=False)
        )
    except ValueError:
        return network
