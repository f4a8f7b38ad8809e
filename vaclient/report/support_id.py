"""Short support IDs that a user can read out over the phone.

An ID looks like ``VAC-7F3K-9Q2M``: eight characters of Crockford's base32
alphabet (digits and upper-case letters without I, L, O and U, so nothing
can be misread), drawn from :mod:`secrets` (40 bits). The same ID names the
bundle file and the uploaded object, so the helpdesk finds one from the
other.
"""

from __future__ import annotations

import re
import secrets

PREFIX = "VAC"
ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"

_PATTERN = re.compile(rf"^{PREFIX}-[{ALPHABET}]{{4}}-[{ALPHABET}]{{4}}$")
#: Crockford's decoding of look-alike characters people type by mistake.
_LOOKALIKES = str.maketrans({"O": "0", "I": "1", "L": "1"})


def new_support_id() -> str:
    """Return a fresh random ID such as ``VAC-7F3K-9Q2M``."""
    chars = "".join(secrets.choice(ALPHABET) for _ in range(8))
    return f"{PREFIX}-{chars[:4]}-{chars[4:]}"


def normalize_support_id(text: str) -> str | None:
    """Read an ID as a person typed it; None when it is not one.

    Case, spaces and Crockford's look-alikes (O for 0, I or L for 1) are
    forgiven, and the dashes are optional:

    >>> normalize_support_id(" vac 7f3k-9qzm ")
    'VAC-7F3K-9QZM'
    >>> normalize_support_id("VAC-OOIL-1234")
    'VAC-0011-1234'
    >>> normalize_support_id("VAC-U000-0000") is None
    True
    """
    compact = re.sub(r"[\s-]", "", text.upper())
    if not compact.startswith(PREFIX) or len(compact) != len(PREFIX) + 8:
        return None
    body = compact[len(PREFIX) :].translate(_LOOKALIKES)
    candidate = f"{PREFIX}-{body[:4]}-{body[4:]}"
    return candidate if _PATTERN.match(candidate) else None
