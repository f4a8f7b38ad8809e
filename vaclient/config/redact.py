"""Keep a ClientConfig's secrets out of screens, logs, reports and bundles.

A ClientConfig holds two kinds of secret: the base64 OpenVPN ``Config``
(with inline keys and certificates) and the OIDC ``ClientSecret``. Showing
the file means re-serialising it with both masked; logging anything near it
means registering the values with the log filter first, as a last line of
defence.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from vaclient.config.openvpn import inline_block_contents
from vaclient.logsetup import MASK, register_secret

if TYPE_CHECKING:
    from vaclient.config.model import ClientConfig

#: Field names whose values are secret wherever they appear in a document.
SECRET_FIELDS = ("Config", "ClientSecret")
#: Parts of a field name that make its value secret too, so that a hand-edited
#: ``"Client Secret"`` or ``"clientSecret"`` (an unknown field, kept in the file)
#: is masked like the real one.
_SECRET_NAME_PARTS = ("secret", "password", "passwd", "privatekey", "apikey")
_SECRET_NAMES = frozenset(name.lower() for name in SECRET_FIELDS)
_BOM = b"\xef\xbb\xbf"
_MIN_LINE = 16


def is_secret_field(name: str) -> bool:
    """Whether a field's value must be masked, judged by its name alone.

    True for :data:`SECRET_FIELDS` in any spelling (case, spaces, ``_`` and
    ``-`` ignored) and for names that mention a secret, password or private
    key.

    >>> [is_secret_field(n) for n in ("Config", "client_secret", "Routes")]
    [True, True, False]
    """
    folded = "".join(c for c in name.lower() if c.isalnum())
    return folded in _SECRET_NAMES or any(part in folded for part in _SECRET_NAME_PARTS)


def redact_document(doc: Any) -> Any:
    """A deep copy of ``doc`` with every secret field's value masked.

    Masks the value of every ``Config`` and ``ClientSecret`` (and every field
    :func:`is_secret_field` flags) whatever its type, at any depth, and
    copies everything else. Walks the tree without recursion, so any document ``json.loads``
    accepted can be redacted.

    Example: ``{"A": [{"Config": "Y2xp", "Routes": []}]}`` becomes
    ``{"A": [{"Config": "***", "Routes": []}]}``.
    """
    holder: list[Any] = [None]
    stack: list[tuple[Any, list[Any] | dict[str, Any], Any]] = [(doc, holder, 0)]
    while stack:
        value, parent, slot = stack.pop()
        if isinstance(value, dict):
            copy: dict[str, Any] | list[Any] = {}
            for key, item in value.items():
                if is_secret_field(key):
                    copy[key] = MASK
                else:
                    copy[key] = None
                    stack.append((item, copy, key))
        elif isinstance(value, list):
            copy = [None] * len(value)
            stack.extend((item, copy, index) for index, item in enumerate(value))
        else:
            parent[slot] = value
            continue
        parent[slot] = copy
    return holder[0]


def register_config_secrets(cfg: ClientConfig) -> None:
    """Register every secret of ``cfg`` with the log filter.

    Registers each ``Config`` value, the decoded OpenVPN text, the contents
    of its inline blocks (keys, certificates) and their longer lines (so a
    single PEM line in a message is masked too), and the ``ClientSecret``.
    """
    for conf in cfg.openvpn_configurations:
        register_secret(conf.config)
        text = conf.text()
        register_secret(text)
        for block in inline_block_contents(text):
            register_secret(block)
            for raw_line in block.splitlines():
                line = raw_line.strip()
                if len(line) >= _MIN_LINE and not line.startswith("-----"):
                    register_secret(line)

    utp = cfg.user_trust_provider
    if utp is not None and utp.client_secret:
        register_secret(utp.client_secret)


def redacted_json(cfg: ClientConfig) -> str:
    """The file's JSON, re-serialised with the secrets masked.

    Keeps the file's field order and unknown fields, so what ``config show``
    prints or a support bundle carries is the file as installed, minus its
    secrets. Indented by two spaces, non-ASCII text kept as is, no trailing
    newline.
    """
    raw = cfg.raw.removeprefix(_BOM)
    doc = json.loads(raw.decode("utf-8"))
    return json.dumps(redact_document(doc), indent=2, ensure_ascii=False)
