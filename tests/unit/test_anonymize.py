"""Anonymizer: one value -> one token, different values -> different tokens, nothing survives."""

from __future__ import annotations

import doctest
import ipaddress

from hypothesis import given, settings
from hypothesis import strategies as st

import vaclient.report.anonymize
import vaclient.report.scrub
import vaclient.report.support_id
from vaclient.report.anonymize import Anonymizer
from vaclient.report.support_id import ALPHABET, new_support_id, normalize_support_id

# Identities that are not in any range the anonymizer keeps on purpose.
ipv4s = st.tuples(
    st.integers(11, 99), st.integers(0, 255), st.integers(0, 255), st.integers(1, 254)
).map(lambda t: ".".join(map(str, t)))
ipv6s = st.integers(0x2400 << 112, (0x2A00 << 112) - 1).map(
    lambda n: str(ipaddress.IPv6Address(n))
)
labels = st.text("abcdefghijklmnopqrstuvwxyz", min_size=4, max_size=10)
hosts = st.tuples(labels, labels, st.sampled_from(["com", "net", "org", "corp"])).map(
    lambda t: f"{t[0]}.{t[1]}.{t[2]}"
)
emails = st.tuples(labels, labels).map(lambda t: f"{t[0]}.{t[1]}@mail.example-corp.com")


def _assert_none_survive(text: str, values: list[str]) -> None:
    lowered = text.lower()
    for value in values:
        assert value.lower() not in lowered, value


@settings(max_examples=60, deadline=None)
@given(st.lists(st.one_of(ipv4s, ipv6s, hosts, emails), min_size=1, max_size=8, unique=True))
def test_no_original_survives_and_tokens_are_consistent(values: list[str]) -> None:
    text = " | ".join(f"seen {v} at step {i}" for i, v in enumerate(values))
    anon = Anonymizer()
    anon.observe(text)

    first = anon.anonymize(text)
    again = anon.anonymize(text)

    _assert_none_survive(first, values)
    assert first == again  # same input -> same tokens
    tokens = [part.split(" ")[1] for part in first.split(" | ")]
    assert len(set(tokens)) == len(set(values))  # different -> different


@settings(max_examples=40, deadline=None)
@given(ipv6s, st.integers(16, 128))
def test_cidr_keeps_its_prefix_and_stays_an_address(address: str, prefix: int) -> None:
    out = Anonymizer().anonymize(f"route {address}/{prefix} via fe80::8")

    token, _, rest = out.split(" ", 1)[1].partition("/")
    assert ipaddress.IPv6Address(token) in ipaddress.IPv6Network("2001:db8:ffff::/48")
    assert rest == f"{prefix} via fe80::8"


def test_same_value_same_token_across_texts() -> None:
    anon = Anonymizer(users=["jdoe"], hosts=["DESKTOP-7QX1"])
    texts = [
        "C:\\Users\\jdoe\\AppData\\Local\\vaclient on DESKTOP-7QX1 (10.20.30.40)",
        "jdoe@corp.example.com resolved app.corp.example.com to 2406:da14:1428:900::40dc:b8d9",
        "Host Name . . . : DESKTOP-7QX1\nIPv4 10.20.30.40 and 2406:DA14:1428:900::40DC:B8D9",
    ]
    for text in texts:
        anon.observe(text)

    out = [anon.anonymize(t) for t in texts]

    assert out[0] == "C:\\Users\\user-1\\AppData\\Local\\vaclient on host-1 (192.0.2.1)"
    assert out[1] == (
        "user-1@host-2.example.invalid resolved host-3.example.invalid to 2001:db8:ffff::1"
    )
    assert out[2] == "Host Name . . . : host-1\nIPv4 192.0.2.1 and 2001:db8:ffff::1"
    assert anon.counts() == {"user": 1, "host": 3, "email": 1, "ipv4": 1, "ipv6": 1}


def test_generic_addresses_and_file_names_are_kept() -> None:
    text = (
        "::1/128 ::/0 ff00::/8 fe80::8 fec0:0:0:ffff::1%1 127.0.0.1 255.255.255.0 "
        "0.0.0.0 vaclient.report.bundle settings.json resolv.conf 12:00:00 v1.0.6"
    )
    assert Anonymizer().anonymize(text) == text


def test_names_learned_from_ocsf_user_objects() -> None:
    record = '{"user": {"email_addr": "masked", "name": "ssouser01", "uid": "95671c316d-7a6a"}}'
    anon = Anonymizer()
    anon.observe(record)

    out = anon.anonymize(record + " ssouser01 connected")

    _assert_none_survive(out, ["ssouser01", "95671c316d-7a6a"])
    assert out.endswith("user-1 connected")


def test_a_token_never_equals_a_real_value() -> None:
    anon = Anonymizer()
    text = "first 10.9.8.7 then 192.0.2.1 which is real here"
    anon.observe(text)

    out = anon.anonymize(text)

    assert out == "first 192.0.2.2 then 192.0.2.3 which is real here"


def test_support_ids() -> None:
    ids = {new_support_id() for _ in range(200)}

    assert len(ids) == 200
    for value in ids:
        assert value.startswith("VAC-") and len(value) == 13
        assert set(value[4:8] + value[9:]) <= set(ALPHABET)
        assert normalize_support_id(value.lower().replace("-", " ")) == value
    assert not set("ILOU") & set(ALPHABET)


def test_doctests() -> None:
    for module in (vaclient.report.anonymize, vaclient.report.scrub, vaclient.report.support_id):
        result = doctest.testmod(module)
        assert result.attempted > 0 and result.failed == 0, module.__name__
