"""Icons from ``resources/icons``: one per tray state, and template variants for macOS.

On macOS the menu bar wants a black-and-alpha "template" image that the
system tints for light and dark menu bars; Qt makes one from an icon marked
with ``QIcon.setIsMask(True)``. Elsewhere the coloured icons are used.
"""

from __future__ import annotations

import functools
import sys

from PySide6.QtGui import QIcon

from vaclient.checks.model import Status
from vaclient.resources import resource_path
from vaclient.ui.state import TrayState

#: Check status -> the state icon that pictures it in the diagnostics window.
_STATUS_ICONS = {
    Status.OK: TrayState.CONNECTED,
    Status.WARN: TrayState.DEGRADED,
    Status.FAIL: TrayState.ERROR,
    Status.SKIP: TrayState.SIGNED_OUT,
}


def icon_path(state: TrayState, template: bool = False) -> str:
    """The SVG file for a state."""
    suffix = "-template" if template else ""
    return str(resource_path("icons", f"state-{state.value}{suffix}.svg"))


@functools.lru_cache(maxsize=32)
def state_icon(state: TrayState, template: bool | None = None) -> QIcon:
    """The tray icon for ``state``; a mask (template) icon on macOS by default."""
    if template is None:
        template = sys.platform == "darwin"
    icon = QIcon(icon_path(state, template))
    if template:
        icon.setIsMask(True)
    return icon


def status_icon(status: Status) -> QIcon:
    """A coloured icon for a check's status (ok, warn, fail, skip)."""
    return state_icon(_STATUS_ICONS[status], False)


def app_icon() -> QIcon:
    """The application's own icon (windows and dialogs)."""
    return QIcon(str(resource_path("icons", "vaclient.svg")))
