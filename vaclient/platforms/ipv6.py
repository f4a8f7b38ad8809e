"""A live check that this process can use IPv6, on any OS.

The configuration checks (``Platform.ipv6_status``) read what the OS is told;
this probe asks the kernel directly: it opens an IPv6 socket and binds it to
the loopback address. Nothing is sent.
"""

from __future__ import annotations

import errno
import logging
import socket

from vaclient.platforms.base import Probe

logger = logging.getLogger(__name__)


def probe_ipv6_socket() -> Probe:
    """Open an ``AF_INET6`` socket and bind it to ``("::1", 0)``.

    ``EAFNOSUPPORT`` means the kernel has no IPv6 at all (Linux
    ``ipv6.disable=1``); ``EADDRNOTAVAIL`` means IPv6 is there but switched
    off, so even the loopback has no ``::1``.

    Returns:
        ok True when the bind works; ok False with the errno name in
        ``detail`` and ``data["errno"]`` otherwise.
    """
    if not socket.has_ipv6:
        return Probe(False, "this Python was built without IPv6 support", data={"errno": None})

    try:
        with socket.socket(socket.AF_INET6, socket.SOCK_STREAM) as sock:
            sock.bind(("::1", 0))
    except OSError as err:
        name = errno.errorcode.get(err.errno or 0, str(err.errno))
        reasons = {
            errno.EAFNOSUPPORT: "the kernel does not support IPv6",
            errno.EADDRNOTAVAIL: "IPv6 is switched off (no ::1 on the loopback)",
        }
        reason = reasons.get(err.errno or 0, err.strerror or "the bind failed")
        logger.info("IPv6 socket probe failed: %s (%s)", name, reason)
        return Probe(
            False, f"cannot bind an IPv6 socket to ::1: {reason} ({name})", data={"errno": name}
        )

    return Probe(True, "an IPv6 socket can be bound to ::1", data={"errno": None})
