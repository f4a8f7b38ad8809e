"""The macos implementation of :class:`~vaclient.platforms.base.Platform`."""

from __future__ import annotations

from vaclient.platforms.base import Platform


class MacOSPlatform(Platform):
    """macos: see the module docstring."""

    name = "macos"
