"""The linux implementation of :class:`~vaclient.platforms.base.Platform`."""

from __future__ import annotations

from vaclient.platforms.base import Platform


class LinuxPlatform(Platform):
    """linux: see the module docstring."""

    name = "linux"
