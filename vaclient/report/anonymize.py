"""Consistent anonymisation of user names, e-mail addresses, host names and IPs.

A support bundle can go to people outside the company. With ``--anonymize``
every identity in it is replaced by a token, the same token for the same
value in every file, so the helpdesk can still follow one address through
the route table, the logs and the report:

- user names become ``user-1``, ``user-2`` ...;
- e-mail addresses become ``user-1@host-2.example.invalid`` (local part
  and domain mapped like a user name and a host name);
- host names become ``host-1.example.invalid`` (fully qualified) or
  ``host-1`` (a bare machine name);
- IPv4 addresses become addresses from the documentation ranges
  (``192.0.2.1`` ...), IPv6 addresses ``2001:db8:ffff::1`` ..., so route
  tables still parse; a CIDR keeps its prefix length.

Loopback, unspecified, multicast, netmask-like and the small well-known
link-local addresses (``fe80::8``) are kept: they say nothing about a person
and the diagnosis needs them. The class is pure (no I/O); the mapping stays
in memory and is never written anywhere.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Callable, Iterable


def _words(text: str) -> frozenset[str]:
    """The white-space separated words of ``text`` (keeps long word lists readable)."""
    return frozenset(text.split())


# TODO(anonymize): MAC addresses (ipconfig's "Physical Address") and user names
# shorter than three characters are left as they are; both need a rule that does
# not also rewrite ordinary words and hex dumps.
KINDS = ("user", "host", "email", "ipv4", "ipv6")  # counts() reports these

#: The suffix of every host token; ``.invalid`` can never resolve (RFC 2606).
TOKEN_DOMAIN = "example.invalid"  # noqa: S105  # a domain name, not a secret

#: Last labels that make a dotted word a file name, not a host name.
_FILE_EXTENSIONS = _words(
    """json log txt html htm zip py pyc exe msi pkg dmg dll sys conf cfg ini yaml yml
    toml plist sh ps1 bat cmd md csv xml ovpn pem crt cer key der p12 pfx gz tgz bz2
    xz tar sqlite db bak old tmp lock pid sock service socket png jpg svg ico icns mo
    po qm qml so dylib framework kext etl evtx bin dat"""
)

#: First labels of dotted words that are Python module or logger names.
_MODULE_PREFIXES = _words(
    """vaclient botocore boto3 urllib3 requests keyring pyside6 shiboken6 asyncio
    concurrent logging json subprocess dns os sys ipaddress socket psutil platformdirs
    threading moto werkzeug s3transfer http email self cls"""
)

#: Words that look like user names in key=value lines but are not identities.
_NOT_NAMES = _words(
    """none null unknown true false info admin administrator support root-ca user
    users test mail noreply no-reply help contact service system guest default
    public shared"""
)

#: Windows' well-known site-local DNS defaults (``fec0:0:0:ffff::1`` to ``::3``).
_WELL_KNOWN_V6 = frozenset(ipaddress.IPv6Address(f"fec0:0:0:ffff::{n}") for n in (1, 2, 3))

_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
_EMAIL_RE = rf"[A-Za-z0-9._%+-]+@(?:{_LABEL}\.)+[A-Za-z]{{2,63}}"
_IPV6_RE = (
    r"(?<![\w:.])(?:[0-9A-Fa-f]{0,4}:){2,7}"
    r"(?:(?:\d{1,3}\.){3}\d{1,3}|[0-9A-Fa-f]{1,4})?(?![\w:])"
)
_IPV4_RE = r"(?<![\w.])(?:\d{1,3}\.){3}\d{1,3}(?!\w|\.\d)"
_FQDN_RE = rf"(?<![\w.-])(?:{_LABEL}\.)+[A-Za-z][A-Za-z0-9-]{{0,61}}[A-Za-z0-9](?![\w-]|\.\w|\()"

# Patterns that reveal names to learn (see Anonymizer.observe).
_LEARN_PATH_USER = re.compile(r"[/\\](?:Users|home)[/\\]([^/\\\s\"':;]+)")
_LEARN_KEY_USER = re.compile(
    r"(?i)[\"']?\b(?:user_?name|preferred_username|upn|login|user)[\"']?\s*[=:]\s*[\"']?"
    r"([A-Za-z0-9][\w.\\-]{2,63})"
)
_LEARN_USER_OBJECT = re.compile(r"\"user\"\s*:\s*\{([^{}]*)\}")
_LEARN_OBJECT_FIELD = re.compile(r"\"(?:name|uid|uuid)\"\s*:\s*\"([^\"]{3,128})\"")
_LEARN_HOST = re.compile(
    r"(?im)^\s*(?:Host Name[ .]*|ComputerName\s*|HOSTNAME\s*|LocalHostName\s*)[:=]\s*(\S+)"
)
_SCAN = re.compile(
    rf"(?P<email>{_EMAIL_RE})|(?P<ipv6>{_IPV6_RE})|(?P<ipv4>{_IPV4_RE})|(?P<host>{_FQDN_RE})"
)


def _keep_address(addr: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    """Whether an address is generic enough to leave in place."""
    if addr.is_loopback or addr.is_unspecified or addr.is_multicast:
        return True
    if isinstance(addr, ipaddress.IPv4Address):
        return str(addr).startswith("255.")
    if addr in _WELL_KNOWN_V6:
        return True
    return addr.is_link_local and int(addr) & ((1 << 64) - 1) < 0x10000


def _parse_ip(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(text)
    except ValueError:
        return None


def _is_host_name(name: str) -> bool:
    """Whether a dotted word is a host name rather than a file or module name."""
    labels = name.lower().split(".")
    if labels[-1] in _FILE_EXTENSIONS or labels[0] in _MODULE_PREFIXES:
        return False
    return not name.lower().endswith("." + TOKEN_DOMAIN)


class Anonymizer:
    """Replaces identities in text with stable tokens; one instance per bundle.

    Call :meth:`observe` on every text first, then :meth:`anonymize` on each:
    observing first lets the anonymizer learn names that appear only in
    some files (a user name from a path) and avoid tokens that happen to be
    real values elsewhere. ``anonymize`` also observes its own text, so a
    single text needs no separate call.

    >>> anon = Anonymizer(users=["alice"])
    >>> anon.anonymize("alice@corp.example.com logged in from 10.1.2.3 as alice")
    'user-1@host-1.example.invalid logged in from 192.0.2.1 as user-1'
    """

    def __init__(self, *, users: Iterable[str] = (), hosts: Iterable[str] = ()) -> None:
        self._maps: dict[str, dict[str, str]] = {kind: {} for kind in KINDS}
        self._names: dict[str, str] = {}  # lower-case name -> "user" | "host"
        self._seen: set[str] = set()
        self._names_re: re.Pattern[str] | None = None
        for user in users:
            self._learn_name(user, "user")
        for host in hosts:
            self._learn_name(host, "host")

    # -- learning -------------------------------------------------------
    def _learn_name(self, name: str, kind: str) -> None:
        name = name.strip().strip("\"'")
        if len(name) < 3 or name.lower() in _NOT_NAMES or name.lower() in self._names:
            return
        if kind == "host" and "." in name and _is_host_name(name):
            return  # an FQDN: the host pattern finds it wherever it appears
        self._names[name.lower()] = kind
        self._seen.add(name.lower())
        self._names_re = None

    def observe(self, text: str) -> None:
        """Learn the names and addresses in ``text`` without changing it."""
        for match in _LEARN_PATH_USER.finditer(text):
            self._learn_name(match.group(1), "user")
        for match in _LEARN_KEY_USER.finditer(text):
            if "@" not in match.group(1):
                self._learn_name(match.group(1), "user")
        for match in _LEARN_USER_OBJECT.finditer(text):
            for field in _LEARN_OBJECT_FIELD.finditer(match.group(1)):
                if "@" not in field.group(1):
                    self._learn_name(field.group(1), "user")
        for match in _LEARN_HOST.finditer(text):
            self._learn_name(match.group(1), "host")
        for match in _SCAN.finditer(text):
            value = match.group(0)
            if match.lastgroup == "email":
                self._learn_name(value.split("@", 1)[0], "user")
            address = _parse_ip(value) if match.lastgroup in ("ipv4", "ipv6") else None
            self._seen.add(str(address) if address else value.lower())

    # -- tokens ---------------------------------------------------------
    def _token(self, kind: str, key: str, make: Callable[[int], str]) -> str:
        """The token for ``key``; a new one from ``make(n)`` the first time."""
        mapping = self._maps[kind]
        if key not in mapping:
            n = len(mapping) + 1
            candidate = make(n)
            while candidate.lower() in self._seen or candidate in mapping.values():
                n += 1
                candidate = make(n)
            mapping[key] = candidate
        return mapping[key]

    def _user(self, name: str) -> str:
        return self._token("user", name.lower(), lambda n: f"user-{n}")

    def _host(self, name: str, *, qualified: bool = True) -> str:
        if qualified:
            return self._token("host", name.lower(), lambda n: f"host-{n}.{TOKEN_DOMAIN}")
        return self._token("host", name.lower(), lambda n: f"host-{n}")

    def _ipv4(self, addr: ipaddress.IPv4Address) -> str:
        pools = ("192.0.2.", "198.51.100.", "203.0.113.")

        def make(n: int) -> str:
            if n <= 254 * len(pools):
                return f"{pools[(n - 1) // 254]}{(n - 1) % 254 + 1}"
            return f"ip4-{n}"

        return self._token("ipv4", str(addr), make)

    def _ipv6(self, addr: ipaddress.IPv6Address) -> str:
        return self._token("ipv6", str(addr), lambda n: f"2001:db8:ffff::{n:x}")

    # -- replacing ------------------------------------------------------
    def _names_pattern(self) -> re.Pattern[str] | None:
        if self._names_re is None and self._names:
            names = sorted(self._names, key=len, reverse=True)
            alternation = "|".join(re.escape(n) for n in names)
            self._names_re = re.compile(rf"(?i)(?<![\w])(?:{alternation})(?![\w-]|\.\w)")
        return self._names_re

    def _replace(self, match: re.Match[str]) -> str:
        value = match.group(0)
        kind = match.lastgroup
        if kind == "email":
            local, domain = value.split("@", 1)
            token = f"{self._user(local)}@{self._host(domain)}"
            self._maps["email"][value.lower()] = token
            return token
        if kind in ("ipv4", "ipv6"):
            address = _parse_ip(value)
            if address is None or _keep_address(address):
                return value
            if isinstance(address, ipaddress.IPv4Address):
                return self._ipv4(address)
            return self._ipv6(address)
        if kind == "host":
            return self._host(value) if _is_host_name(value) else value
        return value

    def anonymize(self, text: str) -> str:
        """Return ``text`` with every known or recognisable identity replaced."""
        self.observe(text)

        names = self._names_pattern()
        if names is not None:

            def replace_name(match: re.Match[str]) -> str:
                value = match.group(0)
                if self._names.get(value.lower()) == "host":
                    return self._host(value, qualified=False)
                return self._user(value)

            text = self._split_apply(text, names, replace_name)
        return _SCAN.sub(self._replace, text)

    def _split_apply(
        self, text: str, pattern: re.Pattern[str], func: Callable[[re.Match[str]], str]
    ) -> str:
        """Apply ``pattern`` outside e-mail addresses and host names only.

        Known names are replaced first, but a name that is part of a larger
        e-mail address or host name is left for the scan, which maps the
        whole value, so ``alice`` inside ``alice@corp.example`` stays a
        part of one e-mail token.
        """
        out: list[str] = []
        pos = 0
        for match in _SCAN.finditer(text):
            value = match.group(0)
            protected = match.lastgroup == "email" or (
                match.lastgroup == "host"
                and _is_host_name(value)
                and value.lower() not in self._names
            )
            if protected:
                out.append(pattern.sub(func, text[pos : match.start()]))
                out.append(value)
                pos = match.end()
        out.append(pattern.sub(func, text[pos:]))
        return "".join(out)

    def counts(self) -> dict[str, int]:
        """How many distinct values of each kind were replaced (never the values)."""
        return {kind: len(mapping) for kind, mapping in self._maps.items() if mapping}
