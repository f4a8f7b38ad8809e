"""The windows implementation of :class:`~vaclient.platforms.base.Platform`."""

from __future__ import annotations

from vaclient.platforms.base import Platform


class WindowsPlatform(Platform):
    """windows: see the module docstring."""

    name = "windows"
