"""Parser for Windows ``ipconfig /all``: adapters, their addresses and DNS servers.

The output is localised, so fields are recognised by the shape of their
value first (an IPv6 address, a MAC) and by a few label words second
(``DNS``, ``Gateway``, ``Media``/``Medien``...). A block starts with a
heading ending in ``:`` that has no dotted leader (``Unknown adapter
Name:``, German ``Ethernet-Adapter Name:``); fields are
``Label . . . : value``; further values continue on the following lines.
Pasted text may have lost its indentation: continuation lines are then
told apart by having no leader and not ending in ``:``.
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass, field
from typing import Any

from vaclient.errors import UsageError
from vaclient.net.model import Interface
from vaclient.net.routes.common import clean_text, normalise_address
from vaclient.net.routes.windows import VERIFIED_ACCESS_TAP_PREFIX

_FIELD = re.compile(r"^\s*(?P<label>[^.\s][^:]*?)\s*(?:\.\s*)+:\s?(?P<value>.*?)\s*$")
# TODO(ipconfig): heading words are known for English, German, Japanese and Russian;
# other languages keep the whole heading as the name and an empty type.
_HEADING = re.compile(r"^(?P<type>.*?)[\s-](?:adapter|Adapter|アダプター)\s+(?P<name>.+?)\s*:\s*$")
_HEADING_RU = re.compile(r"^Адаптер\s+(?P<name>.+?)\s*:\s*$")
_MAC = re.compile(r"^[0-9A-Fa-f]{2}(-[0-9A-Fa-f]{2}){5}(?:-[0-9A-Fa-f]{2}){0,2}$")
_SUFFIX = re.compile(r"\s*\(([^)]*)\)\s*$")
_MEDIA_WORDS = ("media", "medien", "média", "medio", "メディア", "носител", "сред")
_GATEWAY_WORDS = ("gateway", "passerelle", "puerta", "ゲートウェイ", "шлюз")
_DESCRIPTION_WORDS = ("description", "beschreibung", "descripción", "説明", "описание")
#: The site-local resolvers Windows lists when no IPv6 DNS server is configured.
PLACEHOLDER_DNS = frozenset({"fec0:0:0:ffff::1", "fec0:0:0:ffff::2", "fec0:0:0:ffff::3"})


@dataclass(frozen=True)
class Adapter:
    """One adapter block of ``ipconfig /all``.

    Addresses carry no ``(Preferred)`` suffix and no ``%N`` zone; ``index``
    is the zone of the link-local address, which is the interface index
    ``route print`` uses. ``states`` maps an address to its suffix word.
    """

    heading: str
    type: str
    name: str
    description: str = ""
    physical_address: str | None = None
    media_connected: bool = True
    index: int | None = None
    ipv6_addresses: tuple[str, ...] = ()
    link_local: tuple[str, ...] = ()
    ipv4_addresses: tuple[str, ...] = ()
    gateways: tuple[str, ...] = ()
    dns_servers: tuple[str, ...] = ()
    states: dict[str, str] = field(default_factory=dict)

    @property
    def dns_placeholders(self) -> bool:
        """Whether the DNS list holds the ``fec0:0:0:ffff::N`` "no IPv6 DNS" placeholders."""
        return any(server in PLACEHOLDER_DNS for server in self.dns_servers)

    @property
    def is_verified_access(self) -> bool:
        """Whether this is the Verified Access client's TAP adapter."""
        return self.description.startswith(VERIFIED_ACCESS_TAP_PREFIX)

    @property
    def up(self) -> bool:
        """Connected media and at least one usable (not duplicate) address."""
        usable = [
            a
            for a in (*self.ipv6_addresses, *self.link_local, *self.ipv4_addresses)
            if not self.states.get(a, "").lower().startswith(("duplicate", "doppelt"))
        ]
        return self.media_connected and bool(usable)

    def to_interface(self) -> Interface:
        """This adapter as the platform-neutral :class:`Interface`."""
        kind = "tap" if "TAP-Windows" in self.description else "other"
        addresses = (*self.ipv6_addresses, *self.link_local, *self.ipv4_addresses)
        return Interface(self.name, kind, self.up, self.description, self.index, addresses)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-friendly form for ``analyze ipconfig --json``."""
        return {
            "type": self.type,
            "name": self.name,
            "description": self.description,
            "physical_address": self.physical_address,
            "media_connected": self.media_connected,
            "up": self.up,
            "index": self.index,
            "ipv6_addresses": list(self.ipv6_addresses),
            "link_local": list(self.link_local),
            "ipv4_addresses": list(self.ipv4_addresses),
            "gateways": list(self.gateways),
            "dns_servers": list(self.dns_servers),
            "dns_placeholders": self.dns_placeholders,
            "verified_access": self.is_verified_access,
        }


def parse_ipconfig(text: str, *, source: str = "the input") -> list[Adapter]:
    """The adapters of ``ipconfig /all`` (or plain ``ipconfig``).

    Args:
        text: the command output; a prompt line and lost indentation are fine.
        source: how to name the input in error messages.

    Returns:
        The adapters in the order printed.

    Raises:
        UsageError: no adapter block is in the text.

    Example:
        >>> text = '''Unknown adapter AWS Verified Access TAP-Windows Adapter #4434:
        ...    Description . . . . . . . . . . . : AWS Verified Access TAP-Windows Adapter V9
        ...    IPv6 Address. . . . . . . . . . . : 2001:db8:980::5002(Preferred)
        ...    Link-local IPv6 Address . . . . . : fe80::8480:1598:3308:f348%72(Preferred)
        ...    DNS Servers . . . . . . . . . . . : fec0:0:0:ffff::1%1
        ...                                        fec0:0:0:ffff::2%1'''
        >>> adapter = parse_ipconfig(text)[0]
        >>> adapter.type, adapter.name, adapter.index, adapter.ipv6_addresses
        ('Unknown', 'AWS Verified Access TAP-Windows Adapter #4434', 72, ('2001:db8:980::5002',))
        >>> adapter.dns_servers, adapter.dns_placeholders, adapter.is_verified_access
        (('fec0:0:0:ffff::1', 'fec0:0:0:ffff::2'), True, True)
    """
    blocks: list[tuple[str, list[tuple[str, list[str]]]]] = []
    for line in clean_text(text).split("\n"):
        if not line.strip():
            continue
        match = _FIELD.match(line)
        if match is not None:
            if blocks:
                blocks[-1][1].append((match.group("label"), [match.group("value")]))
        elif _is_heading(line, bool(blocks)):
            blocks.append((line.strip(), []))
        elif line.rstrip().endswith(":") and blocks:
            # A label too long for dots (German "Verbindungsspezifisches DNS-Suffix:").
            blocks[-1][1].append((line.strip().rstrip(":"), [""]))
        elif blocks and blocks[-1][1]:
            blocks[-1][1][-1][1].append(line.strip())

    if not blocks:
        raise UsageError(
            f"no network adapter found in {source}; paste the whole output of `ipconfig /all`",
            "run `ipconfig /all > ipconfig.txt` in a Command Prompt and pass that file",
        )
    return [_adapter(heading, fields) for heading, fields in blocks]


def _is_heading(line: str, in_block: bool) -> bool:
    """Whether a line without a dotted leader starts an adapter block.

    A line ending in ``:`` is a heading when it reads like one (``... adapter
    Name:``) or, in other languages, when it is not indented; an indented
    one inside a block is a field whose label left no room for dots.
    """
    stripped = line.strip()
    if not stripped.endswith(":") or normalise_address(stripped) is not None:
        return False
    if _HEADING.match(stripped) or _HEADING_RU.match(stripped):
        return True
    return not (in_block and line[0].isspace())


def _adapter(heading: str, fields: list[tuple[str, list[str]]]) -> Adapter:
    """Build one Adapter from its heading and ``(label, values)`` fields."""
    match = _HEADING.match(heading) or _HEADING_RU.match(heading)
    kind = (match.groupdict().get("type") or "") if match else ""
    name = match.group("name") if match else heading.rstrip(":").strip()
    values: dict[str, Any] = {
        "description": "",
        "physical_address": None,
        "media_connected": True,
        "index": None,
    }
    lists: dict[str, list[str]] = {
        key: [] for key in ("ipv6", "link_local", "ipv4", "gateways", "dns")
    }
    states: dict[str, str] = {}

    previous_value = ""
    for label, raw_values in fields:
        low = label.lower()
        first = raw_values[0]
        if any(word in low for word in _DESCRIPTION_WORDS):
            values["description"] = first
        elif _MAC.match(first) and values["physical_address"] is None:
            values["physical_address"] = first
            values["description"] = values["description"] or previous_value
        elif any(word in low for word in _MEDIA_WORDS) and first:
            values["media_connected"] = False
        previous_value = first

        for raw in filter(None, raw_values):
            address, state, zone = _address(raw)
            if address is None:
                continue
            if "dns" in low:
                lists["dns"].append(address)
            elif any(word in low for word in _GATEWAY_WORDS):
                lists["gateways"].append(address)
            elif ":" in address:
                link_local = ipaddress.IPv6Address(address).is_link_local
                lists["link_local" if link_local else "ipv6"].append(address)
                if link_local and zone is not None and values["index"] is None:
                    values["index"] = zone
            elif "ipv4" in low:
                lists["ipv4"].append(address)
            else:
                continue
            if state:
                states[address] = state

    return Adapter(
        heading,
        kind.strip(),
        name,
        values["description"],
        values["physical_address"],
        values["media_connected"],
        values["index"],
        tuple(lists["ipv6"]),
        tuple(lists["link_local"]),
        tuple(lists["ipv4"]),
        tuple(lists["gateways"]),
        tuple(lists["dns"]),
        states,
    )


def _address(raw: str) -> tuple[str | None, str, int | None]:
    """An address value: ``(address, state, zone)``; address None if it is not an IP."""
    state = ""
    match = _SUFFIX.search(raw)
    if match is not None:
        state, raw = match.group(1), raw[: match.start()]
    raw = raw.strip()
    bare, _, zone = raw.partition("%")
    zone_index = int(zone) if zone.isdigit() else None
    v6 = normalise_address(bare)
    if v6 is not None:
        return v6, state, zone_index
    try:
        return str(ipaddress.IPv4Address(bare)), state, None
    except ValueError:
        return None, state, None
