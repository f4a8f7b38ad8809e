"""Pick the platform implementation once, by explicit dispatch."""

from __future__ import annotations

import functools
import logging

from vaclient.paths import current_os
from vaclient.platforms.base import Platform

logger = logging.getLogger(__name__)


@functools.lru_cache(maxsize=1)
def get_platform() -> Platform:
    """The :class:`Platform` for this OS (memoised)."""
    os_name = current_os()
    impl: Platform
    if os_name == "windows":
        from vaclient.platforms.windows import WindowsPlatform

        impl = WindowsPlatform()
    elif os_name == "macos":
        from vaclient.platforms.macos import MacOSPlatform

        impl = MacOSPlatform()
    else:
        from vaclient.platforms.linux import LinuxPlatform

        impl = LinuxPlatform()
    logger.info("platform: %s (%s)", impl.name, type(impl).__name__)
    return impl
