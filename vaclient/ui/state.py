"""The tray's states, how they follow from the status and the report, and their words.

The state is derived, never stored apart from its inputs: the quick status
(local, polled often), the last doctor report (periodic, slower) and
whether a sign-in was started recently.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from vaclient.checks.model import Report, Status
from vaclient.status import QuickStatus
from vaclient.ui.i18n import tr


class TrayState(str, Enum):
    """What the icon shows; the value names the icon file ``state-<value>.svg``."""

    NOT_CONFIGURED = "not-configured"
    SIGNED_OUT = "signed-out"
    CONNECTING = "connecting"
    CONNECTED = "connected"
    DEGRADED = "degraded"
    ERROR = "error"


def state_words(state: TrayState) -> str:
    """The state in words, translated (menu's first line, tooltip, notifications)."""
    words = {
        TrayState.NOT_CONFIGURED: tr("Not configured"),
        TrayState.SIGNED_OUT: tr("Signed out (tunnel down)"),
        TrayState.CONNECTING: tr("Connecting…"),
        TrayState.CONNECTED: tr("Connected"),
        TrayState.DEGRADED: tr("Connected, some endpoints fail"),
        TrayState.ERROR: tr("Problem found"),
    }
    return words[state]


@dataclass(frozen=True)
class StateView:
    """The state plus the one-line detail shown under it."""

    state: TrayState
    detail: str = ""

    @property
    def tooltip(self) -> str:
        """``vaclient: <state>`` and the detail on a second line."""
        text = f"vaclient: {state_words(self.state)}"
        return f"{text}\n{self.detail}" if self.detail else text


def derive_state(
    status: QuickStatus | None,
    report: Report | None = None,
    *,
    connecting: bool = False,
    error: str = "",
) -> StateView:
    """Decide the tray state.

    Args:
        status: the last quick status (None before the first poll).
        report: the last doctor report, if any.
        connecting: a sign-in was started and has not timed out yet.
        error: the last poll failed with this message.
    """
    if error:
        return StateView(TrayState.ERROR, error)
    if status is None:
        return StateView(TrayState.CONNECTING if connecting else TrayState.SIGNED_OUT)
    if not status.valid_configs:
        return StateView(TrayState.NOT_CONFIGURED, tr("Import a ClientConfig file to start."))
    client = status.client
    if client.supported and not client.installed:
        return StateView(TrayState.ERROR, tr("The Connectivity Client is not installed."))

    if status.connected:
        failing = [e for e in (report.endpoints if report else ()) if e.status is Status.FAIL]
        if failing:
            names = ", ".join(e.target for e in failing[:3])
            return StateView(TrayState.DEGRADED, tr("Failing: ") + names)
        return StateView(TrayState.CONNECTED, status.tunnel.interface or "")

    if connecting:
        return StateView(TrayState.CONNECTING, tr("Waiting for the tunnel…"))
    if status.tunnel.up:
        missing = [r.cidr for c in status.valid_configs for r in c.routes if not r.in_tunnel]
        return StateView(TrayState.ERROR, tr("Routes not in the tunnel: ") + ", ".join(missing))
    return StateView(TrayState.SIGNED_OUT, tr("Choose Sign in to connect."))
