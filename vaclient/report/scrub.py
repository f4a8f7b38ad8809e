"""Remove secrets from free text before it leaves the machine.

Used for everything that goes into a support bundle, anonymised or not.
Two layers:

- the exact secret values of the installed ClientConfigs (the base64
  OpenVPN ``Config`` and the OIDC ``ClientSecret``), registered with
  :func:`vaclient.logsetup.register_secret` and masked by
  :func:`vaclient.logsetup.mask_secrets`;
- patterns for secrets whose values vaclient cannot know: PEM blocks and
  unterminated ``-----BEGIN`` sections, OpenVPN inline key blocks, bearer
  tokens and JWTs, AWS access key IDs and secret keys, passwords in URLs,
  signatures of pre-signed URLs, ``password=...``-style pairs, and long
  mixed-case base64 runs (keys, tokens, a cut-off ``Config``).

Only counts per kind are kept, never the values.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

from vaclient.logsetup import MASK, mask_secrets, mask_values, register_secret

#: (kind, pattern, replacement); applied in this order.
_PATTERNS: tuple[tuple[str, re.Pattern[str], str], ...] = (
    (
        "pem_blocks",
        re.compile(r"-----BEGIN ([A-Z0-9 ]+)-----.*?-----END \1-----", re.DOTALL),
        r"-----BEGIN \1----- (removed) -----END \1-----",
    ),
    (
        # A BEGIN line without its END (a cut-off log line): drop up to a blank line.
        "pem_blocks",
        re.compile(r"-----BEGIN ([A-Z0-9 ]+)-----(?:(?!-----END).)*?(?=\n\s*\n|\Z)", re.DOTALL),
        r"-----BEGIN \1----- (removed)",
    ),
    (
        "openvpn_key_blocks",
        re.compile(
            r"<(key|tls-auth|tls-crypt|tls-crypt-v2|secret|pkcs12|auth-user-pass)>"
            r".*?</\1>",
            re.DOTALL,
        ),
        r"<\1>(removed)</\1>",
    ),
    ("bearer_tokens", re.compile(r"(?i)\b(Bearer)\s+[A-Za-z0-9._~+/=-]{8,}"), rf"\1 {MASK}"),
    (
        "jwt_tokens",
        re.compile(r"\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*"),
        MASK,
    ),
    (
        "aws_access_keys",
        re.compile(r"\b((?:AKIA|ASIA|AROA|AIDA)[A-Z0-9]{4})[A-Z0-9]{12}\b"),
        rf"\1{MASK}",
    ),
    (
        "url_passwords",
        re.compile(r"(\b[A-Za-z][A-Za-z0-9+.-]*://[^/\s:@]+:)[^@\s/]+(@)"),
        rf"\1{MASK}\2",
    ),
    (
        "presigned_url_signatures",
        re.compile(r"(?i)(X-Amz-(?:Signature|Security-Token|Credential)=)[^&\s\"'<>]+"),
        rf"\1{MASK}",
    ),
    (
        "key_values",
        re.compile(
            r"(?i)([\"']?\b(?:password|passwd|pwd|client_?secret|secret_?access_?key|"
            r"aws_secret_access_key|session_?token|access_?token|refresh_?token|id_?token|"
            r"api_?key|authorization|upload_?token)[\"']?\s*[:=]\s*[\"']?)"
            r"(?!\*\*\*)[^\s\"',;&}]{4,}"
        ),
        rf"\1{MASK}",
    ),
)


#: A long run of base64 with upper case, lower case and digits: a key, a token or
#: a cut-off ClientConfig ``Config``. Hex digests (lower case only) do not match.
_BASE64_BLOB = re.compile(r"(?<![A-Za-z0-9+/])[A-Za-z0-9+/]{40,}={0,2}(?![A-Za-z0-9+/=])")


def _mask_blob(match: re.Match[str]) -> str:
    text = match.group(0)
    mixed = (
        any(c.isupper() for c in text)
        and any(c.islower() for c in text)
        and any(c.isdigit() for c in text)
    )
    return MASK if mixed else text


class SecretScrubber:
    """Masks known secret values and secret-looking patterns in text.

    >>> scrubber = SecretScrubber(["c2VjcmV0LW9wZW52cG4tY29uZmln"])
    >>> scrubber.scrub("loaded c2VjcmV0LW9wZW52cG4tY29uZmln with password=hunter22")
    'loaded *** with password=***'
    >>> dict(scrubber.counts)
    {'config_secrets': 1, 'key_values': 1}
    """

    def __init__(self, values: Iterable[str] = ()) -> None:
        self._values: set[str] = set()
        self.counts: Counter[str] = Counter()
        for value in values:
            self.add_value(value)

    def add_value(self, value: str) -> None:
        """Treat ``value`` as a secret from now on (ignored under 4 characters).

        Its JSON-escaped form (``/`` written as ``\\/``) is masked as well.
        """
        if len(value) < 4:
            return
        register_secret(value)
        self._values.add(value)
        if "/" in value:
            escaped = value.replace("/", "\\/")
            register_secret(escaped)
            self._values.add(escaped)

    def scrub(self, text: str) -> str:
        """Return ``text`` with every known and recognisable secret masked."""
        found = sum(text.count(v) for v in self._values)
        if found:
            self.counts["config_secrets"] += found
            # mask_secrets covers every value registered in this process;
            # ours are among them, but make sure even if the registry changed.
            text = mask_values(mask_secrets(text), self._values)

        for kind, pattern, replacement in _PATTERNS:
            text, n = pattern.subn(replacement, text)
            if n:
                self.counts[kind] += n

        before = text.count(MASK)
        text = _BASE64_BLOB.sub(_mask_blob, text)
        if text.count(MASK) > before:
            self.counts["base64_blobs"] += text.count(MASK) - before
        return text
